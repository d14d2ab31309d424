/* The UEFI loader's memory-map conversion: type reduction, sorting, merging, limits. */
#include "unit.h"

#include <string.h>

#include "uefi_map.h"

#define MB (1024ULL * 1024)

enum {
    RESERVED, LOADER_CODE, LOADER_DATA, BS_CODE, BS_DATA, RT_CODE, RT_DATA,
    CONVENTIONAL, UNUSABLE, ACPI_RECLAIM, ACPI_NVS, MMIO, MMIO_PORT, PAL_CODE,
    PERSISTENT, UNACCEPTED,
};

static struct uefi_map_desc desc(uint32_t type, uint64_t base, uint64_t bytes)
{
    return (struct uefi_map_desc){ .type = type, .phys_start = base, .pages = bytes / 4096 };
}

static struct boot_mem_range out[BOOT_MAX_MEM_RANGES + 1];
static uint32_t count;

static bool convert(const struct uefi_map_desc *map, size_t n, uint32_t max)
{
    return uefi_map_convert(map, n * sizeof(*map), sizeof(*map), out, max, &count);
}

static void expect_range(uint32_t i, uint64_t base, uint64_t length, uint32_t type)
{
    assert_int_equal(out[i].base, base);
    assert_int_equal(out[i].length, length);
    assert_int_equal(out[i].type, type);
}

