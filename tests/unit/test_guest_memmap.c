/* A guest's memory map: appending with merges, carving, finding RAM. */
#include "unit.h"
#include <mica/guest_memmap.h>

#define RAM XEN_HVM_MEMMAP_TYPE_RAM
#define RES XEN_HVM_MEMMAP_TYPE_RESERVED
#define ACPI XEN_HVM_MEMMAP_TYPE_ACPI

static struct hvm_memmap_table_entry table[6];
static struct guest_memmap map;

static void fresh(unsigned int max)
{
    map = (struct guest_memmap){ table, 0, max };
}

static void check(unsigned int i, uint64_t addr, uint64_t size, uint32_t type)
{
    assert_int_equal(table[i].addr, addr);
    assert_int_equal(table[i].size, size);
    assert_int_equal(table[i].type, type);
}

static void appends_and_merges_neighbours(void **state)
{
    (void)state;
    fresh(6);
    assert_true(guest_memmap_append(&map, 0x1000, 0x1000, RAM));
    assert_true(guest_memmap_append(&map, 0x2000, 0x3000, RAM));   /* merges */
    assert_true(guest_memmap_append(&map, 0x5000, 0x1000, RES));
    assert_true(guest_memmap_append(&map, 0x8000, 0x1000, RES));   /* gap: new */
    assert_true(guest_memmap_append(&map, 0x9000, 0, RAM));        /* empty: no-op */
    assert_int_equal(map.count, 3);
    check(0, 0x1000, 0x4000, RAM);
    check(1, 0x5000, 0x1000, RES);
    check(2, 0x8000, 0x1000, RES);
    assert_false(guest_memmap_append(&map, 0x8800, 0x1000, RAM));  /* overlaps */
    assert_false(guest_memmap_append(&map, ~0ULL - 10, 0x1000, RAM));
}

static void refuses_when_full(void **state)
{
    (void)state;
    fresh(2);
    assert_true(guest_memmap_append(&map, 0, 0x1000, RAM));
    assert_true(guest_memmap_append(&map, 0x1000, 0x1000, RES));
    assert_false(guest_memmap_append(&map, 0x2000, 0x1000, RAM));
    assert_true(guest_memmap_append(&map, 0x2000, 0x1000, RES));  /* merges still */
}

static void carves_the_middle_of_ram(void **state)
{
    (void)state;
    fresh(6);
    assert_true(guest_memmap_append(&map, 0, 0x100000, RAM));
    assert_true(guest_memmap_append(&map, 0x100000, 0x1000, RES));
    assert_true(guest_memmap_carve(&map, 0x1000, 0x2000, RES));
    assert_true(guest_memmap_carve(&map, 0x3000, 0x1000, ACPI));
    assert_int_equal(map.count, 5);
    check(0, 0, 0x1000, RAM);
    check(1, 0x1000, 0x2000, RES);
    check(2, 0x3000, 0x1000, ACPI);
    check(3, 0x4000, 0xfc000, RAM);
    check(4, 0x100000, 0x1000, RES);
    assert_false(guest_memmap_carve(&map, 0x2000, 0x1000, ACPI));  /* not RAM */
    assert_false(guest_memmap_carve(&map, 0xff000, 0x2000, ACPI)); /* crosses out */
    assert_false(guest_memmap_carve(&map, 0x10000, 0x1000, ACPI)); /* table full */
    assert_int_equal(map.count, 5);
}

static void carves_at_the_edges(void **state)
{
    (void)state;
    fresh(3);
    assert_true(guest_memmap_append(&map, 0x1000, 0x4000, RAM));
    assert_true(guest_memmap_carve(&map, 0x1000, 0x1000, RES));    /* head */
    assert_true(guest_memmap_carve(&map, 0x4000, 0x1000, ACPI));   /* tail */
    check(0, 0x1000, 0x1000, RES);
    check(1, 0x2000, 0x2000, RAM);
    check(2, 0x4000, 0x1000, ACPI);
    assert_true(guest_memmap_carve(&map, 0x2000, 0x2000, RES));    /* whole */
    check(1, 0x2000, 0x2000, RES);
}

static void finds_ram_above_a_line(void **state)
{
    (void)state;
    uint64_t at;
    fresh(6);
    assert_true(guest_memmap_append(&map, 0x1000, 0x9e000, RAM));
    assert_true(guest_memmap_append(&map, 0x100000, 0x2000, RAM));
    assert_true(guest_memmap_append(&map, 0x102000, 0x1000, RES));
    assert_true(guest_memmap_append(&map, 0x103000, 0x100000, RAM));
    assert_true(guest_memmap_find_ram(&map, 0x100000, 0x3000, &at));
    assert_int_equal(at, 0x103000);
    assert_true(guest_memmap_find_ram(&map, 0x100800, 0x1000, &at));
    assert_int_equal(at, 0x101000);
    assert_false(guest_memmap_find_ram(&map, 0x202800, 0x1000, &at));
    assert_true(guest_memmap_is_ram(&map, 0x103000, 0x100000));
    assert_false(guest_memmap_is_ram(&map, 0x101000, 0x2000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_and_merges_neighbours),
        cmocka_unit_test(refuses_when_full),
        cmocka_unit_test(carves_the_middle_of_ram),
        cmocka_unit_test(carves_at_the_edges),
        cmocka_unit_test(finds_ram_above_a_line),
    };
    return RUN(tests);
}
