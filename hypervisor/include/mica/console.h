/* The hypervisor console: a small command shell on the console device. */
#ifndef MICA_CONSOLE_H
#define MICA_CONSOLE_H

/* Reads and runs commands for good; the boot CPU's idle loop. */
_Noreturn void console_run(void);

#endif
