/*
 * GNTTABOP_map_grant_ref / unmap_grant_ref for auto-translated guests: the
 * granted page appears in the mapper's physical map at host_addr. The
 * mapper's maptrack remembers each mapping (its index is the handle); the
 * granter's grant entry carries GTF_reading/GTF_writing while any mapping
 * of it exists, so the granter can see the page is still in use, and the
 * granter cannot give such a page back to the hypervisor meanwhile. When
 * the granter is destroyed, others' mappings of its pages are revoked: the
 * page leaves the mapper's map at once, but the handle stays taken until
 * the mapper unmaps it, which then succeeds (Linux's gntdev, unmapping
 * after a guest went away, expects that).
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
    bool revoked;               /* the granter is gone; only the handle is left */
    domid_t granter;
    grant_ref_t ref;
    uint64_t gfn;               /* where the mapper sees it */
    uint64_t mfn;
};

struct grant_maptrack {
    struct grant_mapping map[MAPTRACK_ENTRIES];
};

bool gnttab_frame_mapped(const struct domain *granter, uint64_t mfn)
{
    bool found = false;

    gnttab_ops_lock();
    for (struct domain *d = domain_next(DOMID_INVALID); d && !found;
         d = domain_next(d->id)) {
        struct grant_maptrack *mt = d->gnttab ? d->gnttab->maptrack : NULL;
        for (unsigned int i = 0; mt && i < MAPTRACK_ENTRIES; i++)
            if (mt->map[i].in_use && !mt->map[i].revoked &&
                mt->map[i].granter == granter->id && mt->map[i].mfn == mfn)
                found = true;
    }
    gnttab_ops_unlock();
    return found;
}

/* Xen's checks on the flags of a map request by an auto-translated guest. */
static int16_t check_map_flags(uint32_t flags)
{
    if (!(flags & (GNTMAP_host_map | GNTMAP_device_map)))
        return GNTST_bad_gntref;
    if (flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte))
        return GNTST_general_error;     /* only physical-map mappings */
    return GNTST_okay;
}

static int16_t map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
    struct domain *d = v->domain;
    int16_t st = check_map_flags(op->flags);

    if (st != GNTST_okay)
        return st;
    if (op->host_addr & 0xfff || (op->host_addr >> 12) > P2M_MAX_GFN)
        return GNTST_bad_virt_addr;

    uint64_t gfn = op->host_addr >> 12;
    bool readonly = op->flags & GNTMAP_readonly;
    uint64_t mfn, old;

    gnttab_ops_lock();
    /* A domain may map its own grants, as on Xen (by id, not DOMID_SELF). */
    struct domain *granter = domain_by_id(op->dom);
    if (!granter) {
        st = GNTST_bad_domain;
        goto out;
    }
    if (!d->gnttab->maptrack &&
        !(d->gnttab->maptrack = kzalloc(sizeof(struct grant_maptrack)))) {
        st = GNTST_no_space;
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
    if (p2m_lookup(d, gfn, &old, NULL, NULL)) {
        st = GNTST_bad_virt_addr;       /* something is already there */
        goto out;
    }
    st = (int16_t)gnttab_pin(granter, op->ref, d->id, !readonly, &mfn);
    if (st != GNTST_okay)
        goto out;
    if (p2m_set(d, gfn, mfn, P2M_ORDER_4K, P2M_GRANT, !readonly)) {
        gnttab_unpin(granter, op->ref, !readonly);
        st = GNTST_general_error;
        goto out;
    }
    mt->map[h] = (struct grant_mapping){ true, readonly, false, granter->id, op->ref,
                                         gfn, mfn };
    op->handle = h;
    op->dev_bus_addr = 0;
out:
    gnttab_ops_unlock();
    return st;
}

/* Caller holds the ops lock. Removes mapping h of d, waits until no vCPU
 * of d can still reach the page through a stale TLB entry, then unpins
 * the grant (unless the granter is already going away). */
static void unmap_locked(struct domain *d, unsigned int h)
{
    struct grant_mapping *m = &d->gnttab->maptrack->map[h];

    m->in_use = false;
    if (m->revoked) {
        /* The page went with its granter. A touch of the empty address
         * since may have given dom0 a passthrough mapping there: that
         * goes, so that the address can be mapped again. */
        uint64_t mfn;
        enum p2m_type type;
        m->revoked = false;
        if (p2m_lookup(d, m->gfn, &mfn, &type, NULL) && type == P2M_MMIO) {
            p2m_clear(d, m->gfn);
            sched_flush_domain_tlbs(d);
        }
        return;
    }
    struct domain *granter = domain_by_id(m->granter);
    p2m_clear(d, m->gfn);
    sched_flush_domain_tlbs(d);
    if (granter)
        gnttab_unpin(granter, m->ref, !m->readonly);
}

/* Caller holds the ops lock. The granter of mapping h of d is being
 * destroyed: the page leaves d's map now, the handle when d unmaps it. */
static void revoke_locked(struct domain *d, unsigned int h)
{
    struct grant_mapping *m = &d->gnttab->maptrack->map[h];

    p2m_clear(d, m->gfn);
    sched_flush_domain_tlbs(d);
    m->revoked = true;
}

static int16_t unmap_one(struct vcpu *v, const struct gnttab_unmap_grant_ref *op)
{
    struct domain *d = v->domain;
    int16_t st = GNTST_okay;

    gnttab_ops_lock();
    struct grant_maptrack *mt = d->gnttab->maptrack;
    if (!mt || op->handle >= MAPTRACK_ENTRIES || !mt->map[op->handle].in_use)
        st = GNTST_bad_handle;
    else if (op->host_addr && op->host_addr >> 12 != mt->map[op->handle].gfn)
        st = GNTST_bad_virt_addr;
    else
        unmap_locked(d, op->handle);
    gnttab_ops_unlock();
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
    gnttab_ops_lock();
    /* What d mapped of others... */
    struct grant_maptrack *mt = d->gnttab->maptrack;
    for (unsigned int h = 0; mt && h < MAPTRACK_ENTRIES; h++)
        if (mt->map[h].in_use)
            unmap_locked(d, h);
    /* ...and what others mapped of d: its pages are about to be freed, so
     * those mappings are revoked (the mappers then see an empty address
     * until they unmap). */
    for (struct domain *o = domain_next(DOMID_INVALID); o; o = domain_next(o->id)) {
        struct grant_maptrack *om = o->gnttab ? o->gnttab->maptrack : NULL;
        for (unsigned int h = 0; om && h < MAPTRACK_ENTRIES; h++)
            if (om->map[h].in_use && !om->map[h].revoked && om->map[h].granter == d->id)
                revoke_locked(o, h);
    }
    gnttab_ops_unlock();
    kfree(mt);
    d->gnttab->maptrack = NULL;
}
