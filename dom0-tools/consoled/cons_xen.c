/* cons_xen: Linux's /dev/xen devices and Mica's domain list for the
 * console daemon (cons_xen.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mica/control.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/evtchn.h>          /* Linux's UAPI, after domid_t is defined */
#include <xen/gntdev.h>

#include "cons_xen.h"

#define PAGE_SIZE 4096

/* Linux's privcmd ioctls (its UAPI header needs kernel-internal types). */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
struct privcmd_mmapbatch_v2 {
    unsigned int num;
    domid_t dom;
    uint64_t addr;
    const uint64_t *arr;
    int *err;
};
#define IOCTL_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))

static int open_device(const char *path, const char *module, int *fd)
{
    *fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (*fd >= 0)
        return 0;
    int err = errno;
    fprintf(stderr, "mica-consoled: cannot open %s: %s (is %s loaded, and are we in "
            "Mica's or Xen's dom0?)\n", path, strerror(err), module);
    return -err;
}

int cons_xen_open(struct cons_xen *x)
{
    x->evtchn_fd = x->gntdev_fd = x->privcmd_fd = -1;
    int err = open_device("/dev/xen/evtchn", "xen-evtchn", &x->evtchn_fd);
    if (!err)
        err = open_device("/dev/xen/gntdev", "xen-gntdev", &x->gntdev_fd);
    if (!err)
        err = open_device("/dev/xen/privcmd", "xen-privcmd", &x->privcmd_fd);
    if (err)
        cons_xen_close(x);
    return err;
}

void cons_xen_close(struct cons_xen *x)
{
    int *fds[] = { &x->evtchn_fd, &x->gntdev_fd, &x->privcmd_fd };
    for (size_t i = 0; i < 3; i++) {
        if (*fds[i] >= 0)
            close(*fds[i]);
        *fds[i] = -1;
    }
}

static int map_grant(struct cons_xen *x, uint32_t domid, struct cons_map *m)
{
    struct ioctl_gntdev_map_grant_ref map = { .count = 1 };
    map.refs[0].domid = (domid_t)domid;
    map.refs[0].ref = GNTTAB_RESERVED_CONSOLE;
    if (ioctl(x->gntdev_fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0)
        return -errno;
    void *page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, x->gntdev_fd,
                      (off_t)map.index);
    if (page == MAP_FAILED) {
        int err = errno;
        struct ioctl_gntdev_unmap_grant_ref unmap = { .index = map.index, .count = 1 };
        ioctl(x->gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
        return -err;
    }
    *m = (struct cons_map){ page, map.index };
    return 0;
}

static int map_frame(struct cons_xen *x, uint32_t domid, uint64_t gfn, struct cons_map *m)
{
    void *page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, x->privcmd_fd, 0);
    if (page == MAP_FAILED)
        return -errno;
    int status = 0;
    struct privcmd_mmapbatch_v2 b = { 1, (domid_t)domid, (uint64_t)(uintptr_t)page, &gfn,
                                      &status };
    int err = ioctl(x->privcmd_fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b) < 0 ? -errno : status;
    if (err) {
        munmap(page, PAGE_SIZE);
        return err < 0 ? err : -EFAULT;
    }
    *m = (struct cons_map){ page, UINT64_MAX };
    return 0;
}

int cons_xen_map(struct cons_xen *x, uint32_t domid, uint64_t ring_ref, struct cons_map *m)
{
    int err = map_grant(x, domid, m);
    if (err && ring_ref != GNTTAB_RESERVED_CONSOLE)
        err = map_frame(x, domid, ring_ref, m);
    if (err)
        fprintf(stderr, "mica-consoled: domain %u: cannot map its console page (grant %u%s): "
                "%s\n", domid, GNTTAB_RESERVED_CONSOLE,
                ring_ref != GNTTAB_RESERVED_CONSOLE ? ", then its frame" : "", strerror(-err));
    return err;
}

void cons_xen_unmap(struct cons_xen *x, struct cons_map *m)
{
    if (!m->page)
        return;
    munmap(m->page, PAGE_SIZE);
    if (m->gntdev_index != UINT64_MAX) {
        struct ioctl_gntdev_unmap_grant_ref unmap = { .index = m->gntdev_index, .count = 1 };
        ioctl(x->gntdev_fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
    }
    m->page = NULL;
}

int cons_xen_bind(struct cons_xen *x, uint32_t domid, uint32_t remote_port)
{
    struct ioctl_evtchn_bind_interdomain bind = { .remote_domain = domid,
                                                  .remote_port = remote_port };
    int rc = ioctl(x->evtchn_fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
    if (rc < 0) {
        int err = errno;
        fprintf(stderr, "mica-consoled: domain %u: binding its event channel %u: %s\n",
                domid, remote_port, strerror(err));
        return -err;
    }
    return rc;
}

void cons_xen_unbind(struct cons_xen *x, uint32_t local_port)
{
    struct ioctl_evtchn_unbind u = { .port = local_port };
    ioctl(x->evtchn_fd, IOCTL_EVTCHN_UNBIND, &u);
}

void cons_xen_notify(struct cons_xen *x, uint32_t local_port)
{
    struct ioctl_evtchn_notify n = { .port = local_port };
    ioctl(x->evtchn_fd, IOCTL_EVTCHN_NOTIFY, &n);
}

int cons_xen_pending(struct cons_xen *x)
{
    uint32_t port;
    ssize_t n = read(x->evtchn_fd, &port, sizeof(port));
    if (n != sizeof(port))
        return n < 0 ? -errno : -EAGAIN;
    /* Writing the port back unmasks it. */
    if (write(x->evtchn_fd, &port, sizeof(port)) != sizeof(port))
        fprintf(stderr, "mica-consoled: unmasking port %u: %s\n", port, strerror(errno));
    return (int)port;
}

bool cons_xen_domain_alive(struct cons_xen *x, uint32_t domid)
{
    /* The hypervisor reads this through our page tables without faulting
     * pages in: static, and touched here, it stays present (the daemon
     * also locks its memory). */
    static struct mica_domain_info info[1];
    static struct mica_control c;

    memset(info, 0, sizeof(info));
    memset(&c, 0, sizeof(c));
    c.cmd = MICA_CONTROL_list_domains;
    c.interface_version = MICA_CONTROL_INTERFACE_VERSION;
    c.u.list_domains.first_domid = (uint16_t)domid;
    c.u.list_domains.max_entries = 1;
    c.u.list_domains.buffer = (uint64_t)(uintptr_t)info;
    struct privcmd_hypercall h = { .op = __HYPERVISOR_mica_control,
                                   .arg = { (uint64_t)(uintptr_t)&c } };
    long n = ioctl(x->privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    if (n < 0)
        return true;              /* not Mica, or refused: the store decides */
    return n == 1 && info[0].domid == domid && !(info[0].flags & MICA_DOMINFO_DYING);
}

bool cons_xen_port_joined(struct cons_xen *x, uint32_t local_port, uint32_t domid)
{
    static struct evtchn_status st;     /* static and touched: see above */

    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = local_port;
    struct privcmd_hypercall h = { .op = __HYPERVISOR_event_channel_op,
                                   .arg = { EVTCHNOP_status, (uint64_t)(uintptr_t)&st } };
    if (ioctl(x->privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &h) < 0)
        return true;              /* cannot tell: the store and domain list decide */
    return st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == domid;
}
