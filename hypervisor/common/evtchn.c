/*
 * Event channels. Each domain has a table of ports; a port is free,
 * reserved (port 0), unbound (waiting for a peer), interdomain, a VIRQ or
 * an IPI. Sending sets the port's pending bit in the target's shared_info
 * and, unless the port is masked, its word's bit in the vCPU's selector
 * and the vCPU's upcall_pending flag, then kicks the vCPU. One lock covers
 * every domain's table: interdomain operations touch two tables at once.
 */
#include <mica/domain.h>
#include <mica/evtchn.h>
#include <mica/heap.h>
#include <mica/sched.h>

enum evtchn_state {
    ECS_FREE = 0, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI,
};

struct evtchn {
    uint8_t state;
    uint32_t notify_vcpu;
    domid_t remote_dom;         /* unbound: who may bind; interdomain: peer */
    evtchn_port_t remote_port;  /* interdomain */
    uint32_t virq;
};

struct evtchn_table {
    struct evtchn ports[EVTCHN_NR_PORTS];
};

static spinlock_t evtchn_lock = SPINLOCK_INIT;

static bool virq_is_per_vcpu(uint32_t virq)
{
    return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
           virq == VIRQ_XENPMU;
}

int evtchn_domain_init(struct domain *d)
{
    d->evtchn = kzalloc(sizeof(struct evtchn_table));
    if (!d->evtchn)
        return -XEN_ENOMEM;
    d->evtchn->ports[0].state = ECS_RESERVED;
    return 0;
}

static struct evtchn *port_of(struct domain *d, evtchn_port_t port)
{
    if (!d->evtchn || port >= EVTCHN_NR_PORTS)
        return NULL;
    struct evtchn *c = &d->evtchn->ports[port];
    return c->state == ECS_FREE || c->state == ECS_RESERVED ? NULL : c;
}

static int alloc_port(struct domain *d, evtchn_port_t *port)
{
    for (evtchn_port_t p = 1; p < EVTCHN_NR_PORTS; p++) {
        if (d->evtchn->ports[p].state == ECS_FREE) {
            *port = p;
            return 0;
        }
    }
    return -XEN_ENOSPC;
}

static bool bit_test_and_set(xen_ulong_t *words, unsigned int bit)
{
    uint64_t m = 1ULL << (bit % 64);
    return __atomic_fetch_or(&words[bit / 64], m, __ATOMIC_SEQ_CST) & m;
}

static void bit_clear(xen_ulong_t *words, unsigned int bit)
{
    __atomic_fetch_and(&words[bit / 64], ~(1ULL << (bit % 64)), __ATOMIC_SEQ_CST);
}

static bool bit_test(const xen_ulong_t *words, unsigned int bit)
{
    return (__atomic_load_n(&words[bit / 64], __ATOMIC_SEQ_CST) >> (bit % 64)) & 1;
}

/* The port's word is pending and unmasked: tell the vCPU. */
static void raise_upcall(struct vcpu *v, evtchn_port_t port)
{
    struct vcpu_info *vi = v->vcpu_info;

    if (!bit_test_and_set(&vi->evtchn_pending_sel, port / 64) &&
        !__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST)) {
        v->upcall_inject = true;
    }
    vcpu_wake(v);
}

static void set_pending(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;

    if (bit_test_and_set(s->evtchn_pending, port))
        return;
    if (!bit_test(s->evtchn_mask, port))
        raise_upcall(d->vcpus[d->evtchn->ports[port].notify_vcpu], port);
    /* A vCPU may poll a port that notifies another one (SCHEDOP_poll takes
     * any ports): wake every poller, each looks at its own ports again. */
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i]->polling)
            vcpu_wake(d->vcpus[i]);
}

/* The vCPU whose virq_ports entry a VIRQ binding occupies: its own for a
 * per-vCPU VIRQ, vCPU 0 for a global one wherever it notifies. */
static struct vcpu *virq_owner(struct domain *d, uint32_t virq, uint32_t vcpu)
{
    return d->vcpus[virq_is_per_vcpu(virq) ? vcpu : 0];
}

int evtchn_alloc_unbound(struct domain *d, domid_t remote, evtchn_port_t *port)
{
    if (remote == DOMID_SELF)
        remote = d->id;
    /* As on Xen, the remote domain need not exist yet: a builder makes
     * ports for a domain it is about to create. */
    if (remote >= DOMID_FIRST_RESERVED)
        return -XEN_EINVAL;
    spin_lock(&evtchn_lock);
    int rc = alloc_port(d, port);
    if (!rc) {
        struct evtchn *c = &d->evtchn->ports[*port];
        *c = (struct evtchn){ .state = ECS_UNBOUND, .remote_dom = remote };
    }
    spin_unlock(&evtchn_lock);
    return rc;
}

