/* The hypervisor's <mica/string.h> for hypervisor files that libmica
 * compiles as they are (acpi_tables.c): the C library has the same calls. */
#ifndef LIBMICA_HVSHIM_STRING_H
#define LIBMICA_HVSHIM_STRING_H
#include <string.h>
#endif
