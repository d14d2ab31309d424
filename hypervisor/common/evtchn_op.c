/* EVTCHNOP_*: copies each operation's struct in, resolves the domain it
 * names, calls into evtchn.c and copies the answer back. */
#include <mica/domain.h>
#include <mica/evtchn.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>

/* The domain a request names: itself always, another only with privilege
 * and a reference, which release() puts. */
static struct domain *target_domain(struct vcpu *v, domid_t id, int *err)
{
    struct domain *d = v->domain;

    if (id == DOMID_SELF || id == d->id)
        return d;
    if (!d->privileged) {
        *err = -XEN_EPERM;
        return NULL;
    }
    struct domain *t = domain_get(id);
    if (!t)
        *err = -XEN_ESRCH;
    return t;
}

static void release(struct vcpu *v, struct domain *t)
{
    if (t && t != v->domain)
        domain_put(t);
}

/* Copies the op in, runs `body` with `op` in scope, copies it back on
 * success when the op has out-fields. */
#define WITH_OP(type, copy_back, body) do {                         \
        type op;                                                    \
        if (copy_from_guest(v, &op, arg, sizeof(op)))               \
            return -XEN_EFAULT;                                     \
        body                                                        \
        if (rc == 0 && (copy_back) &&                               \
            copy_to_guest(v, arg, &op, sizeof(op)))                 \
            return -XEN_EFAULT;                                     \
        return rc;                                                  \
    } while (0)

long do_event_channel_op(struct vcpu *v, const uint64_t args[5])
{
    uint64_t cmd = args[0], arg = args[1];
    struct domain *d = v->domain;
    int rc = 0;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        WITH_OP(struct evtchn_alloc_unbound, true, {
            struct domain *t = target_domain(v, op.dom, &rc);
            if (t)
                rc = evtchn_alloc_unbound(t, op.remote_dom == DOMID_SELF ?
                                          d->id : op.remote_dom, &op.port);
            release(v, t);
        });
    case EVTCHNOP_bind_interdomain:
        WITH_OP(struct evtchn_bind_interdomain, true, {
            rc = evtchn_bind_interdomain(d, op.remote_dom, op.remote_port,
                                         &op.local_port);
        });
    case EVTCHNOP_bind_virq:
        WITH_OP(struct evtchn_bind_virq, true, {
            rc = evtchn_bind_virq(d, op.virq, op.vcpu, &op.port);
        });
    case EVTCHNOP_bind_ipi:
        WITH_OP(struct evtchn_bind_ipi, true, {
            rc = evtchn_bind_ipi(d, op.vcpu, &op.port);
        });
    case EVTCHNOP_close:
        WITH_OP(struct evtchn_close, false, {
            rc = evtchn_close(d, op.port);
        });
    case EVTCHNOP_send:
        WITH_OP(struct evtchn_send, false, {
            rc = evtchn_send(d, op.port);
        });
    case EVTCHNOP_status:
        WITH_OP(struct evtchn_status, true, {
            struct domain *t = target_domain(v, op.dom, &rc);
            if (t)
                rc = evtchn_status(t, op.port, &op);
            release(v, t);
        });
    case EVTCHNOP_bind_vcpu:
        WITH_OP(struct evtchn_bind_vcpu, false, {
            rc = evtchn_bind_vcpu(d, op.port, op.vcpu);
        });
    case EVTCHNOP_unmask:
        WITH_OP(struct evtchn_unmask, false, {
            rc = evtchn_unmask(d, op.port);
        });
    default:
        /* PIRQs, reset and the FIFO ABI (init_control, expand_array,
         * set_priority) are not offered: guests fall back to 2-level. */
        return -XEN_ENOSYS;
    }
}
