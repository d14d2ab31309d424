/* The domain config model: defaults, checks of single values and validation
 * of the whole. */
#include "domain_config.h"

#include <stdlib.h>
#include <string.h>

void domain_config_init(struct domain_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->memory_mib = DOMAIN_DEFAULT_MEMORY_MIB;
    cfg->vcpus = DOMAIN_DEFAULT_VCPUS;
    cfg->on_poweroff = DOMAIN_ACTION_DESTROY;
    cfg->on_reboot = DOMAIN_ACTION_RESTART;
    cfg->on_crash = DOMAIN_ACTION_DESTROY;
}

void domain_config_clear_disks(struct domain_config *cfg)
{
    for (size_t i = 0; i < cfg->disk_count; i++)
        domain_disk_free(&cfg->disks[i]);
    free(cfg->disks);
    cfg->disks = NULL;
    cfg->disk_count = 0;
}

void domain_config_clear_vifs(struct domain_config *cfg)
{
    for (size_t i = 0; i < cfg->vif_count; i++)
        domain_vif_free(&cfg->vifs[i]);
    free(cfg->vifs);
    cfg->vifs = NULL;
    cfg->vif_count = 0;
}

void domain_config_free(struct domain_config *cfg)
{
    free(cfg->name);
    free(cfg->kernel);
    free(cfg->ramdisk);
    free(cfg->cmdline);
    domain_config_clear_disks(cfg);
    domain_config_clear_vifs(cfg);
    domain_config_init(cfg);
}

static bool same_string(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool same_disk(const struct domain_disk *a, const struct domain_disk *b)
{
    return same_string(a->target, b->target) && strcmp(a->vdev, b->vdev) == 0 &&
           a->readonly == b->readonly;
}

static bool same_vif(const struct domain_vif *a, const struct domain_vif *b)
{
    return a->has_mac == b->has_mac && memcmp(a->mac, b->mac, sizeof(a->mac)) == 0 &&
           same_string(a->bridge, b->bridge) && same_string(a->ip, b->ip);
}

bool domain_config_equal(const struct domain_config *a, const struct domain_config *b)
{
    if (!same_string(a->name, b->name) || !same_string(a->kernel, b->kernel) ||
        !same_string(a->ramdisk, b->ramdisk) || !same_string(a->cmdline, b->cmdline) ||
        a->memory_mib != b->memory_mib || a->maxmem_mib != b->maxmem_mib ||
        a->vcpus != b->vcpus || a->on_poweroff != b->on_poweroff ||
        a->on_reboot != b->on_reboot || a->on_crash != b->on_crash ||
        a->disk_count != b->disk_count || a->vif_count != b->vif_count)
        return false;
    for (size_t i = 0; i < a->disk_count; i++)
        if (!same_disk(&a->disks[i], &b->disks[i]))
            return false;
    for (size_t i = 0; i < a->vif_count; i++)
        if (!same_vif(&a->vifs[i], &b->vifs[i]))
            return false;
    return true;
}


/* Paths and the command line lose the blanks around them, as XML text
 * does, so that both syntaxes give the same model. */
static char *strip_blanks(const char *text)
{
    size_t len;

    text += strspn(text, " ");
    len = strlen(text);
    while (len && text[len - 1] == ' ')
        len--;
    return strndup(text, len);
}

/* Puts copy into *field when rc is 0, else frees it; returns rc. */
static int take_string(char **field, char *copy, int rc)
{
    if (rc) {
        free(copy);
        return rc;
    }
    free(*field);
    *field = copy;
    return 0;
}

static bool name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
}

