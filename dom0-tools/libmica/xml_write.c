/* Writes a domain config model as an XML document that xml_config_parse
 * reads back; libxml2 does the escaping. */
#include "xml_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define X(s) ((const xmlChar *)(s))

static xmlNodePtr add_text(xmlNodePtr parent, const char *name, const char *text)
{
    return xmlNewTextChild(parent, NULL, X(name), X(text));
}

static xmlNodePtr add_with_attr(xmlNodePtr parent, const char *name, const char *attr,
                                const char *value)
{
    xmlNodePtr node = xmlNewChild(parent, NULL, X(name), NULL);

    if (node)
        xmlNewProp(node, X(attr), X(value));
    return node;
}

static void add_size(xmlNodePtr parent, const char *name, uint64_t mib)
{
    char text[24];
    xmlNodePtr node;

    snprintf(text, sizeof(text), "%llu", (unsigned long long)mib);
    node = add_text(parent, name, text);
    if (node)
        xmlNewProp(node, X("unit"), X("MiB"));
}

static void add_devices(xmlNodePtr root, const struct domain_config *cfg)
{
    xmlNodePtr devices;
    char mac[18];

    if (cfg->disk_count == 0 && cfg->vif_count == 0)
        return;
    devices = xmlNewChild(root, NULL, X("devices"), NULL);
    for (size_t i = 0; devices && i < cfg->disk_count; i++) {
        const struct domain_disk *d = &cfg->disks[i];
        xmlNodePtr disk = xmlNewChild(devices, NULL, X("disk"), NULL);

        add_with_attr(disk, "source", "file", d->target);
        add_with_attr(disk, "target", "dev", d->vdev);
        add_with_attr(disk, "driver", "type", "raw");
        if (d->readonly)
            xmlNewChild(disk, NULL, X("readonly"), NULL);
    }
    for (size_t i = 0; devices && i < cfg->vif_count; i++) {
        const struct domain_vif *v = &cfg->vifs[i];
        xmlNodePtr vif = xmlNewChild(devices, NULL, X("interface"), NULL);

        if (v->has_mac) {
            snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0], v->mac[1],
                     v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
            add_with_attr(vif, "mac", "address", mac);
        }
        if (v->bridge)
            add_with_attr(vif, "source", "bridge", v->bridge);
        if (v->ip)
            add_with_attr(vif, "ip", "address", v->ip);
    }
}

static void add_domain(xmlNodePtr root, const struct domain_config *cfg)
{
    xmlNodePtr os;
    char vcpus[12];

    xmlNewProp(root, X("type"), X("pvh"));
    add_text(root, "name", cfg->name);
    add_size(root, "memory", cfg->memory_mib);
    if (cfg->maxmem_mib)
        add_size(root, "maxMemory", cfg->maxmem_mib);
    snprintf(vcpus, sizeof(vcpus), "%u", cfg->vcpus);
    add_text(root, "vcpus", vcpus);
    os = xmlNewChild(root, NULL, X("os"), NULL);
    add_text(os, "kernel", cfg->kernel);
    if (cfg->ramdisk)
        add_text(os, "initrd", cfg->ramdisk);
    if (cfg->cmdline)
        add_text(os, "cmdline", cfg->cmdline);
    add_text(root, "on_poweroff", domain_action_name(cfg->on_poweroff));
    add_text(root, "on_reboot", domain_action_name(cfg->on_reboot));
    add_text(root, "on_crash", domain_action_name(cfg->on_crash));
    add_devices(root, cfg);
}

char *xml_config_format(const struct domain_config *cfg)
{
    xmlDocPtr doc = xmlNewDoc(X("1.0"));
    xmlNodePtr root = doc ? xmlNewNode(NULL, X("domain")) : NULL;
    xmlChar *dumped = NULL;
    char *text = NULL;
    int size = 0;

    if (root) {
        xmlDocSetRootElement(doc, root);
        add_domain(root, cfg);
        xmlDocDumpFormatMemoryEnc(doc, &dumped, &size, "UTF-8", 1);
    }
    if (dumped)
        text = strndup((const char *)dumped, (size_t)size);
    xmlFree(dumped);
    xmlFreeDoc(doc);
    return text;
}
