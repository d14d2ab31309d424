/* Writes a domain config model in xl.cfg syntax, which xlcfg_parse reads back. */
#include "xlcfg.h"

#include <stdio.h>
#include <stdlib.h>

/* Text for inside a double-quoted string, with the escapes the parser knows. */
static void put_escaped(FILE *out, const char *text)
{
    for (; *text; text++) {
        unsigned char c = (unsigned char)*text;

        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
}

static void put_string(FILE *out, const char *text)
{
    fputc('"', out);
    put_escaped(out, text);
    fputc('"', out);
}

static void put_key_string(FILE *out, const char *key, const char *text)
{
    if (!text)
        return;
    fprintf(out, "%s = ", key);
    put_string(out, text);
    fputc('\n', out);
}

static void put_disks(FILE *out, const struct domain_config *cfg)
{
    if (cfg->disk_count == 0)
        return;
    fputs("disk = [\n", out);
    for (size_t i = 0; i < cfg->disk_count; i++) {
        const struct domain_disk *d = &cfg->disks[i];

        /* target= goes last: it takes the rest of the spec, commas and all. */
        fprintf(out, "    \"format=raw, vdev=%s, access=%s, target=", d->vdev,
                d->readonly ? "ro" : "rw");
        put_escaped(out, d->target);
        fputs("\",\n", out);
    }
    fputs("]\n", out);
}

static void put_vifs(FILE *out, const struct domain_config *cfg)
{
    if (cfg->vif_count == 0)
        return;
    fputs("vif = [\n", out);
    for (size_t i = 0; i < cfg->vif_count; i++) {
        const struct domain_vif *v = &cfg->vifs[i];
        const char *sep = "";

        fputs("    \"", out);
        if (v->has_mac) {
            fprintf(out, "mac=%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0], v->mac[1], v->mac[2],
                    v->mac[3], v->mac[4], v->mac[5]);
            sep = ", ";
        }
        if (v->bridge) {
            fprintf(out, "%sbridge=%s", sep, v->bridge);
            sep = ", ";
        }
        if (v->ip)
            fprintf(out, "%sip=%s", sep, v->ip);
        fputs("\",\n", out);
    }
    fputs("]\n", out);
}

char *xlcfg_format(const struct domain_config *cfg)
{
    char *text = NULL;
    size_t len;
    FILE *out = open_memstream(&text, &len);

    if (!out)
        return NULL;
    put_key_string(out, "name", cfg->name);
    put_key_string(out, "type", "pvh");
    put_key_string(out, "kernel", cfg->kernel);
    put_key_string(out, "ramdisk", cfg->ramdisk);
    put_key_string(out, "cmdline", cfg->cmdline);
    fprintf(out, "memory = %llu\n", (unsigned long long)cfg->memory_mib);
    if (cfg->maxmem_mib)
        fprintf(out, "maxmem = %llu\n", (unsigned long long)cfg->maxmem_mib);
    fprintf(out, "vcpus = %u\n", cfg->vcpus);
    put_key_string(out, "on_poweroff", domain_action_name(cfg->on_poweroff));
    put_key_string(out, "on_reboot", domain_action_name(cfg->on_reboot));
    put_key_string(out, "on_crash", domain_action_name(cfg->on_crash));
    put_disks(out, cfg);
    put_vifs(out, cfg);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
