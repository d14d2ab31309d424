/* TSC-based system time: set-up and the scale guests' pvclock uses. */
#ifndef X86_TIME_H
#define X86_TIME_H

#include <stdint.h>

/* After lapic_init_bsp() has measured the TSC. */
void time_init(void);
uint64_t tsc_to_ns(uint64_t tsc_delta);
/* Reads the RTC; after time_init(). */
void rtc_init(void);
/* The TSC value at system time 0 and the pvclock scale factors. */
void time_pvclock_params(uint64_t *tsc_base, uint32_t *mul, int8_t *shift);

#endif
