/* The table of foreign mappings: add, find by frame, take, growth and
 * reuse of removed slots. */
#include "unit.h"
#include <stdlib.h>
#include <mica/foreign_table.h>
#include <mica/heap.h>
#include <public/xen/errno.h>

/* The hypervisor heap, for the host. */
void *kmalloc(size_t size) { return malloc(size); }
void kfree(void *p) { free(p); }

static struct domain *const owner_a = (struct domain *)0x1000;
static struct domain *const owner_b = (struct domain *)0x2000;

static void add_find_take(void **state)
{
    (void)state;
    struct foreign_table t = { 0 };
    struct foreign_entry e;

    assert_int_equal(foreign_table_add(&t, &(struct foreign_entry){ 0x100, 7, owner_a }), 0);
    assert_int_equal(foreign_table_add(&t, &(struct foreign_entry){ 0x101, 8, owner_b }), 0);
    assert_int_equal(foreign_table_add(&t, &(struct foreign_entry){ 0x100, 9, owner_b }),
                     -XEN_EBUSY);
    assert_true(foreign_table_has_frame(&t, owner_a, 7));
    assert_false(foreign_table_has_frame(&t, owner_b, 7));
    assert_true(foreign_table_take(&t, 0x100, &e));
    assert_int_equal(e.mfn, 7);
    assert_ptr_equal(e.owner, owner_a);
    assert_false(foreign_table_take(&t, 0x100, &e));
    assert_false(foreign_table_has_frame(&t, owner_a, 7));
    /* The marker values themselves are never keys. */
    assert_false(foreign_table_take(&t, FOREIGN_EMPTY, &e));
    assert_false(foreign_table_take(&t, FOREIGN_REMOVED, &e));
    assert_int_equal(t.live, 1);
    foreign_table_clear(&t);
    assert_int_equal(t.size, 0);
}

static void grows_and_keeps_everything(void **state)
{
    (void)state;
    struct foreign_table t = { 0 };
    struct foreign_entry e;
    const uint64_t n = 5000;

    for (uint64_t i = 0; i < n; i++)
        assert_int_equal(foreign_table_add(&t, &(struct foreign_entry){
                             0x80000 + i * 3, i, owner_a }), 0);
    assert_true(t.used * 2 <= t.size);
    for (uint64_t i = 0; i < n; i += 2)
        assert_true(foreign_table_take(&t, 0x80000 + i * 3, &e) && e.mfn == i);
    for (uint64_t i = 1; i < n; i += 2)
        assert_true(foreign_table_has_frame(&t, owner_a, i));
    assert_int_equal(t.live, n / 2);
    foreign_table_clear(&t);
}

/* Mapping and unmapping over and over must not fill the table with
 * removed slots: the table stays small and every lookup still ends. */
static void churn_reuses_removed_slots(void **state)
{
    (void)state;
    struct foreign_table t = { 0 };
    struct foreign_entry e;

    for (uint64_t round = 0; round < 100000; round++) {
        uint64_t gfn = 0x200000 + round;
        assert_int_equal(foreign_table_add(&t, &(struct foreign_entry){ gfn, round, owner_b }), 0);
        assert_true(foreign_table_take(&t, gfn, &e));
    }
    assert_int_equal(t.live, 0);
    assert_true(t.size <= 64);
    assert_false(foreign_table_take(&t, 0x1234, &e));
    foreign_table_clear(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_find_take),
        cmocka_unit_test(grows_and_keeps_everything),
        cmocka_unit_test(churn_reuses_removed_slots),
    };
    return RUN(tests);
}
