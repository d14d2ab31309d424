/* xl.cfg disk and vif spec strings, and the checks of their single values. */
#include "device_spec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BRIDGE_NAME_MAX 15      /* IFNAMSIZ - 1 */
#define IP_LIST_MAX 255

void domain_disk_free(struct domain_disk *disk)
{
    free(disk->target);
    disk->target = NULL;
}

void domain_vif_free(struct domain_vif *vif)
{
    free(vif->bridge);
    free(vif->ip);
    vif->bridge = NULL;
    vif->ip = NULL;
}

int device_check_vdev(const char *vdev, struct config_pos at, struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX];
    size_t len = strlen(vdev);
    bool ok = (len == 4 || len == 5) && strncmp(vdev, "xvd", 3) == 0;

    for (size_t i = 3; ok && i < len; i++)
        ok = vdev[i] >= 'a' && vdev[i] <= 'z';
    if (!ok)
        return config_error_set(err, at, "disk vdev must be xvda ... xvdz or xvdaa ... xvdzz, "
                                "got '%s'", config_quote(q, vdev));
    return 0;
}

int device_vdev_number(const char *vdev, uint32_t *number)
{
    struct config_error ignored;
    if (device_check_vdev(vdev, (struct config_pos){ 0 }, &ignored))
        return -EINVAL;
    uint32_t disk = (uint32_t)(vdev[3] - 'a');
    if (vdev[4])
        disk = (disk + 1) * 26 + (uint32_t)(vdev[4] - 'a');
    *number = disk < 16 ? 202u << 8 | disk << 4 : 1u << 28 | disk << 8;
    return 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int device_parse_mac(const char *text, uint8_t mac[6], struct config_pos at,
                     struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX];
    bool ok = strlen(text) == 17;

    for (int i = 0; ok && i < 6; i++) {
        int hi = hex_digit(text[3 * i]), lo = hex_digit(text[3 * i + 1]);

        ok = hi >= 0 && lo >= 0 && (i == 5 || text[3 * i + 2] == ':');
        if (ok)
            mac[i] = (uint8_t)(hi << 4 | lo);
    }
    if (!ok)
        return config_error_set(err, at, "vif mac must be six hex bytes like "
                                "00:16:3e:12:34:56, got '%s'", config_quote(q, text));
    if (mac[0] & 1)
        return config_error_set(err, at, "vif mac %s is a multicast address; a guest's "
                                "interface needs a unicast one", text);
    return 0;
}

int device_check_bridge(const char *bridge, struct config_pos at, struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX];
    size_t len = strlen(bridge);
    bool ok = len >= 1 && len <= BRIDGE_NAME_MAX;

    for (size_t i = 0; ok && i < len; i++) {
        char c = bridge[i];

        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '.' || c == '-';
    }
    if (!ok)
        return config_error_set(err, at, "vif bridge must be 1 to %d characters from "
                                "A-Z a-z 0-9 '_' '.' '-', got '%s'", BRIDGE_NAME_MAX,
                                config_quote(q, bridge));
    return 0;
}

/* One address or several separated by spaces, each IPv4 or IPv6. */
int device_check_ip(const char *ip, struct config_pos at, struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX], list[IP_LIST_MAX + 1], *word, *save;
    unsigned char addr[16];
    bool any = false;

    if (strlen(ip) > IP_LIST_MAX)
        return config_error_set(err, at, "vif ip is longer than %d bytes", IP_LIST_MAX);
    strcpy(list, ip);
    for (word = strtok_r(list, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
        if (inet_pton(AF_INET, word, addr) != 1 && inet_pton(AF_INET6, word, addr) != 1)
            return config_error_set(err, at, "vif ip '%s' is not an IPv4 or IPv6 address",
                                    config_quote(q, word));
        any = true;
    }
    if (!any)
        return config_error_set(err, at, "vif ip must not be empty");
    return 0;
}

static char *trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}

/* The disk's parameters as text, before their checks. */
struct disk_words {
    const char *target, *format, *vdev, *access;
};

static int disk_set_word(const char **slot, const char *key, const char *value,
                         struct config_pos at, struct config_error *err)
{
    if (*slot)
        return config_error_set(err, at, "disk: '%s' given twice", key);
    *slot = value;
    return 0;
}

/* Splits the spec: key=value items in any order ("target=" last, as it takes
 * the rest, commas included), or positional target,format,vdev,access. The
 * old form "phy:/dev/sdb,xvdb,w" (or "file:") names target,vdev,access. */
static int disk_split(char *spec, struct disk_words *w, struct config_pos at,
                      struct config_error *err)
{
    const char **slots[4] = { &w->target, &w->format, &w->vdev, &w->access };
    static const char *const keys[4] = { "target", "format", "vdev", "access" };
    size_t order[4] = { 0, 1, 2, 3 };   /* which parameter each position holds */
    size_t position = 0, positions = 4;
    char q[CONFIG_QUOTE_MAX];
    int rc = 0;

