/* The machine's I/O APICs, which Mica programs on dom0's behalf: every
 * pin starts masked; a pin dom0 enables is steered to a vector of Mica's
 * on the boot CPU, and irq.c hands it to whoever bound the GSI. */
#ifndef X86_IOAPIC_H
#define X86_IOAPIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOAPIC_MAX 8

struct host_ioapic {
    uint64_t base;
    uint8_t id;
    uint32_t gsi_base;
    unsigned int pins;
};

/* Finds the I/O APICs in the MADT and masks all their pins. */
void ioapic_init(const uint8_t *rsdp, size_t rsdp_len);
unsigned int ioapic_count(void);
const struct host_ioapic *ioapic_get(unsigned int i);
/* Steers a GSI to `vector` on the CPU with APIC id `dest`, with the given
 * trigger mode and polarity, masked or not. False for an unknown GSI. */
bool ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest, bool level,
                  bool active_low, bool masked);
void ioapic_set_masked(uint32_t gsi, bool masked);

#endif
