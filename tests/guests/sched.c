/*
 * sched: SCHEDOP_* from a guest with two vCPUs (dom0_max_vcpus=2 or
 * domu_vcpus=2). yield returns; block wakes for an event sent before it,
 * for a timer and for an IPI that vCPU 1 sends while vCPU 0 sleeps, but
 * not for a masked port; poll returns at once for a pending port, at its
 * timeout for idle ones, wakes for a masked port sent to, and refuses bad
 * ports, too many ports and bad pointers; shutdown_code records a reason
 * without shutting down. The guest ends with a power-off, which the
 * hypervisor must report as the recorded reboot.
 */
#include "guest.h"
#include "pvclock.h"
#include "shared.h"
#include "smp.h"

const char guest_name[] = "sched";

/* Bounds on lateness are loose on purpose (TCG time slices and host load
 * stretch every wait); they catch a wake-up that never comes. */
#define LATE_NS (2 * NS_PER_SEC)
#define WAIT_NS (5 * NS_PER_SEC)
#define HELPER_DELAY_NS (30 * NS_PER_MS)
#define POLL_MAX_PORTS 128
#define MAX_PORT 4096               /* the 2-level ABI's limit */
#define BAD_POINTER ((void *)0xdead000000000000UL)

static struct shared_info *shared;
static evtchn_port_t timer_port;

/* vCPU 1 sends helper_port once system time reaches helper_at, each time
 * helper_req moves on; helper_done says which request it finished. */
static volatile evtchn_port_t helper_port;
static volatile uint64_t helper_at;
static volatile unsigned int helper_req, helper_done;
static volatile bool helper_quit;

static uint64_t now_on(unsigned int vcpu)
{
    return pvclock_read(&shared->vcpu_info[vcpu].time);
}

static uint64_t now(void)
{
    return now_on(0);
}

static bool port_pending(evtchn_port_t port)
{
    return (__atomic_load_n(&shared->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) >>
            (port % 64)) & 1;
}

static void port_set_mask(evtchn_port_t port, bool masked)
{
    uint64_t bit = 1UL << (port % 64);

    if (masked)
        __atomic_fetch_or(&shared->evtchn_mask[port / 64], bit, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&shared->evtchn_mask[port / 64], ~bit, __ATOMIC_SEQ_CST);
}

/* Forgets every event: pending bits, vCPU 0's selector and upcall flag. */
static void clear_events(void)
{
    for (unsigned int i = 0; i < 64; i++)
        __atomic_store_n(&shared->evtchn_pending[i], 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&shared->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&shared->vcpu_info[0].evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
}

static long bind_ipi(evtchn_port_t *port)
{
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b);

    *port = b.port;
    return rc;
}

static long send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

static long poll_ports(const evtchn_port_t *ports, uint32_t n, uint64_t timeout)
{
    struct sched_poll p = { .ports = (uint64_t)(uintptr_t)ports, .nr_ports = n,
                            .timeout = timeout };

    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static long set_singleshot(uint64_t deadline)
{
    struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = deadline };

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &s);
}

static long shutdown_code(uint32_t reason)
{
    struct sched_shutdown s = { .reason = reason };

    return HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &s);
}

static void helper(unsigned int vcpu)
{
    unsigned int seen = 0;

    while (!helper_quit) {
        if (helper_req == seen) {
            smp_yield();
            continue;
        }
        seen = helper_req;
        /* Sleep on no ports at all: only the timeout ends it. */
        while (now_on(vcpu) < helper_at)
            poll_ports(NULL, 0, helper_at);
        send(helper_port);
        helper_done = seen;
    }
}

static void helper_send_at(evtchn_port_t port, uint64_t at)
{
    helper_port = port;
    helper_at = at;
    __atomic_fetch_add(&helper_req, 1, __ATOMIC_SEQ_CST);
}

static bool helper_finished(void)
{
    uint64_t limit = now() + WAIT_NS;

    while (helper_done != helper_req && now() < limit)
        smp_yield();
    return helper_done == helper_req;
}

/* SCHEDOP_block until `port` is pending or `limit`; a timer at `limit`
 * bounds the wait. Returns the time it woke for good. */
static uint64_t block_for(evtchn_port_t port, uint64_t limit)
{
    set_singleshot(limit);
    while (!port_pending(port) && !port_pending(timer_port))
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    uint64_t t = now();
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
    return t;
}

