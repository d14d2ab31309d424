/* Small helpers for writing ACPI tables into a buffer. */
#ifndef X86_ACPI_BUILD_H
#define X86_ACPI_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <mica/string.h>
#include <x86/acpi.h>

#define ACPI_OEM_ID       "MICA  "
#define ACPI_OEM_TABLE_ID "MICAPVH "

struct acpi_rsdp {
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

static inline uint8_t acpi_checksum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += b[i];
    return (uint8_t)(0 - sum);
}

static inline void acpi_header(struct acpi_header *h, const char sig[4],
                               uint32_t length, uint8_t revision)
{
    memcpy(h->signature, sig, 4);
    h->length = length;
    h->revision = revision;
    memcpy(h->oem_id, ACPI_OEM_ID, 6);
    memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, 8);
    h->oem_revision = 1;
    memcpy(&h->creator_id, "MICA", 4);
    h->creator_revision = 1;
}

static inline void acpi_seal(struct acpi_header *h)
{
    h->checksum = 0;
    h->checksum = acpi_checksum(h, h->length);
}

static inline void acpi_put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void acpi_put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

#define ACPI_MADT_FIXED   (sizeof(struct acpi_header) + 8)
#define ACPI_MADT_LAPIC_BYTES 8

/* A MADT's header, local APIC address and flags (no PCAT_COMPAT: no 8259s
 * for guests), then one enabled local APIC per vCPU with APIC id = ACPI
 * UID = vCPU id. The caller adds further entries at the returned pointer
 * and seals the table. */
static inline uint8_t *acpi_madt_start(struct acpi_header *madt, uint32_t length,
                                       unsigned int nr_vcpus)
{
    uint8_t *m = (uint8_t *)(madt + 1);

    acpi_header(madt, "APIC", length, 4);
    acpi_put32(m, 0xfee00000u);
    acpi_put32(m + 4, 0);
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        uint8_t *e = m + 8 + ACPI_MADT_LAPIC_BYTES * i;
        e[0] = 0;                       /* processor local APIC */
        e[1] = ACPI_MADT_LAPIC_BYTES;
        e[2] = (uint8_t)i;              /* ACPI processor UID */
        e[3] = (uint8_t)i;              /* APIC id */
        acpi_put32(e + 4, 1);           /* enabled */
    }
    return m + 8 + ACPI_MADT_LAPIC_BYTES * nr_vcpus;
}

/* An ACPI 2.0 RSDP pointing at an XSDT. */
static inline void acpi_rsdp(struct acpi_rsdp *r, uint64_t xsdt)
{
    memcpy(r->signature, "RSD PTR ", 8);
    memcpy(r->oem_id, ACPI_OEM_ID, 6);
    r->revision = 2;
    r->length = sizeof(*r);
    r->xsdt_address = xsdt;
    r->checksum = acpi_checksum(r, 20);
    r->extended_checksum = acpi_checksum(r, sizeof(*r));
}

#endif
