/* Formats a config error with its source and line in front. */
#include "config_error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int config_error_set(struct config_error *err, struct config_pos at, const char *fmt, ...)
{
    int used = 0;
    va_list ap;

    if (at.source && at.line)
        used = snprintf(err->message, sizeof(err->message), "%s:%u: ", at.source, at.line);
    else if (at.source)
        used = snprintf(err->message, sizeof(err->message), "%s: ", at.source);
    if (used < 0 || (size_t)used >= sizeof(err->message))
        used = 0;
    va_start(ap, fmt);
    vsnprintf(err->message + used, sizeof(err->message) - used, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

const char *config_quote(char out[CONFIG_QUOTE_MAX], const char *text)
{
    size_t used = 0;

    for (; *text; text++) {
        unsigned char c = (unsigned char)*text;
        size_t need = (c < 0x20 || c == 0x7f) ? 4 : 1;

        if (used + need > CONFIG_QUOTE_MAX - 4) {
            memcpy(out + used, "...", 4);
            return out;
        }
        if (need == 4)
            snprintf(out + used, 5, "\\x%02x", c);
        else
            out[used] = (char)c;
        used += need;
    }
    out[used] = '\0';
    return out;
}

unsigned config_nul_line(const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    unsigned line = 1;

    if (!nul)
        return 0;
    for (const char *p = text; p < nul; p++)
        line += *p == '\n';
    return line;
}
