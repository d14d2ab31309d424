/*
 * GNTTABOP_map_grant_ref / unmap_grant_ref for auto-translated guests: the
 * granted page appears in the mapper's physical map at host_addr. The
 * mapper's maptrack remembers each mapping (its index is the handle); the
 * granter's grant entry carries GTF_reading/GTF_writing while any mapping
 * of it exists, so the granter can see the page is still in use, and the
 * granter cannot give such a page back to the hypervisor meanwhile.
 */
#include <mica/domain.h>
#include <mica/gnttab.h>
#include <mica/guest_access.h>
#include <mica/heap.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/sched.h>

#define MAPTRACK_ENTRIES 1024
#define MAP_MAX_OPS      1024

struct grant_mapping {
    bool in_use;
    bool readonly;
    domid_t granter;
    grant_ref_t ref;
    uint64_t gfn;               /* where the mapper sees it */
    uint64_t mfn;
};

struct grant_maptrack {
    struct grant_mapping map[MAPTRACK_ENTRIES];
};

/* One lock for all mappings: map and unmap touch two domains at once. */
static spinlock_t maps_lock = SPINLOCK_INIT;

static struct grant_entry_v1 *entry_of(struct domain *granter, grant_ref_t ref)
{
    struct grant_table *gt = granter->gnttab;
    struct grant_entry_v1 *frame =
        phys_to_virt(gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME]);
    return &frame[ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* How many live mappings of (granter, ref) exist, and how many writable;
 * caller holds maps_lock. */
static void count_pins(domid_t granter, grant_ref_t ref, unsigned int *all,
                       unsigned int *writable)
{
    *all = *writable = 0;
    for (struct domain *d = domain_next(DOMID_INVALID); d; d = domain_next(d->id)) {
        struct grant_maptrack *mt = d->gnttab ? d->gnttab->maptrack : NULL;
        for (unsigned int i = 0; mt && i < MAPTRACK_ENTRIES; i++) {
            const struct grant_mapping *m = &mt->map[i];
            if (m->in_use && m->granter == granter && m->ref == ref) {
                (*all)++;
                if (!m->readonly)
                    (*writable)++;
            }
        }
    }
}

/* Brings the granter's GTF_reading/GTF_writing in line with the pins. */
static void update_entry_flags(struct domain *granter, grant_ref_t ref)
{
    unsigned int all, writable;
    uint16_t *flags = &entry_of(granter, ref)->flags;

    count_pins(granter->id, ref, &all, &writable);
    uint16_t set = (all ? GTF_reading : 0) | (writable ? GTF_writing : 0);
    uint16_t old = __atomic_load_n(flags, __ATOMIC_ACQUIRE);
    while (!__atomic_compare_exchange_n(flags, &old,
                                        (uint16_t)((old & ~(GTF_reading | GTF_writing)) | set),
                                        false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        ;
}

bool gnttab_frame_mapped(const struct domain *granter, uint64_t mfn)
{
    bool found = false;

    spin_lock(&maps_lock);
    for (struct domain *d = domain_next(DOMID_INVALID); d && !found;
         d = domain_next(d->id)) {
        struct grant_maptrack *mt = d->gnttab ? d->gnttab->maptrack : NULL;
        for (unsigned int i = 0; mt && i < MAPTRACK_ENTRIES; i++)
            if (mt->map[i].in_use && mt->map[i].granter == granter->id &&
                mt->map[i].mfn == mfn)
                found = true;
    }
    spin_unlock(&maps_lock);
    return found;
}

static int16_t map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
    struct domain *d = v->domain;

    if (!(op->flags & GNTMAP_host_map) || (op->flags & GNTMAP_contains_pte))
        return GNTST_general_error;     /* only physical-map mappings */
    if (op->host_addr & 0xfff || (op->host_addr >> 12) > P2M_MAX_GFN)
        return GNTST_bad_virt_addr;
    struct domain *granter = domain_by_id(op->dom);
    if (!granter || granter == d)
        return GNTST_bad_domain;

    uint64_t gfn = op->host_addr >> 12;
    bool readonly = op->flags & GNTMAP_readonly;
    uint64_t mfn, old;
    int16_t st;

    spin_lock(&maps_lock);
    if (!d->gnttab->maptrack &&
        !(d->gnttab->maptrack = kzalloc(sizeof(struct grant_maptrack)))) {
        st = GNTST_no_space;
        goto out;
    }
    st = (int16_t)gnttab_resolve(granter, op->ref, d->id, !readonly, &mfn);
    if (st != GNTST_okay)
        goto out;
    if (p2m_lookup(d, gfn, &old, NULL, NULL)) {
        st = GNTST_bad_virt_addr;       /* something is already there */
        goto out;
    }
    struct grant_maptrack *mt = d->gnttab->maptrack;
    unsigned int h;
    for (h = 0; h < MAPTRACK_ENTRIES && mt->map[h].in_use; h++)
        ;
    if (h == MAPTRACK_ENTRIES) {
        st = GNTST_no_space;
        goto out;
    }
    if (p2m_set(d, gfn, mfn, P2M_ORDER_4K, P2M_GRANT, !readonly)) {
        st = GNTST_general_error;
        goto out;
    }
    mt->map[h] = (struct grant_mapping){ true, readonly, granter->id, op->ref,
                                         gfn, mfn };
    update_entry_flags(granter, op->ref);
    op->handle = h;
    op->dev_bus_addr = 0;
out:
    spin_unlock(&maps_lock);
    return st;
}

/* Caller holds maps_lock. Removes mapping h of d and waits until no vCPU
 * of d can still reach the page through a stale TLB entry. */
static void unmap_locked(struct domain *d, unsigned int h)
{
    struct grant_mapping *m = &d->gnttab->maptrack->map[h];
    struct domain *granter = domain_by_id(m->granter);

    p2m_clear(d, m->gfn);
    sched_flush_domain_tlbs(d);
    m->in_use = false;
    if (granter)
        update_entry_flags(granter, m->ref);
}

static int16_t unmap_one(struct vcpu *v, const struct gnttab_unmap_grant_ref *op)
{
    struct domain *d = v->domain;
    int16_t st = GNTST_okay;

    spin_lock(&maps_lock);
    struct grant_maptrack *mt = d->gnttab->maptrack;
    if (!mt || op->handle >= MAPTRACK_ENTRIES || !mt->map[op->handle].in_use)
        st = GNTST_bad_handle;
    else if (op->host_addr && op->host_addr >> 12 != mt->map[op->handle].gfn)
        st = GNTST_bad_virt_addr;
    else
        unmap_locked(d, op->handle);
    spin_unlock(&maps_lock);
    return st;
}

long gnttab_map(struct vcpu *v, uint64_t arg, uint64_t count)
{
    if (count > MAP_MAX_OPS)
        return -XEN_EINVAL;
    for (uint64_t i = 0; i < count; i++) {
        struct gnttab_map_grant_ref op;
        uint64_t at = arg + i * sizeof(op);
        if (copy_from_guest(v, &op, at, sizeof(op)))
            return -XEN_EFAULT;
        op.status = map_one(v, &op);
        if (copy_to_guest(v, at, &op, sizeof(op)))
            return -XEN_EFAULT;
    }
    return 0;
}

long gnttab_unmap(struct vcpu *v, uint64_t arg, uint64_t count)
{
    if (count > MAP_MAX_OPS)
        return -XEN_EINVAL;
    for (uint64_t i = 0; i < count; i++) {
        struct gnttab_unmap_grant_ref op;
        uint64_t at = arg + i * sizeof(op);
        if (copy_from_guest(v, &op, at, sizeof(op)))
            return -XEN_EFAULT;
        op.status = unmap_one(v, &op);
        if (copy_to_guest(v, at, &op, sizeof(op)))
            return -XEN_EFAULT;
    }
    return 0;
}

void gnttab_release_mappings(struct domain *d)
{
    spin_lock(&maps_lock);
    /* What d mapped of others... */
    struct grant_maptrack *mt = d->gnttab->maptrack;
    for (unsigned int h = 0; mt && h < MAPTRACK_ENTRIES; h++)
        if (mt->map[h].in_use)
            unmap_locked(d, h);
    /* ...and what others mapped of d: its pages are about to be freed, so
     * those mappings go too (the mappers then see an empty address). */
    for (struct domain *o = domain_next(DOMID_INVALID); o; o = domain_next(o->id)) {
        struct grant_maptrack *om = o->gnttab ? o->gnttab->maptrack : NULL;
        for (unsigned int h = 0; om && h < MAPTRACK_ENTRIES; h++)
            if (om->map[h].in_use && om->map[h].granter == d->id)
                unmap_locked(o, h);
    }
    spin_unlock(&maps_lock);
    kfree(mt);
    d->gnttab->maptrack = NULL;
}
