/* XENMEM_*: a guest's view of its memory: the map it boots with, the
 * reservation it may grow and shrink, and the special pages it places. */
#include <mica/domain.h>
#include <mica/foreign.h>
#include <mica/gnttab.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <public/xen/memory.h>

#define MAX_EXTENT_ORDER 9      /* 2 MiB at most per extent */

/* The domain a request names, with a reference: put it with release(). */
static struct domain *target(struct vcpu *v, domid_t id, int *err)
{
    if (id == DOMID_SELF || id == v->domain->id)
        return v->domain;
    if (!v->domain->privileged) {
        *err = -XEN_EPERM;
        return NULL;
    }
    struct domain *d = domain_get(id);
    if (!d)
        *err = -XEN_ESRCH;
    return d;
}

static void release(struct vcpu *v, struct domain *d)
{
    if (d != v->domain)
        domain_put(d);
}

static long memory_map(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->domain;
    struct xen_memory_map map;

    if (copy_from_guest(v, &map, arg, sizeof(map)))
        return -XEN_EFAULT;
    if (map.nr_entries < d->e820_entries)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < d->e820_entries; i++) {
        struct xen_e820_entry e = { d->e820[i].addr, d->e820[i].size,
                                    d->e820[i].type };
        if (copy_to_guest(v, map.buffer + i * sizeof(e), &e, sizeof(e)))
            return -XEN_EFAULT;
    }
    map.nr_entries = d->e820_entries;
    return copy_to_guest(v, arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
}

/* Puts a hypervisor-owned frame at gpfn, giving back any RAM there. */
static int place_special(struct domain *d, uint64_t gpfn, uint64_t mfn)
{
    uint64_t old;
    enum p2m_type type;

    if (gpfn > P2M_MAX_GFN)
        return -XEN_EINVAL;
    if (p2m_lookup(d, gpfn, &old, &type, NULL)) {
        if (type == P2M_RAM) {
            int rc = domain_release_frame(d, gpfn);
            if (rc)
                return rc;
        } else if (type != P2M_SPECIAL) {
            return -XEN_EBUSY;
        }
    }
    return p2m_set(d, gpfn, mfn, P2M_ORDER_4K, P2M_SPECIAL, true);
}

static long add_to_physmap_in(struct domain *d, const struct xen_add_to_physmap *x)
{
    int rc;

    switch (x->space) {
    case XENMAPSPACE_shared_info:
        if (x->idx != 0)
            return -XEN_EINVAL;
        /* The old place goes only once the new one is in: a refused move
         * leaves the page where it was. */
        rc = place_special(d, x->gpfn, virt_to_phys(d->shared_info) >> PAGE_SHIFT);
        if (rc)
            return rc;
        if (d->shared_info_gfn != ~0ULL && d->shared_info_gfn != x->gpfn)
            p2m_clear(d, d->shared_info_gfn);
        d->shared_info_gfn = x->gpfn;
        return 0;
    case XENMAPSPACE_grant_table: {
        uint64_t mfn;
        if (x->idx & XENMAPIDX_grant_table_status)
            return -XEN_EINVAL;     /* status frames belong to v2 only */
        rc = gnttab_frame(d, x->idx, &mfn);
        if (!rc)
            rc = place_special(d, x->gpfn, mfn);
        if (!rc)
            d->gnttab->gfns[x->idx] = x->gpfn;
        return rc;
    }
    default:
        return -XEN_ENOSYS;
    }
}

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_add_to_physmap x;
    int rc = 0;

    if (copy_from_guest(v, &x, arg, sizeof(x)))
        return -XEN_EFAULT;
    struct domain *d = target(v, x.domid, &rc);
    if (!d)
        return rc;
    rc = (int)add_to_physmap_in(d, &x);
    release(v, d);
    return rc;
}

/* XENMEM_add_to_physmap_batch, for XENMAPSPACE_gmfn_foreign only (what
 * Linux's privcmd uses to map another domain's pages): one status per
 * page in errs[], 0 for the call unless the arguments themselves fail. */
static long map_foreign_batch(struct vcpu *v, struct domain *d,
                              const struct xen_add_to_physmap_batch *b)
{
    if (b->space != XENMAPSPACE_gmfn_foreign)
        return -XEN_EINVAL;
    struct domain *owner = domain_get(b->u.foreign_domid);
    if (!owner)
        return -XEN_ESRCH;
    long rc = 0;
    for (uint16_t i = 0; i < b->size && !rc; i++) {
        uint64_t idx, gpfn;
        if (copy_from_guest(v, &idx, b->idxs + i * sizeof(idx), sizeof(idx)) ||
            copy_from_guest(v, &gpfn, b->gpfns + i * sizeof(gpfn), sizeof(gpfn))) {
            rc = -XEN_EFAULT;
            break;
        }
        int32_t err = foreign_map(d, gpfn, owner, idx);
        if (copy_to_guest(v, b->errs + i * sizeof(err), &err, sizeof(err)))
            rc = -XEN_EFAULT;
    }
    domain_put(owner);
    return rc;
}

