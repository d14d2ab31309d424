/* Event channels from dom0 userspace through Linux's /dev/xen/evtchn
 * (module xen-evtchn). The kernel masks a port when it delivers an event on
 * it; mica_evtchn_pending hands out the port and unmasks it again. Every
 * call returns what it says or a negative errno; none prints. Needs only
 * the C library. */
#ifndef MICA_EVTCHN_H
#define MICA_EVTCHN_H

#include <stdint.h>

#define MICA_EVTCHN_DEVICE "/dev/xen/evtchn"

/* One open of the device; the ports bound through it are ours until
 * unbound or closed. fd is -1 while closed: a handle set to { .fd = -1 }
 * or left by a failed open is closed, and calls on it return -EBADF. */
struct mica_evtchn {
    int fd;             /* non-blocking: poll() it for POLLIN, then read ports */
};

/* Opens the device, non-blocking and close-on-exec; 0 or -errno (-ENOENT:
 * not in a Xen dom0 or xen-evtchn not loaded). */
int mica_evtchn_open(struct mica_evtchn *e);
/* Closes the device, which unbinds every port still bound; then fd is -1.
 * Closing a closed handle does nothing. */
void mica_evtchn_close(struct mica_evtchn *e);

/* Binds a new local port to remote_port of domid (a port that domain
 * allocated unbound for us); the local port or -errno. */
int mica_evtchn_bind_interdomain(struct mica_evtchn *e, uint16_t domid,
                                 uint32_t remote_port);
/* Allocates a local port that domid may bind to later; the port or -errno. */
int mica_evtchn_bind_unbound_port(struct mica_evtchn *e, uint16_t domid);
/* Releases a local port bound through this handle; 0 or -errno. */
int mica_evtchn_unbind(struct mica_evtchn *e, uint32_t port);
/* Sends an event to the other end of local port `port`; 0 or -errno. */
int mica_evtchn_notify(struct mica_evtchn *e, uint32_t port);

/* The next local port with an event, unmasked again so that the next event
 * on it is delivered; -EAGAIN when none is pending, another -errno when
 * reading or unmasking failed. Call it until -EAGAIN after poll() reports
 * the fd readable. */
int mica_evtchn_pending(struct mica_evtchn *e);

#endif
