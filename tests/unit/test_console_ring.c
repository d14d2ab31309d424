/* Unit tests for the console daemon's ring copies (dom0-tools/consoled/
 * cons_ring.c): output and input through a page in memory, wrap-around of
 * the ring and of the 32-bit indices, full rings, and a guest that writes
 * nonsense into its indices. */
#include "unit.h"
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "cons_ring.h"

static struct cons_ring_page page;

/* The layout is the protocol's: the indices follow the two rings. */
static void layout_matches_the_protocol(void **state)
{
    (void)state;
    assert_int_equal(offsetof(struct cons_ring_page, out), 1024);
    assert_int_equal(offsetof(struct cons_ring_page, in_cons), 3072);
    assert_int_equal(offsetof(struct cons_ring_page, out_prod), 3084);
}

/* What a guest does: put bytes on the output ring. */
static void guest_writes(const char *s)
{
    for (size_t i = 0; s[i]; i++)
        page.out[(page.out_prod + i) & (CONS_OUT_SIZE - 1)] = s[i];
    page.out_prod += (uint32_t)strlen(s);
}

static void reads_guest_output(void **state)
{
    (void)state;
    char buf[64];
    size_t got;

    memset(&page, 0, sizeof(page));
    guest_writes("hello\n");
    assert_int_equal(cons_ring_take_output(&page, buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 6);
    assert_memory_equal(buf, "hello\n", 6);
    assert_int_equal(page.out_cons, 6);
    assert_int_equal(cons_ring_take_output(&page, buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 0);
}

static void output_wraps_ring_and_indices(void **state)
{
    (void)state;
    char buf[64];
    size_t got;

    memset(&page, 0, sizeof(page));
    page.out_cons = page.out_prod = UINT32_MAX - 3;   /* at ring offset 2044 */
    guest_writes("0123456789");
    assert_int_equal(cons_ring_take_output(&page, buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 10);
    assert_memory_equal(buf, "0123456789", 10);
    assert_memory_equal(page.out + 2044, "0123", 4);
    assert_memory_equal(page.out, "456789", 6);
    assert_int_equal(page.out_cons, 6);
}

static void output_in_pieces_when_the_buffer_is_small(void **state)
{
    (void)state;
    char buf[4];
    size_t got;

    memset(&page, 0, sizeof(page));
    guest_writes("abcdefg");
    assert_int_equal(cons_ring_take_output(&page, buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "abcd", 4);
    assert_int_equal(cons_ring_take_output(&page, buf, sizeof(buf), &got), 0);
    assert_int_equal(got, 3);
    assert_memory_equal(buf, "efg", 3);
}

static void a_full_output_ring_is_read_whole(void **state)
{
    (void)state;
    static char buf[CONS_OUT_SIZE + 16];
    size_t got;

    memset(&page, 0, sizeof(page));
    page.out_cons = 100;
    page.out_prod = 100 + CONS_OUT_SIZE;
    memset(page.out, 'x', sizeof(page.out));
    assert_int_equal(cons_ring_take_output(&page, buf, sizeof(buf), &got), 0);
    assert_int_equal(got, CONS_OUT_SIZE);
    assert_int_equal(page.out_cons, page.out_prod);
}

/* A producer more than a ring ahead, or behind the consumer: an error, and
 * the daemon goes on from where the guest's producer points. */
static void bad_output_indices_resync(void **state)
{
    (void)state;
    char buf[64];
    size_t got;
    const uint32_t bad[][2] = {   /* cons, prod */
        { 0, CONS_OUT_SIZE + 1 }, { 10, 9 }, { 0, UINT32_MAX }, { 0x80000000u, 5 },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&page, 0, sizeof(page));
        page.out_cons = bad[i][0];
        page.out_prod = bad[i][1];
        got = 99;
        assert_int_equal(cons_ring_take_output(&page, buf, sizeof(buf), &got), -EPROTO);
        assert_int_equal(got, 0);
        assert_int_equal(page.out_cons, bad[i][1]);
        guest_writes("ok");
        assert_int_equal(cons_ring_take_output(&page, buf, sizeof(buf), &got), 0);
        assert_int_equal(got, 2);
        assert_memory_equal(buf, "ok", 2);
    }
}

static void input_reaches_the_ring(void **state)
{
    (void)state;
    size_t put;

    memset(&page, 0, sizeof(page));
    assert_int_equal(cons_ring_input_space(&page), CONS_IN_SIZE);
    assert_int_equal(cons_ring_put_input(&page, "ls\r", 3, &put), 0);
    assert_int_equal(put, 3);
    assert_memory_equal(page.in, "ls\r", 3);
    assert_int_equal(page.in_prod, 3);
    assert_int_equal(cons_ring_input_space(&page), CONS_IN_SIZE - 3);
}

static void input_wraps_and_stops_when_full(void **state)
{
    (void)state;
    static char data[CONS_IN_SIZE * 2];
    size_t put;

    memset(&page, 0, sizeof(page));
    page.in_cons = page.in_prod = UINT32_MAX - 1;     /* at ring offset 1022 */
    memset(data, 'y', sizeof(data));
    memcpy(data, "abcd", 4);
    assert_int_equal(cons_ring_put_input(&page, data, 4, &put), 0);
    assert_int_equal(put, 4);
    assert_memory_equal(page.in + 1022, "ab", 2);
    assert_memory_equal(page.in, "cd", 2);
    assert_int_equal(page.in_prod, 2);
    assert_int_equal(cons_ring_put_input(&page, data, sizeof(data), &put), 0);
    assert_int_equal(put, CONS_IN_SIZE - 4);
    assert_int_equal(cons_ring_input_space(&page), 0);
    assert_int_equal(cons_ring_put_input(&page, data, 1, &put), 0);
    assert_int_equal(put, 0);
    page.in_cons += 10;                                /* the guest reads some */
    assert_int_equal(cons_ring_input_space(&page), 10);
}

static void bad_input_consumer_drops_pending_input(void **state)
{
    (void)state;
    size_t put;

    memset(&page, 0, sizeof(page));
    page.in_prod = 5;
    page.in_cons = 6;                                  /* ahead of the producer */
    assert_int_equal(cons_ring_input_space(&page), 0);
    assert_int_equal(cons_ring_put_input(&page, "x", 1, &put), -EPROTO);
    assert_int_equal(put, 0);
    assert_int_equal(page.in_prod, 6);
    assert_int_equal(cons_ring_put_input(&page, "x", 1, &put), 0);
    assert_int_equal(put, 1);
    assert_int_equal(page.in[6], 'x');

    page.in_cons = page.in_prod - CONS_IN_SIZE - 1;    /* more than a ring behind */
    assert_int_equal(cons_ring_put_input(&page, "x", 1, &put), -EPROTO);
    assert_int_equal(page.in_prod, page.in_cons);

    /* An empty put only checks, and repairs, the indices. */
    page.in_cons = page.in_prod + 3 * CONS_IN_SIZE + 7;
    assert_int_equal(cons_ring_put_input(&page, "", 0, &put), -EPROTO);
    assert_int_equal(page.in_prod, page.in_cons);
    assert_int_equal(cons_ring_input_space(&page), CONS_IN_SIZE);
    assert_int_equal(cons_ring_put_input(&page, "", 0, &put), 0);
    assert_int_equal(put, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_matches_the_protocol),
        cmocka_unit_test(reads_guest_output),
        cmocka_unit_test(output_wraps_ring_and_indices),
        cmocka_unit_test(output_in_pieces_when_the_buffer_is_small),
        cmocka_unit_test(a_full_output_ring_is_read_whole),
        cmocka_unit_test(bad_output_indices_resync),
        cmocka_unit_test(input_reaches_the_ring),
        cmocka_unit_test(input_wraps_and_stops_when_full),
        cmocka_unit_test(bad_input_consumer_drops_pending_input),
    };
    return RUN(tests);
}
