/* Hypervisor messages: leveled logging and the console printf. */
#ifndef MICA_LOG_H
#define MICA_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
    LOG_NONE = 0,
    LOG_ERR = 1,
    LOG_WARN = 2,
    LOG_INFO = 3,
    LOG_DEBUG = 4,
};

/* Messages above this level are dropped; set from `loglvl=`. */
void log_set_level(enum log_level level);
void log_printf(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copies kept log messages from byte position *pos on (see log_ring.h). */
size_t log_read(uint64_t *pos, char *dst, size_t len);
/* Forgets the messages kept so far. */
void log_clear(void);

/* Unconditional output, for the console and fatal dumps. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* Prints the message and stops this CPU for good. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define log_err(...)   log_printf(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
