/* Parking the other CPUs around one action (x86/quiesce.h). Rounds are
 * numbered; a CPU parks for the round its request names and leaves when
 * that round is over, so a late or withdrawn request never holds it. */
#include <mica/log.h>
#include <mica/spinlock.h>
#include <x86/cpu.h>
#include <x86/lapic.h>
#include <x86/percpu.h>
#include <x86/quiesce.h>
#include <x86/regs.h>

static spinlock_t quiesce_lock = SPINLOCK_INIT;
/* The last round that ended; round N + 1 is the one under way, if any. */
static volatile uint64_t rounds_done;
/* Per CPU: the round it is asked to park for (0: none), and the last round
 * it parked for. */
static volatile uint64_t park_request[MAX_CPUS];
static volatile uint64_t parked_for[MAX_CPUS];

/* Parks this CPU if a round asked it to: by the IPI, or while it waits to
 * start a round of its own (it cannot take the IPI then). */
static void park_if_requested(void)
{
    unsigned int cpu = this_cpu()->cpu_id;
    uint64_t round = __atomic_exchange_n(&park_request[cpu], 0, __ATOMIC_ACQ_REL);

    if (!round)
        return;
    __atomic_store_n(&parked_for[cpu], round, __ATOMIC_RELEASE);
    while (__atomic_load_n(&rounds_done, __ATOMIC_ACQUIRE) < round)
        __builtin_ia32_pause();
}

void quiesce_answer(void)
{
    park_if_requested();
}

static unsigned int count_parked(uint64_t round)
{
    unsigned int n = 0;

    for (unsigned int cpu = 0; cpu < cpus_possible; cpu++)
        if (__atomic_load_n(&parked_for[cpu], __ATOMIC_ACQUIRE) == round)
            n++;
    return n;
}

void quiesce_others_and_run(void (*action)(void *arg), void *arg)
{
    unsigned int self = this_cpu()->cpu_id, asked = 0, parked;

    while (!spin_trylock(&quiesce_lock))
        park_if_requested();
    uint64_t round = rounds_done + 1;
    for (unsigned int cpu = 0; cpu < cpus_possible; cpu++) {
        if (cpu == self || !percpu_area[cpu].online)
            continue;
        __atomic_store_n(&park_request[cpu], round, __ATOMIC_RELEASE);
        lapic_send_fixed(percpu_area[cpu].apic_id, VECTOR_QUIESCE);
        asked++;
    }
    uint64_t deadline = rdtsc() + tsc_frequency() / 1000000 * QUIESCE_TIMEOUT_US;
    while ((parked = count_parked(round)) < asked && rdtsc() < deadline)
        __builtin_ia32_pause();
    if (parked < asked) {
        /* Withdrawn: the IPI, when it lands, then finds nothing to do. */
        for (unsigned int cpu = 0; cpu < cpus_possible; cpu++)
            __atomic_compare_exchange_n(&park_request[cpu], &(uint64_t){ round }, 0, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
        log_warn("mica: CPU %u went ahead with %u of %u other CPUs parked\n",
                 self, parked, asked);
    }
    action(arg);
    __atomic_store_n(&rounds_done, round, __ATOMIC_RELEASE);
    spin_unlock(&quiesce_lock);
}
