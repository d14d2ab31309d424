/* cons_xen: what the console daemon needs from Linux's Xen devices and
 * from Mica, on top of libmica: a guest's console page mapped (its
 * reserved grant through gntdev, or its frame through privcmd),
 * interdomain event channels through evtchn, and the domain list of Mica's
 * control interface. Failures are printed here, with the domain. */
#ifndef CONS_XEN_H
#define CONS_XEN_H

#include <stdbool.h>
#include <stdint.h>

#include "mica_ctl.h"
#include "mica_evtchn.h"
#include "mica_gnttab.h"

struct cons_xen {
    struct mica_evtchn evtchn;    /* its fd is what to poll() */
    struct mica_gnttab gnttab;
    struct mica_ctl ctl;          /* privcmd */
};

/* A mapped console page and how to unmap it. */
struct cons_map {
    void *page;
    struct mica_grant_map grant;  /* all zero: a privcmd mapping */
};

/* Opens the three devices (locking our memory, see mica_ctl_open); 0, or
 * a negative errno with a message naming the device that failed and the
 * module that provides it. */
int cons_xen_open(struct cons_xen *x);
void cons_xen_close(struct cons_xen *x);

/* Maps the console page of domid: the grant ref when ring_ref is 0 (the
 * reserved console grant), otherwise the guest frame ring_ref, trying the
 * reserved grant first. 0 or a negative errno (printed). */
int cons_xen_map(struct cons_xen *x, uint32_t domid, uint64_t ring_ref, struct cons_map *m);
void cons_xen_unmap(struct cons_xen *x, struct cons_map *m);

/* Binds our end of domid's channel remote_port; the local port or a
 * negative errno (printed). */
int cons_xen_bind(struct cons_xen *x, uint32_t domid, uint32_t remote_port);

/* Whether domid exists and is not being destroyed; true also when the
 * hypervisor cannot be asked (then the store alone decides). */
bool cons_xen_domain_alive(struct cons_xen *x, uint32_t domid);
/* Whether our local_port is still joined to a port of domid. Once that
 * domain is destroyed the port falls back to unbound: then this console
 * belongs to a domain that is gone, even if a new one took its id. */
bool cons_xen_port_joined(struct cons_xen *x, uint32_t local_port, uint32_t domid);

#endif
