/*
 * timer: the vCPU timers against the pvclock. VCPUOP_set_singleshot_timer
 * fires VIRQ_TIMER no earlier than asked, refuses a past time with
 * VCPU_SSHOTTMR_future and fires at once without it; stopping it cancels
 * it; the periodic timer fires again and again and stops; set_timer_op
 * works and cancels. The pvclock never goes backwards over many reads and
 * hypercalls, and the wall-clock fields of shared_info are consistent.
 *
 * The timer port stays masked, so no upcall is ever due: the guest waits
 * with SCHEDOP_poll, which wakes for a polled port whether masked or not.
 */
#include "guest.h"
#include "pvclock.h"
#include "shared.h"

const char guest_name[] = "timer";

/* Upper bounds on lateness are loose on purpose: under QEMU's TCG a
 * guest's time slices and the host's load stretch every wait, so they
 * catch a timer that never fires or fires absurdly late, not jitter. */
#define LATE_NS (2 * NS_PER_SEC)
#define WAIT_NS (5 * NS_PER_SEC)
#define PERIOD_NS (10 * NS_PER_MS)
#define PERIODIC_FIRES 5
#define MONOTONIC_READS 200000
#define READS_PER_EXIT 1000
#define WRAPPED_DELAY_NS (100 * NS_PER_MS)   /* what Xen gives set_timer_op(2^63 + x) */

static struct shared_info *shared;
static evtchn_port_t timer_port;

static uint64_t now(void)
{
    return pvclock_read(&shared->vcpu_info[0].time);
}

static bool port_pending(evtchn_port_t port)
{
    return (__atomic_load_n(&shared->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) >>
            (port % 64)) & 1;
}

static void port_clear(evtchn_port_t port)
{
    __atomic_fetch_and(&shared->evtchn_pending[port / 64], ~(1UL << (port % 64)),
                       __ATOMIC_SEQ_CST);
}

static void port_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&shared->evtchn_mask[port / 64], 1UL << (port % 64),
                      __ATOMIC_SEQ_CST);
}

static long poll_one(evtchn_port_t port, uint64_t timeout)
{
    struct sched_poll p = { .ports = (uint64_t)(uintptr_t)&port, .nr_ports = 1,
                            .timeout = timeout };

    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

/* Polls until the port is pending (true) or system time reaches `until`
 * (false). A poll may also end early for another event: look again. */
static bool wait_port(evtchn_port_t port, uint64_t until)
{
    while (!port_pending(port)) {
        if (now() >= until)
            return false;
        if (poll_one(port, until) != 0)
            return false;
    }
    return true;
}

static long set_singleshot(uint64_t deadline, uint32_t flags)
{
    struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = deadline, .flags = flags };

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &s);
}

static long set_periodic(uint64_t period)
{
    struct vcpu_set_periodic_timer p = { .period_ns = period };

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
}

static long set_timer_op(uint64_t deadline)
{
    return hypercall1(__HYPERVISOR_set_timer_op, deadline);
}

/* A timer armed for `deadline` fired: the port is pending, and the time
 * it was seen is not before the deadline nor absurdly after it. */
static void check_fired(const char *name, uint64_t deadline)
{
    bool fired = wait_port(timer_port, deadline + WAIT_NS);
    uint64_t seen = now();

    CHECK(fired, "timer", name, "no VIRQ_TIMER within %lu ms of the deadline",
          (unsigned long)(WAIT_NS / NS_PER_MS));
    if (fired)
        CHECK(seen >= deadline && seen < deadline + LATE_NS, "timer", name,
              "seen at %ld us from the deadline", (long)(seen - deadline) / 1000);
    port_clear(timer_port);
}

/* Nothing fires until `until`; the wait ends on the poll's timeout. */
static void check_quiet(const char *name, uint64_t until)
{
    bool fired = wait_port(timer_port, until);
    uint64_t seen = now();

    CHECK(!fired && seen >= until, "timer", name, "fired %d, %ld us from the poll timeout",
          fired, (long)(seen - until) / 1000);
    port_clear(timer_port);
}

static void check_singleshot(void)
{
    uint64_t deadline = now() + 50 * NS_PER_MS;

    test_check_eq("singleshot", "set", set_singleshot(deadline, 0), 0);
    check_fired("singleshot_fires", deadline);

    deadline = now() + 20 * NS_PER_MS;
    test_check_eq("singleshot", "set_future", set_singleshot(deadline, VCPU_SSHOTTMR_future), 0);
    check_fired("singleshot_future_fires", deadline);

    test_check_eq("singleshot", "past_future_etime",
                  set_singleshot(now() - NS_PER_MS, VCPU_SSHOTTMR_future), -XEN_ETIME);
    check_quiet("past_future_not_armed", now() + 20 * NS_PER_MS);

    uint64_t t0 = now();
    test_check_eq("singleshot", "set_past", set_singleshot(t0 - NS_PER_MS, 0), 0);
    check_fired("past_fires_at_once", t0 - NS_PER_MS);

    deadline = now() + 30 * NS_PER_MS;
    test_check_eq("singleshot", "set_to_stop", set_singleshot(deadline, 0), 0);
    test_check_eq("singleshot", "stop",
                  HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
    check_quiet("stopped_does_not_fire", deadline + 70 * NS_PER_MS);

    /* Re-arming moves the one timer rather than adding a second. */
    deadline = now() + 20 * NS_PER_MS;
    set_singleshot(now() + 10 * NS_PER_SEC, 0);
    set_singleshot(deadline, 0);
    check_fired("rearm_moves", deadline);
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);

    test_check_eq("singleshot", "bad_pointer",
                  HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0,
                                     (void *)0xdead000000000000UL), -XEN_EFAULT);
}

