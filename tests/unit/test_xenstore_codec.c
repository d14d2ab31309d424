/* Unit tests for the xenstore daemon's wire handling: framing over a
 * transport that delivers bytes in dribs, oversize headers, partial
 * writes, error names, and malformed requests answered with errors. */
#include "xenstore_helpers.h"

#include <errno.h>
#include <stdio.h>

/* A byte-pipe transport: reads at most chunk bytes at a time from in,
 * writes at most chunk bytes at a time to out. */
struct pipe_tp {
    char in[16384];
    size_t in_len, in_pos;
    char out[16384];
    size_t out_len;
    size_t chunk;
    bool fail;
};

static ssize_t pipe_read(void *ctx, void *buf, size_t len)
{
    struct pipe_tp *p = ctx;
    if (p->fail)
        return -1;
    size_t n = p->in_len - p->in_pos;
    if (n > len)
        n = len;
    if (n > p->chunk)
        n = p->chunk;
    memcpy(buf, p->in + p->in_pos, n);
    p->in_pos += n;
    return (ssize_t)n;
}

static ssize_t pipe_write(void *ctx, const void *buf, size_t len)
{
    struct pipe_tp *p = ctx;
    size_t n = len < p->chunk ? len : p->chunk;
    if (n > sizeof(p->out) - p->out_len)
        n = sizeof(p->out) - p->out_len;
    memcpy(p->out + p->out_len, buf, n);
    p->out_len += n;
    return (ssize_t)n;
}

static const struct xs_transport pipe_transport = { pipe_read, pipe_write, NULL };

static void pipe_put(struct pipe_tp *p, uint32_t type, uint32_t req, uint32_t tx,
                     const void *payload, uint32_t len)
{
    struct xs_msg_header h = { type, req, tx, len };
    memcpy(p->in + p->in_len, &h, sizeof(h));
    memcpy(p->in + p->in_len + sizeof(h), payload, len);
    p->in_len += sizeof(h) + len;
}

/* The next message written to out, from byte offset *pos. */
static void pipe_get(struct pipe_tp *p, size_t *pos, struct xs_msg_header *h, char *payload)
{
    assert_true(*pos + sizeof(*h) <= p->out_len);
    memcpy(h, p->out + *pos, sizeof(*h));
    assert_true(*pos + sizeof(*h) + h->len <= p->out_len);
    memcpy(payload, p->out + *pos + sizeof(*h), h->len);
    payload[h->len] = '\0';
    *pos += sizeof(*h) + h->len;
}

static void framing_survives_one_byte_reads_and_writes(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    static struct pipe_tp p = { .chunk = 1 };
    struct xs_conn *c = xs_conn_new(0, true, &pipe_transport, &p);
    char buf[64];
    struct xs_msg_header h;
    size_t pos = 0;

    xs_engine_add_conn(e, c);
    size_t len = t_join(buf, "/x", NULL);
    memcpy(buf + len, "hello", 5);
    pipe_put(&p, XS_WRITE, 7, 0, buf, (uint32_t)(len + 5));
    pipe_put(&p, XS_READ, 8, 0, "/x", 3);
    assert_int_equal(xs_engine_serve(e, c), 0);
    pipe_get(&p, &pos, &h, buf);
    assert_int_equal(h.type, XS_WRITE);
    assert_int_equal(h.req_id, 7);
    assert_string_equal(buf, "OK");
    pipe_get(&p, &pos, &h, buf);
    assert_int_equal(h.type, XS_READ);
    assert_int_equal(h.req_id, 8);
    assert_int_equal(h.len, 5);
    assert_string_equal(buf, "hello");
    assert_int_equal(pos, p.out_len);
    xs_engine_free(e);
}

static void oversize_payload_is_answered_then_dropped(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    static struct pipe_tp p = { .chunk = 4096 };
    struct xs_conn *c = xs_conn_new(0, true, &pipe_transport, &p);
    struct xs_msg_header h = { XS_WRITE, 9, 0, XS_PAYLOAD_MAX + 1 };
    char buf[64];
    size_t pos = 0;

    xs_engine_add_conn(e, c);
    memcpy(p.in, &h, sizeof(h));
    p.in_len = sizeof(h);
    assert_true(xs_engine_serve(e, c) < 0);
    pipe_get(&p, &pos, &h, buf);
    assert_int_equal(h.type, XS_ERROR);
    assert_int_equal(h.req_id, 9);
    assert_string_equal(buf, "E2BIG");
    xs_engine_free(e);
}

