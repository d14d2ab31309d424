/* GNTTABOP_copy: copies bytes between pages named by grant reference or,
 * for the caller's own memory, by GFN. Each op is checked on its own and
 * gets its own status; a bad op never stops the others. */
#include <mica/domain.h>
#include <mica/gnttab.h>
#include <mica/guest_access.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/string.h>

#define COPY_MAX_OPS 4096       /* per call, like a Xen batch without continuation */

/* One side of a copy: where it is, and the grant pinned for it. */
struct copy_side {
    uint8_t *host;
    struct domain *granter;     /* set while a grant is pinned */
    grant_ref_t ref;
    bool write;
};

/* Resolves one side of a copy to a host pointer at its offset, pinning
 * the grant when it is named by reference. Caller holds the ops lock. */
static int16_t claim(struct vcpu *v, const struct gnttab_copy_ptr *p, bool by_ref,
                     bool write, struct copy_side *side)
{
    struct domain *caller = v->domain;
    uint64_t mfn;

    if (by_ref) {
        struct domain *granter = p->domid == DOMID_SELF ? caller
                                                        : domain_by_id(p->domid);
        if (!granter)
            return GNTST_bad_domain;
        int st = gnttab_pin(granter, p->u.ref, caller->id, write, &mfn);
        if (st != GNTST_okay)
            return (int16_t)st;
        *side = (struct copy_side){ .granter = granter, .ref = p->u.ref, .write = write };
    } else {
        /* By frame number: only one's own memory (or, for the control
         * domain, anyone's). */
        struct domain *owner = caller;
        if (p->domid != DOMID_SELF && p->domid != caller->id) {
            if (!caller->privileged)
                return GNTST_permission_denied;
            if (!(owner = domain_by_id(p->domid)))
                return GNTST_bad_domain;
        }
        enum p2m_type type;
        bool writable;
        if (p->u.gmfn > P2M_MAX_GFN ||
            !p2m_lookup(owner, p->u.gmfn, &mfn, &type, &writable) ||
            type != P2M_RAM || (write && !writable))
            return GNTST_bad_page;
    }
    side->host = (uint8_t *)phys_to_virt(mfn << PAGE_SHIFT) + p->offset;
    return GNTST_okay;
}

static void release(struct copy_side *side)
{
    if (side->granter)
        gnttab_unpin(side->granter, side->ref, side->write);
}

static int16_t copy_one(struct vcpu *v, const struct gnttab_copy *op)
{
    if (op->flags & ~(GNTCOPY_source_gref | GNTCOPY_dest_gref))
        return GNTST_bad_copy_arg;
    if ((uint32_t)op->source.offset + op->len > 4096 ||
        (uint32_t)op->dest.offset + op->len > 4096)
        return GNTST_bad_copy_arg;

    struct copy_side src = { 0 }, dst = { 0 };
    int16_t st;
    /* Frames first: a page cannot be given back while we copy into it. */
    domain_frames_lock();
    gnttab_ops_lock();
    st = claim(v, &op->source, op->flags & GNTCOPY_source_gref, false, &src);
    if (st == GNTST_okay)
        st = claim(v, &op->dest, op->flags & GNTCOPY_dest_gref, true, &dst);
    if (st == GNTST_okay)
        memmove(dst.host, src.host, op->len);
    release(&src);
    release(&dst);
    gnttab_ops_unlock();
    domain_frames_unlock();
    return st;
}

long gnttab_copy(struct vcpu *v, uint64_t arg, uint64_t count)
{
    if (count > COPY_MAX_OPS)
        return -XEN_EINVAL;
    for (uint64_t i = 0; i < count; i++) {
        struct gnttab_copy op;
        uint64_t at = arg + i * sizeof(op);
        if (copy_from_guest(v, &op, at, sizeof(op)))
            return -XEN_EFAULT;
        op.status = copy_one(v, &op);
        if (copy_to_guest(v, at + offsetof(struct gnttab_copy, status),
                          &op.status, sizeof(op.status)))
            return -XEN_EFAULT;
    }
    return 0;
}
