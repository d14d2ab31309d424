/* The legacy 8254 PIT and 8259 PICs: a stopwatch for calibration, and
 * interrupt sources to silence. */
#ifndef X86_PIT_H
#define X86_PIT_H

#include <stdbool.h>

/* Waits `ms` (at most 50) milliseconds on PIT channel 2; false if the
 * PIT never signalled. */
bool pit_wait_ms(unsigned int ms);
/* Remaps the 8259 PICs away from exception vectors and masks them. */
void pic_disable(void);

#endif
