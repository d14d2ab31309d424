/* The control interface's hypercall: checks the struct once at the
 * boundary, resolves the domain it names (with a reference held for the
 * whole command) and runs the command. Only the control domain gets here:
 * hypercall.c refuses everyone else. */
#include <mica/control.h>
#include <mica/domain.h>
#include <mica/gnttab.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/sched.h>
#include <mica/vcpu_arch.h>

static long create_domain(struct mica_control *c)
{
    const struct mica_ctl_create_domain *a = &c->u.create_domain;

    if (a->flags || a->max_vcpus == 0 || a->max_vcpus > MAX_VCPUS ||
        a->max_pages > memory_stats()->total_frames)
        return -XEN_EINVAL;
    domid_t id = c->domid ? c->domid : domain_free_id();
    if (id == DOMID_INVALID)
        return -XEN_ENOSPC;
    if (id >= MAX_DOMAINS)
        return -XEN_EINVAL;
    if (!domain_create(id, false, a->max_vcpus, a->max_pages))
        /* Either the id is taken or memory ran out; say which. */
        return domain_id_taken(id) ? -XEN_EEXIST : -XEN_ENOMEM;
    c->domid = id;
    return 0;
}

static long set_vcpu_context(struct domain *d, const struct mica_ctl_set_vcpu_context *a)
{
    if (a->vcpu >= d->max_vcpus)
        return -XEN_EINVAL;
    struct vcpu *v = d->vcpus[a->vcpu];
    spin_lock(&d->lock);
    /* Paused, so the vCPU is on no CPU and stays off until unpaused. */
    long rc = d->state == DOMAIN_PAUSED ? 0 : -XEN_EBUSY;
    if (!rc) {
        vcpu_down(v);
        rc = arch_vcpu_initialise(v, &a->ctx);
    }
    if (!rc)
        __atomic_store_n(&v->initialised, true, __ATOMIC_RELEASE);
    spin_unlock(&d->lock);
    if (!rc)
        vcpu_up(v);
    return rc;
}

static long get_vcpu_context(struct domain *d, struct mica_vcpu_context *a)
{
    if (a->vcpu >= d->max_vcpus)
        return -XEN_EINVAL;
    struct vcpu *v = d->vcpus[a->vcpu];
    uint32_t vcpu = a->vcpu;

    *a = (struct mica_vcpu_context){ .vcpu = vcpu };
    arch_vcpu_get_context(v, a);
    a->flags = (v->state != VCPU_DOWN ? MICA_VCPU_FLAG_UP : 0) |
               (v->initialised ? MICA_VCPU_FLAG_INITIALISED : 0);
    return 0;
}

static long hvm_param(struct domain *d, uint32_t cmd, struct mica_ctl_hvm_param *a)
{
    if (a->index >= HVM_NR_PARAMS)
        return -XEN_EINVAL;
    if (cmd == MICA_CONTROL_get_hvm_param) {
        a->value = d->hvm_params[a->index];
        return 0;
    }
    /* How the guest takes its upcall is the guest's own choice. */
    if (a->index == HVM_PARAM_CALLBACK_IRQ)
        return -XEN_EINVAL;
    d->hvm_params[a->index] = a->value;
    return 0;
}

static long set_grant_entry(struct domain *d, const struct mica_ctl_grant_entry *a)
{
    uint64_t mfn;

    if (a->ref > GNTTAB_RESERVED_XENSTORE || a->backend >= DOMID_FIRST_RESERVED ||
        a->gfn > UINT32_MAX)
        return -XEN_EINVAL;
    int rc = gnttab_frame(d, 0, &mfn);
    if (rc)
        return rc;
    struct grant_entry_v1 *e =
        (struct grant_entry_v1 *)phys_to_virt(mfn << PAGE_SHIFT) + a->ref;
    /* The flags last: a mapper that sees them sees the rest. */
    e->domid = a->backend;
    e->frame = (uint32_t)a->gfn;
    __atomic_store_n(&e->flags, GTF_permit_access, __ATOMIC_RELEASE);
    return 0;
}

/* A command about domain d, which the caller holds a reference to. */
static long on_domain(struct vcpu *v, struct domain *d, struct mica_control *c)
{
    switch (c->cmd) {
    case MICA_CONTROL_destroy_domain:
        /* The control domain would pull the floor from under itself. */
        if (d == v->domain || d->privileged)
            return -XEN_EINVAL;
        domain_destroy(d);
        return 0;
    case MICA_CONTROL_pause:
        return d == v->domain ? -XEN_EINVAL : domain_pause(d);
    case MICA_CONTROL_unpause:
        return domain_unpause(d);
    case MICA_CONTROL_set_max_mem:
        if (c->u.max_mem.max_pages > memory_stats()->total_frames)
            return -XEN_EINVAL;
        d->max_pages = c->u.max_mem.max_pages;
        return 0;
    case MICA_CONTROL_set_max_vcpus:
        return d == v->domain ? -XEN_EINVAL
                              : domain_set_max_vcpus(d, c->u.max_vcpus.max_vcpus);
    case MICA_CONTROL_get_vcpu_context:
        return get_vcpu_context(d, &c->u.vcpu_context);
    case MICA_CONTROL_set_vcpu_context:
        return d == v->domain ? -XEN_EINVAL
                              : set_vcpu_context(d, &c->u.set_vcpu_context);
    case MICA_CONTROL_get_hvm_param:
    case MICA_CONTROL_set_hvm_param:
        return hvm_param(d, c->cmd, &c->u.hvm_param);
    case MICA_CONTROL_set_grant_entry:
        return set_grant_entry(d, &c->u.grant_entry);
    default:
        return -XEN_ENOSYS;
    }
}

long do_mica_control(struct vcpu *v, const uint64_t args[5])
{
    struct mica_control c;
    long rc;

    if (copy_from_guest(v, &c, args[0], sizeof(c)))
        return -XEN_EFAULT;
    if (c.interface_version != MICA_CONTROL_INTERFACE_VERSION)
        return -XEN_EACCES;
    switch (c.cmd) {
    case MICA_CONTROL_create_domain:
        rc = create_domain(&c);
        break;
    case MICA_CONTROL_list_domains:
        rc = control_list_domains(v, &c.u.list_domains);
        break;
    case MICA_CONTROL_read_console:
        rc = control_read_console(v, &c.u.read_console);
        break;
    case MICA_CONTROL_physinfo:
        rc = control_physinfo(&c.u.physinfo);
        break;
    default: {
        if (c.cmd == 0 || c.cmd > MICA_CONTROL_set_grant_entry)
            return -XEN_ENOSYS;
        struct domain *d = domain_get(c.domid == DOMID_SELF ? v->domain->id : c.domid);
        if (!d)
            return -XEN_ESRCH;
        rc = on_domain(v, d, &c);
        domain_put(d);
    }
    }
    if (rc >= 0 && copy_to_guest(v, args[0], &c, sizeof(c)))
        return -XEN_EFAULT;
    return rc;
}