    for (char *item = spec; item && rc == 0;) {
        char *comma = strchr(item, ',');
        char *eq;

        if (strncmp(trim(item), "target=", 7) == 0)
            comma = NULL;
        if (comma)
            *comma = '\0';
        item = trim(item);
        eq = strchr(item, '=');
        if (eq) {
            size_t k;

            *eq = '\0';
            for (k = 0; k < 4 && strcmp(item, keys[k]) != 0; k++)
                ;
            if (k == 4)
                return config_error_set(err, at, "disk: unknown parameter '%s' (known: "
                                        "target, format, vdev, access)", config_quote(q, item));
            rc = disk_set_word(slots[k], keys[k], trim(eq + 1), at, err);
        } else if (position < positions) {
            if (position == 0 && (strncmp(item, "phy:", 4) == 0 ||
                                  strncmp(item, "file:", 5) == 0)) {
                item = strchr(item, ':') + 1;
                order[1] = 2;
                order[2] = 3;
                positions = 3;
            }
            rc = disk_set_word(slots[order[position]], keys[order[position]], item, at, err);
            position++;
        } else {
            return config_error_set(err, at, "disk: too many positional parameters");
        }
        item = comma ? comma + 1 : NULL;
    }
    return rc;
}

int device_check_format(const char *format, struct config_pos at, struct config_error *err)
{
    static const char *const other_formats[] = { "qcow", "qcow2", "qed", "vhd" };
    char q[CONFIG_QUOTE_MAX];

    if (strcmp(format, "raw") == 0)
        return 0;
    for (size_t i = 0; i < sizeof(other_formats) / sizeof(other_formats[0]); i++)
        if (strcmp(format, other_formats[i]) == 0)
            return config_error_set(err, at, "disk format '%s' is not supported by Mica "
                                    "(raw only)", format);
    return config_error_set(err, at, "disk format must be raw, got '%s'",
                            config_quote(q, format));
}

int disk_spec_parse(const char *spec, struct domain_disk *disk,
                    struct config_pos at, struct config_error *err)
{
    struct disk_words w = { 0 };
    char q[CONFIG_QUOTE_MAX];
    char *copy = strdup(spec);
    int rc;

    memset(disk, 0, sizeof(*disk));
    if (!copy)
        return config_error_set(err, at, "out of memory");
    rc = disk_split(copy, &w, at, err);
    if (rc == 0 && (!w.target || !*w.target))
        rc = config_error_set(err, at, "disk: missing target (the image or device path)");
    else if (rc == 0 && (!w.vdev || !*w.vdev))
        rc = config_error_set(err, at, "disk: missing vdev (e.g. vdev=xvda)");
    /* An empty positional parameter takes the default: "/img,,xvda". */
    if (rc == 0 && w.format && *w.format)
        rc = device_check_format(w.format, at, err);
    if (rc == 0)
        rc = device_check_vdev(w.vdev, at, err);
    if (rc == 0 && w.access && *w.access) {
        if (strcmp(w.access, "ro") == 0 || strcmp(w.access, "r") == 0)
            disk->readonly = true;
        else if (strcmp(w.access, "rw") != 0 && strcmp(w.access, "w") != 0)
            rc = config_error_set(err, at, "disk access must be rw or ro, got '%s'",
                                  config_quote(q, w.access));
    }
    if (rc == 0) {
        strcpy(disk->vdev, w.vdev);
        disk->target = strdup(w.target);
        if (!disk->target)
            rc = config_error_set(err, at, "out of memory");
    }
    free(copy);
    return rc;
}

static int vif_set(char **slot, const char *key, const char *value, struct config_pos at,
                   struct config_error *err)
{
    if (*slot)
        return config_error_set(err, at, "vif: '%s' given twice", key);
    *slot = strdup(value);
    return *slot ? 0 : config_error_set(err, at, "out of memory");
}

static int vif_item(char *item, struct domain_vif *vif, struct config_pos at,
                    struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX];
    char *eq = strchr(item, '='), *value;
    int rc;

    if (!eq)
        return config_error_set(err, at, "vif: expected key=value, got '%s'",
                                config_quote(q, item));
    *eq = '\0';
    item = trim(item);
    value = trim(eq + 1);
    if (strcmp(item, "mac") == 0) {
        if (vif->has_mac)
            return config_error_set(err, at, "vif: 'mac' given twice");
        rc = device_parse_mac(value, vif->mac, at, err);
        vif->has_mac = rc == 0;
        return rc;
    }
    if (strcmp(item, "bridge") == 0) {
        rc = device_check_bridge(value, at, err);
        return rc ? rc : vif_set(&vif->bridge, "bridge", value, at, err);
    }
    if (strcmp(item, "ip") == 0) {
        rc = device_check_ip(value, at, err);
        return rc ? rc : vif_set(&vif->ip, "ip", value, at, err);
    }
    return config_error_set(err, at, "vif: unknown parameter '%s' (known: mac, bridge, ip)",
                            config_quote(q, item));
}

int vif_spec_parse(const char *spec, struct domain_vif *vif,
                   struct config_pos at, struct config_error *err)
{
    char *copy = strdup(spec), *save, *item;
    int rc = 0;

    memset(vif, 0, sizeof(*vif));
    if (!copy)
        return config_error_set(err, at, "out of memory");
    for (item = strtok_r(copy, ",", &save); item && rc == 0;
         item = strtok_r(NULL, ",", &save))
        if (*trim(item))
            rc = vif_item(item, vif, at, err);
    free(copy);
    if (rc)
        domain_vif_free(vif);
    return rc;
}
