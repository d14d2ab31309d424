/* Grant-table frames, pinning grant entries, and the table-level GNTTABOP
 * calls (query_size, setup_table, versions); copy and map live in
 * gnttab_copy.c and gnttab_map.c. */
#include <mica/domain.h>
#include <mica/gnttab.h>
#include <mica/guest_access.h>
#include <mica/heap.h>
#include <mica/hypercall.h>
#include <mica/memory.h>
#include <mica/p2m.h>

/* Tries of the check-and-flag update before a grant entry that keeps
 * changing under us counts as broken: the guest could otherwise keep the
 * hypervisor spinning. */
#define PIN_RETRIES 4

static spinlock_t ops_lock = SPINLOCK_INIT;

void gnttab_ops_lock(void)
{
    spin_lock(&ops_lock);
}

void gnttab_ops_unlock(void)
{
    spin_unlock(&ops_lock);
}

int gnttab_domain_init(struct domain *d)
{
    d->gnttab = kzalloc(sizeof(*d->gnttab));
    return d->gnttab ? 0 : -XEN_ENOMEM;
}

void gnttab_domain_destroy(struct domain *d)
{
    struct grant_table *gt = d->gnttab;

    if (!gt)
        return;
    gnttab_release_mappings(d);
    for (unsigned int i = 0; i < gt->nr_frames; i++) {
        page_free(gt->frames[i], 1);
        page_free(virt_to_phys(gt->active[i]), 1);
    }
    kfree(gt);
    d->gnttab = NULL;
}

int gnttab_frame(struct domain *d, uint64_t idx, uint64_t *mfn)
{
    struct grant_table *gt = d->gnttab;
    int rc = 0;

    if (idx >= GNTTAB_MAX_FRAMES)
        return -XEN_EINVAL;
    spin_lock(&gt->lock);
    while (gt->nr_frames <= idx) {
        uint64_t pa = page_alloc(1), active = page_alloc(1);
        if (!pa || !active) {
            if (pa)
                page_free(pa, 1);
            if (active)
                page_free(active, 1);
            rc = -XEN_ENOMEM;
            break;
        }
        gt->gfns[gt->nr_frames] = ~0ULL;
        gt->active[gt->nr_frames] = phys_to_virt(active);
        gt->frames[gt->nr_frames++] = pa;
    }
    if (!rc)
        *mfn = gt->frames[idx] >> PAGE_SHIFT;
    spin_unlock(&gt->lock);
    return rc;
}

/* An entry is two 32-bit words: flags and domid (the header the guest
 * and we update atomically), then the frame. */
static uint32_t *entry_words(struct grant_table *gt, grant_ref_t ref)
{
    uint32_t *frame = phys_to_virt(gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME]);
    return &frame[2 * (ref % GNTTAB_ENTRIES_PER_FRAME)];
}

