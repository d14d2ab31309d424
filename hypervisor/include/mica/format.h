/* printf-style formatting into a buffer, shared by every output path. */
#ifndef MICA_FORMAT_H
#define MICA_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supports %d %i %u %x %X %o %p %s %c %% with the flags '-', '0', width,
 * precision (for %s) and the length modifiers l, ll, z. Returns the length
 * the full output would have had; the buffer is always NUL-terminated.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