int domain_config_set_name(struct domain_config *cfg, const char *text,
                           struct config_pos at, struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX], *copy;
    size_t len = strlen(text);
    bool only_digits = true;

    if (len == 0)
        return config_error_set(err, at, "name must not be empty");
    if (len > DOMAIN_NAME_MAX)
        return config_error_set(err, at, "name must be at most %d characters, got %zu",
                                DOMAIN_NAME_MAX, len);
    for (size_t i = 0; i < len; i++) {
        if (!name_char_ok(text[i]))
            return config_error_set(err, at,
                                    "name may only contain A-Z a-z 0-9 '_' '.' '-', got '%s'",
                                    config_quote(q, text));
        only_digits = only_digits && text[i] >= '0' && text[i] <= '9';
    }
    /* `mxl destroy 5` must mean domain id 5, never a domain named "5". */
    if (only_digits)
        return config_error_set(err, at, "name must not be all digits, got '%s'", text);
    copy = strdup(text);
    return take_string(&cfg->name, copy, copy ? 0 : config_error_set(err, at, "out of memory"));
}

int domain_config_check_type(const char *text, struct config_pos at, struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX];

    if (strcmp(text, "pvh") == 0)
        return 0;
    if (strcmp(text, "pv") == 0 || strcmp(text, "hvm") == 0)
        return config_error_set(err, at, "type '%s' is not supported by Mica, which runs "
                                "PVH guests only (type \"pvh\")", text);
    return config_error_set(err, at, "type must be \"pvh\", got '%s'", config_quote(q, text));
}

/* Control characters have no place in paths or command lines, and XML
 * could not carry them. */
static bool has_control(const char *text)
{
    for (; *text; text++)
        if ((unsigned char)*text < 0x20 || *text == 0x7f)
            return true;
    return false;
}

/* Well-formed UTF-8 (shortest forms, no surrogates), so that every model can
 * be written as XML too. */
static bool is_utf8(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p) {
        unsigned char c = *p++;
        int more = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2
                 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;

        if (more < 0)
            return false;
        if (more >= 2 && ((c == 0xe0 && *p < 0xa0) || (c == 0xed && *p > 0x9f) ||
                          (c == 0xf0 && *p < 0x90) || (c == 0xf4 && *p > 0x8f)))
            return false;
        for (; more > 0; more--, p++)
            if ((*p & 0xc0) != 0x80)
                return false;
    }
    return true;
}

/* What paths and the command line must not contain, or NULL. */
static const char *bad_text(const char *text)
{
    if (has_control(text))
        return "must not contain control characters";
    if (!is_utf8(text))
        return "must be UTF-8 text";
    return NULL;
}

static int check_path(const char *key, const char *text, struct config_pos at,
                      struct config_error *err)
{
    const char *bad = bad_text(text);

    if (bad)
        return config_error_set(err, at, "%s %s", key, bad);
    if (text[0] == '\0')
        return config_error_set(err, at, "%s must not be empty", key);
    if (strlen(text) > DOMAIN_PATH_MAX)
        return config_error_set(err, at, "%s path is longer than %d bytes", key,
                                DOMAIN_PATH_MAX);
    return 0;
}

static int set_path(char **field, const char *key, const char *text, struct config_pos at,
                    struct config_error *err)
{
    char *copy = strip_blanks(text);
    int rc = copy ? check_path(key, copy, at, err) : config_error_set(err, at, "out of memory");

    return take_string(field, copy, rc);
}

int domain_config_set_kernel(struct domain_config *cfg, const char *text,
                             struct config_pos at, struct config_error *err)
{
    return set_path(&cfg->kernel, "kernel", text, at, err);
}

int domain_config_set_ramdisk(struct domain_config *cfg, const char *text,
                              struct config_pos at, struct config_error *err)
{
    return set_path(&cfg->ramdisk, "ramdisk", text, at, err);
}

int domain_config_set_cmdline(struct domain_config *cfg, const char *text,
                              struct config_pos at, struct config_error *err)
{
    char *copy = strip_blanks(text);
    const char *bad = copy ? bad_text(copy) : NULL;
    int rc = 0;

