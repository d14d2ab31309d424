/* The local APIC (xAPIC or x2APIC): timer, EOI, and IPIs for CPU bring-up. */
#ifndef X86_LAPIC_H
#define X86_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Boot CPU: picks x2APIC when the CPU has it, enables the APIC and
 * calibrates the APIC timer and the TSC against the PIT. */
void lapic_init_bsp(void);
/* Other CPUs: enable the APIC in the mode the boot CPU chose. */
void lapic_init_ap(void);
/* Fires VECTOR_TIMER once, `ns` from now (0 stops the timer). */
void lapic_timer_oneshot(uint64_t ns);
void lapic_eoi(void);
uint32_t lapic_id(void);
bool lapic_is_x2apic(void);
uint64_t lapic_timer_frequency(void);
uint64_t tsc_frequency(void);

void lapic_send_fixed(uint32_t apic_id, uint8_t vector);
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint8_t page);

/* Busy-waits using the calibrated TSC. */
void udelay(uint64_t microseconds);

#endif
