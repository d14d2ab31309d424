/* Unit tests for the xenstore daemon's ring transport on a page in memory:
 * requests in, replies out, index wrap-around, a full response ring, and
 * a guest that corrupts its indices (only its own connection suffers). */
#include "xenstore_helpers.h"
#include "xs_ring.h"

static struct xs_ring_page page;
static int kicks;

static void kick(void *ctx)
{
    (void)ctx;
    kicks++;
}

static struct xs_conn *ring_conn(struct xs_engine *e, uint32_t domid, uint32_t start_index)
{
    memset(&page, 0, sizeof(page));
    page.req_cons = page.req_prod = page.rsp_cons = page.rsp_prod = start_index;
    struct xs_ring *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    *r = (struct xs_ring){ &page, kick, NULL, NULL };
    xs_ring_init_page(&page);
    struct xs_conn *c = xs_conn_new(domid, domid == 0, &xs_ring_transport, r);
    assert_non_null(c);
    xs_engine_add_conn(e, c);
    return c;
}

/* What a guest does: put bytes on the request ring. */
static void guest_send(const void *data, size_t len)
{
    const char *p = data;
    for (size_t i = 0; i < len; i++) {
        assert_true(page.req_prod - page.req_cons < XS_RING_SIZE);
        page.req[XS_RING_MASK(page.req_prod)] = p[i];
        page.req_prod++;
    }
}

static void guest_request(uint32_t type, uint32_t req_id, const void *payload, size_t len)
{
    struct xs_msg_header h = { type, req_id, 0, (uint32_t)len };
    guest_send(&h, sizeof(h));
    guest_send(payload, len);
}

/* Take one message from the response ring. */
static int guest_receive(struct xs_msg_header *h, char *buf)
{
    if (page.rsp_prod - page.rsp_cons < sizeof(*h))
        return 0;
    char *dst = (char *)h;
    for (size_t i = 0; i < sizeof(*h); i++)
        dst[i] = page.rsp[XS_RING_MASK(page.rsp_cons + i)];
    assert_true(page.rsp_prod - page.rsp_cons >= sizeof(*h) + h->len);
    page.rsp_cons += sizeof(*h);
    for (size_t i = 0; i < h->len; i++)
        buf[i] = page.rsp[XS_RING_MASK(page.rsp_cons++)];
    buf[h->len] = '\0';
    return 1;
}

static void request_and_reply_through_the_ring(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *c = ring_conn(e, 0, 0);
    struct xs_msg_header h;
    char buf[XS_PAYLOAD_MAX + 1];

    assert_int_equal(page.server_features & XS_SERVER_FEATURE_ERROR, XS_SERVER_FEATURE_ERROR);
    size_t len = t_join(buf, "/ring", NULL);
    memcpy(buf + len, "value", 5);
    guest_request(XS_WRITE, 1, buf, len + 5);
    guest_request(XS_READ, 2, "/ring", 6);
    kicks = 0;
    assert_int_equal(xs_engine_serve(e, c), 0);
    assert_true(kicks > 0);
    assert_int_equal(page.req_cons, page.req_prod);
    assert_int_equal(guest_receive(&h, buf), 1);
    assert_int_equal(h.type, XS_WRITE);
    assert_string_equal(buf, "OK");
    assert_int_equal(guest_receive(&h, buf), 1);
    assert_int_equal(h.req_id, 2);
    assert_string_equal(buf, "value");
    assert_int_equal(page.error, XS_RING_ERROR_NONE);
    xs_engine_free(e);
}

static void indices_wrap_around(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    /* Start just below the 32-bit wrap and off the ring's alignment. */
    struct xs_conn *c = ring_conn(e, 0, 0xfffffff0u - 7);
    struct xs_msg_header h;
    char buf[XS_PAYLOAD_MAX + 1];

    for (int round = 0; round < 40; round++) {
        guest_request(XS_GET_DOMAIN_PATH, (uint32_t)round, "12", 3);
        assert_int_equal(xs_engine_serve(e, c), 0);
        assert_int_equal(guest_receive(&h, buf), 1);
        assert_int_equal(h.req_id, (uint32_t)round);
        assert_string_equal(buf, "/local/domain/12");
    }
    assert_true(page.req_prod < 0x1000);     /* it did wrap */
    xs_engine_free(e);
}

