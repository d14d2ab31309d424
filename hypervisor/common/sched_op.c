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

static bool any_port_pending(struct domain *d, const evtchn_port_t *ports,
                             uint32_t nr)
{
    for (uint32_t i = 0; i < nr; i++) {
        bool valid;
        if (evtchn_port_pending(d, ports[i], &valid))
            return true;
    }
    return false;
}

/* Xen's SCHEDOP_poll: returns at once if one of the ports is pending,
 * else blocks until an event for this vCPU or the timeout; either way it
 * returns 0 and the guest looks at its ports again. As on Xen, only a port
 * beyond the ABI's range is an error; a free port is just never pending. */
static long do_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    evtchn_port_t ports[POLL_MAX_PORTS];

    if (copy_from_guest(v, &p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.nr_ports > POLL_MAX_PORTS)
        return -XEN_EINVAL;
    if (copy_from_guest(v, ports, p.ports, p.nr_ports * sizeof(ports[0])))
        return -XEN_EFAULT;
    for (uint32_t i = 0; i < p.nr_ports; i++)
        if (ports[i] >= EVTCHN_NR_PORTS)
            return -XEN_EINVAL;
    if (any_port_pending(v->domain, ports, p.nr_ports) ||
        (p.timeout && p.timeout <= time_now()))
        return 0;
    /* Block, then look again: a send that came in since the first look
     * either found us polling (and woke us) or is seen now. */
    v->polling = true;
    if (p.timeout)
        timer_set(&v->poll_timer, p.timeout);
    vcpu_block(v);
    if (any_port_pending(v->domain, ports, p.nr_ports))
        vcpu_wake(v);
    return 0;
}

static long shutdown_domain(struct domain *d, uint32_t reason)
{
    if (reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    domain_shutdown(d, (int)reason);
    return 0;
}

/* SCHEDOP_shutdown_code: the first code recorded is the one a later
 * shutdown reports, whatever reason that gives (as on Xen). */
static void record_shutdown_code(struct domain *d, uint32_t reason)
{
    spin_lock(&d->lock);
    if (d->shutdown_code < 0)
        d->shutdown_code = (int)reason;
    spin_unlock(&d->lock);
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
        record_shutdown_code(v->domain, s.reason);
        return 0;
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown s;
        if (!v->domain->privileged)
            return -XEN_EPERM;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        struct domain *t = domain_get(s.domain_id);
        if (!t)
            return -XEN_ESRCH;
        long rc = shutdown_domain(t, s.reason);
        domain_put(t);
        return rc;
    }
    default:
        return -XEN_ENOSYS;
    }
}
