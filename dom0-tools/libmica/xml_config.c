/* The XML domain reader: libxml2 parses without ever loading anything
 * else, the built-in schema checks the structure, and the model's setters
 * check the values, every message with its line. */
#include "xml_config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "domain_xsd.h"

/* No entity substitution, DTD loading or network: nothing outside the text
 * is read. Big line numbers so that messages stay right past line 65535. */
#define XML_READ_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

/* The first message libxml2 reports while parsing or validating. */
struct first_error {
    const char *source;
    struct config_error *err;
    bool set;
};

static void keep_first_error(void *data, xmlErrorPtr error)
{
    struct first_error *first = data;
    struct config_pos at = { first->source, error->line > 0 ? (unsigned)error->line : 0 };
    const char *message = error->message ? error->message : "invalid XML";
    size_t len = strlen(message);

    if (first->set || error->level < XML_ERR_ERROR)
        return;
    if (!at.line && error->node)
        at.line = (unsigned)xmlGetLineNo(error->node);
    while (len && (message[len - 1] == '\n' || message[len - 1] == ' '))
        len--;
    config_error_set(first->err, at, "%.*s", (int)len, message);
    first->set = true;
}

static struct config_pos node_pos(const char *source, xmlNodePtr node)
{
    long line = xmlGetLineNo(node);

    return (struct config_pos){ source, line > 0 ? (unsigned)line : 0 };
}

static bool is_element(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

/* A node's text (or an attribute's value) with surrounding blanks removed;
 * free() it. */
static char *trimmed(xmlChar *raw)
{
    char *start = (char *)raw, *end, *copy;

    if (!raw)
        return strdup("");
    while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
        start++;
    end = start + strlen(start);
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
                           end[-1] == '\r'))
        end--;
    copy = strndup(start, (size_t)(end - start));
    xmlFree(raw);
    return copy;
}

static char *text_of(xmlNodePtr node)
{
    return trimmed(xmlNodeGetContent(node));
}

/* The named attribute of the node's first child element `child`. */
static char *child_attr(xmlNodePtr node, const char *child, const char *attr,
                        xmlNodePtr *where)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (is_element(c, child)) {
            *where = c;
            return trimmed(xmlGetProp(c, (const xmlChar *)attr));
        }
    }
    return NULL;
}

typedef int (*text_setter)(struct domain_config *cfg, const char *text,
                           struct config_pos at, struct config_error *err);

static int apply_text(struct domain_config *cfg, xmlNodePtr node, text_setter set,
                      const char *source, struct config_error *err)
{
    char *text = text_of(node);
    int rc = text ? set(cfg, text, node_pos(source, node), err)
                  : config_error_set(err, node_pos(source, node), "out of memory");

    free(text);
    return rc;
}

static int apply_size(uint64_t *field, const char *key, xmlNodePtr node, const char *source,
                      struct config_error *err)
{
    xmlChar *given_unit = xmlGetProp(node, (const xmlChar *)"unit");
    char *text = text_of(node), *unit = given_unit ? trimmed(given_unit) : strdup("MiB");
    struct config_pos at = node_pos(source, node);
    int rc;

    if (!text || !unit)
        rc = config_error_set(err, at, "out of memory");
    else
        rc = domain_config_parse_size(key, text, unit, field, at, err);
    free(text);
    free(unit);
    return rc;
}

static int apply_action(struct domain_config *cfg, enum domain_event event, xmlNodePtr node,
                        const char *source, struct config_error *err)
{
    char *text = text_of(node);
    int rc = text ? domain_config_set_action(cfg, event, text, node_pos(source, node), err)
                  : config_error_set(err, node_pos(source, node), "out of memory");

    free(text);
    return rc;
}

static int apply_disk(struct domain_config *cfg, xmlNodePtr node, const char *source,
                      struct config_error *err)
{
    struct domain_disk disk = { 0 };
    xmlNodePtr at_target = node, at_driver = node;
    char *dev = child_attr(node, "target", "dev", &at_target);
    char *format = child_attr(node, "driver", "type", &at_driver);
    int rc = device_check_vdev(dev ? dev : "", node_pos(source, at_target), err);

    if (rc == 0 && format)
        rc = device_check_format(format, node_pos(source, at_driver), err);
    if (rc == 0) {
        strcpy(disk.vdev, dev);
        disk.target = child_attr(node, "source", "file", &at_target);
        for (xmlNodePtr c = node->children; c; c = c->next)
            disk.readonly = disk.readonly || is_element(c, "readonly");
        if (!disk.target || !*disk.target)
            rc = config_error_set(err, node_pos(source, node), "disk source file must not "
                                  "be empty");
    }
    if (rc == 0)
        rc = domain_config_add_disk(cfg, &disk, node_pos(source, node), err);
    else
        domain_disk_free(&disk);
    free(dev);
    free(format);
    return rc;
}

static int apply_interface(struct domain_config *cfg, xmlNodePtr node, const char *source,
                           struct config_error *err)
{
    struct domain_vif vif = { 0 };
    xmlNodePtr at_mac = node, at_bridge = node, at_ip = node;
    char *mac = child_attr(node, "mac", "address", &at_mac);
    int rc = 0;

    vif.bridge = child_attr(node, "source", "bridge", &at_bridge);
    vif.ip = child_attr(node, "ip", "address", &at_ip);
    if (mac) {
        rc = device_parse_mac(mac, vif.mac, node_pos(source, at_mac), err);
        vif.has_mac = true;
    }
    if (rc == 0 && vif.bridge)
        rc = device_check_bridge(vif.bridge, node_pos(source, at_bridge), err);
    if (rc == 0 && vif.ip)
        rc = device_check_ip(vif.ip, node_pos(source, at_ip), err);
    if (rc == 0)
        rc = domain_config_add_vif(cfg, &vif, node_pos(source, node), err);
    else
        domain_vif_free(&vif);
    free(mac);
    return rc;
}

