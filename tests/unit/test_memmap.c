/* Memory-map helpers: sorting, totals, and finding room for allocator data. */
#include "unit.h"
#include <mica/memmap.h>

static const struct boot_mem_range sample[] = {
    { 0x0,        0x9fc00,     BOOT_MEM_USABLE, 0 },
    { 0x9fc00,    0x400,       BOOT_MEM_RESERVED, 0 },
    { 0x100000,   0x7ef00000,  BOOT_MEM_USABLE, 0 },
    { 0x7f000000, 0x1000000,   BOOT_MEM_ACPI_RECLAIM, 0 },
    { 0x100000000, 0x80000000, BOOT_MEM_USABLE, 0 },
    { 0xfd00000000, 0x300000000, BOOT_MEM_RESERVED, 0 },
};
#define N (sizeof(sample) / sizeof(sample[0]))

static void totals_by_type(void **state)
{
    (void)state;
    assert_int_equal(memmap_bytes_of_type(sample, N, BOOT_MEM_USABLE),
                     0x9fc00 + 0x7ef00000ULL + 0x80000000ULL);
    assert_int_equal(memmap_bytes_of_type(sample, N, BOOT_MEM_ACPI_RECLAIM),
                     0x1000000);
    assert_int_equal(memmap_usable_end(sample, N), 0x180000000ULL);
}

static void sorts_by_base(void **state)
{
    (void)state;
    struct boot_mem_range m[] = {
        { 0x300, 1, 1, 0 }, { 0x100, 2, 2, 0 }, { 0x200, 3, 3, 0 }, { 0x0, 4, 4, 0 },
    };
    memmap_sort(m, 4);
    assert_int_equal(m[0].base, 0);
    assert_int_equal(m[1].base, 0x100);
    assert_int_equal(m[1].length, 2);
    assert_int_equal(m[3].base, 0x300);
    memmap_sort(m, 0);
}

static void finds_the_highest_space_avoiding_exclusions(void **state)
{
    (void)state;
    uint64_t addr;
    struct phys_range ex[] = { { 0, 0x100000 }, { 0x7ee00000, 0x7ef00000 } };
    /* The top of the RAM below 4 GiB, under the excluded range. */
    assert_true(memmap_find_space_top(sample, N, ex, 2, 0x200000, 0x1000,
                                      1ULL << 32, &addr));
    assert_int_equal(addr, 0x7ec00000);
    /* Without the limit: the top of RAM above 4 GiB. */
    assert_true(memmap_find_space_top(sample, N, ex, 2, 0x200000, 0x200000,
                                      ~0ULL, &addr));
    assert_int_equal(addr, 0x17fe00000ULL);
    /* Only the low megabyte fits under a 1 MiB limit, and it is excluded. */
    assert_false(memmap_find_space_top(sample, N, ex, 2, 0x1000, 0x1000,
                                       0x100000, &addr));
    assert_false(memmap_find_space_top(sample, N, ex, 2, 0x100000000ULL, 0x1000,
                                       ~0ULL, &addr));
}

static void overlapping_reserved_range_wins(void **state)
{
    (void)state;
    /* A firmware map where a reserved range sits inside usable RAM. */
    const struct boot_mem_range m[] = {
        { 0x100000, 0x400000, BOOT_MEM_USABLE, 0 },
        { 0x180000, 0x10000, BOOT_MEM_RESERVED, 0 },
    };
    uint64_t addr;
    assert_true(memmap_find_space_top(m, 2, NULL, 0, 0x100000, 0x1000, ~0ULL, &addr));
    assert_int_equal(addr, 0x400000);
    assert_true(memmap_find_space_top(m, 2, NULL, 0, 0x100000, 0x1000, 0x300000, &addr));
    assert_int_equal(addr, 0x200000);
    assert_false(memmap_find_space_top(m, 2, NULL, 0, 0x100000, 0x1000, 0x280000, &addr));
}

static void rejects_bad_alignment(void **state)
{
    (void)state;
    uint64_t addr;
    assert_false(memmap_find_space_top(sample, N, NULL, 0, 0x1000, 3, ~0ULL, &addr));
    assert_false(memmap_find_space_top(sample, N, NULL, 0, 0, 0x1000, ~0ULL, &addr));
    assert_string_equal(memmap_type_name(BOOT_MEM_ACPI_NVS), "ACPI NVS");
    assert_string_equal(memmap_type_name(99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(totals_by_type),
        cmocka_unit_test(sorts_by_base),
        cmocka_unit_test(finds_the_highest_space_avoiding_exclusions),
        cmocka_unit_test(overlapping_reserved_range_wins),
        cmocka_unit_test(rejects_bad_alignment),
    };
    return RUN(tests);
}