    if (!copy)
        rc = config_error_set(err, at, "out of memory");
    else if (bad)
        rc = config_error_set(err, at, "cmdline %s", bad);
    else if (strlen(copy) > DOMAIN_CMDLINE_MAX)
        rc = config_error_set(err, at, "cmdline is longer than %d bytes", DOMAIN_CMDLINE_MAX);
    return take_string(&cfg->cmdline, copy, rc);
}

/* A decimal number of digits only, or false (also on overflow, *too_big). */
static bool parse_decimal(const char *text, uint64_t *value, bool *too_big)
{
    uint64_t v = 0;

    *too_big = false;
    if (!*text)
        return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return false;
        if (v > (UINT64_MAX - 9) / 10)
            *too_big = true;
        else
            v = v * 10 + (uint64_t)(*text - '0');
    }
    *value = v;
    return !*too_big;
}

int domain_config_parse_size(const char *key, const char *text, const char *unit,
                             uint64_t *mib, struct config_pos at, struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX];
    uint64_t value, per_mib_div = 1, mib_per_unit = 1;
    bool too_big;

    if (strcmp(unit, "KiB") == 0)
        per_mib_div = 1024;
    else if (strcmp(unit, "GiB") == 0)
        mib_per_unit = 1024;
    else if (strcmp(unit, "MiB") != 0)
        return config_error_set(err, at, "%s unit must be KiB, MiB or GiB, got '%s'", key,
                                config_quote(q, unit));
    if (!parse_decimal(text, &value, &too_big) && !too_big)
        return config_error_set(err, at, "%s must be a positive number of %s, got '%s'", key,
                                unit, config_quote(q, text));
    if (!too_big && value == 0)
        return config_error_set(err, at, "%s must be a positive number of %s, got '%s'", key,
                                unit, text);
    if (!too_big && value % per_mib_div)
        return config_error_set(err, at, "%s must be a whole number of MiB, got %s %s", key,
                                text, unit);
    if (too_big || value / per_mib_div > DOMAIN_MEMORY_MAX_MIB / mib_per_unit)
        return config_error_set(err, at, "%s must be at most %u MiB, got '%s' %s", key,
                                DOMAIN_MEMORY_MAX_MIB, config_quote(q, text), unit);
    *mib = value / per_mib_div * mib_per_unit;
    return 0;
}

int domain_config_set_vcpus(struct domain_config *cfg, const char *text,
                            struct config_pos at, struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX];
    uint64_t value;
    bool too_big;

    if (!parse_decimal(text, &value, &too_big) || value < 1 || value > DOMAIN_VCPUS_MAX)
        return config_error_set(err, at, "vcpus must be between 1 and %d, got '%s'",
                                DOMAIN_VCPUS_MAX, config_quote(q, text));
    cfg->vcpus = (unsigned)value;
    return 0;
}

static const char *const action_names[] = {
    [DOMAIN_ACTION_DESTROY] = "destroy",
    [DOMAIN_ACTION_RESTART] = "restart",
    [DOMAIN_ACTION_PRESERVE] = "preserve",
};

/* Actions xl knows that Mica does not implement: named so the error can say so. */
static const char *const unsupported_actions[] = {
    "rename-restart", "coredump-destroy", "coredump-restart", "soft-reset",
};

const char *domain_action_name(enum domain_action action)
{
    return action_names[action];
}

const char *domain_event_key(enum domain_event event)
{
    static const char *const keys[] = {
        [DOMAIN_EVENT_POWEROFF] = "on_poweroff",
        [DOMAIN_EVENT_REBOOT] = "on_reboot",
        [DOMAIN_EVENT_CRASH] = "on_crash",
    };
    return keys[event];
}

