/* The VCPUOP_* calls about a vCPU's register state and accounting:
 * initialise, and the runstate record and its copy in guest memory. */
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/sched.h>
#include <mica/spinlock.h>
#include <mica/vcpu_arch.h>
#include <public/xen/hvm_vcpu.h>

/* Loads a start state once per vCPU, as on Xen: a vCPU that has one
 * refuses another. Only an initialised vCPU can be up, so a running one
 * is refused too. */
static long initialise(struct vcpu *caller, struct vcpu *t, uint64_t arg)
{
    struct vcpu_hvm_context ctx;

    if (copy_from_guest(caller, &ctx, arg, sizeof(ctx)))
        return -XEN_EFAULT;
    struct domain *d = t->domain;
    spin_lock(&d->lock);
    long rc = -XEN_EEXIST;
    if (!t->initialised)
        rc = arch_vcpu_initialise(t, &ctx);
    if (!rc)
        __atomic_store_n(&t->initialised, true, __ATOMIC_RELEASE);
    spin_unlock(&d->lock);
    return rc;
}

static long get_runstate_info(struct vcpu *caller, struct vcpu *t, uint64_t arg)
{
    struct vcpu_runstate_info r;

    sched_runstate_get(t, &r);
    return copy_to_guest(caller, arg, &r, sizeof(r)) ? -XEN_EFAULT : 0;
}

/* The address is guest-virtual, in the target vCPU's address space from
 * then on: the scheduler rewrites the record there at every switch to and
 * from the vCPU. Address 0 stops the copies. The first copy, through the
 * caller's page tables, proves the address writable. */
static long register_runstate_area(struct vcpu *caller, struct vcpu *t,
                                   uint64_t arg)
{
    struct vcpu_register_runstate_memory_area area;
    struct vcpu_runstate_info r;

    if (copy_from_guest(caller, &area, arg, sizeof(area)))
        return -XEN_EFAULT;
    if (area.addr.v) {
        sched_runstate_get(t, &r);
        if (copy_to_guest(caller, area.addr.v, &r, sizeof(r)))
            return -XEN_EFAULT;
    }
    __atomic_store_n(&t->runstate_gva, area.addr.v, __ATOMIC_RELEASE);
    return 0;
}

long vcpu_op_more(struct vcpu *caller, struct vcpu *target, uint64_t cmd,
                  uint64_t arg)
{
    switch (cmd) {
    case VCPUOP_initialise:
        return initialise(caller, target, arg);
    case VCPUOP_get_runstate_info:
        return get_runstate_info(caller, target, arg);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate_area(caller, target, arg);
    default:
        /* register_vcpu_time_memory_area, send_nmi, get_physid and the
         * physical-address variants are not offered. */
        return -XEN_ENOSYS;
    }
}
