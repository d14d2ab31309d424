/* SCHEDOP_*: yield, block, poll and the shutdown family. */
#include <mica/domain.h>
#include <mica/evtchn.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/sched.h>
#include <public/xen/sched.h>

#define POLL_MAX_PORTS 128      /* as in Xen */

static bool any_event_pending(const struct vcpu *v)
{
    return v->vcpu_info->evtchn_upcall_pending;
}

static long do_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;

    if (copy_from_guest(v, &p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.nr_ports > POLL_MAX_PORTS)
        return -XEN_EINVAL;
    bool any = false;
    for (uint32_t i = 0; i < p.nr_ports; i++) {
        evtchn_port_t port;
        bool valid;
        if (copy_from_guest(v, &port, p.ports + 4 * i, sizeof(port)))
            return -XEN_EFAULT;
        if (evtchn_port_pending(v->domain, port, &valid))
            any = true;
        if (!valid)
            return -XEN_EINVAL;
    }
    if (any || (p.timeout && p.timeout <= time_now()))
        return 0;
    /* Sleep until an event on this vCPU or the timeout; either way the
     * call returns 0 and the guest looks at its ports again. */
    v->polling = true;
    if (p.timeout)
        timer_set(&v->poll_timer, p.timeout);
    vcpu_block(v);
    return 0;
}

static long shutdown_domain(struct domain *d, uint32_t reason)
{
    if (reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    domain_shutdown(d, (int)reason);
    return 0;
}

long do_sched_op(struct vcpu *v, const uint64_t args[5])
{
    uint64_t cmd = args[0], arg = args[1];

    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield(v);
        return 0;
    case SCHEDOP_block:
        vcpu_block(v);
        if (any_event_pending(v))
            vcpu_wake(v);
        return 0;
    case SCHEDOP_poll:
        return do_poll(v, arg);
    case SCHEDOP_shutdown: {
        struct sched_shutdown s;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        return shutdown_domain(v->domain, s.reason);
    }
    case SCHEDOP_shutdown_code: {
        struct sched_shutdown s;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.reason > SHUTDOWN_MAX)
            return -XEN_EINVAL;
        v->domain->shutdown_code = (int)s.reason;
        return 0;
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown s;
        if (!v->domain->privileged)
            return -XEN_EPERM;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        struct domain *t = domain_by_id(s.domain_id);
        if (!t)
            return -XEN_ESRCH;
        return shutdown_domain(t, s.reason);
    }
    default:
        return -XEN_ENOSYS;
    }
}
