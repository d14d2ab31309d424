/*
 * The ACPI tables a PVH guest finds through start_info's rsdp_paddr. The
 * FADT says "hardware reduced": no PIC, PIT, PM timer or SCI to look for,
 * and no CMOS RTC (the wall clock comes from shared_info). The MADT lists
 * vCPU i as local APIC id i with ACPI processor UID i, matching CPUID and
 * the virtual x2APIC, as Linux requires.
 */
#include <mica/string.h>
#include <x86/acpi.h>
#include <x86/acpi_tables.h>

#define OEM_ID        "MICA  "
#define OEM_TABLE_ID  "MICAPVH "
#define FADT_LENGTH   276           /* ACPI 6.x FADT */
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define BOOT_ARCH_VGA_NOT_PRESENT  (1u << 2)
#define BOOT_ARCH_CMOS_RTC_ABSENT  (1u << 5)
#define MADT_LAPIC    0
#define LAPIC_ENABLED 1u
#define APIC_DEFAULT_BASE 0xfee00000u

struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum;
    uint8_t reserved[3];
} __attribute__((packed));

static uint8_t checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += b[i];
    return (uint8_t)(0 - sum);
}

static void header(struct acpi_header *h, const char sig[4], uint32_t length,
                   uint8_t revision)
{
    memcpy(h->signature, sig, 4);
    h->length = length;
    h->revision = revision;
    memcpy(h->oem_id, OEM_ID, 6);
    memcpy(h->oem_table_id, OEM_TABLE_ID, 8);
    h->oem_revision = 1;
    memcpy(&h->creator_id, "MICA", 4);
    h->creator_revision = 1;
}

static void seal(struct acpi_header *h)
{
    h->checksum = 0;
    h->checksum = checksum(h, h->length);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

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
    size_t madt_len = sizeof(struct acpi_header) + 8 + 8 * (size_t)nr_vcpus;
    size_t total = madt_off + madt_len;

    if (total > size || nr_vcpus == 0 || nr_vcpus > 255)
        return 0;
    memset(buf, 0, total);

    /* MADT: the local APIC address and flags, then one entry per vCPU. */
    struct acpi_header *madt = (struct acpi_header *)(buf + madt_off);
    header(madt, "APIC", (uint32_t)madt_len, 4);
    uint8_t *m = buf + madt_off + sizeof(*madt);
    put32(m, APIC_DEFAULT_BASE);
    put32(m + 4, 0);                            /* no 8259s: not PCAT_COMPAT */
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        uint8_t *e = m + 8 + 8 * i;
        e[0] = MADT_LAPIC;
        e[1] = 8;
        e[2] = (uint8_t)i;                      /* ACPI processor UID */
        e[3] = (uint8_t)i;                      /* APIC id */
        put32(e + 4, LAPIC_ENABLED);
    }
    seal(madt);

    struct acpi_header *dsdt = (struct acpi_header *)(buf + dsdt_off);
    header(dsdt, "DSDT", (uint32_t)dsdt_len, 2);
    seal(dsdt);

    struct acpi_header *fadt = (struct acpi_header *)(buf + fadt_off);
    header(fadt, "FACP", FADT_LENGTH, 6);
    uint8_t *f = buf + fadt_off;
    put32(f + 40, (uint32_t)(base + dsdt_off));     /* DSDT (32-bit) */
    put32(f + 112, FADT_HW_REDUCED_ACPI);           /* flags */
    uint16_t boot_arch = BOOT_ARCH_VGA_NOT_PRESENT | BOOT_ARCH_CMOS_RTC_ABSENT;
    memcpy(f + 109, &boot_arch, 2);                 /* IAPC_BOOT_ARCH */
    f[131] = 1;                                     /* minor revision: 6.1 */
    put64(f + 140, base + dsdt_off);                /* X_DSDT */
    seal(fadt);

    struct acpi_header *xsdt = (struct acpi_header *)(buf + xsdt_off);
    header(xsdt, "XSDT", (uint32_t)xsdt_len, 1);
    put64(buf + xsdt_off + sizeof(*xsdt), base + fadt_off);
    put64(buf + xsdt_off + sizeof(*xsdt) + 8, base + madt_off);
    seal(xsdt);

    struct rsdp *r = (struct rsdp *)(buf + rsdp_off);
    memcpy(r->signature, "RSD PTR ", 8);
    memcpy(r->oem_id, OEM_ID, 6);
    r->revision = 2;
    r->length = sizeof(*r);
    r->xsdt_address = base + xsdt_off;
    r->checksum = checksum(r, 20);
    r->extended_checksum = checksum(r, sizeof(*r));

    *rsdp_gpa = base + rsdp_off;
    return total;
}
