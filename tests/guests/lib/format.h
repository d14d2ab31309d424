/*
 * A small printf-style formatter: flags '-' '0' '#', a width, the length
 * modifiers l, ll and z, and the conversions d i u x X p s c %.
 */
#ifndef GUEST_FORMAT_H
#define GUEST_FORMAT_H

#include <stdarg.h>

/* Passes each output character to emit(c, ctx) in order. */
void format(void (*emit)(char c, void *ctx), void *ctx, const char *fmt, va_list ap);

#endif
