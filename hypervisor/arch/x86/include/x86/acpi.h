/* The ACPI tables Mica reads: RSDP -> RSDT/XSDT -> MADT, for the CPU list. */
#ifndef X86_ACPI_H
#define X86_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __attribute__((packed));

struct madt_cpu {
    uint32_t apic_id;
    uint32_t acpi_uid;
};

struct madt_ioapic {
    uint8_t id;
    uint32_t address;
    uint32_t gsi_base;
};

bool acpi_checksum_ok(const void *p, size_t len);

/* Lists the MADT's I/O APIC entries, in table order; returns how many
 * were stored (at most max). */
size_t madt_parse_ioapics(const void *madt, size_t len, struct madt_ioapic *out,
                          size_t max);

/* Lists the usable CPUs in a MADT (enabled or online-capable local APIC
 * and x2APIC entries), in table order, skipping malformed entries and
 * duplicates. Returns how many were stored in cpus (at most max). */
size_t madt_parse_cpus(const void *madt, size_t len, struct madt_cpu *cpus,
                       size_t max);

/* Validates the RSDP copy from boot_info and finds a table by signature;
 * NULL if ACPI is absent, broken, or has no such table. */
/* The table at physical address pa if its length and checksum are sane. */
const struct acpi_header *acpi_table_at(uint64_t pa);
const struct acpi_header *acpi_find_table(const uint8_t *rsdp, size_t rsdp_len,
                                          const char signature[4]);

/* The firmware's root list: physical address and signature of each valid
 * table, at most max; returns how many. */
size_t acpi_root_tables(const uint8_t *rsdp, size_t rsdp_len, uint64_t *pa,
                        char (*sig)[4], size_t max);

/* Keeps a copy of the boot RSDP for later users (dom0's tables). */
void acpi_init(const uint8_t *rsdp, size_t len);
const uint8_t *acpi_host_rsdp(size_t *len);

#endif
