/* Domain life cycle: creation, memory, shutdown and destruction. */
#include <mica/arch.h>
#include <mica/domain.h>
#include <mica/evtchn.h>
#include <mica/gnttab.h>
#include <mica/heap.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/sched.h>
#include <mica/string.h>
#include <mica/vcpu_arch.h>

static struct domain *domains[MAX_DOMAINS];
static spinlock_t domains_lock = SPINLOCK_INIT;

struct domain *domain_by_id(domid_t id)
{
    return id < MAX_DOMAINS ? domains[id] : NULL;
}

struct domain *domain_next(domid_t after)
{
    unsigned int start = after == DOMID_INVALID ? 0 : (unsigned int)after + 1;

    for (unsigned int i = start; i < MAX_DOMAINS; i++)
        if (domains[i])
            return domains[i];
    return NULL;
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = kzalloc(sizeof(*v));

    if (!v)
        return NULL;
    v->id = id;
    v->domain = d;
    v->state = VCPU_DOWN;
    v->cpu = sched_pick_cpu(v);
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    v->vcpu_info_mfn = virt_to_phys(d->shared_info) >> PAGE_SHIFT;
    /* Masked until the guest sets its upcall up, as on Xen. */
    v->vcpu_info->evtchn_upcall_mask = 1;
    timer_init(&v->poll_timer, vcpu_poll_timeout, v, v->cpu);
    vcpu_timers_init(v);
    sched_vcpu_init(v);
    if (arch_vcpu_create(v)) {
        kfree(v);
        return NULL;
    }
    return v;
}

struct domain *domain_create(domid_t id, bool privileged, unsigned int max_vcpus,
                             uint64_t max_pages)
{
    if (id >= MAX_DOMAINS || max_vcpus == 0 || max_vcpus > MAX_VCPUS)
        return NULL;
    struct domain *d = kzalloc(sizeof(*d));
    if (!d)
        return NULL;
    d->id = id;
    d->privileged = privileged;
    d->state = DOMAIN_PAUSED;
    d->shutdown_code = -1;
    d->max_pages = max_pages;
    d->max_vcpus = max_vcpus;
    d->shared_info_gfn = ~0ULL;
    d->lock = (spinlock_t)SPINLOCK_INIT;

    uint64_t si = page_alloc(1);
    if (!si)
        goto fail;
    d->shared_info = phys_to_virt(si);
    /* Wall-clock time at system time 0; Linux reads it once at boot. */
    uint64_t wc_sec;
    uint32_t wc_nsec;
    arch_wallclock(&wc_sec, &wc_nsec);
    d->shared_info->wc_version = 1;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    d->shared_info->wc_sec = (uint32_t)wc_sec;
    d->shared_info->wc_sec_hi = (uint32_t)(wc_sec >> 32);
    d->shared_info->wc_nsec = wc_nsec;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    d->shared_info->wc_version = 2;
    if (p2m_init(d) || arch_domain_create(d) || evtchn_domain_init(d) ||
        gnttab_domain_init(d))
        goto fail;
    for (unsigned int i = 0; i < max_vcpus; i++)
        if (!(d->vcpus[i] = vcpu_create(d, i)))
            goto fail;

    spin_lock(&domains_lock);
    if (domains[id]) {
        spin_unlock(&domains_lock);
        goto fail;
    }
    domains[id] = d;
    spin_unlock(&domains_lock);
    return d;

fail:
    domain_destroy(d);
    return NULL;
}

void domain_destroy(struct domain *d)
{
    spin_lock(&domains_lock);
    if (d->id < MAX_DOMAINS && domains[d->id] == d)
        domains[d->id] = NULL;
    spin_unlock(&domains_lock);

    for (unsigned int i = 0; i < MAX_VCPUS; i++) {
        if (d->vcpus[i]) {
            vcpu_stop(d->vcpus[i]);
            vcpu_timers_stop(d->vcpus[i]);
            timer_stop(&d->vcpus[i]->poll_timer);
            arch_vcpu_destroy(d->vcpus[i]);
            kfree(d->vcpus[i]);
        }
    }
    gnttab_domain_destroy(d);
    evtchn_domain_destroy(d);
    arch_domain_destroy(d);
    if (d->p2m)
        p2m_teardown(d);
    if (d->shared_info)
        page_free(virt_to_phys(d->shared_info), 1);
    kfree(d);
}

int domain_populate(struct domain *d, uint64_t gfn, uint64_t count)
{
    while (count) {
        /* 2 MiB pages when gfn and the rest allow it: fewer NPT levels. */
        unsigned int order = (gfn % 512 == 0 && count >= 512) ? P2M_ORDER_2M
                                                               : P2M_ORDER_4K;
        uint64_t n = 1ULL << order;
        if (d->tot_pages + n > d->max_pages)
            return -XEN_ENOMEM;
        uint64_t pa = order == P2M_ORDER_2M ? page_alloc_aligned(512, 512) : 0;
        if (!pa) {
            order = P2M_ORDER_4K;
            n = 1;
            pa = page_alloc(1);
        }
        if (!pa)
            return -XEN_ENOMEM;
        int rc = p2m_set(d, gfn, pa >> PAGE_SHIFT, order, P2M_RAM, true);
        if (rc) {
            page_free(pa, n);
            return rc;
        }
        d->tot_pages += n;
        gfn += n;
        count -= n;
    }
    return 0;
}

static spinlock_t frames_lock = SPINLOCK_INIT;

void domain_frames_lock(void)
{
    spin_lock(&frames_lock);
}

void domain_frames_unlock(void)
{
    spin_unlock(&frames_lock);
}

int domain_release_frame(struct domain *d, uint64_t gfn)
{
    uint64_t mfn;
    enum p2m_type type;
    int rc = -XEN_EINVAL;

    domain_frames_lock();
    if (p2m_lookup(d, gfn, &mfn, &type, NULL) && type == P2M_RAM) {
        if (domain_frame_pinned(d, mfn))
            rc = -XEN_EBUSY;
        else if (!(rc = p2m_clear(d, gfn))) {
            page_free(mfn << PAGE_SHIFT, 1);
            d->tot_pages--;
        }
    }
    domain_frames_unlock();
    return rc;
}

bool domain_frame_pinned(const struct domain *d, uint64_t mfn)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i]->vcpu_info_mfn == mfn)
            return true;
    return gnttab_frame_mapped(d, mfn);
}

void domain_unpause(struct domain *d)
{
    if (d->state != DOMAIN_PAUSED)
        return;
    d->state = DOMAIN_RUNNING;
    sched_domain_resume(d);
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
}
