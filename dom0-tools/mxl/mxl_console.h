/* Attaching to a guest's console: the pty that mica-consoled lists in
 * xenstore at /local/domain/ID/console/tty. Ctrl-] detaches. */
#ifndef MXL_CONSOLE_H
#define MXL_CONSOLE_H

#include <stdint.h>

#include "mxl.h"

#define MXL_CONSOLE_ESCAPE 0x1d     /* Ctrl-] */

/* Returns an exit status once detached or the domain is gone. */
int mxl_console_attach(struct mxl *m, uint16_t domid);

#endif
