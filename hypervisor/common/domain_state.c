/* A domain's run state after creation: pause and unpause, its number of
 * vCPUs, shutdown, and telling the control domain when one ends. */
#include <mica/domain.h>
#include <mica/evtchn.h>
#include <mica/log.h>
#include <mica/sched.h>

int domain_pause(struct domain *d)
{
    spin_lock(&d->lock);
    bool running = d->state == DOMAIN_RUNNING;
    if (running)
        d->state = DOMAIN_PAUSED;
    spin_unlock(&d->lock);
    if (!running)
        return -XEN_EINVAL;
    sched_domain_pause(d);
    return 0;
}

int domain_unpause(struct domain *d)
{
    spin_lock(&d->lock);
    bool paused = d->state == DOMAIN_PAUSED;
    if (paused)
        d->state = DOMAIN_RUNNING;
    spin_unlock(&d->lock);
    if (!paused)
        return -XEN_EINVAL;
    sched_domain_resume(d);
    return 0;
}

int domain_set_max_vcpus(struct domain *d, unsigned int max_vcpus)
{
    if (max_vcpus == 0 || max_vcpus > MAX_VCPUS)
        return -XEN_EINVAL;
    spin_lock(&d->lock);
    int rc = d->state == DOMAIN_PAUSED ? 0 : -XEN_EBUSY;
    for (unsigned int i = max_vcpus; !rc && i < d->max_vcpus; i++)
        if (d->vcpus[i]->state != VCPU_DOWN || d->vcpus[i]->initialised)
            rc = -XEN_EBUSY;
    /* vCPUs above the count stay allocated, down, until the domain is
     * freed: whoever read the old count may still look at them. */
    for (unsigned int i = d->max_vcpus; !rc && i < max_vcpus; i++)
        if (!d->vcpus[i] && !(d->vcpus[i] = vcpu_create(d, i)))
            rc = -XEN_ENOMEM;
    if (!rc)
        __atomic_store_n(&d->max_vcpus, max_vcpus, __ATOMIC_RELEASE);
    spin_unlock(&d->lock);
    return rc;
}

uint64_t domain_cpu_time(struct domain *d)
{
    uint64_t ns = 0;

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu_runstate_info rs;
        /* Not yet created: the domain is still being built (listings see
         * it, as dying, from its first moment). */
        if (!d->vcpus[i])
            continue;
        sched_runstate_get(d->vcpus[i], &rs);
        ns += rs.time[RUNSTATE_running];
    }
    return ns;
}

void domain_notify_control(const struct domain *d)
{
    struct domain *control = d->id != 0 ? domain_get(0) : NULL;

    if (!control)
        return;
    evtchn_send_virq(control->vcpus[0], VIRQ_DOM_EXC);
    domain_put(control);
}

static const char *shutdown_reason_name(int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff:   return "poweroff";
    case SHUTDOWN_reboot:     return "reboot";
    case SHUTDOWN_suspend:    return "suspend";
    case SHUTDOWN_crash:      return "crash";
    case SHUTDOWN_watchdog:   return "watchdog";
    case SHUTDOWN_soft_reset: return "soft_reset";
    default:                  return "unknown";
    }
}

void domain_shutdown(struct domain *d, int reason)
{
    spin_lock(&d->lock);
    if (d->state == DOMAIN_SHUTDOWN || d->state == DOMAIN_DYING) {
        spin_unlock(&d->lock);
        return;
    }
    d->state = DOMAIN_SHUTDOWN;
    /* A code recorded with SCHEDOP_shutdown_code wins, as on Xen. */
    if (d->shutdown_code < 0)
        d->shutdown_code = reason;
    reason = d->shutdown_code;
    spin_unlock(&d->lock);
    log_info("domain %u: shut down (%s)\n", d->id, shutdown_reason_name(reason));
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        vcpu_stop(d->vcpus[i]);
    /* A zombie until the control domain destroys it. */
    domain_notify_control(d);
}
