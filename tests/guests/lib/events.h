/*
 * The guest side of 2-level event channels, for vCPU 0: the shared_info
 * bitmaps, an upcall handler that scans evtchn_pending_sel and the
 * pending words (skipping masked ports) and counts each port it finds,
 * a bounded wait for those counts, and one wrapper per EVTCHNOP_* call.
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/event_channel.h>

/* How the hypervisor is told where to upcall. */
enum events_callback {
    EVENTS_VCPU_VECTOR,         /* HVMOP_set_evtchn_upcall_vector for vCPU 0 */
    EVENTS_DOMAIN_VECTOR,       /* HVM_PARAM_CALLBACK_IRQ, vector type */
};

/*
 * Maps shared_info, installs the upcall handler at IRQ_UPCALL_VECTOR,
 * registers that vector the way `how` says and binds VIRQ_TIMER on vCPU 0
 * (events_wait() sets the vCPU's single-shot timer to bound its waits).
 * Interrupts stay as they are. Returns 0 or the failing call's error.
 */
long events_init(enum events_callback how);

struct shared_info *events_shared_info(void);
/* The VIRQ_TIMER port events_init() bound. */
evtchn_port_t events_timer_port(void);

/* How often the upcall handler has found port pending, unmasked, and
 * cleared it. */
unsigned int events_seen(evtchn_port_t port);

/*
 * Halts with interrupts on until events_seen(port) >= count or timeout_ns
 * have passed; returns whether the count was reached. Needs VIRQ_TIMER
 * bound on vCPU 0 to wake at the time limit. Leaves the interrupt flag as
 * it found it.
 */
bool events_wait(evtchn_port_t port, unsigned int count, uint64_t timeout_ns);
/* The same, sleeping in SCHEDOP_block with interrupts off and letting the
 * upcall in after each wake-up. */
bool events_wait_sched_block(evtchn_port_t port, unsigned int count, uint64_t timeout_ns);

/* The port's bits in shared_info, read or changed by the guest itself. */
bool evtchn_is_pending(evtchn_port_t port);
bool evtchn_is_masked(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);

/* EVTCHNOP_* for the calling domain; each returns the hypercall's result
 * and hands ports back through the pointer. */
long evtchn_alloc_unbound(domid_t dom, domid_t remote_dom, evtchn_port_t *port);
long evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
                             evtchn_port_t *port);
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long evtchn_close(evtchn_port_t port);
long evtchn_send(evtchn_port_t port);
long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);
long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long evtchn_unmask(evtchn_port_t port);

#endif
