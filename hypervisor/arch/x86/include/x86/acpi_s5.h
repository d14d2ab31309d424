/* The S5 (soft-off) sleep type the firmware's DSDT declares, found by
 * scanning its AML for the \_S5 package rather than interpreting it: Mica
 * needs the one value to tell dom0's "power off" from other sleep states.
 * Pure, so that it is unit-tested on the host. */
#ifndef X86_ACPI_S5_H
#define X86_ACPI_S5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SLP_TYPa and SLP_TYPb of \_S5 (each 0-7) from the AML in aml[0, len);
 * false when there is no such package or it is malformed. */
bool acpi_aml_s5(const uint8_t *aml, size_t len, uint8_t slp_typ[2]);

#endif
