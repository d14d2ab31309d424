/* xs_xen: mapping store pages and binding event channels through Linux's
 * Xen device files (libmica's mica_evtchn and mica_gnttab). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xs_ring.h"
#include "xs_xen.h"

/* /dev/xen/xenbus_backend's only request: the kernel's store port. */
#define XS_IOCTL_XENBUS_BACKEND_EVTCHN _IOC(_IOC_NONE, 'B', 0, 0)
#define XS_PAGE_SIZE 4096

struct xen_ring {
    struct xs_ring ring;         /* first: the transport's ctx */
    struct xs_xen *xen;
    uint32_t local_port;
    void *page;
    struct mica_grant_map grant; /* all zero: the kernel's page, not a grant */
};

static void say(const char *fmt, const char *what, int err)
{
    fprintf(stderr, "mica-xenstored: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, ": %s\n", strerror(err));
}

void xs_xen_init(struct xs_xen *x)
{
    x->evtchn.fd = -1;
    x->gnttab.fd = -1;
}

void xs_xen_close(struct xs_xen *x)
{
    mica_evtchn_close(&x->evtchn);
    mica_gnttab_close(&x->gnttab);
}

/* Says why a device could not be opened; err, negative. */
static int cannot_open(int err, const char *path, const char *module)
{
    fprintf(stderr, "mica-xenstored: cannot open %s: %s (is %s loaded, and are we in a "
            "Xen dom0?)\n", path, strerror(-err), module);
    return err;
}

static int bind_interdomain(struct xs_xen *x, uint32_t domid, uint32_t port, uint32_t *local)
{
    int err;
    if (x->evtchn.fd < 0 && (err = mica_evtchn_open(&x->evtchn)))
        return cannot_open(err, MICA_EVTCHN_DEVICE, "xen-evtchn");
    int rc = mica_evtchn_bind_interdomain(&x->evtchn, (uint16_t)domid, port);
    if (rc < 0) {
        fprintf(stderr, "mica-xenstored: binding event channel %u of domain %u: %s\n",
                port, domid, strerror(-rc));
        return rc;
    }
    *local = (uint32_t)rc;
    return 0;
}

static void ring_notify(void *ctx)
{
    struct xen_ring *r = ctx;
    mica_evtchn_notify(&r->xen->evtchn, r->local_port);
}

/* The page of a ring, mapped by grant or the kernel's. */
static void unmap_page(struct xs_xen *x, void *page, struct mica_grant_map *grant)
{
    if (grant->addr)
        mica_gnttab_unmap(&x->gnttab, grant);
    else
        munmap(page, XS_PAGE_SIZE);
}

static void ring_release(void *ctx)
{
    struct xen_ring *r = ctx;

    mica_evtchn_unbind(&r->xen->evtchn, r->local_port);
    unmap_page(r->xen, r->page, &r->grant);
}

/* A connection over a mapped page whose event channel is bound. */
static int ring_conn(struct xs_xen *x, uint32_t domid, bool privileged, void *page,
                     const struct mica_grant_map *grant, uint32_t local_port,
                     struct xs_conn **out)
{
    struct xen_ring *r = calloc(1, sizeof(*r));
    if (!r)
        return -ENOMEM;
    r->xen = x;
    r->local_port = local_port;
    r->page = page;
    r->grant = *grant;
    r->ring = (struct xs_ring){ page, ring_notify, ring_release, r };
    *out = xs_conn_new(domid, privileged, &xs_ring_transport, &r->ring);
    if (!*out) {
        free(r);
        return -ENOMEM;
    }
    xs_ring_init_page(page);
    ring_notify(r);
    return 0;
}

/* A page bound to domid's port becomes a connection, or is let go. */
static int connect_page(struct xs_xen *x, uint32_t domid, bool privileged, uint32_t port,
                        void *page, struct mica_grant_map *grant, struct xs_conn **out)
{
    uint32_t local;
    int err = bind_interdomain(x, domid, port, &local);
    if (!err) {
        err = ring_conn(x, domid, privileged, page, grant, local, out);
        if (err)
            mica_evtchn_unbind(&x->evtchn, local);
    }
    if (err)
        unmap_page(x, page, grant);
    return err;
}

int xs_xen_connect_domain(void *ctx, uint32_t domid, uint64_t mfn, uint32_t port,
                          struct xs_conn **out)
{
    struct xs_xen *x = ctx;
    int err;
    if (x->gnttab.fd < 0 && (err = mica_gnttab_open(&x->gnttab)))
        return cannot_open(err, MICA_GNTTAB_DEVICE, "xen-gntdev");
    (void)mfn;   /* the page is found by its reserved grant, not its frame */

    const uint32_t ref = XS_GNTTAB_RESERVED_XENSTORE;
    struct mica_grant_map grant;
    err = mica_gnttab_map(&x->gnttab, (uint16_t)domid, &ref, 1, &grant);
    if (err) {
        fprintf(stderr, "mica-xenstored: domain %u: mapping its store page (grant %u): %s\n",
                domid, ref, strerror(-err));
        return err;
    }
    return connect_page(x, domid, false, port, grant.addr, &grant, out);
}

int xs_xen_kernel_ring(struct xs_xen *x, struct xs_conn **out)
{
    const char *dev = "/dev/xen/xenbus_backend";
    int fd = open(dev, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        say("cannot open %s (dom0's kernel xenbus is not served)", dev, err);
        return -err;
    }
    int port = ioctl(fd, XS_IOCTL_XENBUS_BACKEND_EVTCHN);
    if (port < 0) {
        int err = errno;
        say("%s: asking for the store event channel", dev, err);
        close(fd);
        return -err;
    }
    void *page = mmap(NULL, XS_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int err = page == MAP_FAILED ? errno : 0;
    close(fd);      /* the mapping outlives the file */
    if (err) {
        say("%s: mapping the kernel's store page", dev, err);
        return -err;
    }
    struct mica_grant_map none = { 0 };
    return connect_page(x, 0, true, (uint32_t)port, page, &none, out);
}

int xs_xen_drain_events(struct xs_xen *x)
{
    int port;

    if (x->evtchn.fd < 0)
        return 0;
    while ((port = mica_evtchn_pending(&x->evtchn)) >= 0)
        ;   /* every ring is served after this: which one it was does not matter */
    return port == -EAGAIN ? 0 : port;
}
