/* Domain configs in Mica's XML format (domain.xsd): the parser, which
 * validates against the schema built into the library, and the writer. */
#ifndef MICA_XML_CONFIG_H
#define MICA_XML_CONFIG_H

#include <stddef.h>

#include "domain_config.h"

/* Parses text (len bytes) into cfg, set up with domain_config_init(). No
 * DOCTYPE, entities, network or other files are ever loaded. Does not
 * validate the whole: call domain_config_validate() after any overrides. */
int xml_config_parse(const char *text, size_t len, const char *source,
                     struct domain_config *cfg, struct config_error *err);

/* cfg as an XML document, in a malloc'd string; NULL when out of memory. */
char *xml_config_format(const struct domain_config *cfg);

#endif
