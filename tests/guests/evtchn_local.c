/*
 * evtchn_local: event channels inside one domain. IPIs to itself with the
 * upcall on and off, masking and unmasking, an interdomain channel looped
 * back to itself, VIRQ_TIMER and a global VIRQ, SCHEDOP_poll and
 * SCHEDOP_block, every port state through EVTCHNOP_status, running out of
 * ports, and the errors for bad ports, vCPUs, VIRQs and commands. Runs
 * best with two vCPUs (dom0_max_vcpus=2 or domu_vcpus=2): the global VIRQ
 * is moved to vCPU 1 and back.
 */
#include "guest.h"
#include "events.h"
#include "irq.h"
#include "pvclock.h"

const char guest_name[] = "evtchn_local";

#define WAIT_NS (2 * NS_PER_SEC)

static domid_t self;

static long poll_ports(evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
    struct sched_poll p = { .ports = (uint64_t)(uintptr_t)ports, .nr_ports = n,
                            .timeout = timeout };

    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static bool word_selected(evtchn_port_t port)
{
    return (events_shared_info()->vcpu_info[0].evtchn_pending_sel >> (port / 64)) & 1;
}

static void check_status(const char *name, evtchn_port_t port, uint32_t want_status,
                         uint32_t want_vcpu)
{
    struct evtchn_status st;
    long rc = evtchn_status(DOMID_SELF, port, &st);

    CHECK(rc == 0 && st.status == want_status && st.vcpu == want_vcpu, "status", name,
          "port %u: rc %ld status %u vcpu %u, want status %u vcpu %u", port, rc,
          st.status, st.vcpu, want_status, want_vcpu);
}

static void check_ipi(void)
{
    evtchn_port_t p;
    struct vcpu_info *vi = &events_shared_info()->vcpu_info[0];

    if (!test_check_eq("ipi", "bind", evtchn_bind_ipi(0, &p), 0))
        return;
    CHECK(p != 0, "ipi", "port_nonzero", "got port 0");
    check_status("ipi", p, EVTCHNSTAT_ipi, 0);

    test_check_eq("ipi", "send", evtchn_send(p), 0);
    CHECK(events_wait(p, 1, WAIT_NS), "ipi", "upcall", "handler saw port %u %u times",
          p, events_seen(p));
    CHECK(!evtchn_is_pending(p), "ipi", "handler_cleared", "port %u still pending", p);

    /* Interrupts off: the event waits, flagged, until they are on again. */
    irq_disable();
    uint64_t taken = irq_count();
    evtchn_send(p);
    bool flagged = evtchn_is_pending(p) && vi->evtchn_upcall_pending && word_selected(p);
    bool held = irq_count() == taken;
    irq_enable();
    CHECK(flagged, "ipi", "flags_with_irqs_off", "pending %d upcall_pending %u sel %#lx",
          evtchn_is_pending(p), vi->evtchn_upcall_pending,
          (unsigned long)vi->evtchn_pending_sel);
    CHECK(held, "ipi", "held_with_irqs_off", "upcall taken with IF clear");
    CHECK(events_wait(p, 2, WAIT_NS), "ipi", "delivered_on_sti", "seen %u, want 2",
          events_seen(p));

    /* Masked: pending but no upcall, until EVTCHNOP_unmask. */
    evtchn_mask(p);
    taken = irq_count();
    unsigned int seen = events_seen(p);
    test_check_eq("mask", "send_masked", evtchn_send(p), 0);
    CHECK(evtchn_is_pending(p) && !vi->evtchn_upcall_pending && !word_selected(p) &&
          irq_count() == taken && events_seen(p) == seen, "mask", "no_upcall",
          "pending %d upcall_pending %u sel %#lx upcalls %lu->%lu",
          evtchn_is_pending(p), vi->evtchn_upcall_pending,
          (unsigned long)vi->evtchn_pending_sel, (unsigned long)taken,
          (unsigned long)irq_count());

    /* A masked pending port satisfies SCHEDOP_poll at once. */
    test_check_eq("poll", "pending_port", poll_ports(&p, 1, 0), 0);
    test_check_eq("mask", "unmask", evtchn_unmask(p), 0);
    CHECK(!evtchn_is_masked(p), "mask", "unmask_clears_bit", "port %u still masked", p);
    CHECK(events_wait(p, seen + 1, WAIT_NS), "mask", "unmask_raises_upcall",
          "seen %u, want %u", events_seen(p), seen + 1);

    /* Nothing pending: the poll sleeps until its timeout. */
    evtchn_mask(p);
    uint64_t start = pvclock_now();
    test_check_eq("poll", "timeout", poll_ports(&p, 1, start + 5 * NS_PER_MS), 0);
    uint64_t slept = pvclock_now() - start;
    CHECK(slept >= 5 * NS_PER_MS, "poll", "timeout_waited", "returned after %lu ns",
          (unsigned long)slept);
    evtchn_port_t bad = EVTCHN_2L_NR_CHANNELS;
    test_check_eq("poll", "bad_port", poll_ports(&bad, 1, 0), -XEN_EINVAL);
    evtchn_unmask(p);

    test_check_eq("ipi", "bind_vcpu_refused", evtchn_bind_vcpu(p, 0), -XEN_EINVAL);
    evtchn_port_t unused;
    test_check_eq("ipi", "bad_vcpu", evtchn_bind_ipi(XEN_LEGACY_MAX_VCPUS, &unused),
                  -XEN_ENOENT);
    test_check_eq("ipi", "bad_vcpu_all_ones", evtchn_bind_ipi(~0u, &unused), -XEN_ENOENT);

    test_check_eq("close", "ipi", evtchn_close(p), 0);
    check_status("closed", p, EVTCHNSTAT_closed, 0);
    test_check_eq("close", "send_after_close", evtchn_send(p), -XEN_EINVAL);
    test_check_eq("close", "close_twice", evtchn_close(p), -XEN_EINVAL);
}

static void check_loopback(void)
{
    evtchn_port_t a, b, c;
    struct evtchn_status st;
    long rc;

    if (!test_check_eq("loopback", "alloc_unbound",
                       evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0))
        return;
    rc = evtchn_status(DOMID_SELF, a, &st);
    CHECK(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == self,
          "status", "unbound", "rc %ld status %u dom %u", rc, st.status, st.u.unbound.dom);

    if (!test_check_eq("loopback", "bind_interdomain",
                       evtchn_bind_interdomain(DOMID_SELF, a, &b), 0))
        return;
    CHECK(b != a, "loopback", "new_port", "both ends are port %u", a);
    CHECK(events_wait(b, 1, WAIT_NS), "loopback", "bound_end_starts_pending",
          "seen %u", events_seen(b));
    rc = evtchn_status(DOMID_SELF, a, &st);
    CHECK(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == self &&
          st.u.interdomain.port == b, "status", "interdomain",
          "rc %ld status %u dom %u port %u", rc, st.status, st.u.interdomain.dom,
          st.u.interdomain.port);
    rc = evtchn_status(DOMID_SELF, b, &st);
    CHECK(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.port == a,
          "status", "interdomain_other_end", "rc %ld status %u port %u", rc, st.status,
          st.u.interdomain.port);

    test_check_eq("loopback", "send_a", evtchn_send(a), 0);
    CHECK(events_wait(b, 2, WAIT_NS), "loopback", "a_notifies_b", "seen %u",
          events_seen(b));
    test_check_eq("loopback", "send_b", evtchn_send(b), 0);
    CHECK(events_wait(a, 1, WAIT_NS), "loopback", "b_notifies_a", "seen %u",
          events_seen(a));
    test_check_eq("loopback", "bind_vcpu", evtchn_bind_vcpu(a, 0), 0);
    test_check_eq("loopback", "bind_bound_port", evtchn_bind_interdomain(DOMID_SELF, a, &c),
                  -XEN_EINVAL);

    /* Closing one end leaves the other waiting for a new partner. */
    test_check_eq("close", "interdomain", evtchn_close(b), 0);
    rc = evtchn_status(DOMID_SELF, a, &st);
    CHECK(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == self,
          "close", "peer_unbound", "rc %ld status %u dom %u", rc, st.status,
          st.u.unbound.dom);
    test_check_eq("close", "send_unbound_dropped", evtchn_send(a), 0);
    test_check_eq("close", "send_closed_end", evtchn_send(b), -XEN_EINVAL);
    if (test_check_eq("loopback", "rebind", evtchn_bind_interdomain(DOMID_SELF, a, &c), 0)) {
        unsigned int seen = events_seen(a);
        evtchn_send(c);
        CHECK(events_wait(a, seen + 1, WAIT_NS), "loopback", "rebound_notifies",
              "seen %u", events_seen(a));
        evtchn_close(c);
    }
    test_check_eq("close", "unbound", evtchn_close(a), 0);
}

static void check_virqs(void)
{
    evtchn_port_t t = events_timer_port(), p;
    struct evtchn_status st;
    long rc = evtchn_status(DOMID_SELF, t, &st);

    CHECK(rc == 0 && st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER && st.vcpu == 0,
          "status", "virq", "rc %ld status %u virq %u vcpu %u", rc, st.status, st.u.virq,
          st.vcpu);
    /* Interrupts off from before the timer is set, so that the VIRQ waits
     * in its pending bit for SCHEDOP_poll to see, however slow we are. */
    unsigned int seen = events_seen(t);
    irq_disable();
    uint64_t start = pvclock_now();
    struct vcpu_set_singleshot_timer sst = { .timeout_abs_ns = start + NS_PER_MS };
    long set = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &sst);
    long polled = poll_ports(&t, 1, start + WAIT_NS);
    bool pending = evtchn_is_pending(t);
    uint64_t woke = pvclock_now();
    irq_window();
    irq_enable();
    test_check_eq("virq", "singleshot", set, 0);
    CHECK(polled == 0 && pending && woke - start < WAIT_NS, "virq", "timer_wakes_poll",
          "poll rc %ld, port pending %d after %lu ns", polled, pending,
          (unsigned long)(woke - start));
    CHECK(events_seen(t) == seen + 1, "virq", "timer_upcall", "seen %u, want %u",
          events_seen(t), seen + 1);

    test_check_eq("virq", "bind_twice", evtchn_bind_virq(VIRQ_TIMER, 0, &p), -XEN_EEXIST);
    test_check_eq("virq", "close", evtchn_close(t), 0);
    if (test_check_eq("virq", "rebind", evtchn_bind_virq(VIRQ_TIMER, 0, &t), 0))
        test_check_eq("virq", "rebind_twice", evtchn_bind_virq(VIRQ_TIMER, 0, &p),
                      -XEN_EEXIST);
    test_check_eq("virq", "send_refused", evtchn_send(t), -XEN_EINVAL);
    test_check_eq("virq", "per_vcpu_stays", evtchn_bind_vcpu(t, 0), -XEN_EINVAL);

    test_check_eq("virq", "bad_number", evtchn_bind_virq(NR_VIRQS, 0, &p), -XEN_EINVAL);
    test_check_eq("virq", "bad_number_all_ones", evtchn_bind_virq(~0u, 0, &p), -XEN_EINVAL);
    test_check_eq("virq", "bad_vcpu", evtchn_bind_virq(VIRQ_TIMER, XEN_LEGACY_MAX_VCPUS, &p),
                  -XEN_ENOENT);
    test_check_eq("virq", "bad_vcpu_all_ones", evtchn_bind_virq(VIRQ_TIMER, ~0u, &p),
                  -XEN_ENOENT);
    test_check_eq("virq", "global_on_vcpu1", evtchn_bind_virq(VIRQ_CONSOLE, 1, &p),
                  -XEN_EINVAL);

    /* A global VIRQ may move to another vCPU; closing it there must free
     * the binding so that it can be bound again. */
    if (!test_check_eq("virq", "bind_global", evtchn_bind_virq(VIRQ_CONSOLE, 0, &p), 0))
        return;
    rc = evtchn_bind_vcpu(p, 1);
    if (rc == -XEN_ENOENT) {
        guest_printf("INFO one vCPU: global VIRQ not moved\n");
    } else if (test_check_eq("virq", "global_bind_vcpu1", rc, 0)) {
        check_status("virq_moved", p, EVTCHNSTAT_virq, 1);
    }
    test_check_eq("virq", "close_global", evtchn_close(p), 0);
    if (test_check_eq("virq", "rebind_global", evtchn_bind_virq(VIRQ_CONSOLE, 0, &p), 0))
        evtchn_close(p);
}