static struct grant_active *active_of(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* Clears the status flags no pin stands behind any more. */
static void settle_flags(uint32_t *header, const struct grant_active *act)
{
    uint32_t clear = (act->pins ? 0 : GTF_reading) | (act->write_pins ? 0 : GTF_writing);

    if (clear)
        __atomic_fetch_and(header, ~clear, __ATOMIC_ACQ_REL);
}

int gnttab_pin(struct domain *granter, grant_ref_t ref, domid_t grantee,
               bool write, uint64_t *mfn)
{
    struct grant_table *gt = granter->gnttab;
    int st = GNTST_okay;

    spin_lock(&gt->lock);
    if (ref >= gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME) {
        spin_unlock(&gt->lock);
        return GNTST_bad_gntref;
    }
    uint32_t *header = entry_words(gt, ref);
    struct grant_active *act = active_of(gt, ref);
    uint32_t old = __atomic_load_n(header, __ATOMIC_ACQUIRE);
    for (unsigned int tries = 0;; tries++) {
        uint16_t flags = (uint16_t)old;
        /* Xen answers general_error for a wrong type, grantee or a write
         * through a read-only grant; guests only look for GNTST_okay. */
        if ((flags & GTF_type_mask) != GTF_permit_access || old >> 16 != grantee ||
            (write && (flags & GTF_readonly)) || tries > PIN_RETRIES) {
            st = GNTST_general_error;
            break;
        }
        uint32_t pinned = old | GTF_reading | (write ? GTF_writing : 0);
        if (__atomic_compare_exchange_n(header, &old, pinned, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    if (st == GNTST_okay) {
        /* Read only now: the frame the granter named when it let us pin. */
        uint64_t gfn = __atomic_load_n(header + 1, __ATOMIC_ACQUIRE);
        enum p2m_type type;
        bool writable;
        if (!p2m_lookup(granter, gfn, mfn, &type, &writable) || type != P2M_RAM ||
            (write && !writable)) {
            st = GNTST_bad_page;
            settle_flags(header, act);      /* take back what we set */
        } else {
            act->pins++;
            act->write_pins += write;
        }
    }
    spin_unlock(&gt->lock);
    return st;
}

void gnttab_unpin(struct domain *granter, grant_ref_t ref, bool write)
{
    struct grant_table *gt = granter->gnttab;

    spin_lock(&gt->lock);
    struct grant_active *act = active_of(gt, ref);
    act->pins--;
    act->write_pins -= write;
    settle_flags(entry_words(gt, ref), act);
    spin_unlock(&gt->lock);
}

/* The domain an op names, with a reference another domain needs: put it
 * with release(). */
static struct domain *target(struct vcpu *v, domid_t id, int16_t *status)
{
    if (id == DOMID_SELF || id == v->domain->id)
        return v->domain;
    struct domain *d = v->domain->privileged ? domain_get(id) : NULL;
    if (!d)
        *status = v->domain->privileged ? GNTST_bad_domain
                                        : GNTST_permission_denied;
    return d;
}

static void release(struct vcpu *v, struct domain *d)
{
    if (d && d != v->domain)
        domain_put(d);
}

static long query_size(struct vcpu *v, uint64_t arg, uint64_t count)
{
    struct gnttab_query_size q;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(v, &q, arg, sizeof(q)))
        return -XEN_EFAULT;
    q.status = GNTST_okay;
    struct domain *d = target(v, q.dom, &q.status);
    if (d) {
        q.nr_frames = d->gnttab->nr_frames;
        q.max_nr_frames = GNTTAB_MAX_FRAMES;
    }
    release(v, d);
    return copy_to_guest(v, arg, &q, sizeof(q)) ? -XEN_EFAULT : 0;
}

static long setup_table(struct vcpu *v, uint64_t arg, uint64_t count)
{
    struct gnttab_setup_table s;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest(v, &s, arg, sizeof(s)))
        return -XEN_EFAULT;
    s.status = GNTST_okay;
    struct domain *d = target(v, s.dom, &s.status);
    if (d && (s.nr_frames == 0 || s.nr_frames > GNTTAB_MAX_FRAMES))
        s.status = GNTST_general_error;
    else if (d) {
        for (uint32_t i = 0; i < s.nr_frames; i++) {
            uint64_t mfn, gfn;
            if (gnttab_frame(d, i, &mfn)) {
                s.status = GNTST_general_error;
                break;
            }
            /* Auto-translated guests get the GFN each frame sits at. */
            gfn = d->gnttab->gfns[i];
            if (copy_to_guest(v, s.frame_list + i * sizeof(gfn), &gfn, sizeof(gfn))) {
                release(v, d);
                return -XEN_EFAULT;
            }
        }
    }
    release(v, d);
    return copy_to_guest(v, arg, &s, sizeof(s)) ? -XEN_EFAULT : 0;
}

long do_grant_table_op(struct vcpu *v, const uint64_t args[5])
{
    uint64_t cmd = args[0], arg = args[1], count = args[2];

    switch (cmd) {
    case GNTTABOP_query_size:
        return query_size(v, arg, count);
    case GNTTABOP_setup_table:
        return setup_table(v, arg, count);
    case GNTTABOP_set_version: {
        struct gnttab_set_version sv;
        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &sv, arg, sizeof(sv)))
            return -XEN_EFAULT;
        /* Only version 1 is offered; the answer names it either way. */
        int rc = sv.version == 1 ? 0 : -XEN_EINVAL;
        sv.version = 1;
        return copy_to_guest(v, arg, &sv, sizeof(sv)) ? -XEN_EFAULT : rc;
    }
    case GNTTABOP_get_version: {
        struct gnttab_get_version gv;
        if (count != 1)
            return -XEN_EINVAL;
        if (copy_from_guest(v, &gv, arg, sizeof(gv)))
            return -XEN_EFAULT;
        int16_t status = GNTST_okay;
        struct domain *d = target(v, gv.dom, &status);
        if (!d)
            return status == GNTST_permission_denied ? -XEN_EPERM : -XEN_ESRCH;
        release(v, d);
        gv.version = 1;
        return copy_to_guest(v, arg, &gv, sizeof(gv)) ? -XEN_EFAULT : 0;
    }
    case GNTTABOP_copy:
        return gnttab_copy(v, arg, count);
    case GNTTABOP_map_grant_ref:
        return gnttab_map(v, arg, count);
    case GNTTABOP_unmap_grant_ref:
        return gnttab_unmap(v, arg, count);
    default:
        return -XEN_ENOSYS;
    }
}
