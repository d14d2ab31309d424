/* xs_xen: the daemon's side of Linux's Xen devices: event channels
 * (/dev/xen/evtchn) and a guest's store page by grant (/dev/xen/gntdev)
 * through libmica, and dom0's own kernel xenbus page
 * (/dev/xen/xenbus_backend). */
#ifndef XS_XEN_H
#define XS_XEN_H

#include <stdint.h>

#include "mica_evtchn.h"
#include "mica_gnttab.h"
#include "xs_conn.h"

/* Each device is opened when first needed: its fd is -1 until then (the
 * evtchn fd is what to poll(); poll() skips -1). */
struct xs_xen {
    struct mica_evtchn evtchn;
    struct mica_gnttab gnttab;
};

void xs_xen_init(struct xs_xen *x);
void xs_xen_close(struct xs_xen *x);

/* The engine's hook for INTRODUCE: map domid's store page (grant
 * reference 1), bind its event channel, return its connection. Errors
 * are printed with the device that failed; the return is a negative errno. */
int xs_xen_connect_domain(void *ctx, uint32_t domid, uint64_t mfn, uint32_t port,
                          struct xs_conn **out);

/* Serve dom0's in-kernel xenbus: its page and event channel come from
 * /dev/xen/xenbus_backend. Returns 0, or a negative errno (printed). */
int xs_xen_kernel_ring(struct xs_xen *x, struct xs_conn **out);

/* Acknowledge and re-enable every pending event channel; 0 or -errno. */
int xs_xen_drain_events(struct xs_xen *x);

#endif