static void check_bad_ports(void)
{
    static const struct {
        const char *name;
        evtchn_port_t port;
    } bad[] = {
        { "port0", 0 }, { "port4096", EVTCHN_2L_NR_CHANNELS }, { "port2g", 1u << 31 },
        { "port_all_ones", ~0u },
    };

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        evtchn_port_t p = bad[i].port, out;
        const char *name = bad[i].name;
        struct evtchn_status st;

        test_check_eq("bad_send", name, evtchn_send(p), -XEN_EINVAL);
        test_check_eq("bad_close", name, evtchn_close(p), -XEN_EINVAL);
        if (p != 0)     /* Xen lets port 0 be unmasked; nothing follows */
            test_check_eq("bad_unmask", name, evtchn_unmask(p), -XEN_EINVAL);
        test_check_eq("bad_bind_vcpu", name, evtchn_bind_vcpu(p, 0), -XEN_EINVAL);
        test_check_eq("bad_bind_interdomain", name,
                      evtchn_bind_interdomain(DOMID_SELF, p, &out), -XEN_EINVAL);
        long rc = evtchn_status(DOMID_SELF, p, &st);
        if (p == 0)
            CHECK(rc == 0 && st.status == EVTCHNSTAT_closed, "bad_status", name,
                  "rc %ld status %u, want the reserved port closed", rc, st.status);
        else
            test_check_eq("bad_status", name, rc, -XEN_EINVAL);
    }

    evtchn_port_t p, out;
    if (test_check_eq("bad", "alloc_for_vcpu_checks",
                      evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0)) {
        test_check_eq("bad", "bind_vcpu_bad_vcpu", evtchn_bind_vcpu(p, XEN_LEGACY_MAX_VCPUS),
                      -XEN_ENOENT);
        test_check_eq("bad", "bind_vcpu_all_ones", evtchn_bind_vcpu(p, ~0u), -XEN_ENOENT);
        evtchn_close(p);
    }
    test_check_eq("bad", "bind_interdomain_no_domain", evtchn_bind_interdomain(77, 1, &out),
                  -XEN_ESRCH);
    test_check_eq("bad", "bind_interdomain_domid_invalid",
                  evtchn_bind_interdomain(DOMID_INVALID, 1, &out), -XEN_ESRCH);
    struct evtchn_status st;
    test_check_eq("bad", "status_no_domain", evtchn_status(77, 1, &st),
                  self == 0 ? -XEN_ESRCH : -XEN_EPERM);
    test_check_eq("bad", "unknown_op", HYPERVISOR_event_channel_op(99, &st), -XEN_ENOSYS);
    struct evtchn_init_control ic = { 0 };
    test_check_eq("bad", "fifo_not_offered",
                  HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic), -XEN_ENOSYS);
}

