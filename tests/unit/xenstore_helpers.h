/* Helpers for the xenstore daemon's unit tests: connections whose replies
 * are read straight from their output queue, and request builders. */
#ifndef XENSTORE_HELPERS_H
#define XENSTORE_HELPERS_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "xs_engine.h"

/* A transport that has nothing to read and accepts nothing: the output
 * stays queued for the test to inspect. */
static inline ssize_t t_idle_read(void *ctx, void *buf, size_t len)
{
    (void)ctx; (void)buf; (void)len;
    return 0;
}

static inline ssize_t t_idle_write(void *ctx, const void *buf, size_t len)
{
    (void)ctx; (void)buf; (void)len;
    return 0;
}

static const struct xs_transport t_idle = { t_idle_read, t_idle_write, NULL };

static inline struct xs_conn *t_conn(struct xs_engine *e, uint32_t domid, bool privileged)
{
    struct xs_conn *c = xs_conn_new(domid, privileged, &t_idle, NULL);
    assert_non_null(c);
    xs_engine_add_conn(e, c);
    return c;
}

static inline struct xs_engine *t_engine(void)
{
    struct xs_engine *e = xs_engine_new(&xs_default_limits, NULL, NULL);
    assert_non_null(e);
    return e;
}

/* Take the oldest queued message: its header and payload (NUL-terminated
 * into buf, which has room for XS_PAYLOAD_MAX + 1). 0 if none. */
static inline int t_pop(struct xs_conn *c, struct xs_msg_header *h, char *buf)
{
    struct xs_outmsg *m = c->out_head;
    if (!m)
        return 0;
    memcpy(h, m->data, sizeof(*h));
    assert_true(h->len <= XS_PAYLOAD_MAX);
    memcpy(buf, m->data + sizeof(*h), h->len);
    buf[h->len] = '\0';
    c->out_head = m->next;
    if (!c->out_head)
        c->out_tail = NULL;
    c->out_bytes -= m->len;
    free(m);
    return 1;
}

/* NUL-terminated strings joined into buf; returns the payload length. */
static inline size_t t_join(char *buf, ...)
{
    va_list ap;
    size_t len = 0;
    const char *s;

    va_start(ap, buf);
    while ((s = va_arg(ap, const char *)) != NULL) {
        size_t n = strlen(s) + 1;
        memcpy(buf + len, s, n);
        len += n;
    }
    va_end(ap);
    return len;
}

static char t_reply[XS_PAYLOAD_MAX + 1];
static struct xs_msg_header t_reply_hdr;

/* Send one request; returns the reply's type, with the payload in
 * t_reply. Any events queued behind the reply stay queued. */
static inline uint32_t t_call(struct xs_engine *e, struct xs_conn *c, uint32_t type, uint32_t tx,
                       const char *payload, size_t len)
{
    static uint32_t req_id = 100;
    struct xs_msg_header h = { type, ++req_id, tx, (uint32_t)len };
    char buf[XS_PAYLOAD_MAX + 1];

    memcpy(buf, payload, len);
    buf[len] = '\0';
    xs_engine_handle(e, c, &h, buf);
    assert_int_equal(t_pop(c, &t_reply_hdr, t_reply), 1);
    assert_int_equal(t_reply_hdr.req_id, req_id);
    assert_int_equal(t_reply_hdr.tx_id, tx);
    return t_reply_hdr.type;
}

/* One-string requests (READ, RM, ...): the reply's type. */
static inline uint32_t t_call1(struct xs_engine *e, struct xs_conn *c, uint32_t type, uint32_t tx,
                        const char *arg)
{
    return t_call(e, c, type, tx, arg, strlen(arg) + 1);
}

/* WRITE path value (no terminator after the value, as clients send it). */
static inline uint32_t t_write(struct xs_engine *e, struct xs_conn *c, uint32_t tx,
                        const char *path, const char *value)
{
    char buf[XS_PAYLOAD_MAX];
    size_t plen = strlen(path) + 1, vlen = strlen(value);
    memcpy(buf, path, plen);
    memcpy(buf + plen, value, vlen);
    return t_call(e, c, XS_WRITE, tx, buf, plen + vlen);
}

#define assert_ok(type_expr, want_type) do {                                  \
        uint32_t got_ = (type_expr);                                          \
        if (got_ != (want_type))                                              \
            fail_msg("reply type %u (%s), wanted %u", got_, t_reply,          \
                     (unsigned)(want_type));                                  \
    } while (0)

#define assert_error(type_expr, name) do {                                    \
        assert_int_equal((type_expr), XS_ERROR);                              \
        assert_string_equal(t_reply, name);                                   \
    } while (0)

#endif
