/*
 * The ACPI tables a PVH guest finds through start_info's rsdp_paddr. The
 * FADT says "hardware reduced": no PIC, PIT, PM timer or SCI to look for,
 * and no CMOS RTC (the wall clock comes from shared_info). The MADT lists
 * vCPU i as local APIC id i with ACPI processor UID i, matching CPUID and
 * the virtual x2APIC, as Linux requires.
 */
#include <mica/string.h>
#include <x86/acpi.h>
#include <x86/acpi_build.h>
#include <x86/acpi_tables.h>

#define FADT_LENGTH   276           /* ACPI 6.x FADT */
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define BOOT_ARCH_VGA_NOT_PRESENT  (1u << 2)
#define BOOT_ARCH_CMOS_RTC_ABSENT  (1u << 5)

size_t acpi_build_guest_tables(uint8_t *buf, size_t size, uint64_t base,
                               unsigned int nr_vcpus, uint64_t *rsdp_gpa)
{
    size_t rsdp_off = 0;
    size_t xsdt_off = 48;                       /* after the 36-byte RSDP */
    size_t xsdt_len = sizeof(struct acpi_header) + 2 * 8;
    size_t fadt_off = (xsdt_off + xsdt_len + 15) & ~(size_t)15;
    size_t dsdt_off = fadt_off + FADT_LENGTH;
    size_t dsdt_len = sizeof(struct acpi_header);
    size_t madt_off = (dsdt_off + dsdt_len + 15) & ~(size_t)15;
    size_t madt_len = ACPI_MADT_FIXED + ACPI_MADT_LAPIC_BYTES * (size_t)nr_vcpus;
    size_t total = madt_off + madt_len;

    if (total > size || nr_vcpus == 0 || nr_vcpus > 255)
        return 0;
    memset(buf, 0, total);

    /* MADT: the local APIC address and flags, then one entry per vCPU. */
    struct acpi_header *madt = (struct acpi_header *)(buf + madt_off);
    acpi_madt_start(madt, (uint32_t)madt_len, nr_vcpus);
    acpi_seal(madt);

    struct acpi_header *dsdt = (struct acpi_header *)(buf + dsdt_off);
    acpi_header(dsdt, "DSDT", (uint32_t)dsdt_len, 2);
    acpi_seal(dsdt);

    struct acpi_header *fadt = (struct acpi_header *)(buf + fadt_off);
    acpi_header(fadt, "FACP", FADT_LENGTH, 6);
    uint8_t *f = buf + fadt_off;
    acpi_put32(f + 40, (uint32_t)(base + dsdt_off));     /* DSDT (32-bit) */
    acpi_put32(f + 112, FADT_HW_REDUCED_ACPI);           /* flags */
    uint16_t boot_arch = BOOT_ARCH_VGA_NOT_PRESENT | BOOT_ARCH_CMOS_RTC_ABSENT;
    memcpy(f + 109, &boot_arch, 2);                 /* IAPC_BOOT_ARCH */
    f[131] = 1;                                     /* minor revision: 6.1 */
    acpi_put64(f + 140, base + dsdt_off);                /* X_DSDT */
    acpi_seal(fadt);

    struct acpi_header *xsdt = (struct acpi_header *)(buf + xsdt_off);
    acpi_header(xsdt, "XSDT", (uint32_t)xsdt_len, 1);
    acpi_put64(buf + xsdt_off + sizeof(*xsdt), base + fadt_off);
    acpi_put64(buf + xsdt_off + sizeof(*xsdt) + 8, base + madt_off);
    acpi_seal(xsdt);

    acpi_rsdp((struct acpi_rsdp *)(buf + rsdp_off), base + xsdt_off);
    *rsdp_gpa = base + rsdp_off;
    return total;
}
