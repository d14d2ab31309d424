/* The hypervisor console: a small command shell on the console device. */
#ifndef MICA_CONSOLE_H
#define MICA_CONSOLE_H

/* Prints the first prompt. */
void console_start(void);
/* Reads whatever input is waiting and runs complete lines; never blocks. */
void console_poll(void);

#endif
