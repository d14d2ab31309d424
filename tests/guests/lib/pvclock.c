/* Reading pvclock records: the version protocol and the TSC scaling. */
#include "pvclock.h"
#include "shared.h"
#include "smp.h"

static uint64_t rdtsc_ordered(void)
{
    uint32_t lo, hi;

    /* LFENCE keeps the TSC read from moving ahead of the record's loads. */
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

uint64_t pvclock_read(const volatile struct vcpu_time_info *t)
{
    uint32_t version, mul;
    uint64_t stamp, system, tsc;
    int8_t shift;

    do {
        version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        stamp = t->tsc_timestamp;
        system = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        tsc = rdtsc_ordered();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != t->version);

    uint64_t delta = tsc - stamp;
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    return system + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t pvclock_now(void)
{
    struct shared_info *s = shared_info_map();

    if (!s)
        return 0;
    return pvclock_read(&s->vcpu_info[smp_vcpu_id() % XEN_LEGACY_MAX_VCPUS].time);
}
