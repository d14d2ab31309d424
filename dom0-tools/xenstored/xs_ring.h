/* xs_ring: a connection transport over a shared xenstore ring page. The
 * page may come from anywhere (a grant mapping, the kernel's own page, a
 * buffer in a test); the owner supplies how to signal the other side. */
#ifndef XS_RING_H
#define XS_RING_H

#include "xs_conn.h"
#include "xs_proto.h"

struct xs_ring {
    struct xs_ring_page *page;
    void (*notify)(void *ctx);      /* kick the other side's event channel */
    void (*release)(void *ctx);     /* unmap and unbind; may be NULL */
    void *ctx;
};

/* The transport for a ring; its ctx is a struct xs_ring *, which destroy
 * releases and frees (it must come from malloc). */
extern const struct xs_transport xs_ring_transport;

/* Announce the daemon's features and a connected state on a fresh page. */
void xs_ring_init_page(struct xs_ring_page *page);

#endif
