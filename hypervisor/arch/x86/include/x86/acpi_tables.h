/* ACPI tables for a PVH guest: RSDP, XSDT, a hardware-reduced FADT, an
 * empty DSDT and a MADT listing one local APIC per vCPU. Pure: builds into
 * a caller's buffer as it will sit at a guest-physical address. */
#ifndef X86_ACPI_TABLES_H
#define X86_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* Returns the bytes used, or 0 if `size` is too small. *rsdp_gpa gets the
 * RSDP's guest-physical address (it is placed first, 16-byte aligned). */
size_t acpi_build_guest_tables(uint8_t *buf, size_t size, uint64_t base_gpa,
                               unsigned int nr_vcpus, uint64_t *rsdp_gpa);

#endif