int evtchn_bind_interdomain(struct domain *d, domid_t remote_dom,
                            evtchn_port_t remote_port, evtchn_port_t *port)
{
    if (remote_dom == DOMID_SELF)
        remote_dom = d->id;

    /* Looked up under the lock that evtchn_domain_destroy() takes, so the
     * peer cannot go away while we bind to it. */
    spin_lock(&evtchn_lock);
    int rc;
    struct domain *rd = domain_by_id(remote_dom);
    struct evtchn *rc_chan = rd ? port_of(rd, remote_port) : NULL;
    if (!rd) {
        rc = -XEN_ESRCH;
    } else if (!rc_chan || rc_chan->state != ECS_UNBOUND || rc_chan->remote_dom != d->id) {
        rc = -XEN_EINVAL;
    } else if (!(rc = alloc_port(d, port))) {
        struct evtchn *lc = &d->evtchn->ports[*port];
        *lc = (struct evtchn){ .state = ECS_INTERDOMAIN, .remote_dom = rd->id,
                               .remote_port = remote_port };
        rc_chan->state = ECS_INTERDOMAIN;
        rc_chan->remote_dom = d->id;
        rc_chan->remote_port = *port;
        /* As on Xen: the new local end starts pending, so that a notify
         * sent before the bind is not lost. */
        set_pending(d, *port);
    }
    spin_unlock(&evtchn_lock);
    return rc;
}

int evtchn_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu,
                     evtchn_port_t *port)
{
    if (virq >= NR_VIRQS)
        return -XEN_EINVAL;
    if (!virq_is_per_vcpu(virq) && vcpu != 0)
        return -XEN_EINVAL;
    if (vcpu >= d->max_vcpus)
        return -XEN_ENOENT;
    struct vcpu *v = virq_owner(d, virq, vcpu);

    spin_lock(&evtchn_lock);
    int rc = v->virq_ports[virq] ? -XEN_EEXIST : alloc_port(d, port);
    if (!rc) {
        d->evtchn->ports[*port] = (struct evtchn){
            .state = ECS_VIRQ, .notify_vcpu = vcpu, .virq = virq };
        v->virq_ports[virq] = (uint16_t)*port;
    }
    spin_unlock(&evtchn_lock);
    return rc;
}

int evtchn_bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port)
{
    if (vcpu >= d->max_vcpus)
        return -XEN_ENOENT;
    spin_lock(&evtchn_lock);
    int rc = alloc_port(d, port);
    if (!rc)
        d->evtchn->ports[*port] = (struct evtchn){ .state = ECS_IPI,
                                                   .notify_vcpu = vcpu };
    spin_unlock(&evtchn_lock);
    return rc;
}

/* Caller holds evtchn_lock. */
static void close_locked(struct domain *d, evtchn_port_t port)
{
    struct evtchn *c = &d->evtchn->ports[port];

    if (c->state == ECS_INTERDOMAIN) {
        struct domain *rd = domain_by_id(c->remote_dom);
        struct evtchn *r = rd ? port_of(rd, c->remote_port) : NULL;
        /* The peer's end waits for a new partner: us, as Xen does. */
        if (r && r->state == ECS_INTERDOMAIN && r->remote_dom == d->id &&
            r->remote_port == port) {
            r->state = ECS_UNBOUND;
            r->remote_port = 0;
        }
    } else if (c->state == ECS_VIRQ) {
        virq_owner(d, c->virq, c->notify_vcpu)->virq_ports[c->virq] = 0;
    }
    /* The mask bit stays as the guest left it, as on Xen: a guest masks a
     * port before closing it and unmasks the next one once it is ready. */
    bit_clear(d->shared_info->evtchn_pending, port);
    *c = (struct evtchn){ .state = ECS_FREE };
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
    spin_lock(&evtchn_lock);
    int rc = port_of(d, port) ? 0 : -XEN_EINVAL;
    if (!rc)
        close_locked(d, port);
    spin_unlock(&evtchn_lock);
    return rc;
}