static long add_to_physmap_batch(struct vcpu *v, uint64_t arg)
{
    struct xen_add_to_physmap_batch b;
    int rc = 0;

    if (copy_from_guest(v, &b, arg, sizeof(b)))
        return -XEN_EFAULT;
    /* Mapping another domain's memory is the control domain's right. */
    if (!v->domain->privileged)
        return -XEN_EPERM;
    struct domain *d = target(v, b.domid, &rc);
    if (!d)
        return rc;
    long r = map_foreign_batch(v, d, &b);
    release(v, d);
    return r;
}

/* Takes a foreign mapping or a RAM page out of a domain's physical map. */
static long remove_from_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_remove_from_physmap x;
    uint64_t mfn;
    enum p2m_type type;
    int rc = 0;

    if (copy_from_guest(v, &x, arg, sizeof(x)))
        return -XEN_EFAULT;
    struct domain *d = target(v, x.domid, &rc);
    if (!d)
        return rc;
    if (x.gpfn > P2M_MAX_GFN || !p2m_lookup(d, x.gpfn, &mfn, &type, NULL))
        rc = -XEN_EINVAL;
    else if (type == P2M_FOREIGN)
        rc = foreign_unmap(d, x.gpfn);
    else if (type == P2M_RAM)
        rc = domain_release_frame(d, x.gpfn);
    else
        rc = -XEN_EINVAL;   /* grant mappings go with GNTTABOP_unmap_grant_ref */
    release(v, d);
    return rc;
}

/* Whether any frame of [gfn, gfn + pages) is mapped. */
static bool extent_in_use(struct domain *d, uint64_t gfn, uint64_t pages)
{
    uint64_t mfn;

    for (uint64_t i = 0; i < pages; i++)
        if (p2m_lookup(d, gfn + i, &mfn, NULL, NULL))
            return true;
    return false;
}

/* Populates or releases extents of d; returns how many were done. */
static long reserve(struct vcpu *v, struct domain *d, uint64_t cmd,
                    const struct xen_memory_reservation *r)
{
    uint64_t pages = 1ULL << r->extent_order;
    uint64_t done = 0;

    for (; done < r->nr_extents; done++) {
        xen_pfn_t gfn;
        if (copy_from_guest(v, &gfn, r->extent_start + done * sizeof(gfn),
                            sizeof(gfn)))
            break;
        if (gfn > P2M_MAX_GFN || gfn & (pages - 1))
            break;
        if (cmd == XENMEM_decrease_reservation) {
            uint64_t i;
            for (i = 0; i < pages; i++)
                if (domain_release_frame(d, gfn + i))
                    break;
            if (i < pages)
                break;
        } else {
            /* Populating over anything already there is refused, in any
             * page of the extent: one large mapping would hide (and leak)
             * the small ones under it. */
            if (extent_in_use(d, gfn, pages) || domain_populate(d, gfn, pages))
                break;
        }
    }
    return (long)done;
}

/* Reservations: returns how many extents were done, as Xen does. */
static long reservation(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    struct xen_memory_reservation r;
    int rc = 0;

    if (copy_from_guest(v, &r, arg, sizeof(r)))
        return -XEN_EFAULT;
    if (r.extent_order > MAX_EXTENT_ORDER)
        return -XEN_EINVAL;
    struct domain *d = target(v, r.domid, &rc);
    if (!d)
        return rc;
    long done = reserve(v, d, cmd, &r);
    release(v, d);
    return done;
}

long do_memory_op(struct vcpu *v, const uint64_t args[5])
{
    uint64_t cmd = args[0], arg = args[1];
    int rc = 0;

    switch (cmd) {
    case XENMEM_memory_map:
        return memory_map(v, arg);
    case XENMEM_add_to_physmap:
        return add_to_physmap(v, arg);
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch(v, arg);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(v, arg);
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation(v, cmd, arg);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation: {
        domid_t id;
        if (copy_from_guest(v, &id, arg, sizeof(id)))
            return -XEN_EFAULT;
        struct domain *d = target(v, id, &rc);
        if (!d)
            return rc;
        long pages = (long)(cmd == XENMEM_current_reservation ? d->tot_pages
                                                               : d->max_pages);
        release(v, d);
        return pages;
    }
    default:
        return -XEN_ENOSYS;
    }
}
