/*
 * Foreign mappings. The mapper keeps a hash table, keyed by its own gfn,
 * of what it mapped and from whom: unmapping finds the owner to release
 * without trusting anything in the p2m entry. A builder maps a whole new
 * domain at once (thousands of pages), hence a table rather than a list.
 */
#include <mica/domain.h>
#include <mica/foreign.h>
#include <mica/heap.h>
#include <mica/p2m.h>
#include <mica/sched.h>
#include <mica/string.h>

#define EMPTY    (~0ULL)
#define REMOVED  (~1ULL)
#define MIN_SLOTS 64

struct foreign_entry {
    uint64_t gfn;               /* EMPTY, REMOVED or the mapper's gfn */
    uint64_t mfn;
    struct domain *owner;
};

struct foreign_table {
    spinlock_t lock;
    struct foreign_entry *slots;
    uint64_t size;              /* a power of two */
    uint64_t used;              /* entries, removed ones included */
    uint64_t live;
};

static uint64_t hash(uint64_t gfn, uint64_t size)
{
    return (gfn * 0x9e3779b97f4a7c15ULL >> 20) & (size - 1);
}

/* The slot holding gfn, or (when absent and `insert`) where it goes. */
static struct foreign_entry *slot_of(struct foreign_table *t, uint64_t gfn, bool insert)
{
    struct foreign_entry *free = NULL;

    for (uint64_t i = hash(gfn, t->size), n = 0; n < t->size; i = (i + 1) & (t->size - 1), n++) {
        struct foreign_entry *e = &t->slots[i];
        if (e->gfn == gfn)
            return e;
        if (e->gfn == REMOVED && !free)
            free = e;
        if (e->gfn == EMPTY)
            return insert ? (free ? free : e) : NULL;
    }
    return insert ? free : NULL;
}

/* Caller holds t->lock. Rehashes into a table of `size` slots. */
static int resize(struct foreign_table *t, uint64_t size)
{
    struct foreign_entry *slots = kmalloc(size * sizeof(*slots));

    if (!slots)
        return -XEN_ENOMEM;
    struct foreign_table n = { .slots = slots, .size = size, .used = t->live, .live = t->live };
    for (uint64_t i = 0; i < size; i++)
        slots[i].gfn = EMPTY;
    for (uint64_t i = 0; i < t->size; i++)
        if (t->slots && t->slots[i].gfn < REMOVED)
            *slot_of(&n, t->slots[i].gfn, true) = t->slots[i];
    kfree(t->slots);
    t->slots = slots;
    t->size = size;
    t->used = n.used;
    return 0;
}

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

/* Takes the entry for gfn out of t (caller holds t->lock); false if none. */
static bool take(struct foreign_table *t, uint64_t gfn, struct foreign_entry *out)
{
    struct foreign_entry *e = t->slots ? slot_of(t, gfn, false) : NULL;

    if (!e)
        return false;
    *out = *e;
    e->gfn = REMOVED;
    t->live--;
    return true;
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
    int rc = 0;
    /* At most half the slots in use (removed ones count), so that probes
     * stay short; a rehash drops the removed ones. */
    if ((t->used + 1) * 2 > t->size) {
        uint64_t size = MIN_SLOTS;
        while ((t->live + 1) * 4 > size)
            size *= 2;
        rc = resize(t, size);
    }
    struct foreign_entry *e = rc ? NULL : slot_of(t, gfn, true);
    if (e && e->gfn == gfn)
        rc = -XEN_EBUSY;        /* a racing map of the same gfn won */
    if (!rc) {
        t->used += e->gfn == EMPTY;
        t->live++;
        *e = (struct foreign_entry){ gfn, mfn, owner };
        rc = p2m_set(d, gfn, mfn, P2M_ORDER_4K, P2M_FOREIGN, true);
        if (rc) {
            e->gfn = REMOVED;
            t->live--;
        }
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
    bool found = take(t, gfn, &e);
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
        if (e->gfn < REMOVED) {
            p2m_clear(d, e->gfn);
            release(d, e);
        }
    }
    kfree(t->slots);
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
        for (uint64_t i = 0; i < t->size && !found; i++)
            found = t->slots[i].gfn < REMOVED && t->slots[i].owner == owner &&
                    t->slots[i].mfn == mfn;
        spin_unlock(&t->lock);
    }
    return found;
}
