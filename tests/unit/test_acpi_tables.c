/* The guest ACPI tables: checksums, links between them, the vCPU list. */
#include "unit.h"
#include <string.h>
#include <x86/acpi.h>
#include <x86/acpi_tables.h>

#define BASE 0x3000

static uint8_t buf[4096];

static const struct acpi_header *at(uint64_t gpa)
{
    assert_true(gpa >= BASE && gpa < BASE + sizeof(buf));
    return (const struct acpi_header *)(buf + (gpa - BASE));
}

static void tables_link_up_with_good_checksums(void **state)
{
    (void)state;
    uint64_t rsdp, xsdt;
    size_t n = acpi_build_guest_tables(buf, sizeof(buf), BASE, 3, &rsdp);
    assert_true(n > 0 && n <= sizeof(buf));
    const uint8_t *r = buf + (rsdp - BASE);
    assert_memory_equal(r, "RSD PTR ", 8);
    assert_true(acpi_checksum_ok(r, 20));
    assert_true(acpi_checksum_ok(r, 36));
    memcpy(&xsdt, r + 24, 8);
    const struct acpi_header *x = at(xsdt);
    assert_memory_equal(x->signature, "XSDT", 4);
    assert_true(acpi_checksum_ok(x, x->length));
    assert_int_equal((x->length - sizeof(*x)) / 8, 2);

    uint64_t fadt_gpa, madt_gpa, dsdt_gpa;
    memcpy(&fadt_gpa, (const uint8_t *)x + sizeof(*x), 8);
    memcpy(&madt_gpa, (const uint8_t *)x + sizeof(*x) + 8, 8);
    const struct acpi_header *fadt = at(fadt_gpa);
    assert_memory_equal(fadt->signature, "FACP", 4);
    assert_true(acpi_checksum_ok(fadt, fadt->length));
    uint32_t flags;
    memcpy(&flags, (const uint8_t *)fadt + 112, 4);
    assert_true(flags & (1u << 20));
    memcpy(&dsdt_gpa, (const uint8_t *)fadt + 140, 8);
    const struct acpi_header *dsdt = at(dsdt_gpa);
    assert_memory_equal(dsdt->signature, "DSDT", 4);
    assert_true(acpi_checksum_ok(dsdt, dsdt->length));

    const struct acpi_header *madt = at(madt_gpa);
    assert_memory_equal(madt->signature, "APIC", 4);
    assert_true(acpi_checksum_ok(madt, madt->length));
    struct madt_cpu cpus[8];
    assert_int_equal(madt_parse_cpus(madt, madt->length, cpus, 8), 3);
    for (unsigned int i = 0; i < 3; i++) {
        assert_int_equal(cpus[i].apic_id, i);
        assert_int_equal(cpus[i].acpi_uid, i);
    }
}

static void refuses_what_does_not_fit(void **state)
{
    (void)state;
    uint64_t rsdp;
    assert_int_equal(acpi_build_guest_tables(buf, 100, BASE, 1, &rsdp), 0);
    assert_int_equal(acpi_build_guest_tables(buf, sizeof(buf), BASE, 0, &rsdp), 0);
    assert_int_equal(acpi_build_guest_tables(buf, sizeof(buf), BASE, 256, &rsdp), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_link_up_with_good_checksums),
        cmocka_unit_test(refuses_what_does_not_fit),
    };
    return RUN(tests);
}
