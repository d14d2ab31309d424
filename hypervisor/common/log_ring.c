/* The log ring: the newest `size` bytes, addressed by byte position. */
#include <mica/log_ring.h>

void log_ring_write(struct log_ring *r, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        r->buf[(r->head + i) & (r->size - 1)] = s[i];
    r->head += len;
    if (r->head - r->start > r->size)
        r->start = r->head - r->size;
}

size_t log_ring_read(const struct log_ring *r, uint64_t *pos, char *dst, size_t len)
{
    if (*pos < r->start)
        *pos = r->start;
    if (*pos > r->head)
        *pos = r->head;
    size_t n = r->head - *pos < len ? (size_t)(r->head - *pos) : len;
    for (size_t i = 0; i < n; i++)
        dst[i] = r->buf[(*pos + i) & (r->size - 1)];
    *pos += n;
    return n;
}

void log_ring_clear(struct log_ring *r)
{
    r->start = r->head;
}
