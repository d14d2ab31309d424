/* Domain configs in xl.cfg syntax: the parser, the command-line overrides
 * ("memory=512") and the writer. */
#ifndef MICA_XLCFG_H
#define MICA_XLCFG_H

#include <stddef.h>

#include "domain_config.h"

/* Parses text (len bytes, NULs rejected) into cfg, which the caller has set
 * up with domain_config_init(); source names the file in messages. Does not
 * validate the whole: call domain_config_validate() after any overrides. */
int xlcfg_parse(const char *text, size_t len, const char *source,
                struct domain_config *cfg, struct config_error *err);

/* Applies one "key=value" on top of cfg; the value is in xl.cfg syntax, or
 * taken as a plain string when it is not quoted, a number or a list. A list
 * replaces the whole list it names. */
int xlcfg_apply_override(struct domain_config *cfg, const char *assignment,
                         struct config_error *err);

/* cfg in xl.cfg syntax, in a malloc'd string; NULL when out of memory. */
char *xlcfg_format(const struct domain_config *cfg);

#endif
