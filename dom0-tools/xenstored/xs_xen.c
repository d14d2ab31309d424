/* xs_xen: mapping store pages and binding event channels through Linux's
 * Xen device files. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux's UAPI headers use Xen's types without defining them. */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/evtchn.h>
#include <xen/gntdev.h>

#include "xs_ring.h"
#include "xs_xen.h"

/* /dev/xen/xenbus_backend's only request: the kernel's store port. */
#define XS_IOCTL_XENBUS_BACKEND_EVTCHN _IOC(_IOC_NONE, 'B', 0, 0)
#define XS_PAGE_SIZE 4096

struct xen_ring {
    struct xs_ring ring;         /* first: the transport's ctx */
    struct xs_xen *xen;
    uint32_t local_port;
    void *map;
    uint64_t gntdev_index;       /* UINT64_MAX: not a gntdev mapping */
};

static void say(const char *fmt, const char *what, int err)
{
    fprintf(stderr, "mica-xenstored: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, ": %s\n", strerror(err));
}

void xs_xen_init(struct xs_xen *x)
{
    x->evtchn_fd = -1;
    x->gntdev_fd = -1;
}

void xs_xen_close(struct xs_xen *x)
{
    if (x->evtchn_fd >= 0)
        close(x->evtchn_fd);
    if (x->gntdev_fd >= 0)
        close(x->gntdev_fd);
    xs_xen_init(x);
}

static int open_device(int *fd, const char *path, const char *module)
{
    if (*fd >= 0)
        return 0;
    *fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0) {
        int err = errno;
        fprintf(stderr, "mica-xenstored: cannot open %s: %s (is %s loaded, and are we in a Xen dom0?)\n",
                path, strerror(err), module);
        return -err;
    }
    return 0;
}

static int bind_interdomain(struct xs_xen *x, uint32_t domid, uint32_t port, uint32_t *local)
{
    int err = open_device(&x->evtchn_fd, "/dev/xen/evtchn", "xen-evtchn");
    if (err)
        return err;
    struct ioctl_evtchn_bind_interdomain bind = { .remote_domain = domid, .remote_port = port };
    int rc = ioctl(x->evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
    if (rc < 0) {
        err = errno;
        fprintf(stderr, "mica-xenstored: binding event channel %u of domain %u: %s\n",
                port, domid, strerror(err));
        return -err;
    }
    *local = (uint32_t)rc;
    return 0;
}

static void ring_notify(void *ctx)
{
    struct xen_ring *r = ctx;
    struct ioctl_evtchn_notify n = { .port = r->local_port };
    ioctl(r->xen->evtchn_fd, IOCTL_EVTCHN_NOTIFY, &n);
}

static void ring_release(void *ctx)
{
    struct xen_ring *r = ctx;
    struct ioctl_evtchn_unbind u = { .port = r->local_port };

    ioctl(r->xen->evtchn_fd, IOCTL_EVTCHN_UNBIND, &u);
    munmap(r->map, XS_PAGE_SIZE);
    if (r->gntdev_index != UINT64_MAX) {
        struct ioctl_gntdev_unmap_grant_ref unmap = { .index = r->gntdev_index, .count = 1 };
        ioctl(r->xen->gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
    }
}

/* A connection over a mapped page whose event channel is bound. */
static int ring_conn(struct xs_xen *x, uint32_t domid, bool privileged, void *map,
                     uint64_t gntdev_index, uint32_t local_port, struct xs_conn **out)
{
    struct xen_ring *r = calloc(1, sizeof(*r));
    if (!r)
        return -ENOMEM;
    r->xen = x;
    r->local_port = local_port;
    r->map = map;
    r->gntdev_index = gntdev_index;
    r->ring = (struct xs_ring){ map, ring_notify, ring_release, r };
    *out = xs_conn_new(domid, privileged, &xs_ring_transport, &r->ring);
    if (!*out) {
        free(r);
        return -ENOMEM;
    }
    xs_ring_init_page(map);
    ring_notify(r);
    return 0;
}

int xs_xen_connect_domain(void *ctx, uint32_t domid, uint64_t mfn, uint32_t port,
                          struct xs_conn **out)
{
    struct xs_xen *x = ctx;
    int err = open_device(&x->gntdev_fd, "/dev/xen/gntdev", "xen-gntdev");
    if (err)
        return err;
    (void)mfn;   /* the page is found by its reserved grant, not its frame */

    struct ioctl_gntdev_map_grant_ref map = { .count = 1 };
    map.refs[0].domid = domid;
    map.refs[0].ref = XS_GNTTAB_RESERVED_XENSTORE;
    if (ioctl(x->gntdev_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0) {
        err = errno;
        fprintf(stderr, "mica-xenstored: domain %u: mapping grant %u: %s\n",
                domid, XS_GNTTAB_RESERVED_XENSTORE, strerror(err));
        return -err;
    }
    void *page = mmap(NULL, XS_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                      x->gntdev_fd, (off_t)map.index);
    struct ioctl_gntdev_unmap_grant_ref unmap = { .index = map.index, .count = 1 };
    if (page == MAP_FAILED) {
        err = errno;
        fprintf(stderr, "mica-xenstored: domain %u: mapping its store page: %s\n",
                domid, strerror(err));
        ioctl(x->gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
        return -err;
    }
    uint32_t local;
    err = bind_interdomain(x, domid, port, &local);
    if (!err) {
        err = ring_conn(x, domid, false, page, map.index, local, out);
        if (err) {
            struct ioctl_evtchn_unbind u = { .port = local };
            ioctl(x->evtchn_fd, IOCTL_EVTCHN_UNBIND, &u);
        }
    }
    if (err) {
        munmap(page, XS_PAGE_SIZE);
        ioctl(x->gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
    }
    return err;
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
    uint32_t local;
    err = bind_interdomain(x, 0, (uint32_t)port, &local);
    if (!err)
        err = ring_conn(x, 0, true, page, UINT64_MAX, local, out);
    if (err)
        munmap(page, XS_PAGE_SIZE);
    return err;
}

int xs_xen_drain_events(struct xs_xen *x)
{
    uint32_t ports[64];

    if (x->evtchn_fd < 0)
        return 0;
    for (;;) {
        ssize_t n = read(x->evtchn_fd, ports, sizeof(ports));
        if (n < 0)
            return errno == EAGAIN ? 0 : -errno;
        if (n == 0)
            return 0;
        /* Writing the ports back unmasks them. */
        if (write(x->evtchn_fd, ports, (size_t)n) != n)
            return -errno;
    }
}
