/* The guests' printf engine: formats into any character sink. */
#include <stdbool.h>
#include <stddef.h>

#include "format.h"
#include "string.h"

struct spec {
    bool left;          /* '-': pad on the right */
    bool zero;          /* '0': pad numbers with zeros */
    bool alt;           /* '#': 0x before hex */
    unsigned int width;
};

static void emit_padded(void (*emit)(char, void *), void *ctx, const struct spec *sp,
                        const char *prefix, const char *body, size_t len)
{
    size_t plen = strlen(prefix);
    size_t pad = sp->width > plen + len ? sp->width - plen - len : 0;
    char fill = sp->zero && !sp->left ? '0' : ' ';

    if (fill == ' ' && !sp->left)
        for (; pad; pad--)
            emit(' ', ctx);
    for (; *prefix; prefix++)
        emit(*prefix, ctx);
    if (fill == '0')
        for (; pad; pad--)
            emit('0', ctx);
    for (size_t i = 0; i < len; i++)
        emit(body[i], ctx);
    for (; pad; pad--)
        emit(' ', ctx);
}

static void emit_number(void (*emit)(char, void *), void *ctx, const struct spec *sp,
                        unsigned long long v, bool negative, unsigned int base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    size_t n = sizeof(buf);
    const char *prefix = negative ? "-" : (sp->alt && base == 16) ? (upper ? "0X" : "0x") : "";

    do {
        buf[--n] = digits[v % base];
        v /= base;
    } while (v);
    emit_padded(emit, ctx, sp, prefix, buf + n, sizeof(buf) - n);
}

void format(void (*emit)(char c, void *ctx), void *ctx, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        struct spec sp = { 0 };
        unsigned int longs = 0;
        bool size = false;

        if (*fmt != '%') {
            emit(*fmt, ctx);
            continue;
        }
        for (fmt++;; fmt++) {
            if (*fmt == '-')
                sp.left = true;
            else if (*fmt == '0')
                sp.zero = true;
            else if (*fmt == '#')
                sp.alt = true;
            else
                break;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            sp.width = sp.width * 10 + (unsigned int)(*fmt - '0');
        for (; *fmt == 'l'; fmt++)
            longs++;
        if (*fmt == 'z') {
            size = true;
            fmt++;
        }

        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = longs > 1 ? va_arg(ap, long long)
                        : longs || size ? va_arg(ap, long) : va_arg(ap, int);
            unsigned long long mag = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

            emit_number(emit, ctx, &sp, mag, v < 0, 10, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = longs > 1 ? va_arg(ap, unsigned long long)
                                 : longs || size ? va_arg(ap, unsigned long)
                                 : va_arg(ap, unsigned int);

            emit_number(emit, ctx, &sp, v, false, *fmt == 'u' ? 10 : 16, *fmt == 'X');
            break;
        }
        case 'p':
            sp.alt = true;
            emit_number(emit, ctx, &sp, (unsigned long)va_arg(ap, void *), false, 16, false);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);

            if (!s)
                s = "(null)";
            sp.zero = false;
            emit_padded(emit, ctx, &sp, "", s, strlen(s));
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);

            sp.zero = false;
            emit_padded(emit, ctx, &sp, "", &c, 1);
            break;
        }
        case '%':
            emit('%', ctx);
            break;
        case '\0':
            return;
        default:
            emit('%', ctx);
            emit(*fmt, ctx);
            break;
        }
    }
}
