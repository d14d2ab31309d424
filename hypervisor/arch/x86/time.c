/* System time from the TSC, and the hardware side of software timers. */
#include <mica/arch.h>
#include <mica/time.h>
#include <x86/cpu.h>
#include <x86/lapic.h>
#include <x86/percpu.h>
#include <x86/time.h>

static uint64_t tsc_at_boot;
static uint32_t tsc_mul;        /* ns = (tsc delta << shift) * mul >> 32 */
static int8_t tsc_shift;

void time_init(void)
{
    uint64_t hz = tsc_frequency();

    tsc_at_boot = rdtsc();
    /* Choose shift so that mul = 1e9 * 2^32 / (hz << shift) fits 32 bits. */
    int8_t shift = 0;
    uint64_t scaled = hz;
    while (scaled < NSEC_PER_SEC / 2) {
        scaled <<= 1;
        shift++;
    }
    while (scaled >= 2 * NSEC_PER_SEC) {
        scaled >>= 1;
        shift--;
    }
    tsc_shift = shift;
    tsc_mul = (uint32_t)((NSEC_PER_SEC << 32) / scaled);
}

uint64_t tsc_to_ns(uint64_t delta)
{
    if (tsc_shift >= 0)
        delta <<= tsc_shift;
    else
        delta >>= -tsc_shift;
    return (uint64_t)(((unsigned __int128)delta * tsc_mul) >> 32);
}

void time_pvclock_params(uint64_t *tsc_base, uint32_t *mul, int8_t *shift)
{
    *tsc_base = tsc_at_boot;
    *mul = tsc_mul;
    *shift = tsc_shift;
}

uint64_t time_now(void)
{
    return tsc_to_ns(rdtsc() - tsc_at_boot);
}

void arch_timer_program(uint64_t deadline)
{
    if (!deadline) {
        lapic_timer_oneshot(0);
        return;
    }
    uint64_t now = time_now();
    lapic_timer_oneshot(deadline > now ? deadline - now : 1);
}

void arch_count_tick(void)
{
    this_cpu()->ticks++;
}

uint32_t arch_cpu_khz(void)
{
    return (uint32_t)(tsc_frequency() / 1000);
}
