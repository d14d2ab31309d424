/* Bringing up the other CPUs that the MADT lists. */
#ifndef X86_SMP_H
#define X86_SMP_H

#include <stddef.h>
#include <stdint.h>

/* Starts every CPU in the MADT (at most max_cpus in all, 0 = no cap).
 * With no usable MADT only the boot CPU runs. */
void smp_boot(const uint8_t *rsdp, size_t rsdp_len, unsigned int max_cpus);

#endif