static void check_yield(void)
{
    long rc = 0;

    for (unsigned int i = 0; i < 10 && rc == 0; i++)
        rc = HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    test_check_eq("yield", "returns", rc, 0);
}

static void check_block(evtchn_port_t ipi, bool have_helper)
{
    clear_events();
    test_check_eq("block", "send_before", send(ipi), 0);
    uint64_t t0 = now();
    test_check_eq("block", "returns", HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
    CHECK(port_pending(ipi) && now() - t0 < LATE_NS, "block", "event_before_wakes_at_once",
          "pending %d after %lu us", port_pending(ipi), (unsigned long)(now() - t0) / 1000);

    clear_events();
    uint64_t deadline = now() + 30 * NS_PER_MS;
    set_singleshot(deadline);
    while (!port_pending(timer_port) && now() < deadline + WAIT_NS)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    CHECK(port_pending(timer_port) && now() >= deadline, "block", "timer_wakes",
          "pending %d at %ld us from the deadline", port_pending(timer_port),
          (long)(now() - deadline) / 1000);

    if (!have_helper)
        return;
    clear_events();
    uint64_t at = now() + HELPER_DELAY_NS;
    helper_send_at(ipi, at);
    uint64_t woke = block_for(ipi, at + WAIT_NS);
    CHECK(port_pending(ipi) && woke >= at, "block", "ipi_from_vcpu1_wakes",
          "pending %d, woke %ld us from the send time", port_pending(ipi),
          (long)(woke - at) / 1000);
    helper_finished();

    /* A masked port is marked pending but wakes no one: the timer does. */
    clear_events();
    port_set_mask(ipi, true);
    at = now() + HELPER_DELAY_NS;
    uint64_t limit = at + 60 * NS_PER_MS;
    helper_send_at(ipi, at);
    set_singleshot(limit);
    while (!port_pending(timer_port) && now() < limit + WAIT_NS)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    woke = now();
    helper_finished();
    CHECK(port_pending(ipi) && woke >= limit, "block", "masked_port_does_not_wake",
          "pending %d, woke %ld us before the timer", port_pending(ipi),
          (long)(limit - woke) / 1000);
    port_set_mask(ipi, false);
    clear_events();
}

static void check_poll(evtchn_port_t ipi, bool have_helper)
{
    static evtchn_port_t many[POLL_MAX_PORTS + 1];
    evtchn_port_t quiet;

    if (!test_check_eq("poll", "bind_second_ipi", bind_ipi(&quiet), 0))
        return;
    port_set_mask(ipi, true);
    port_set_mask(quiet, true);
    clear_events();

    send(ipi);
    uint64_t t0 = now();
    test_check_eq("poll", "pending_returns", poll_ports(&ipi, 1, t0 + WAIT_NS), 0);
    CHECK(now() - t0 < LATE_NS, "poll", "pending_at_once", "took %lu us",
          (unsigned long)(now() - t0) / 1000);
    evtchn_port_t pair[2] = { quiet, ipi };
    t0 = now();
    poll_ports(pair, 2, t0 + WAIT_NS);
    CHECK(now() - t0 < LATE_NS, "poll", "second_of_two_pending_at_once", "took %lu us",
          (unsigned long)(now() - t0) / 1000);
    clear_events();

    uint64_t timeout = now() + 50 * NS_PER_MS;
    test_check_eq("poll", "idle_returns", poll_ports(&quiet, 1, timeout), 0);
    uint64_t t = now();
    CHECK(t >= timeout && t < timeout + LATE_NS, "poll", "idle_until_timeout",
          "returned %ld us from the timeout", (long)(t - timeout) / 1000);

    t0 = now();
    test_check_eq("poll", "past_timeout", poll_ports(&quiet, 1, t0 - NS_PER_MS), 0);
    CHECK(now() - t0 < LATE_NS, "poll", "past_timeout_at_once", "took %lu us",
          (unsigned long)(now() - t0) / 1000);

    /* As on Xen, a port in range that is not bound is never pending. */
    evtchn_port_t unbound = MAX_PORT - 1;
    timeout = now() + 20 * NS_PER_MS;
    test_check_eq("poll", "unbound_port", poll_ports(&unbound, 1, timeout), 0);
    CHECK(now() >= timeout, "poll", "unbound_until_timeout", "returned early");

    for (unsigned int i = 0; i < POLL_MAX_PORTS + 1; i++)
        many[i] = quiet;
    timeout = now() + 20 * NS_PER_MS;
    test_check_eq("poll", "max_ports", poll_ports(many, POLL_MAX_PORTS, timeout), 0);
    CHECK(now() >= timeout, "poll", "max_ports_until_timeout", "returned early");
    test_check_eq("poll", "too_many_ports", poll_ports(many, POLL_MAX_PORTS + 1, 0),
                  -XEN_EINVAL);

    evtchn_port_t bad = MAX_PORT;
    test_check_eq("poll", "port_4096", poll_ports(&bad, 1, 0), -XEN_EINVAL);
    bad = ~0u;
    test_check_eq("poll", "port_all_ones", poll_ports(&bad, 1, 0), -XEN_EINVAL);
    evtchn_port_t bad_second[2] = { quiet, MAX_PORT };
    test_check_eq("poll", "bad_second_port", poll_ports(bad_second, 2, 0), -XEN_EINVAL);
    test_check_eq("poll", "bad_ports_pointer", poll_ports(BAD_POINTER, 1, 0), -XEN_EFAULT);
    test_check_eq("poll", "bad_arg_pointer",
                  HYPERVISOR_sched_op(SCHEDOP_poll, BAD_POINTER), -XEN_EFAULT);

    if (have_helper) {
        uint64_t at = now() + HELPER_DELAY_NS;
        helper_send_at(quiet, at);
        while (!port_pending(quiet) && now() < at + WAIT_NS)
            poll_ports(&quiet, 1, at + WAIT_NS);
        t = now();
        helper_finished();
        CHECK(port_pending(quiet) && t >= at, "poll", "masked_port_sent_wakes",
              "pending %d, woke %ld us from the send time", port_pending(quiet),
              (long)(t - at) / 1000);
    }
    port_set_mask(ipi, false);
    port_set_mask(quiet, false);
    clear_events();
}

static void check_shutdown_calls(void)
{
    test_check_eq("shutdown", "code_reboot", shutdown_code(SHUTDOWN_reboot), 0);
    /* Still here: recording is not shutting down. A second code is
     * accepted but the first one stays. */
    test_check_eq("shutdown", "code_crash_after", shutdown_code(SHUTDOWN_crash), 0);
    test_check_eq("shutdown", "code_bad_reason", shutdown_code(SHUTDOWN_MAX + 1), -XEN_EINVAL);
    struct sched_shutdown s = { .reason = SHUTDOWN_MAX + 1 };
    test_check_eq("shutdown", "bad_reason", HYPERVISOR_sched_op(SCHEDOP_shutdown, &s),
                  -XEN_EINVAL);
    test_check_eq("shutdown", "bad_pointer",
                  HYPERVISOR_sched_op(SCHEDOP_shutdown, BAD_POINTER), -XEN_EFAULT);

    domid_t self = (domid_t)cpuid(xen_cpuid_base() + 4, 0).ecx;
    struct sched_remote_shutdown r = { .domain_id = 50, .reason = SHUTDOWN_poweroff };
    test_check_eq("shutdown", "remote_no_such_domain",
                  HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &r),
                  self == 0 ? -XEN_ESRCH : -XEN_EPERM);
    test_check_eq("sched", "unknown_cmd", HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
    guest_printf("INFO sched shutdown_code recorded reboot; powering off\n");
}

void guest_main(const struct hvm_start_info *si)
{
    (void)si;
    shared = shared_info_map();
    if (!CHECK(shared != NULL, "sched", "shared_info", "XENMEM_add_to_physmap failed"))
        return;
    struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
    evtchn_port_t ipi;
    if (!test_check_eq("sched", "bind_timer", HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b), 0) ||
        !test_check_eq("sched", "bind_ipi", bind_ipi(&ipi), 0))
        return;
    timer_port = b.port;
    bool have_helper = test_check_eq("sched", "start_vcpu1", smp_start(1, helper), 0);

    check_yield();
    check_block(ipi, have_helper);
    check_poll(ipi, have_helper);

    if (have_helper) {
        helper_quit = true;
        uint64_t limit = now() + WAIT_NS;
        while (HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL) == 1 && now() < limit)
            smp_yield();
        test_check_eq("sched", "vcpu1_down", HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    }
    check_shutdown_calls();
}
