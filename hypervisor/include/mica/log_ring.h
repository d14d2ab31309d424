/* A byte ring that keeps the newest log output for the control domain to
 * read (its dmesg). Positions count bytes since boot, so a reader can
 * resume where it stopped and see what it missed. Pure: unit-tested. */
#ifndef MICA_LOG_RING_H
#define MICA_LOG_RING_H

#include <stddef.h>
#include <stdint.h>

/* Set buf and size (a power of two); the rest starts at 0. */
struct log_ring {
    char *buf;
    size_t size;            /* a power of two */
    uint64_t head;          /* bytes ever written */
    uint64_t start;         /* oldest position a reader may still get */
};

void log_ring_write(struct log_ring *r, const char *s, size_t len);
/* Copies up to len bytes from position *pos (moved up to the oldest kept
 * byte if it was overwritten or cleared), advances *pos past them and
 * returns how many. */
size_t log_ring_read(const struct log_ring *r, uint64_t *pos, char *dst, size_t len);
/* Forgets everything written so far. */
void log_ring_clear(struct log_ring *r);

#endif
