/* ACPI tables for a PVH guest: RSDP, XSDT, a hardware-reduced FADT, an
 * empty DSDT and a MADT listing one local APIC per vCPU; for dom0, the
 * host's tables behind a new root. Pure: builds into a caller's buffer as
 * it will sit at a guest-physical address. */
#ifndef X86_ACPI_TABLES_H
#define X86_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* Returns the bytes used, or 0 if `size` is too small. *rsdp_gpa gets the
 * RSDP's guest-physical address (it is placed first, 16-byte aligned). */
size_t acpi_build_guest_tables(uint8_t *buf, size_t size, uint64_t base_gpa,
                               unsigned int nr_vcpus, uint64_t *rsdp_gpa);

/* The host's tables as dom0 should see them: the firmware's root list
 * (physical address and signature of each table) and its MADT. */
struct acpi_host_view {
    const uint64_t *table_pa;
    const char (*table_sig)[4];
    size_t count;
    const uint8_t *madt;
    size_t madt_len;
};

/* dom0's RSDP, XSDT and MADT: the XSDT lists the host's tables but for
 * those Mica keeps (MADT, replaced; DMAR/IVRS, the IOMMU; HPET; SRAT/SLIT;
 * MCFG, since dom0 reaches PCI config space through the trapped ports);
 * the MADT lists dom0's vCPUs and the host's I/O APICs and interrupt
 * source overrides, without PCAT_COMPAT (the 8259s stay Mica's). */
size_t acpi_build_dom0_tables(uint8_t *buf, size_t size, uint64_t base_gpa,
                              unsigned int nr_vcpus,
                              const struct acpi_host_view *host, uint64_t *rsdp_gpa);

#endif
