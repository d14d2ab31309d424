/* The log ring behind the control interface's console read. */
#include "unit.h"
#include <string.h>
#include <mica/log_ring.h>

static char mem[16];
static struct log_ring ring;

static int setup(void **state)
{
    (void)state;
    ring = (struct log_ring){ .buf = mem, .size = sizeof(mem) };
    return 0;
}

static void reads_what_was_written(void **state)
{
    (void)state;
    char out[32];
    uint64_t pos = 0;

    log_ring_write(&ring, "hello ", 6);
    log_ring_write(&ring, "world", 5);
    assert_int_equal(log_ring_read(&ring, &pos, out, 4), 4);
    assert_memory_equal(out, "hell", 4);
    assert_int_equal(log_ring_read(&ring, &pos, out, sizeof(out)), 7);
    assert_memory_equal(out, "o world", 7);
    assert_int_equal(pos, 11);
    assert_int_equal(log_ring_read(&ring, &pos, out, sizeof(out)), 0);
}

static void keeps_the_newest_bytes(void **state)
{
    (void)state;
    char out[32];
    uint64_t pos = 0;

    log_ring_write(&ring, "0123456789", 10);
    log_ring_write(&ring, "abcdefghij", 10);      /* 20 bytes into 16 */
    assert_int_equal(log_ring_read(&ring, &pos, out, sizeof(out)), 16);
    assert_memory_equal(out, "456789abcdefghij", 16);
    assert_int_equal(pos, 20);
    /* A reader that fell behind resumes at the oldest byte kept. */
    pos = 2;
    assert_int_equal(log_ring_read(&ring, &pos, out, 3), 3);
    assert_memory_equal(out, "456", 3);
    /* A position past the end gives nothing and is pulled back. */
    pos = 99;
    assert_int_equal(log_ring_read(&ring, &pos, out, sizeof(out)), 0);
    assert_int_equal(pos, 20);
}

static void clear_forgets_the_past(void **state)
{
    (void)state;
    char out[32];
    uint64_t pos = 0;

    log_ring_write(&ring, "old", 3);
    log_ring_clear(&ring);
    log_ring_write(&ring, "new", 3);
    assert_int_equal(log_ring_read(&ring, &pos, out, sizeof(out)), 3);
    assert_memory_equal(out, "new", 3);
    assert_int_equal(pos, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(reads_what_was_written, setup),
        cmocka_unit_test_setup(keeps_the_newest_bytes, setup),
        cmocka_unit_test_setup(clear_forgets_the_past, setup),
    };
    return RUN(tests);
}
