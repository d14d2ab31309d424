/* The guest ACPI tables: checksums, links between them, the vCPU list;
 * dom0's root over the host's tables. */
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

static void dom0_root_hides_the_tables_mica_keeps(void **state)
{
    (void)state;
    /* A host MADT: one local APIC, an I/O APIC, an override, an NMI entry. */
    uint8_t host_madt[44 + 8 + 12 + 10 + 6] = { 'A', 'P', 'I', 'C' };
    uint32_t host_len = sizeof(host_madt);
    memcpy(host_madt + 4, &host_len, 4);
    uint8_t *e = host_madt + 44;
    e[0] = 0; e[1] = 8; e[3] = 7; e[4] = 1; e += 8;
    e[0] = 1; e[1] = 12; e[2] = 4; e[7] = 0xfe; e[6] = 0xc0; e += 12;
    e[0] = 2; e[1] = 10; e[3] = 9; e[4] = 9; e += 10;
    e[0] = 4; e[1] = 6;
    const uint64_t pa[] = { 0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0 };
    const char sig[][4] = { {'F','A','C','P'}, {'A','P','I','C'}, {'H','P','E','T'},
                            {'M','C','F','G'}, {'S','S','D','T'}, {'W','A','E','T'} };
    struct acpi_host_view host = { pa, sig, 6, host_madt, sizeof(host_madt) };
    uint64_t rsdp, xsdt, entry;

    assert_int_equal(acpi_build_dom0_tables(buf, 40, BASE, 2, &host, &rsdp), 0);
    size_t n = acpi_build_dom0_tables(buf, sizeof(buf), BASE, 2, &host, &rsdp);
    assert_true(n > 0);
    assert_int_equal(rsdp, BASE);
    assert_true(acpi_checksum_ok(buf, 36));
    memcpy(&xsdt, buf + 24, 8);
    const struct acpi_header *x = at(xsdt);
    assert_true(acpi_checksum_ok(x, x->length));
    /* FACP and SSDT pass; APIC, HPET, MCFG and the null entry do not;
     * the new MADT comes last. */
    assert_int_equal((x->length - sizeof(*x)) / 8, 3);
    memcpy(&entry, (const uint8_t *)x + sizeof(*x), 8);
    assert_int_equal(entry, 0x1000);
    memcpy(&entry, (const uint8_t *)x + sizeof(*x) + 8, 8);
    assert_int_equal(entry, 0x5000);
    memcpy(&entry, (const uint8_t *)x + sizeof(*x) + 16, 8);
    const struct acpi_header *madt = at(entry);
    assert_memory_equal(madt->signature, "APIC", 4);
    assert_true(acpi_checksum_ok(madt, madt->length));
    assert_int_equal(madt->length, 44 + 2 * 8 + 12 + 10);
    struct madt_cpu cpus[4];
    assert_int_equal(madt_parse_cpus(madt, madt->length, cpus, 4), 2);
    assert_int_equal(cpus[1].apic_id, 1);
    struct madt_ioapic io[2];
    assert_int_equal(madt_parse_ioapics(madt, madt->length, io, 2), 1);
    assert_int_equal(io[0].id, 4);
    assert_int_equal(io[0].address, 0xfec00000);
    uint32_t flags;
    memcpy(&flags, (const uint8_t *)madt + 40, 4);
    assert_int_equal(flags, 0);                 /* not PCAT_COMPAT */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_link_up_with_good_checksums),
        cmocka_unit_test(dom0_root_hides_the_tables_mica_keeps),
        cmocka_unit_test(refuses_what_does_not_fit),
    };
    return RUN(tests);
}
