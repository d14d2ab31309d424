/* Guest console output to the hypervisor console, a line at a time,
 * prefixed with the domain id, and the console_io hypercall. */
#ifndef MICA_CONSOLE_IO_H
#define MICA_CONSOLE_IO_H

#include <stddef.h>

struct domain;

void domain_console_write(struct domain *d, const char *s, size_t len);
/* Prints what is still buffered (at shutdown). */
void domain_console_flush(struct domain *d);

#endif
