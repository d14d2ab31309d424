/* Errors of the domain config parsers: one message that already says where. */
#ifndef MICA_CONFIG_ERROR_H
#define MICA_CONFIG_ERROR_H

#include <stddef.h>

#define CONFIG_ERROR_MAX 512

struct config_error {
    char message[CONFIG_ERROR_MAX];    /* "guest.cfg:3: unknown key ..." */
};

/* Where a value came from: a file name (or "override 2") and a line, 0 when
 * the message is about the whole source. */
struct config_pos {
    const char *source;
    unsigned line;
};

/* Sets err to "SOURCE:LINE: MESSAGE", "SOURCE: MESSAGE" for line 0, or just
 * MESSAGE for a NULL source; returns -EINVAL so callers can return it. */
int config_error_set(struct config_error *err, struct config_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies text into out for quoting in a message: control characters as
 * \xHH, cut to fit with "..." at the end. Returns out. */
#define CONFIG_QUOTE_MAX 72
const char *config_quote(char out[CONFIG_QUOTE_MAX], const char *text);

/* The line of the first NUL byte in text, or 0 when there is none: config
 * files are text, and a NUL would end every C string early. */
unsigned config_nul_line(const char *text, size_t len);

#endif