static void broken_transport_ends_the_connection(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    static struct pipe_tp p = { .chunk = 8, .fail = true };
    struct xs_conn *c = xs_conn_new(0, true, &pipe_transport, &p);
    xs_engine_add_conn(e, c);
    assert_true(xs_engine_serve(e, c) < 0);
    xs_engine_free(e);
}

static void error_names(void **state)
{
    (void)state;
    assert_string_equal(xs_error_name(-EACCES), "EACCES");
    assert_string_equal(xs_error_name(ENOENT), "ENOENT");
    assert_string_equal(xs_error_name(-EAGAIN), "EAGAIN");
    assert_string_equal(xs_error_name(-E2BIG), "E2BIG");
    assert_string_equal(xs_error_name(-ENOSPC), "ENOSPC");
    assert_string_equal(xs_error_name(-ENOTTY), "EINVAL");
}

static void malformed_requests_get_errors(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *c = t_conn(e, 0, true);
    char buf[64];

    assert_error(t_call(e, c, XS_READ, 0, "", 0), "EINVAL");          /* no path */
    assert_error(t_call(e, c, XS_READ, 0, "\0", 1), "EINVAL");        /* empty path */
    assert_error(t_call1(e, c, XS_READ, 0, "/a//b"), "EINVAL");
    assert_error(t_call1(e, c, XS_READ, 0, "/a b"), "EINVAL");
    assert_error(t_call(e, c, XS_WRITE, 0, "/a", 2), "EINVAL");       /* no NUL, no value */
    assert_error(t_call1(e, c, XS_SET_PERMS, 0, "/local"), "EINVAL"); /* no entries */
    size_t len = t_join(buf, "/local", "q0", NULL);
    assert_error(t_call(e, c, XS_SET_PERMS, 0, buf, len), "EINVAL");
    assert_error(t_call1(e, c, XS_WATCH_EVENT, 0, "/x"), "EINVAL");   /* daemon's only */
    assert_error(t_call1(e, c, XS_ERROR, 0, "/x"), "EINVAL");
    assert_error(t_call1(e, c, 20, 0, "/x"), "EINVAL");
    assert_error(t_call1(e, c, 0xffffff, 0, "/x"), "EINVAL");
    assert_error(t_call1(e, c, XS_READ, 77, "/local"), "ENOENT");     /* no such transaction */
    assert_error(t_call1(e, c, XS_GET_DOMAIN_PATH, 0, "x"), "EINVAL");
    assert_error(t_call1(e, c, XS_GET_DOMAIN_PATH, 0, "99999"), "EINVAL");
    assert_error(t_call1(e, c, XS_INTRODUCE, 0, "1"), "EINVAL");
    len = t_join(buf, "/local", "x", NULL);
    assert_error(t_call(e, c, XS_DIRECTORY_PART, 0, buf, len), "EINVAL");
    /* A path that is not NUL-terminated is still read as one string. */
    assert_ok(t_call(e, c, XS_READ, 0, "/local", 6), XS_READ);
    /* Strings that are not text: bytes past the path stop at its NUL. */
    assert_error(t_call(e, c, XS_READ, 0, "/\xff", 2), "EINVAL");
    xs_engine_free(e);
}

static void replies_carry_the_request_type_and_payloads(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *c = t_conn(e, 0, true);
    char buf[64];

    assert_ok(t_write(e, c, 0, "/d/a", "1"), XS_WRITE);
    assert_string_equal(t_reply, "OK");
    assert_ok(t_write(e, c, 0, "/d/b", ""), XS_WRITE);
    assert_ok(t_call1(e, c, XS_DIRECTORY, 0, "/d"), XS_DIRECTORY);
    assert_int_equal(t_reply_hdr.len, 4);
    assert_memory_equal(t_reply, "a\0b\0", 4);
    assert_ok(t_call1(e, c, XS_GET_PERMS, 0, "/d"), XS_GET_PERMS);
    assert_memory_equal(t_reply, "n0\0", 3);
    size_t len = t_join(buf, "/d", "0", NULL);
    assert_ok(t_call(e, c, XS_DIRECTORY_PART, 0, buf, len), XS_DIRECTORY_PART);
    size_t g = strlen(t_reply) + 1;
    assert_int_equal(t_reply_hdr.len, g + 5);
    assert_memory_equal(t_reply + g, "a\0b\0\0", 5);
    len = t_join(buf, "/d", "2", NULL);
    assert_ok(t_call(e, c, XS_DIRECTORY_PART, 0, buf, len), XS_DIRECTORY_PART);
    assert_memory_equal(t_reply + g, "b\0\0", 3);
    assert_ok(t_call1(e, c, XS_GET_DOMAIN_PATH, 0, "4"), XS_GET_DOMAIN_PATH);
    assert_string_equal(t_reply, "/local/domain/4");
    assert_ok(t_call1(e, c, XS_IS_DOMAIN_INTRODUCED, 0, "4"), XS_IS_DOMAIN_INTRODUCED);
    assert_string_equal(t_reply, "F");
    xs_engine_free(e);
}