int domain_config_set_action(struct domain_config *cfg, enum domain_event event,
                             const char *text, struct config_pos at, struct config_error *err)
{
    enum domain_action *field[] = {
        [DOMAIN_EVENT_POWEROFF] = &cfg->on_poweroff,
        [DOMAIN_EVENT_REBOOT] = &cfg->on_reboot,
        [DOMAIN_EVENT_CRASH] = &cfg->on_crash,
    };
    const char *key = domain_event_key(event);
    char q[CONFIG_QUOTE_MAX];

    for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
        if (strcmp(text, action_names[i]) == 0) {
            *field[event] = (enum domain_action)i;
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof(unsupported_actions) / sizeof(unsupported_actions[0]); i++)
        if (strcmp(text, unsupported_actions[i]) == 0)
            return config_error_set(err, at, "%s '%s' is not supported by Mica; "
                                    "use destroy, restart or preserve", key, text);
    return config_error_set(err, at, "%s must be destroy, restart or preserve, got '%s'", key,
                            config_quote(q, text));
}

int domain_config_add_disk(struct domain_config *cfg, struct domain_disk *disk,
                           struct config_pos at, struct config_error *err)
{
    int rc = check_path("disk target", disk->target, at, err);
    struct domain_disk *grown;

    if (rc) {
        domain_disk_free(disk);
        return rc;
    }
    if (cfg->disk_count == DOMAIN_DEVICES_MAX) {
        domain_disk_free(disk);
        return config_error_set(err, at, "more than %d disks", DOMAIN_DEVICES_MAX);
    }
    for (size_t i = 0; i < cfg->disk_count; i++) {
        if (strcmp(cfg->disks[i].vdev, disk->vdev) == 0) {
            domain_disk_free(disk);
            return config_error_set(err, at, "disk vdev '%s' is used twice",
                                    cfg->disks[i].vdev);
        }
    }
    grown = realloc(cfg->disks, (cfg->disk_count + 1) * sizeof(*grown));
    if (!grown) {
        domain_disk_free(disk);
        return config_error_set(err, at, "out of memory");
    }
    cfg->disks = grown;
    cfg->disks[cfg->disk_count++] = *disk;
    return 0;
}

int domain_config_add_vif(struct domain_config *cfg, struct domain_vif *vif,
                          struct config_pos at, struct config_error *err)
{
    struct domain_vif *grown;

    if (cfg->vif_count == DOMAIN_DEVICES_MAX) {
        domain_vif_free(vif);
        return config_error_set(err, at, "more than %d vifs", DOMAIN_DEVICES_MAX);
    }
    for (size_t i = 0; vif->has_mac && i < cfg->vif_count; i++) {
        const uint8_t *m = vif->mac;

        if (cfg->vifs[i].has_mac && memcmp(cfg->vifs[i].mac, m, sizeof(vif->mac)) == 0) {
            domain_vif_free(vif);
            return config_error_set(err, at, "vif MAC %02x:%02x:%02x:%02x:%02x:%02x is used "
                                    "twice", m[0], m[1], m[2], m[3], m[4], m[5]);
        }
    }
    grown = realloc(cfg->vifs, (cfg->vif_count + 1) * sizeof(*grown));
    if (!grown) {
        domain_vif_free(vif);
        return config_error_set(err, at, "out of memory");
    }
    cfg->vifs = grown;
    cfg->vifs[cfg->vif_count++] = *vif;
    return 0;
}

int domain_config_validate(struct domain_config *cfg, const char *source,
                           struct config_error *err)
{
    struct config_pos at = { source, 0 };

    if (!cfg->name)
        return config_error_set(err, at, "missing required key 'name'");
    if (!cfg->kernel)
        return config_error_set(err, at, "missing required key 'kernel'");
    if (cfg->maxmem_mib == 0)
        cfg->maxmem_mib = cfg->memory_mib;
    if (cfg->maxmem_mib < cfg->memory_mib)
        return config_error_set(err, at, "maxmem (%llu MiB) must not be less than memory "
                                "(%llu MiB)", (unsigned long long)cfg->maxmem_mib,
                                (unsigned long long)cfg->memory_mib);
    return 0;
}
