/* VCPUOP_*: bringing vCPUs up and down, their timers, and where their
 * vcpu_info lives. */
#include <mica/domain.h>
#include <mica/evtchn.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/memory.h>
#include <mica/sched.h>
#include <mica/string.h>
#include <public/xen/vcpu.h>

#define MIN_PERIOD_NS 1000000ULL    /* periodic timers: 1 ms at least */
#define MAX_TIME_NS   (~0ULL >> 1)  /* times are signed 64-bit on Xen */
/* set_timer_op with a time past MAX_TIME_NS is a guest's wrapped clock
 * arithmetic; Xen answers with an event soon rather than never. */
#define WRAPPED_TIMEOUT_NS (100 * NSEC_PER_MSEC)

static void singleshot_fired(void *data)
{
    evtchn_send_virq(data, VIRQ_TIMER);
}

static void periodic_fired(void *data)
{
    struct vcpu *v = data;

    evtchn_send_virq(v, VIRQ_TIMER);
    spin_lock(&v->periodic_lock);
    if (v->periodic_period) {
        /* Keep the phase, but after a long stall start again from now
         * rather than firing once for every period missed. */
        uint64_t next = v->periodic.deadline + v->periodic_period;
        uint64_t now = time_now();
        timer_set(&v->periodic, next > now ? next : now + v->periodic_period);
    }
    spin_unlock(&v->periodic_lock);
}

/* Period 0 stops the timer. Any vCPU of the domain may set another's, so
 * the lock keeps a concurrent firing from re-arming a stopped timer. */
static void periodic_set(struct vcpu *v, uint64_t period)
{
    spin_lock(&v->periodic_lock);
    v->periodic_period = period;
    if (period)
        timer_set(&v->periodic, time_now() + period);
    else
        timer_stop(&v->periodic);
    spin_unlock(&v->periodic_lock);
}

void vcpu_timers_init(struct vcpu *v)
{
    timer_init(&v->singleshot, singleshot_fired, v, v->cpu);
    timer_init(&v->periodic, periodic_fired, v, v->cpu);
    v->periodic_lock = (spinlock_t)SPINLOCK_INIT;
}

void vcpu_timers_stop(struct vcpu *v)
{
    timer_stop(&v->singleshot);
    periodic_set(v, 0);
}

static long register_vcpu_info(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info r;
    uint64_t mfn;

    if (copy_from_guest(caller, &r, arg, sizeof(r)))
        return -XEN_EFAULT;
    /* Within the page and aligned for its 64-bit fields, as Xen asks.
     * rsvd is ignored as on Xen: Linux leaves it uninitialised. */
    if (r.offset > 4096 - sizeof(struct vcpu_info) ||
        r.offset % sizeof(xen_ulong_t))
        return -XEN_EINVAL;
    if (v->vcpu_info_registered)
        return -XEN_EINVAL;     /* once per vCPU, as on Xen */
    uint8_t *page = gfn_to_host(v->domain, r.mfn, &mfn, true);
    if (!page)
        return -XEN_EINVAL;
    struct vcpu_info *vi = (struct vcpu_info *)(page + r.offset);
    memcpy(vi, v->vcpu_info, sizeof(*vi));
    v->vcpu_info = vi;
    v->vcpu_info_mfn = mfn;
    v->vcpu_info_registered = true;
    /* Anything pending shows up at the new place. */
    if (vi->evtchn_upcall_pending)
        v->upcall_inject = true;
    return 0;
}

/* As on Xen, taking down the last vCPU that is up powers the domain off. */
static long vcpu_op_down(struct vcpu *t)
{
    struct domain *d = t->domain;

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        if (i != t->id && d->vcpus[i]->state != VCPU_DOWN) {
            vcpu_down(t);
            return 0;
        }
    }
    domain_shutdown(d, SHUTDOWN_poweroff);
    return 0;
}

long do_vcpu_op(struct vcpu *v, const uint64_t args[5])
{
    uint64_t cmd = args[0], id = args[1], arg = args[2];
    struct domain *d = v->domain;

    if (id >= d->max_vcpus)
        return -XEN_ENOENT;
    struct vcpu *t = d->vcpus[id];

    switch (cmd) {
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, t, arg);
    case VCPUOP_is_up:
        return t->state != VCPU_DOWN;
    case VCPUOP_down:
        return vcpu_op_down(t);
    case VCPUOP_up:
        if (!t->initialised)
            return -XEN_EINVAL;
        vcpu_up(t);
        return 0;
    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer s;
        if (t != v)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if ((s.flags & VCPU_SSHOTTMR_future) && s.timeout_abs_ns < time_now())
            return -XEN_ETIME;
        timer_set(&t->singleshot, s.timeout_abs_ns);
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        if (t != v)
            return -XEN_EINVAL;
        timer_stop(&t->singleshot);
        return 0;
    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer p;
        if (copy_from_guest(v, &p, arg, sizeof(p)))
            return -XEN_EFAULT;
        if (p.period_ns < MIN_PERIOD_NS || p.period_ns > MAX_TIME_NS)
            return -XEN_EINVAL;
        periodic_set(t, p.period_ns);
        return 0;
    }
    case VCPUOP_stop_periodic_timer:
        periodic_set(t, 0);
        return 0;
    default:
        return vcpu_op_more(v, t, cmd, arg);
    }
}

/* set_timer_op: the older single-shot timer call, absolute time in ns;
 * 0 cancels. */
long do_set_timer_op(struct vcpu *v, const uint64_t args[5])
{
    if (args[0] == 0)
        timer_stop(&v->singleshot);
    else if (args[0] > MAX_TIME_NS)
        timer_set(&v->singleshot, time_now() + WRAPPED_TIMEOUT_NS);
    else
        timer_set(&v->singleshot, args[0]);
    return 0;
}