static void large_directory_needs_directory_part(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *c = t_conn(e, 0, true);
    char path[64], buf[64];

    /* 300 children of 16 bytes each: over one payload. */
    for (int i = 0; i < 300; i++) {
        snprintf(path, sizeof(path), "/big/child-%09d", i);
        assert_ok(t_write(e, c, 0, path, ""), XS_WRITE);
    }
    assert_error(t_call1(e, c, XS_DIRECTORY, 0, "/big"), "E2BIG");
    size_t offset = 0, seen = 0;
    for (;;) {
        char off[16];
        snprintf(off, sizeof(off), "%zu", offset);
        size_t len = t_join(buf, "/big", off, NULL);
        assert_ok(t_call(e, c, XS_DIRECTORY_PART, 0, buf, len), XS_DIRECTORY_PART);
        const char *p = t_reply + strlen(t_reply) + 1;
        const char *end = t_reply + t_reply_hdr.len;
        while (p < end && *p) {
            seen++;
            offset += strlen(p) + 1;
            p += strlen(p) + 1;
        }
        if (p < end)
            break;          /* the empty string: the list is complete */
    }
    assert_int_equal(seen, 300);
    xs_engine_free(e);
}

/* Deterministic noise: requests of every type built from path-like pieces,
 * stray bytes and random transaction ids, from a privileged and an
 * unprivileged connection. Nothing may crash or leak (ASan, UBSan), and
 * every request gets exactly one reply. */
static uint32_t noise_state = 12345;

static uint32_t noise(void)
{
    noise_state = noise_state * 1103515245u + 12345u;
    return noise_state >> 8;
}

static void random_requests_always_get_one_reply(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "/", "/local", "/local/domain/", "7", "a", "b", "/a", "@introduceDomain",
        "@releaseDomain", "..", "//", " ", "\xff", "r7", "b0", "n1", "w", "T", "F",
        "0", "4294967295", "-1", "quota", "",
    };
    const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
    struct xs_engine *e = t_engine();
    struct xs_conn *conns[2] = { t_conn(e, 0, true), t_conn(e, 7, false) };
    char payload[XS_PAYLOAD_MAX + 1];
    struct xs_msg_header h;
    char reply[XS_PAYLOAD_MAX + 1];

    for (int i = 0; i < 20000; i++) {
        struct xs_conn *c = conns[noise() % 2];
        size_t len = 0;
        unsigned parts = noise() % 6;
        for (unsigned p = 0; p < parts; p++) {
            const char *s = pieces[noise() % npieces];
            size_t n = strlen(s);
            if (len + n + 1 > XS_PAYLOAD_MAX)
                break;
            memcpy(payload + len, s, n);
            len += n;
            if (noise() % 3)
                payload[len++] = noise() % 4 ? '\0' : (char)noise();
        }
        uint32_t type = noise() % 28;
        uint32_t tx = noise() % 4 ? 0 : noise() % 20;
        struct xs_msg_header req = { type, (uint32_t)i + 1, tx, (uint32_t)len };
        payload[len] = '\0';
        xs_engine_handle(e, c, &req, payload);
        int replies = 0;
        for (int k = 0; k < 2; k++) {
            while (t_pop(conns[k], &h, reply)) {
                if (h.type == XS_WATCH_EVENT)
                    continue;
                assert_true(conns[k] == c);
                assert_int_equal(h.req_id, (uint32_t)i + 1);
                replies++;
            }
        }
        assert_int_equal(replies, 1);
    }
    xs_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(framing_survives_one_byte_reads_and_writes),
        cmocka_unit_test(oversize_payload_is_answered_then_dropped),
        cmocka_unit_test(broken_transport_ends_the_connection),
        cmocka_unit_test(error_names),
        cmocka_unit_test(malformed_requests_get_errors),
        cmocka_unit_test(replies_carry_the_request_type_and_payloads),
        cmocka_unit_test(large_directory_needs_directory_part),
        cmocka_unit_test(random_requests_always_get_one_reply),
    };
    return RUN(tests);
}
