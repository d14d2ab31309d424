/*
 * Guest output through HYPERVISOR_console_io(CONSOLEIO_write). Text is
 * collected per line and written one line per hypercall, so lines of
 * different guests do not interleave on the hypervisor console. With the
 * debug console on, each line also goes to I/O port 0xe9 first.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>

void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void guest_vprintf(const char *fmt, va_list ap);

/* Write out a partial line still held back. */
void console_flush(void);

/* Mirror output to port 0xe9 (QEMU's -debugcon, or a hypervisor's). */
void console_set_debugcon(bool on);

#endif