static int apply_os(struct domain_config *cfg, xmlNodePtr os, const char *source,
                    struct config_error *err)
{
    int rc = 0;

    for (xmlNodePtr c = os->children; c && rc == 0; c = c->next) {
        if (is_element(c, "kernel"))
            rc = apply_text(cfg, c, domain_config_set_kernel, source, err);
        else if (is_element(c, "initrd"))
            rc = apply_text(cfg, c, domain_config_set_ramdisk, source, err);
        else if (is_element(c, "cmdline"))
            rc = apply_text(cfg, c, domain_config_set_cmdline, source, err);
    }
    return rc;
}

static int apply_devices(struct domain_config *cfg, xmlNodePtr devices, const char *source,
                         struct config_error *err)
{
    int rc = 0;

    for (xmlNodePtr c = devices->children; c && rc == 0; c = c->next) {
        if (is_element(c, "disk"))
            rc = apply_disk(cfg, c, source, err);
        else if (is_element(c, "interface"))
            rc = apply_interface(cfg, c, source, err);
    }
    return rc;
}

/* The schema has checked the structure: every element here is one it allows. */
static int apply_domain(struct domain_config *cfg, xmlNodePtr root, const char *source,
                        struct config_error *err)
{
    char *type = trimmed(xmlGetProp(root, (const xmlChar *)"type"));
    int rc = type ? domain_config_check_type(type, node_pos(source, root), err)
                  : config_error_set(err, node_pos(source, root), "out of memory");

    free(type);
    for (xmlNodePtr c = root->children; c && rc == 0; c = c->next) {
        if (is_element(c, "name"))
            rc = apply_text(cfg, c, domain_config_set_name, source, err);
        else if (is_element(c, "memory"))
            rc = apply_size(&cfg->memory_mib, "memory", c, source, err);
        else if (is_element(c, "maxMemory"))
            rc = apply_size(&cfg->maxmem_mib, "maxMemory", c, source, err);
        else if (is_element(c, "vcpus"))
            rc = apply_text(cfg, c, domain_config_set_vcpus, source, err);
        else if (is_element(c, "os"))
            rc = apply_os(cfg, c, source, err);
        else if (is_element(c, "on_poweroff"))
            rc = apply_action(cfg, DOMAIN_EVENT_POWEROFF, c, source, err);
        else if (is_element(c, "on_reboot"))
            rc = apply_action(cfg, DOMAIN_EVENT_REBOOT, c, source, err);
        else if (is_element(c, "on_crash"))
            rc = apply_action(cfg, DOMAIN_EVENT_CRASH, c, source, err);
        else if (is_element(c, "devices"))
            rc = apply_devices(cfg, c, source, err);
    }
    return rc;
}

/* Line of the DOCTYPE in text, or 0: it is refused before libxml2 reads
 * any entity declaration in it. */
static unsigned doctype_line(const char *text, size_t len)
{
    static const char doctype[] = "<!DOCTYPE";
    const size_t n = sizeof(doctype) - 1;
    unsigned line = 1;

    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(text + i, doctype, n) == 0)
            return line;
        line += text[i] == '\n';
    }
    return 0;
}

static int validate(xmlDocPtr doc, struct first_error *first)
{
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewMemParserCtxt(domain_xsd,
                                                              (int)strlen(domain_xsd));
    xmlSchemaPtr schema = parser ? xmlSchemaParse(parser) : NULL;
    xmlSchemaValidCtxtPtr valid = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
    int rc = -1;

    if (valid) {
        xmlSchemaSetValidStructuredErrors(valid, keep_first_error, first);
        rc = xmlSchemaValidateDoc(valid, doc);
    }
    if (rc != 0 && !first->set) {
        config_error_set(first->err, (struct config_pos){ first->source, 0 },
                         "the built-in XML schema could not be used");
        first->set = true;
    }
    xmlSchemaFreeValidCtxt(valid);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(parser);
    return rc == 0 ? 0 : -1;
}

int xml_config_parse(const char *text, size_t len, const char *source,
                     struct domain_config *cfg, struct config_error *err)
{
    struct first_error first = { source, err, false };
    struct config_pos at = { source, config_nul_line(text, len) };
    xmlDocPtr doc;
    int rc = 0;

    if (at.line)
        return config_error_set(err, at, "NUL byte in the file");
    if (len > INT_MAX)
        return config_error_set(err, (struct config_pos){ source, 0 }, "file too large");
    at.line = doctype_line(text, len);
    if (at.line)
        return config_error_set(err, at, "DOCTYPE declarations are not allowed");
    /* libxml2 reports through a per-thread handler: ours for this call only. */
    xmlSetStructuredErrorFunc(&first, keep_first_error);
    doc = xmlReadMemory(text, (int)len, source, NULL, XML_READ_OPTIONS);
    if (!doc || first.set)
        rc = first.set ? -EINVAL : config_error_set(err, at, "not an XML document");
    else if (doc->intSubset || doc->extSubset)
        rc = config_error_set(err, at, "DOCTYPE declarations are not allowed");
    else if (validate(doc, &first) != 0)
        rc = -EINVAL;
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (rc == 0)
        rc = apply_domain(cfg, xmlDocGetRootElement(doc), source, err);
    xmlFreeDoc(doc);
    return rc;
}
