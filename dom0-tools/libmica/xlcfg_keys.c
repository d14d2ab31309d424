/* The xl.cfg keys Mica knows, and how each puts its value into the model. */
#include "xlcfg_keys.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef int (*scalar_setter)(struct domain_config *cfg, const char *text,
                             struct config_pos at, struct config_error *err);

static int check_type(struct domain_config *cfg, const char *text, struct config_pos at,
                      struct config_error *err)
{
    (void)cfg;
    return domain_config_check_type(text, at, err);
}

static int set_size(uint64_t *field, const char *key, const char *text, struct config_pos at,
                    struct config_error *err)
{
    return domain_config_parse_size(key, text, "MiB", field, at, err);
}

static int set_memory(struct domain_config *cfg, const char *text, struct config_pos at,
                      struct config_error *err)
{
    return set_size(&cfg->memory_mib, "memory", text, at, err);
}

static int set_maxmem(struct domain_config *cfg, const char *text, struct config_pos at,
                      struct config_error *err)
{
    return set_size(&cfg->maxmem_mib, "maxmem", text, at, err);
}

static int set_on_poweroff(struct domain_config *cfg, const char *text, struct config_pos at,
                           struct config_error *err)
{
    return domain_config_set_action(cfg, DOMAIN_EVENT_POWEROFF, text, at, err);
}

static int set_on_reboot(struct domain_config *cfg, const char *text, struct config_pos at,
                         struct config_error *err)
{
    return domain_config_set_action(cfg, DOMAIN_EVENT_REBOOT, text, at, err);
}

static int set_on_crash(struct domain_config *cfg, const char *text, struct config_pos at,
                        struct config_error *err)
{
    return domain_config_set_action(cfg, DOMAIN_EVENT_CRASH, text, at, err);
}

static int set_disks(struct domain_config *cfg, const struct xlcfg_value *value,
                     const char *source, struct config_error *err)
{
    domain_config_clear_disks(cfg);
    for (size_t i = 0; i < value->count; i++) {
        struct config_pos at = { source, value->items[i].line };
        struct domain_disk disk;
        int rc = disk_spec_parse(value->items[i].text, &disk, at, err);

        if (rc == 0)
            rc = domain_config_add_disk(cfg, &disk, at, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int set_vifs(struct domain_config *cfg, const struct xlcfg_value *value,
                    const char *source, struct config_error *err)
{
    domain_config_clear_vifs(cfg);
    for (size_t i = 0; i < value->count; i++) {
        struct config_pos at = { source, value->items[i].line };
        struct domain_vif vif;
        int rc = vif_spec_parse(value->items[i].text, &vif, at, err);

        if (rc == 0)
            rc = domain_config_add_vif(cfg, &vif, at, err);
        if (rc)
            return rc;
    }
    return 0;
}

struct key {
    const char *name;
    unsigned slot;
    scalar_setter set;          /* NULL for the list keys */
    int (*set_list)(struct domain_config *cfg, const struct xlcfg_value *value,
                    const char *source, struct config_error *err);
};

static const struct key keys[] = {
    { "name", 0, domain_config_set_name, NULL },
    { "type", 1, check_type, NULL },
    { "kernel", 2, domain_config_set_kernel, NULL },
    { "ramdisk", 3, domain_config_set_ramdisk, NULL },
    { "cmdline", 4, domain_config_set_cmdline, NULL },
    { "extra", 4, domain_config_set_cmdline, NULL },
    { "memory", 5, set_memory, NULL },
    { "maxmem", 6, set_maxmem, NULL },
    { "vcpus", 7, domain_config_set_vcpus, NULL },
    { "on_poweroff", 8, set_on_poweroff, NULL },
    { "on_reboot", 9, set_on_reboot, NULL },
    { "on_crash", 10, set_on_crash, NULL },
    { "disk", 11, NULL, set_disks },
    { "vif", 12, NULL, set_vifs },
};

_Static_assert(12 < XLCFG_SLOTS, "xl.cfg key slots fit the parser's table");

#define KEY_COUNT ((int)(sizeof(keys) / sizeof(keys[0])))

/* Edit distance between two short strings, ignoring case; 99 when either is
 * too long to be a typo of a key. */
static unsigned edit_distance(const char *a, const char *b)
{
    enum { LIMIT = 32 };
    unsigned row[LIMIT + 1];
    size_t la = strlen(a), lb = strlen(b);

    if (la > LIMIT || lb > LIMIT)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diagonal = row[0];

        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned above = row[j];
            unsigned cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            unsigned best = diagonal + cost;

            if (above + 1 < best)
                best = above + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
}

int xlcfg_key_find(const char *key, struct config_pos at, struct config_error *err)
{
    char q[CONFIG_QUOTE_MAX];
    unsigned best = 3;      /* suggest keys at most two edits away */
    int nearest = -1;

    for (int i = 0; i < KEY_COUNT; i++) {
        unsigned d;

        if (strcmp(key, keys[i].name) == 0)
            return i;
        d = edit_distance(key, keys[i].name);
        if (d < best) {
            best = d;
            nearest = i;
        }
    }
    if (nearest >= 0)
        return config_error_set(err, at, "unknown key '%s' (did you mean '%s'?)",
                                config_quote(q, key), keys[nearest].name);
    return config_error_set(err, at, "unknown key '%s'", config_quote(q, key));
}

unsigned xlcfg_key_slot(int index)
{
    return keys[index].slot;
}

const char *xlcfg_key_name(int index)
{
    return keys[index].name;
}

int xlcfg_key_apply(struct domain_config *cfg, int index, const struct xlcfg_value *value,
                    struct config_pos at, struct config_error *err)
{
    const struct key *key = &keys[index];

    if (key->set_list) {
        if (value->kind != XLCFG_LIST)
            return config_error_set(err, at, "'%s' takes a list, like %s = [ \"...\" ]",
                                    key->name, key->name);
        return key->set_list(cfg, value, at.source, err);
    }
    if (value->kind == XLCFG_LIST)
        return config_error_set(err, at, "'%s' takes one value, not a list", key->name);
    return key->set(cfg, value->text, at, err);
}

void xlcfg_value_free(struct xlcfg_value *value)
{
    free(value->text);
    for (size_t i = 0; i < value->count; i++)
        free(value->items[i].text);
    free(value->items);
    memset(value, 0, sizeof(*value));
}
