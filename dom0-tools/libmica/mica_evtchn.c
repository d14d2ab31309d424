/* Event channels through /dev/xen/evtchn (mica_evtchn.h). */
#include "mica_evtchn.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xen/xen.h>            /* domid_t, which Linux's UAPI header uses */
#include <xen/evtchn.h>         /* Linux's UAPI: IOCTL_EVTCHN_* */

int mica_evtchn_open(struct mica_evtchn *e)
{
    e->fd = open(MICA_EVTCHN_DEVICE, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    return e->fd < 0 ? -errno : 0;
}

void mica_evtchn_close(struct mica_evtchn *e)
{
    if (e->fd >= 0)
        close(e->fd);
    e->fd = -1;
}

static int call(struct mica_evtchn *e, unsigned long request, void *arg)
{
    int rc = ioctl(e->fd, request, arg);
    return rc < 0 ? -errno : rc;
}

int mica_evtchn_bind_interdomain(struct mica_evtchn *e, uint16_t domid,
                                 uint32_t remote_port)
{
    struct ioctl_evtchn_bind_interdomain b = { .remote_domain = domid,
                                               .remote_port = remote_port };
    return call(e, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
}

int mica_evtchn_bind_unbound_port(struct mica_evtchn *e, uint16_t domid)
{
    struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = domid };
    return call(e, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
}

int mica_evtchn_unbind(struct mica_evtchn *e, uint32_t port)
{
    struct ioctl_evtchn_unbind u = { .port = port };
    return call(e, IOCTL_EVTCHN_UNBIND, &u);
}

int mica_evtchn_notify(struct mica_evtchn *e, uint32_t port)
{
    struct ioctl_evtchn_notify n = { .port = port };
    return call(e, IOCTL_EVTCHN_NOTIFY, &n);
}

int mica_evtchn_pending(struct mica_evtchn *e)
{
    uint32_t port;
    ssize_t n = read(e->fd, &port, sizeof(port));

    if (n < 0)
        return -errno;
    if (n != sizeof(port))
        return n == 0 ? -EAGAIN : -EIO;
    /* Writing the port back unmasks it. */
    n = write(e->fd, &port, sizeof(port));
    if (n != sizeof(port))
        return n < 0 ? -errno : -EIO;
    return (int)port;
}