int evtchn_send(struct domain *d, evtchn_port_t port)
{
    spin_lock(&evtchn_lock);
    int rc = 0;
    struct evtchn *c = port_of(d, port);
    if (!c) {
        rc = -XEN_EINVAL;
    } else if (c->state == ECS_INTERDOMAIN) {
        struct domain *rd = domain_by_id(c->remote_dom);
        if (rd && port_of(rd, c->remote_port))
            set_pending(rd, c->remote_port);
    } else if (c->state == ECS_IPI) {
        set_pending(d, port);
    } else if (c->state != ECS_UNBOUND) {
        rc = -XEN_EINVAL;       /* VIRQs are raised by the hypervisor only */
    }
    spin_unlock(&evtchn_lock);
    return rc;
}

int evtchn_status(struct domain *d, evtchn_port_t port, struct evtchn_status *st)
{
    spin_lock(&evtchn_lock);
    int rc = 0;
    if (port >= EVTCHN_NR_PORTS) {
        rc = -XEN_EINVAL;
    } else {
        const struct evtchn *c = &d->evtchn->ports[port];
        st->vcpu = c->notify_vcpu;
        switch (c->state) {
        case ECS_FREE:
        case ECS_RESERVED:
            st->status = EVTCHNSTAT_closed;
            break;
        case ECS_UNBOUND:
            st->status = EVTCHNSTAT_unbound;
            st->u.unbound.dom = c->remote_dom;
            break;
        case ECS_INTERDOMAIN:
            st->status = EVTCHNSTAT_interdomain;
            st->u.interdomain.dom = c->remote_dom;
            st->u.interdomain.port = c->remote_port;
            break;
        case ECS_VIRQ:
            st->status = EVTCHNSTAT_virq;
            st->u.virq = c->virq;
            break;
        case ECS_IPI:
            st->status = EVTCHNSTAT_ipi;
            break;
        }
    }
    spin_unlock(&evtchn_lock);
    return rc;
}

int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
    if (vcpu >= d->max_vcpus)
        return -XEN_ENOENT;
    spin_lock(&evtchn_lock);
    int rc = 0;
    struct evtchn *c = port_of(d, port);
    if (!c || c->state == ECS_IPI ||
        (c->state == ECS_VIRQ && virq_is_per_vcpu(c->virq))) {
        rc = -XEN_EINVAL;
    } else {
        c->notify_vcpu = vcpu;
        if (bit_test(d->shared_info->evtchn_pending, port) &&
            !bit_test(d->shared_info->evtchn_mask, port))
            raise_upcall(d->vcpus[vcpu], port);
    }
    spin_unlock(&evtchn_lock);
    return rc;
}

int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    spin_lock(&evtchn_lock);
    int rc = 0;
    struct evtchn *c = port_of(d, port);
    if (!c) {
        rc = -XEN_EINVAL;
    } else {
        bit_clear(d->shared_info->evtchn_mask, port);
        if (bit_test(d->shared_info->evtchn_pending, port))
            raise_upcall(d->vcpus[c->notify_vcpu], port);
    }
    spin_unlock(&evtchn_lock);
    return rc;
}

void evtchn_send_virq(struct vcpu *v, uint32_t virq)
{
    if (virq >= NR_VIRQS)
        return;
    spin_lock(&evtchn_lock);
    evtchn_port_t port = virq_owner(v->domain, virq, v->id)->virq_ports[virq];
    if (port && port_of(v->domain, port))
        set_pending(v->domain, port);
    spin_unlock(&evtchn_lock);
}

bool evtchn_port_pending(struct domain *d, evtchn_port_t port, bool *valid)
{
    spin_lock(&evtchn_lock);
    *valid = port_of(d, port) != NULL;
    bool pending = *valid && bit_test(d->shared_info->evtchn_pending, port);
    spin_unlock(&evtchn_lock);
    return pending;
}

/* Caller holds evtchn_lock. */
static void close_all_locked(struct domain *d)
{
    for (evtchn_port_t p = 1; p < EVTCHN_NR_PORTS; p++)
        if (port_of(d, p))
            close_locked(d, p);
}

void evtchn_domain_close(struct domain *d)
{
    spin_lock(&evtchn_lock);
    close_all_locked(d);
    spin_unlock(&evtchn_lock);
}

void evtchn_domain_destroy(struct domain *d)
{
    if (!d->evtchn)
        return;
    spin_lock(&evtchn_lock);
    close_all_locked(d);
    struct evtchn_table *t = d->evtchn;
    d->evtchn = NULL;
    spin_unlock(&evtchn_lock);
    kfree(t);
}
