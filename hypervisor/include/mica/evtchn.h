/* Event channels, 2-level ABI: ports, their bindings, and delivery into
 * the shared_info bitmaps and the vCPU upcall. */
#ifndef MICA_EVTCHN_H
#define MICA_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen/event_channel.h>

struct domain;
struct vcpu;

/* 64 words of 64 bits in shared_info: the 2-level ABI's limit. */
#define EVTCHN_NR_PORTS 4096

int evtchn_domain_init(struct domain *d);
/* Closes every port, so peers see theirs unbound (a domain being
 * destroyed); the table stays until evtchn_domain_destroy(). */
void evtchn_domain_close(struct domain *d);
/* Closes every port still open and frees the table. */
void evtchn_domain_destroy(struct domain *d);

/* Operations, with the caller's domain already resolved. Each returns 0 or
 * a negative Xen errno; ports come back through the pointer arguments. */
int evtchn_alloc_unbound(struct domain *d, domid_t remote, evtchn_port_t *port);
int evtchn_bind_interdomain(struct domain *d, domid_t remote_dom,
                            evtchn_port_t remote_port, evtchn_port_t *port);
int evtchn_bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu,
                     evtchn_port_t *port);
int evtchn_bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_send(struct domain *d, evtchn_port_t port);
int evtchn_status(struct domain *d, evtchn_port_t port, struct evtchn_status *st);
int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu);
int evtchn_unmask(struct domain *d, evtchn_port_t port);

/* Raises a VIRQ on a vCPU, if the guest bound it. */
void evtchn_send_virq(struct vcpu *v, uint32_t virq);
/* Whether a port of d is valid and its pending bit set (for SCHEDOP_poll). */
bool evtchn_port_pending(struct domain *d, evtchn_port_t port, bool *valid);

#endif
