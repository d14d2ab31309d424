/*
 * event_channel_op(cmd, arg): event channels, the guest's interrupts.
 * A port is bound to a VIRQ, an IPI, a physical IRQ or a port of another
 * domain; sending on one end makes the other end's port pending.
 */
#ifndef MICA_PUBLIC_XEN_EVENT_CHANNEL_H
#define MICA_PUBLIC_XEN_EVENT_CHANNEL_H

#include "xen.h"

#define EVTCHNOP_bind_interdomain   0   /* struct evtchn_bind_interdomain */
#define EVTCHNOP_bind_virq          1   /* struct evtchn_bind_virq */
#define EVTCHNOP_bind_pirq          2   /* struct evtchn_bind_pirq */
#define EVTCHNOP_close              3   /* struct evtchn_close */
#define EVTCHNOP_send               4   /* struct evtchn_send */
#define EVTCHNOP_status             5   /* struct evtchn_status */
#define EVTCHNOP_alloc_unbound      6   /* struct evtchn_alloc_unbound */
#define EVTCHNOP_bind_ipi           7   /* struct evtchn_bind_ipi */
#define EVTCHNOP_bind_vcpu          8   /* struct evtchn_bind_vcpu */
#define EVTCHNOP_unmask             9   /* struct evtchn_unmask */
#define EVTCHNOP_reset             10   /* struct evtchn_reset */
#define EVTCHNOP_init_control      11   /* struct evtchn_init_control (FIFO ABI) */
#define EVTCHNOP_expand_array      12   /* struct evtchn_expand_array (FIFO ABI) */
#define EVTCHNOP_set_priority      13   /* struct evtchn_set_priority (FIFO ABI) */

/* evtchn_status.status */
#define EVTCHNSTAT_closed       0
#define EVTCHNSTAT_unbound      1
#define EVTCHNSTAT_interdomain  2
#define EVTCHNSTAT_pirq         3
#define EVTCHNSTAT_virq         4
#define EVTCHNSTAT_ipi          5

/* evtchn_bind_pirq.flags */
#define BIND_PIRQ__WILL_SHARE   1

/* Ports of the 2-level ABI: 64 selector bits x 64-bit words. */
#define EVTCHN_2L_NR_CHANNELS   4096

/* FIFO ABI priorities, 0 the most urgent. */
#define EVTCHN_FIFO_PRIORITY_MAX      0
#define EVTCHN_FIFO_PRIORITY_DEFAULT  7
#define EVTCHN_FIFO_PRIORITY_MIN     15

#ifndef __ASSEMBLER__

typedef uint32_t evtchn_port_t;

/* Make a port in dom that remote_dom may later bind to. */
struct evtchn_alloc_unbound {
    domid_t dom;                /* in */
    domid_t remote_dom;         /* in */
    evtchn_port_t port;         /* out */
};
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "evtchn_alloc_unbound size");
_Static_assert(offsetof(struct evtchn_alloc_unbound, remote_dom) == 2, "evtchn_alloc_unbound.remote_dom");
_Static_assert(offsetof(struct evtchn_alloc_unbound, port) == 4, "evtchn_alloc_unbound.port");

/* Connect a new local port to remote_port, left unbound for us by remote_dom. */
struct evtchn_bind_interdomain {
    domid_t remote_dom;         /* in */
    evtchn_port_t remote_port;  /* in */
    evtchn_port_t local_port;   /* out */
};
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "evtchn_bind_interdomain size");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "evtchn_bind_interdomain.remote_port");
_Static_assert(offsetof(struct evtchn_bind_interdomain, local_port) == 8, "evtchn_bind_interdomain.local_port");

struct evtchn_bind_virq {
    uint32_t virq;              /* in: VIRQ_* */
    uint32_t vcpu;              /* in */
    evtchn_port_t port;         /* out */
};
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "evtchn_bind_virq size");
_Static_assert(offsetof(struct evtchn_bind_virq, port) == 8, "evtchn_bind_virq.port");

struct evtchn_bind_pirq {
    uint32_t pirq;              /* in */
    uint32_t flags;             /* in: BIND_PIRQ__* */
    evtchn_port_t port;         /* out */
};
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "evtchn_bind_pirq size");

struct evtchn_bind_ipi {
    uint32_t vcpu;              /* in */
    evtchn_port_t port;         /* out */
};
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "evtchn_bind_ipi size");

struct evtchn_close {
    evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_close) == 4, "evtchn_close size");

struct evtchn_send {
    evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_send) == 4, "evtchn_send size");

/* What (dom, port) is bound to; other domains' ports need privilege. */
struct evtchn_status {
    domid_t dom;                /* in */
    evtchn_port_t port;         /* in */
    uint32_t status;            /* out: EVTCHNSTAT_* */
    uint32_t vcpu;              /* out: the vCPU it notifies */
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status size");
_Static_assert(offsetof(struct evtchn_status, port) == 4, "evtchn_status.port");
_Static_assert(offsetof(struct evtchn_status, status) == 8, "evtchn_status.status");
_Static_assert(offsetof(struct evtchn_status, vcpu) == 12, "evtchn_status.vcpu");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "evtchn_status.u");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20, "evtchn_status.u.interdomain.port");

/* Deliver port's notifications to another vCPU. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "evtchn_bind_vcpu size");

/* Clear port's mask bit and raise the upcall if it is pending. */
struct evtchn_unmask {
    evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_unmask) == 4, "evtchn_unmask size");

/* Close every port of dom. */
struct evtchn_reset {
    domid_t dom;
};
_Static_assert(sizeof(struct evtchn_reset) == 2, "evtchn_reset size");

struct evtchn_init_control {
    uint64_t control_gfn;       /* in */
    uint32_t offset;            /* in */
    uint32_t vcpu;              /* in */
    uint8_t link_bits;          /* out */
    uint8_t _pad[7];
};
_Static_assert(sizeof(struct evtchn_init_control) == 24, "evtchn_init_control size");
_Static_assert(offsetof(struct evtchn_init_control, offset) == 8, "evtchn_init_control.offset");
_Static_assert(offsetof(struct evtchn_init_control, vcpu) == 12, "evtchn_init_control.vcpu");
_Static_assert(offsetof(struct evtchn_init_control, link_bits) == 16, "evtchn_init_control.link_bits");

struct evtchn_expand_array {
    uint64_t array_gfn;
};
_Static_assert(sizeof(struct evtchn_expand_array) == 8, "evtchn_expand_array size");

struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "evtchn_set_priority size");

#endif /* !__ASSEMBLER__ */

#endif