static void check_exhaustion(void)
{
    static evtchn_port_t ports[EVTCHN_2L_NR_CHANNELS];
    static uint8_t used[EVTCHN_2L_NR_CHANNELS];
    unsigned int n = 0, bad = 0, close_failed = 0;
    long rc;

    while ((rc = evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &ports[n])) == 0) {
        if (ports[n] == 0 || ports[n] >= EVTCHN_2L_NR_CHANNELS || used[ports[n]]++)
            bad++;
        if (++n == EVTCHN_2L_NR_CHANNELS)
            break;
    }
    test_check_eq("exhaust", "enospc", rc, -XEN_ENOSPC);
    CHECK(n >= EVTCHN_2L_NR_CHANNELS - 8 && n < EVTCHN_2L_NR_CHANNELS && !bad, "exhaust",
          "all_ports", "%u ports allocated, %u bad or repeated", n, bad);
    for (unsigned int i = 0; i < n; i++)
        if (evtchn_close(ports[i]))
            close_failed++;
    test_check_eq("exhaust", "close_all", close_failed, 0);
    evtchn_port_t p;
    if (test_check_eq("exhaust", "alloc_after", evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF,
                                                                     &p), 0))
        evtchn_close(p);
}

static void check_block(void)
{
    evtchn_port_t t;
    struct evtchn_status st;

    /* The timer port moved when check_virqs rebound it: find it again. */
    for (t = 1; t < 64; t++)
        if (!evtchn_status(DOMID_SELF, t, &st) && st.status == EVTCHNSTAT_virq &&
            st.u.virq == VIRQ_TIMER)
            break;
    if (!CHECK(t < 64, "block", "timer_port", "no VIRQ_TIMER port"))
        return;
    unsigned int seen = events_seen(t);
    irq_disable();
    uint64_t deadline = pvclock_now() + 2 * NS_PER_MS;
    struct vcpu_set_singleshot_timer sst = { .timeout_abs_ns = deadline };
    HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &sst);
    long rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    uint64_t woke = pvclock_now();
    uint8_t flagged = events_shared_info()->vcpu_info[0].evtchn_upcall_pending;
    irq_enable();
    test_check_eq("block", "rc", rc, 0);
    CHECK(woke >= deadline && flagged, "block", "woken_by_timer",
          "woke %ld ns after the deadline, upcall_pending %u", (long)(woke - deadline),
          flagged);
    CHECK(events_wait(t, seen + 1, WAIT_NS), "block", "upcall_after_sti", "seen %u",
          events_seen(t));
}

void guest_main(const struct hvm_start_info *si)
{
    (void)si;
    self = xen_own_domid();
    if (!test_check_eq("setup", "events_init", events_init(EVENTS_VCPU_VECTOR), 0))
        return;
    irq_enable();
    check_ipi();
    check_loopback();
    check_virqs();
    check_bad_ports();
    check_exhaustion();
    check_block();
    guest_printf("INFO upcalls taken: %lu\n", (unsigned long)irq_count());
}