static void a_full_response_ring_waits_for_the_guest(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *c = ring_conn(e, 0, 0);
    struct xs_msg_header h;
    char buf[XS_PAYLOAD_MAX + 1];
    char value[1500];

    memset(value, 'v', sizeof(value));
    size_t len = t_join(buf, "/big", NULL);
    memcpy(buf + len, value, sizeof(value));
    assert_ok(t_call(e, c, XS_WRITE, 0, buf, len + sizeof(value)), XS_WRITE);
    guest_request(XS_READ, 5, "/big", 5);
    assert_int_equal(xs_engine_serve(e, c), 0);
    /* 1516 bytes of reply, 1024 of ring: the rest stays queued. */
    assert_int_equal(page.rsp_prod - page.rsp_cons, XS_RING_SIZE);
    assert_non_null(c->out_head);
    /* The guest takes what is there; the daemon writes the rest. */
    char got[2048];
    size_t have = 0;
    while (have < sizeof(h) + sizeof(value)) {
        while (page.rsp_cons != page.rsp_prod)
            got[have++] = page.rsp[XS_RING_MASK(page.rsp_cons++)];
        assert_int_equal(xs_engine_serve(e, c), 0);
    }
    memcpy(&h, got, sizeof(h));
    assert_int_equal(h.req_id, 5);
    assert_int_equal(h.len, sizeof(value));
    assert_memory_equal(got + sizeof(h), value, sizeof(value));
    assert_null(c->out_head);
    xs_engine_free(e);
}

static void corrupt_indices_break_only_that_ring(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *c = ring_conn(e, 4, 0);
    struct xs_conn *other = t_conn(e, 0, true);

    page.req_prod = page.req_cons + XS_RING_SIZE + 1;
    assert_true(xs_engine_serve(e, c) < 0);
    assert_int_equal(page.error, XS_RING_ERROR_RINGIDX);
    xs_engine_remove_conn(e, c);
    assert_ok(t_call1(e, other, XS_READ, 0, "/tool"), XS_READ);

    c = ring_conn(e, 4, 0);
    page.rsp_prod = page.rsp_cons + XS_RING_SIZE + 5;
    guest_request(XS_GET_DOMAIN_PATH, 1, "4", 2);
    assert_true(xs_engine_serve(e, c) < 0);
    xs_engine_free(e);
}

static void garbage_from_a_guest_gets_an_error_then_a_hangup(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *c = ring_conn(e, 4, 0);
    struct xs_msg_header h = { XS_READ, 3, 0, 0xffffffffu };
    char buf[XS_PAYLOAD_MAX + 1];

    guest_send(&h, sizeof(h));
    assert_true(xs_engine_serve(e, c) < 0);
    assert_int_equal(guest_receive(&h, buf), 1);
    assert_int_equal(h.type, XS_ERROR);
    assert_string_equal(buf, "E2BIG");
    xs_engine_free(e);
}

static void a_guest_that_reads_no_replies_is_not_served_more(void **state)
{
    (void)state;
    struct xs_limits l = xs_default_limits;
    l.output_max = 4096;
    struct xs_engine *e = xs_engine_new(&l, NULL, NULL);
    struct xs_conn *c = ring_conn(e, 4, 0);
    struct xs_msg_header h;
    char buf[XS_PAYLOAD_MAX + 1];
    uint32_t sent = 0;

    /* Keep requesting, never take a reply: the daemon's queue stays
     * bounded and the requests wait on the guest's own ring. */
    for (int round = 0; round < 200; round++) {
        while (page.req_prod - page.req_cons <= XS_RING_SIZE - 18) {
            guest_request(XS_GET_DOMAIN_PATH, sent++, "4", 2);
        }
        assert_int_equal(xs_engine_serve(e, c), 0);
        assert_true(c->out_bytes <= 4096 + 64);
    }
    assert_true(page.req_prod != page.req_cons);
    /* Once it reads, it is served again, in order. */
    uint32_t next = 0;
    for (int round = 0; round < 2000 && next < sent; round++) {
        while (guest_receive(&h, buf)) {
            assert_int_equal(h.req_id, next);
            next++;
        }
        assert_int_equal(xs_engine_serve(e, c), 0);
    }
    assert_int_equal(next, sent);
    xs_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_and_reply_through_the_ring),
        cmocka_unit_test(indices_wrap_around),
        cmocka_unit_test(a_full_response_ring_waits_for_the_guest),
        cmocka_unit_test(corrupt_indices_break_only_that_ring),
        cmocka_unit_test(garbage_from_a_guest_gets_an_error_then_a_hangup),
        cmocka_unit_test(a_guest_that_reads_no_replies_is_not_served_more),
    };
    return RUN(tests);
}
