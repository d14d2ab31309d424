/* HVMOP_*: HVM parameters (where the guest's special pages and event
 * channels are, how it takes upcalls) and the per-vCPU upcall vector. */
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>

#define CALLBACK_TYPE_SHIFT 56
#define CALLBACK_TYPE_VECTOR 2
#define MIN_VECTOR 0x10         /* below that are exceptions */

static long set_callback(struct domain *d, uint64_t value)
{
    uint64_t type = value >> CALLBACK_TYPE_SHIFT;

    if (value == 0) {
        d->callback_vector = 0;
    } else if (type == CALLBACK_TYPE_VECTOR && (value & 0xff) >= MIN_VECTOR &&
               !(value & 0x00ffffffffffff00ULL)) {
        d->callback_vector = value & 0xff;
    } else {
        /* GSI and PCI INTx callbacks need an emulated interrupt
         * controller path that PVH guests do not use. */
        return -XEN_EINVAL;
    }
    d->hvm_params[HVM_PARAM_CALLBACK_IRQ] = value;
    return 0;
}

/* The parameter op on d, which is v's domain or held by a reference. */
static long param_of(struct vcpu *v, struct domain *d, uint64_t cmd,
                     uint64_t arg, struct xen_hvm_param p)
{
    if (cmd == HVMOP_get_param) {
        p.value = d->hvm_params[p.index];
        return copy_to_guest(v, arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
    }
    if (p.index == HVM_PARAM_CALLBACK_IRQ)
        return set_callback(d, p.value);
    /* Everything else describes the domain to itself: only the control
     * domain sets it (the builder and toolstack). */
    if (!v->domain->privileged || d == v->domain)
        return -XEN_EPERM;
    d->hvm_params[p.index] = p.value;
    return 0;
}

static long param_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
    struct xen_hvm_param p;

    if (copy_from_guest(v, &p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.index >= HVM_NR_PARAMS)
        return -XEN_EINVAL;
    struct domain *d = v->domain;
    if (p.domid == DOMID_SELF || p.domid == d->id)
        return param_of(v, d, cmd, arg, p);
    if (!d->privileged)
        return -XEN_EPERM;
    if (!(d = domain_get(p.domid)))
        return -XEN_ESRCH;
    long rc = param_of(v, d, cmd, arg, p);
    domain_put(d);
    return rc;
}

long do_hvm_op(struct vcpu *v, const uint64_t args[5])
{
    uint64_t cmd = args[0], arg = args[1];

    switch (cmd) {
    case HVMOP_set_param:
    case HVMOP_get_param:
        return param_op(v, cmd, arg);
    case HVMOP_set_evtchn_upcall_vector: {
        struct xen_hvm_evtchn_upcall_vector u;
        if (copy_from_guest(v, &u, arg, sizeof(u)))
            return -XEN_EFAULT;
        if (u.vector < MIN_VECTOR)
            return -XEN_EINVAL;
        if (u.vcpu >= v->domain->max_vcpus)
            return -XEN_ENOENT;
        v->domain->vcpus[u.vcpu]->upcall_vector = u.vector;
        return 0;
    }
    default:
        return -XEN_ENOSYS;
    }
}
