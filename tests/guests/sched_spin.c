/*
 * sched_spin: a CPU hog for the fairness check. It spins for `ms=` (default
 * 2000) milliseconds of system time, counting loop iterations, and prints
 * "INFO spin count=<n> ms=<ms>". Two of them in two domains on one host CPU
 * must both make progress; the harness compares their counts. The spin
 * makes no hypercall, so only the scheduler's preemption lets the other in.
 */
#include "guest.h"
#include "pvclock.h"
#include "shared.h"

const char guest_name[] = "sched_spin";

#define DEFAULT_MS 2000
#define MAX_MS 60000

/* The decimal number in s, or -1 if s is not one (or above MAX_MS). */
static long parse_ms(const char *s)
{
    long n = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        n = n * 10 + (*s - '0');
        if (n > MAX_MS)
            return -1;
    }
    return n;
}

void guest_main(const struct hvm_start_info *si)
{
    char arg[16];
    long ms = DEFAULT_MS;

    if (cmdline_get(si, "ms", arg, sizeof(arg)))
        ms = parse_ms(arg);
    if (!CHECK(ms > 0, "spin", "ms_param", "want ms=1..%d, got \"%s\"", MAX_MS, arg))
        return;
    struct shared_info *shared = shared_info_map();
    if (!CHECK(shared != NULL, "spin", "shared_info", "XENMEM_add_to_physmap failed"))
        return;

    const volatile struct vcpu_time_info *t = &shared->vcpu_info[0].time;
    uint64_t start = pvclock_read(t);
    uint64_t end = start + (uint64_t)ms * NS_PER_MS;
    uint64_t count = 0;
    while (pvclock_read(t) < end)
        count++;

    guest_printf("INFO spin count=%lu ms=%ld\n", (unsigned long)count, ms);
    CHECK(count > 0, "spin", "progress", "no iteration in %ld ms", ms);
}