static void check_periodic(void)
{
    uint64_t t0 = now();
    unsigned int fires = 0;

    test_check_eq("periodic", "set", set_periodic(PERIOD_NS), 0);
    while (fires < PERIODIC_FIRES && wait_port(timer_port, now() + WAIT_NS)) {
        port_clear(timer_port);
        fires++;
    }
    uint64_t elapsed = now() - t0;
    test_check_eq("periodic", "fires_repeatedly", fires, PERIODIC_FIRES);
    /* The k-th firing is due k periods after the set, never earlier. */
    CHECK(elapsed >= PERIODIC_FIRES * PERIOD_NS &&
          elapsed < PERIODIC_FIRES * PERIOD_NS + LATE_NS, "periodic", "spacing",
          "%u fires of a %lu ms period took %lu us", fires,
          (unsigned long)(PERIOD_NS / NS_PER_MS), (unsigned long)(elapsed / 1000));

    test_check_eq("periodic", "stop", HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    port_clear(timer_port);
    check_quiet("periodic_stopped", now() + 5 * PERIOD_NS);

    test_check_eq("periodic", "below_1ms", set_periodic(NS_PER_MS - 1), -XEN_EINVAL);
    test_check_eq("periodic", "beyond_int64", set_periodic(1ULL << 63), -XEN_EINVAL);
    test_check_eq("periodic", "bad_pointer",
                  HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0,
                                     (void *)0xdead000000000000UL), -XEN_EFAULT);
    check_quiet("periodic_refused_not_armed", now() + 3 * PERIOD_NS);
}

static void check_set_timer_op(void)
{
    uint64_t deadline = now() + 20 * NS_PER_MS;

    test_check_eq("set_timer_op", "set", set_timer_op(deadline), 0);
    check_fired("set_timer_op_fires", deadline);

    deadline = now() + 20 * NS_PER_MS;
    set_timer_op(deadline);
    test_check_eq("set_timer_op", "cancel", set_timer_op(0), 0);
    check_quiet("set_timer_op_cancelled", deadline + 50 * NS_PER_MS);

    /* A time with bit 63 set is a wrapped clock: Xen fires 100 ms on. */
    uint64_t t0 = now();
    test_check_eq("set_timer_op", "wrapped", set_timer_op((1ULL << 63) | 12345), 0);
    check_fired("wrapped_fires_soon", t0 + WRAPPED_DELAY_NS);
}

static void check_monotonic(void)
{
    const volatile struct vcpu_time_info *t = &shared->vcpu_info[0].time;
    uint64_t prev = pvclock_read(t);
    unsigned int backwards = 0;
    uint64_t worst = 0;

    for (unsigned int i = 0; i < MONOTONIC_READS; i++) {
        /* An exit now and then: the record is rewritten at every entry. */
        if (i % READS_PER_EXIT == 0)
            HYPERVISOR_xen_version(XENVER_version, NULL);
        uint64_t cur = pvclock_read(t);
        if (cur < prev) {
            backwards++;
            if (prev - cur > worst)
                worst = prev - cur;
        }
        prev = cur;
    }
    CHECK(backwards == 0, "pvclock", "monotonic", "%u of %u reads went back, by up to %lu ns",
          backwards, MONOTONIC_READS, (unsigned long)worst);
    CHECK(t->flags & XEN_PVCLOCK_TSC_STABLE_BIT, "pvclock", "tsc_stable", "flags %#x",
          t->flags);
    CHECK((t->version & 1) == 0, "pvclock", "version_even", "version %u", t->version);
}

static void check_wallclock(void)
{
    const volatile struct shared_info *s = shared;
    uint32_t version, sec, nsec, sec_hi;

    /* Versioned like the pvclock: odd while the hypervisor writes. */
    do {
        version = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        sec = s->wc_sec;
        nsec = s->wc_nsec;
        sec_hi = s->wc_sec_hi;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != s->wc_version);
    CHECK(nsec < NS_PER_SEC, "wallclock", "nsec_range", "wc_nsec %u", nsec);
    guest_printf("INFO wallclock version=%u sec=%lu nsec=%u\n", version,
                 (unsigned long)(((uint64_t)sec_hi << 32) | sec), nsec);
}

void guest_main(const struct hvm_start_info *si)
{
    (void)si;
    shared = shared_info_map();
    if (!CHECK(shared != NULL, "timer", "shared_info", "XENMEM_add_to_physmap failed"))
        return;

    struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
    if (!test_check_eq("timer", "bind_virq", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b), 0))
        return;
    timer_port = b.port;
    port_mask(timer_port);
    /* Linux's first step: it must succeed for the one-shot clockevent. */
    test_check_eq("periodic", "stop_at_start",
                  HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);

    check_singleshot();
    check_periodic();
    check_set_timer_op();
    check_monotonic();
    check_wallclock();
}
