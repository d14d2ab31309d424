/* Who reads the hypervisor console's input: the hypervisor's own shell,
 * or dom0 (through console_io reads and VIRQ_CONSOLE), switched with
 * Ctrl-A three times, as on Xen. */
#ifndef MICA_CONSOLE_INPUT_H
#define MICA_CONSOLE_INPUT_H

#include <stdbool.h>
#include <stddef.h>

struct domain;

/* Whether d is the domain the input goes to now. */
bool console_input_is(const struct domain *d);
/* Queues a byte for dom0 and raises its VIRQ_CONSOLE. */
void console_input_to_dom0(char c);
/* Takes up to len queued bytes (CONSOLEIO_read); returns how many. */
size_t console_input_take(char *buf, size_t len);
/* Switches between the shell and dom0; returns true if dom0 now reads. */
bool console_input_toggle(void);

#endif