static void type_reduction(void **state)
{
    static const struct { uint32_t efi, boot; } cases[] = {
        { RESERVED, BOOT_MEM_RESERVED },       { LOADER_CODE, BOOT_MEM_USABLE },
        { LOADER_DATA, BOOT_MEM_USABLE },      { BS_CODE, BOOT_MEM_USABLE },
        { BS_DATA, BOOT_MEM_USABLE },          { RT_CODE, BOOT_MEM_FW_RUNTIME },
        { RT_DATA, BOOT_MEM_FW_RUNTIME },      { CONVENTIONAL, BOOT_MEM_USABLE },
        { UNUSABLE, BOOT_MEM_UNUSABLE },       { ACPI_RECLAIM, BOOT_MEM_ACPI_RECLAIM },
        { ACPI_NVS, BOOT_MEM_ACPI_NVS },       { MMIO, BOOT_MEM_RESERVED },
        { MMIO_PORT, BOOT_MEM_RESERVED },      { PAL_CODE, BOOT_MEM_RESERVED },
        { PERSISTENT, BOOT_MEM_PERSISTENT },   { UNACCEPTED, BOOT_MEM_RESERVED },
        { 0x70000000, BOOT_MEM_RESERVED },     { 0x80000000, BOOT_MEM_RESERVED },
        { UEFI_MAP_LOADED, BOOT_MEM_LOADED },  { 0xffffffff, BOOT_MEM_RESERVED },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(uefi_map_type(cases[i].efi), cases[i].boot);
}

static void sorts_and_merges(void **state)
{
    const struct uefi_map_desc map[] = {
        desc(RT_DATA, 0x7f000000, 1 * MB),
        desc(BS_DATA, 0x100000, 1 * MB),
        desc(UEFI_MAP_LOADED, 0x200000, 2 * MB),
        desc(CONVENTIONAL, 0, 0xa0000),
        desc(LOADER_CODE, 0x400000, 4 * MB),
        desc(CONVENTIONAL, 0x800000, 8 * MB),
        desc(RT_CODE, 0x7f100000, 1 * MB),
        desc(MMIO, 0xfec00000, 0x1000),
        desc(RESERVED, 0xfec01000, 0x1000),
        desc(CONVENTIONAL, 0x1000000, 16 * MB),
    };

    (void)state;
    assert_true(convert(map, sizeof(map) / sizeof(map[0]), BOOT_MAX_MEM_RANGES));
    assert_int_equal(count, 6);
    /* 0xa0000-0x100000 is a hole: no merge across it. */
    expect_range(0, 0, 0xa0000, BOOT_MEM_USABLE);
    expect_range(1, 0x100000, 1 * MB, BOOT_MEM_USABLE);
    expect_range(2, 0x200000, 2 * MB, BOOT_MEM_LOADED);
    /* Loader code, conventional and more conventional memory, all touching. */
    expect_range(3, 0x400000, 28 * MB, BOOT_MEM_USABLE);
    expect_range(4, 0x7f000000, 2 * MB, BOOT_MEM_FW_RUNTIME);
    /* MMIO and Reserved both reduce to RESERVED and so merge. */
    expect_range(5, 0xfec00000, 0x2000, BOOT_MEM_RESERVED);
}

static void skips_empty_descriptors(void **state)
{
    const struct uefi_map_desc map[] = {
        desc(CONVENTIONAL, 0x1000, 0x1000),
        desc(RESERVED, 0x2000, 0),
        desc(CONVENTIONAL, 0x2000, 0x1000),
    };

    (void)state;
    assert_true(convert(map, 3, 8));
    assert_int_equal(count, 1);
    expect_range(0, 0x1000, 0x2000, BOOT_MEM_USABLE);
}

static void wider_descriptors(void **state)
{
    /* Firmware may report a larger descriptor size than the structure. */
    struct { struct uefi_map_desc d; uint64_t extra[3]; } map[3];

    (void)state;
    memset(map, 0xa5, sizeof(map));
    map[0].d = desc(ACPI_NVS, 0x3000, 0x1000);
    map[1].d = desc(ACPI_RECLAIM, 0x1000, 0x2000);
    map[2].d = desc(PERSISTENT, 0x100000000ULL, 1 * MB);
    assert_true(uefi_map_convert(map, sizeof(map), sizeof(map[0]), out, 8, &count));
    assert_int_equal(count, 3);
    expect_range(0, 0x1000, 0x2000, BOOT_MEM_ACPI_RECLAIM);
    expect_range(1, 0x3000, 0x1000, BOOT_MEM_ACPI_NVS);
    expect_range(2, 0x100000000ULL, 1 * MB, BOOT_MEM_PERSISTENT);
}

static void equal_bases_keep_map_order(void **state)
{
    const struct uefi_map_desc map[] = {
        desc(UNUSABLE, 0x5000, 0x1000),
        desc(CONVENTIONAL, 0x5000, 0x1000),
        desc(CONVENTIONAL, 0x4000, 0x1000),
    };

    (void)state;
    assert_true(convert(map, 3, 8));
    assert_int_equal(count, 3);
    expect_range(0, 0x4000, 0x1000, BOOT_MEM_USABLE);
    expect_range(1, 0x5000, 0x1000, BOOT_MEM_UNUSABLE);
    expect_range(2, 0x5000, 0x1000, BOOT_MEM_USABLE);
}

static void too_many_ranges(void **state)
{
    struct uefi_map_desc map[10];
    uint32_t i;

    (void)state;
    /* Alternating types never merge; listed from the top down. */
    for (i = 0; i < 10; i++)
        map[i] = desc(i % 2 ? CONVENTIONAL : RESERVED, (uint64_t)(9 - i) * 0x1000, 0x1000);
    memset(out, 0xee, sizeof(out));
    assert_false(convert(map, 10, 4));
    assert_int_equal(count, 4);
    for (i = 0; i < 4; i++)
        expect_range(i, i * 0x1000ULL, 0x1000, i % 2 ? BOOT_MEM_RESERVED : BOOT_MEM_USABLE);
    /* Nothing written past the limit. */
    assert_int_equal(out[4].base, 0xeeeeeeeeeeeeeeeeULL);

    assert_true(convert(map, 10, 10));
    assert_int_equal(count, 10);
}

static void merging_makes_room(void **state)
{
    struct uefi_map_desc map[BOOT_MAX_MEM_RANGES * 2];
    uint32_t i;

    (void)state;
    /* 512 descriptors that merge pairwise into exactly 256 ranges. */
    for (i = 0; i < BOOT_MAX_MEM_RANGES * 2; i++)
        map[i] = desc((i / 2) % 2 ? BS_CODE : ACPI_NVS, i * 0x1000ULL, 0x1000);
    assert_true(convert(map, BOOT_MAX_MEM_RANGES * 2, BOOT_MAX_MEM_RANGES));
    assert_int_equal(count, BOOT_MAX_MEM_RANGES);
    expect_range(255, 510 * 0x1000ULL, 0x2000, BOOT_MEM_USABLE);
}

static void degenerate_maps(void **state)
{
    const struct uefi_map_desc map[] = {
        desc(CONVENTIONAL, 0, 0x1000),
        /* A length that would run past the top of the address space. */
        { .type = RESERVED, .phys_start = 0xfffffffffff00000ULL, .pages = UINT64_MAX / 2 },
    };

    (void)state;
    assert_true(convert(map, 0, 8));
    assert_int_equal(count, 0);
    /* A descriptor size smaller than the layout means nothing can be read. */
    assert_true(uefi_map_convert(map, sizeof(map), 8, out, 8, &count));
    assert_int_equal(count, 0);
    assert_true(convert(map, 2, 8));
    assert_int_equal(count, 2);
    expect_range(1, 0xfffffffffff00000ULL, 0xfffffULL, BOOT_MEM_RESERVED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(type_reduction),
        cmocka_unit_test(sorts_and_merges),
        cmocka_unit_test(skips_empty_descriptors),
        cmocka_unit_test(wider_descriptors),
        cmocka_unit_test(equal_bases_keep_map_order),
        cmocka_unit_test(too_many_ranges),
        cmocka_unit_test(merging_makes_room),
        cmocka_unit_test(degenerate_maps),
    };

    return RUN(tests);
}
