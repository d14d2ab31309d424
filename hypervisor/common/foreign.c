/*
 * Foreign mappings. The mapper keeps a table (foreign_table.c), keyed by
 * its own gfn, of what it mapped and from whom: unmapping finds the owner
 * to release without trusting anything in the p2m entry. A builder maps a
 * whole new domain at once (thousands of pages), hence a hash table.
 */
#include <mica/domain.h>
#include <mica/foreign.h>
#include <mica/foreign_table.h>
#include <mica/heap.h>
#include <mica/p2m.h>
#include <mica/sched.h>

static struct foreign_table *table_of(struct domain *d)
{
    struct foreign_table *t = __atomic_load_n(&d->foreign, __ATOMIC_ACQUIRE);

    if (t)
        return t;
    t = kzalloc(sizeof(*t));
    if (!t)
        return NULL;
    struct foreign_table *expected = NULL;
    if (!__atomic_compare_exchange_n(&d->foreign, &expected, t, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        kfree(t);
        return expected;
    }
    return t;
}

/* After the mapping is out of d's p2m and no vCPU of d can still use it
 * from its TLB, the owner's page may go. */
static void release(struct domain *d, struct foreign_entry *e)
{
    sched_flush_domain_tlbs(d);
    domain_put(e->owner);
}

int foreign_map(struct domain *d, uint64_t gfn, struct domain *owner, uint64_t idx)
{
    uint64_t mfn, old;
    enum p2m_type type;

    if (owner == d || gfn > P2M_MAX_GFN || idx > P2M_MAX_GFN)
        return -XEN_EINVAL;
    if (!p2m_lookup(owner, idx, &mfn, &type, NULL) || type != P2M_RAM)
        return -XEN_EINVAL;
    if (p2m_lookup(d, gfn, &old, &type, NULL)) {
        int rc = type == P2M_FOREIGN ? foreign_unmap(d, gfn)
               : type == P2M_RAM     ? domain_release_frame(d, gfn)
                                     : -XEN_EBUSY;
        if (rc)
            return rc;
    }
    struct foreign_table *t = table_of(d);
    if (!t)
        return -XEN_ENOMEM;
    domain_hold(owner);
    spin_lock(&t->lock);
    /* A racing map of the same gfn that won gives -XEN_EBUSY. */
    int rc = foreign_table_add(t, &(struct foreign_entry){ gfn, mfn, owner });
    if (!rc) {
        rc = p2m_set(d, gfn, mfn, P2M_ORDER_4K, P2M_FOREIGN, true);
        struct foreign_entry gone;
        if (rc)
            foreign_table_take(t, gfn, &gone);
    }
    spin_unlock(&t->lock);
    if (rc)
        domain_put(owner);
    return rc;
}

int foreign_unmap(struct domain *d, uint64_t gfn)
{
    struct foreign_table *t = __atomic_load_n(&d->foreign, __ATOMIC_ACQUIRE);
    struct foreign_entry e;

    if (!t)
        return -XEN_ENOENT;
    spin_lock(&t->lock);
    bool found = foreign_table_take(t, gfn, &e);
    if (found)
        p2m_clear(d, gfn);
    spin_unlock(&t->lock);
    if (!found)
        return -XEN_ENOENT;
    release(d, &e);
    return 0;
}

void foreign_unmap_all(struct domain *d)
{
    struct foreign_table *t = d->foreign;

    if (!t)
        return;
    for (uint64_t i = 0; i < t->size; i++) {
        struct foreign_entry *e = &t->slots[i];
        if (e->gfn < FOREIGN_REMOVED) {
            p2m_clear(d, e->gfn);
            release(d, e);
        }
    }
    foreign_table_clear(t);
    kfree(t);
    d->foreign = NULL;
}

bool foreign_frame_mapped(const struct domain *owner, uint64_t mfn)
{
    bool found = false;

    for (struct domain *d = domain_next_get(NULL); d; d = domain_next_get(d)) {
        struct foreign_table *t = __atomic_load_n(&d->foreign, __ATOMIC_ACQUIRE);
        if (!t || found)
            continue;
        spin_lock(&t->lock);
        found = foreign_table_has_frame(t, owner, mfn);
        spin_unlock(&t->lock);
    }
    return found;
}
