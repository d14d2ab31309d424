/* MADT parsing: local APIC, x2APIC and I/O APIC entries, flags, bad entries. */
#include "unit.h"
#include <string.h>
#include <x86/acpi.h>

static uint8_t madt[512];
static size_t len;

static void begin(void)
{
    memset(madt, 0, sizeof(madt));
    memcpy(madt, "APIC", 4);
    len = 44;
}

static void finish(void)
{
    uint32_t l = (uint32_t)len;
    memcpy(madt + 4, &l, 4);
}

static void lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
    uint8_t *e = madt + len;
    e[0] = 0;
    e[1] = 8;
    e[2] = uid;
    e[3] = id;
    memcpy(e + 4, &flags, 4);
    len += 8;
}

static void x2apic(uint32_t id, uint32_t flags, uint32_t uid)
{
    uint8_t *e = madt + len;
    e[0] = 9;
    e[1] = 16;
    memcpy(e + 4, &id, 4);
    memcpy(e + 8, &flags, 4);
    memcpy(e + 12, &uid, 4);
    len += 16;
}

static void other(uint8_t type, uint8_t size)
{
    madt[len] = type;
    madt[len + 1] = size;
    len += size;
}

static void lists_enabled_cpus_in_order(void **state)
{
    (void)state;
    struct madt_cpu cpus[8];
    begin();
    lapic(0, 0, 1);
    other(1, 12);            /* an I/O APIC entry: skipped */
    lapic(1, 2, 1);
    lapic(2, 4, 0);          /* disabled */
    lapic(3, 6, 2);          /* online-capable */
    x2apic(300, 1, 7);
    x2apic(2, 1, 8);         /* duplicate APIC id */
    finish();
    size_t n = madt_parse_cpus(madt, len, cpus, 8);
    assert_int_equal(n, 4);
    assert_int_equal(cpus[0].apic_id, 0);
    assert_int_equal(cpus[1].apic_id, 2);
    assert_int_equal(cpus[2].apic_id, 6);
    assert_int_equal(cpus[3].apic_id, 300);
    assert_int_equal(cpus[3].acpi_uid, 7);
}

static void respects_max(void **state)
{
    (void)state;
    struct madt_cpu cpus[2];
    begin();
    for (int i = 0; i < 5; i++)
        lapic((uint8_t)i, (uint8_t)i, 1);
    finish();
    assert_int_equal(madt_parse_cpus(madt, len, cpus, 2), 2);
}

static void stops_at_malformed_entries(void **state)
{
    (void)state;
    struct madt_cpu cpus[8];
    begin();
    lapic(0, 0, 1);
    madt[len + 1] = 0;       /* a zero length would loop forever */
    len += 2;
    lapic(1, 1, 1);
    finish();
    assert_int_equal(madt_parse_cpus(madt, len, cpus, 8), 1);

    begin();
    lapic(0, 0, 1);
    other(0, 200);           /* runs past the table */
    finish();
    len -= 200 - 8;
    finish();
    assert_int_equal(madt_parse_cpus(madt, len, cpus, 8), 1);

    assert_int_equal(madt_parse_cpus(madt, 10, cpus, 8), 0);
}

static void table_length_bounds_the_walk(void **state)
{
    (void)state;
    struct madt_cpu cpus[8];
    begin();
    lapic(0, 0, 1);
    finish();
    lapic(1, 1, 1);          /* after the table's own length */
    assert_int_equal(madt_parse_cpus(madt, len, cpus, 8), 1);
}

static void checksum(void **state)
{
    (void)state;
    uint8_t b[4] = { 1, 2, 3, (uint8_t)(256 - 6) };
    assert_true(acpi_checksum_ok(b, 4));
    b[0] = 2;
    assert_false(acpi_checksum_ok(b, 4));
}

static void ioapic(uint8_t id, uint32_t address, uint32_t gsi_base)
{
    uint8_t *e = madt + len;
    e[0] = 1;
    e[1] = 12;
    e[2] = id;
    memcpy(e + 4, &address, 4);
    memcpy(e + 8, &gsi_base, 4);
    len += 12;
}

static void lists_ioapics(void **state)
{
    (void)state;
    struct madt_ioapic found[4];
    begin();
    lapic(0, 0, 1);
    ioapic(2, 0xfec00000, 0);
    other(2, 10);               /* an interrupt source override */
    ioapic(3, 0xfec01000, 24);
    finish();
    assert_int_equal(madt_parse_ioapics(madt, len, found, 4), 2);
    assert_int_equal(found[0].id, 2);
    assert_int_equal(found[0].address, 0xfec00000);
    assert_int_equal(found[0].gsi_base, 0);
    assert_int_equal(found[1].id, 3);
    assert_int_equal(found[1].gsi_base, 24);
    assert_int_equal(madt_parse_ioapics(madt, len, found, 1), 1);
    assert_int_equal(madt_parse_ioapics(madt, 20, found, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_enabled_cpus_in_order),
        cmocka_unit_test(respects_max),
        cmocka_unit_test(stops_at_malformed_entries),
        cmocka_unit_test(table_length_bounds_the_walk),
        cmocka_unit_test(checksum),
        cmocka_unit_test(lists_ioapics),
    };
    return RUN(tests);
}
