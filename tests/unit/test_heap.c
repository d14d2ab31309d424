/* The heap: alignment, reuse, coalescing, growth and its failure. */
#include "unit.h"
#include <stdlib.h>
#include <string.h>
#include <mica/heap.h>

static int pages_given;
static int page_budget;
static void *arenas[64];
static int narenas;

static void *test_pages(size_t pages)
{
    if ((int)pages > page_budget)
        return NULL;
    page_budget -= (int)pages;
    pages_given += (int)pages;
    void *p = aligned_alloc(4096, pages * 4096);
    arenas[narenas++] = p;
    return p;
}

static struct heap h;

static int setup(void **state)
{
    (void)state;
    pages_given = 0;
    page_budget = 1000;
    heap_init(&h, test_pages);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    while (narenas)
        free(arenas[--narenas]);
    return 0;
}

static void aligned_and_distinct(void **state)
{
    (void)state;
    char *a = heap_alloc(&h, 1), *b = heap_alloc(&h, 33), *c = heap_alloc(&h, 100);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_int_equal((uintptr_t)a % 16, 0);
    assert_int_equal((uintptr_t)b % 16, 0);
    assert_true(b >= a + 16 && c >= b + 48);
    memset(a, 1, 1);
    memset(b, 2, 33);
    memset(c, 3, 100);
    assert_int_equal(a[0], 1);
    assert_int_equal(b[32], 2);
}

static void zero_and_huge_fail(void **state)
{
    (void)state;
    assert_null(heap_alloc(&h, 0));
    assert_null(heap_alloc(&h, (size_t)1 << 50));
}

static void free_reuses_and_coalesces(void **state)
{
    (void)state;
    void *a = heap_alloc(&h, 1000), *b = heap_alloc(&h, 1000);
    void *c = heap_alloc(&h, 1000);
    (void)c;
    heap_free(&h, a);
    heap_free(&h, b);
    /* a and b merged: 2000 bytes fit where they were. */
    void *d = heap_alloc(&h, 2000);
    assert_ptr_equal(d, a);
    assert_int_equal(pages_given, 16);
}

static void everything_freed_merges_back(void **state)
{
    (void)state;
    void *p[50];
    for (int i = 0; i < 50; i++)
        p[i] = heap_alloc(&h, 500);
    for (int i = 0; i < 50; i += 2)
        heap_free(&h, p[i]);
    for (int i = 1; i < 50; i += 2)
        heap_free(&h, p[i]);
    assert_int_equal(h.bytes_in_use, 0);
    /* One free block again: the whole first arena is allocatable. */
    void *big = heap_alloc(&h, 16 * 4096 - 64);
    assert_ptr_equal(big, p[0]);
    heap_free(&h, NULL);
}

static void grows_for_large_requests_and_fails_cleanly(void **state)
{
    (void)state;
    void *big = heap_alloc(&h, 100 * 4096);
    assert_non_null(big);
    assert_true(pages_given >= 101);
    page_budget = 0;
    assert_null(heap_alloc(&h, 200 * 4096));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(aligned_and_distinct, setup, teardown),
        cmocka_unit_test_setup_teardown(zero_and_huge_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(free_reuses_and_coalesces, setup, teardown),
        cmocka_unit_test_setup_teardown(everything_freed_merges_back, setup, teardown),
        cmocka_unit_test_setup_teardown(grows_for_large_requests_and_fails_cleanly, setup, teardown),
    };
    return RUN(tests);
}
