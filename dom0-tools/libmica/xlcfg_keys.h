/* Inside the xl.cfg parser: a parsed value and the table of keys that puts
 * values into the model. */
#ifndef MICA_XLCFG_KEYS_H
#define MICA_XLCFG_KEYS_H

#include <stddef.h>

#include "domain_config.h"

enum xlcfg_kind { XLCFG_STRING, XLCFG_NUMBER, XLCFG_LIST };

struct xlcfg_item {
    char *text;
    unsigned line;
};

/* A number keeps its text, so that messages can quote what was written. */
struct xlcfg_value {
    enum xlcfg_kind kind;
    char *text;                 /* string or number */
    struct xlcfg_item *items;   /* list of strings or numbers */
    size_t count;
};

void xlcfg_value_free(struct xlcfg_value *value);

/* The key's index in the table, or -EINVAL with "unknown key 'x' (did you
 * mean 'y'?)" in err. */
int xlcfg_key_find(const char *key, struct config_pos at, struct config_error *err);
/* Keys that set the same thing (cmdline, extra) share a slot; a file may
 * set each slot once. */
unsigned xlcfg_key_slot(int index);
#define XLCFG_SLOTS 16
const char *xlcfg_key_name(int index);
/* Puts value into cfg, replacing what was there. */
int xlcfg_key_apply(struct domain_config *cfg, int index, const struct xlcfg_value *value,
                    struct config_pos at, struct config_error *err);

#endif
