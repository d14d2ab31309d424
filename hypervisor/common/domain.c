/* Domain life cycle: creation, the id table and its references, memory,
 * and destruction. */
#include <mica/arch.h>
#include <mica/domain.h>
#include <mica/evtchn.h>
#include <mica/foreign.h>
#include <mica/gnttab.h>
#include <mica/heap.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/sched.h>
#include <mica/string.h>
#include <mica/vcpu_arch.h>

/* An id stays taken from creation until the domain's memory is freed, so
 * it is never reused while anything may still name the old domain. While
 * a domain is being freed its slot is already empty (no lookup finds it)
 * and `freeing` keeps the id. */
static struct domain *domains[MAX_DOMAINS];
static bool freeing[MAX_DOMAINS];
static spinlock_t domains_lock = SPINLOCK_INIT;

struct domain *domain_by_id(domid_t id)
{
    struct domain *d = id < MAX_DOMAINS ? domains[id] : NULL;

    return d && d->state != DOMAIN_DYING ? d : NULL;
}

struct domain *domain_get(domid_t id)
{
    spin_lock(&domains_lock);
    struct domain *d = domain_by_id(id);
    if (d)
        d->refcnt++;
    spin_unlock(&domains_lock);
    return d;
}

static void domain_free(struct domain *d);

void domain_hold(struct domain *d)
{
    spin_lock(&domains_lock);
    d->refcnt++;
    spin_unlock(&domains_lock);
}

void domain_put(struct domain *d)
{
    spin_lock(&domains_lock);
    bool last = --d->refcnt == 0;
    if (last && domains[d->id] == d) {
        domains[d->id] = NULL;
        freeing[d->id] = true;
    }
    spin_unlock(&domains_lock);
    if (last)
        domain_free(d);
}

/* Caller holds domains_lock. */
static struct domain *next_locked(domid_t after)
{
    unsigned int start = after == DOMID_INVALID ? 0 : (unsigned int)after + 1;

    for (unsigned int i = start; i < MAX_DOMAINS; i++)
        if (domains[i])
            return domains[i];
    return NULL;
}

struct domain *domain_next(domid_t after)
{
    return next_locked(after);
}

struct domain *domain_next_get(struct domain *prev)
{
    spin_lock(&domains_lock);
    struct domain *d = next_locked(prev ? prev->id : DOMID_INVALID);
    if (d)
        d->refcnt++;
    spin_unlock(&domains_lock);
    if (prev)
        domain_put(prev);
    return d;
}

domid_t domain_free_id(void)
{
    domid_t id = DOMID_INVALID;

    spin_lock(&domains_lock);
    for (unsigned int i = 1; i < MAX_DOMAINS && id == DOMID_INVALID; i++)
        if (!domains[i] && !freeing[i])
            id = (domid_t)i;
    spin_unlock(&domains_lock);
    return id;
}

bool domain_id_taken(domid_t id)
{
    spin_lock(&domains_lock);
    bool taken = id < MAX_DOMAINS && (domains[id] || freeing[id]);
    spin_unlock(&domains_lock);
    return taken;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
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

static void vcpu_free(struct vcpu *v)
{
    vcpu_stop(v);
    vcpu_timers_stop(v);
    timer_stop(&v->poll_timer);
    arch_vcpu_destroy(v);
    kfree(v);
}

void domain_update_wallclock(struct domain *d)
{
    uint64_t wc_sec;
    uint32_t wc_nsec;

    arch_wallclock(&wc_sec, &wc_nsec);
    /* An odd version tells a reader that an update is under way. */
    uint32_t version = d->shared_info->wc_version | 1;
    __atomic_store_n(&d->shared_info->wc_version, version, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    d->shared_info->wc_sec = (uint32_t)wc_sec;
    d->shared_info->wc_sec_hi = (uint32_t)(wc_sec >> 32);
    d->shared_info->wc_nsec = wc_nsec;
    __atomic_store_n(&d->shared_info->wc_version, version + 1, __ATOMIC_RELEASE);
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
    /* Dying until built: lookups pass over it meanwhile. */
    d->state = DOMAIN_DYING;
    d->refcnt = 1;
    d->shutdown_code = -1;
    d->max_pages = max_pages;
    d->max_vcpus = max_vcpus;
    d->shared_info_gfn = ~0ULL;
    d->lock = (spinlock_t)SPINLOCK_INIT;

    /* The id first: two creations of one id must not both build. */
    spin_lock(&domains_lock);
    bool taken = domains[id] || freeing[id];
    if (!taken)
        domains[id] = d;
    spin_unlock(&domains_lock);
    if (taken) {
        kfree(d);
        return NULL;
    }

    uint64_t si = page_alloc(1);
    if (!si)
        goto fail;
    d->shared_info = phys_to_virt(si);
    domain_update_wallclock(d);
    if (p2m_init(d) || arch_domain_create(d) || evtchn_domain_init(d) ||
        gnttab_domain_init(d))
        goto fail;
    for (unsigned int i = 0; i < max_vcpus; i++)
        if (!(d->vcpus[i] = vcpu_create(d, i)))
            goto fail;
    spin_lock(&d->lock);
    d->state = DOMAIN_PAUSED;
    spin_unlock(&d->lock);
    return d;

fail:
    domain_put(d);
    return NULL;
}

void domain_destroy(struct domain *d)
{
    spin_lock(&d->lock);
    bool first = d->state != DOMAIN_DYING;
    d->state = DOMAIN_DYING;
    spin_unlock(&d->lock);
    if (!first)
        return;
    /* From here no lookup finds it; stop its vCPUs on every CPU before
     * anything they use goes. */
    for (unsigned int i = 0; i < MAX_VCPUS; i++)
        if (d->vcpus[i]) {
            vcpu_stop(d->vcpus[i]);
            vcpu_timers_stop(d->vcpus[i]);
            timer_stop(&d->vcpus[i]->poll_timer);
        }
    /* Its peers see it gone now, not when the last reference goes (a
     * foreign mapping may keep its memory for long). */
    evtchn_domain_close(d);
    gnttab_release_mappings(d);
    log_info("domain %u: destroyed\n", d->id);
    domain_notify_control(d);
    domain_put(d);              /* the reference the id table held */
}

/* The last reference is gone: no CPU runs the domain or uses it. */
static void domain_free(struct domain *d)
{
    for (unsigned int i = 0; i < MAX_VCPUS; i++)
        if (d->vcpus[i])
            vcpu_free(d->vcpus[i]);
    foreign_unmap_all(d);
    gnttab_domain_destroy(d);
    evtchn_domain_destroy(d);
    arch_domain_destroy(d);
    if (d->p2m)
        p2m_teardown(d);
    if (d->shared_info)
        page_free(virt_to_phys(d->shared_info), 1);
    spin_lock(&domains_lock);
    freeing[d->id] = false;     /* the id is free again */
    spin_unlock(&domains_lock);
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
    return gnttab_frame_mapped(d, mfn) || foreign_frame_mapped(d, mfn);
}
