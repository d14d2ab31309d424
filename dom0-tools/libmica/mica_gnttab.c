/* Granted pages through /dev/xen/gntdev (mica_gnttab.h). */
#include "mica_gnttab.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/grant_table.h>    /* domid_t, grant_ref_t: Linux's UAPI uses them */
#include <xen/gntdev.h>         /* Linux's UAPI: IOCTL_GNTDEV_* */

int mica_gnttab_open(struct mica_gnttab *g)
{
    g->fd = open(MICA_GNTTAB_DEVICE, O_RDWR | O_CLOEXEC);
    return g->fd < 0 ? -errno : 0;
}

void mica_gnttab_close(struct mica_gnttab *g)
{
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
}

/* Gives the grants of a mapping back to the device (after munmap). */
static int release(struct mica_gnttab *g, uint64_t index, uint32_t count)
{
    struct ioctl_gntdev_unmap_grant_ref u = { .index = index, .count = count };
    return ioctl(g->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) < 0 ? -errno : 0;
}

int mica_gnttab_map(struct mica_gnttab *g, uint16_t domid, const uint32_t *refs,
                    uint32_t count, struct mica_grant_map *m)
{
    memset(m, 0, sizeof(*m));
    if (!refs || count == 0 || count > MICA_GNTTAB_MAX_REFS)
        return -EINVAL;
    /* The request ends in an array of count refs (declared with one). */
    size_t size = offsetof(struct ioctl_gntdev_map_grant_ref, refs) +
                  count * sizeof(struct ioctl_gntdev_grant_ref);
    struct ioctl_gntdev_map_grant_ref *req = calloc(1, size);
    if (!req)
        return -ENOMEM;
    req->count = count;
    for (uint32_t i = 0; i < count; i++)
        req->refs[i] = (struct ioctl_gntdev_grant_ref){ .domid = domid, .ref = refs[i] };
    int err = ioctl(g->fd, IOCTL_GNTDEV_MAP_GRANT_REF, req) < 0 ? -errno : 0;
    uint64_t index = req->index;
    free(req);
    if (err)
        return err;

    size_t len = (size_t)count * MICA_GNTTAB_PAGE_SIZE;
    void *addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, g->fd, (off_t)index);
    if (addr == MAP_FAILED) {
        err = -errno;
        release(g, index, count);
        return err;
    }
    *m = (struct mica_grant_map){ .addr = addr, .count = count, .index = index };
    return 0;
}

int mica_gnttab_unmap(struct mica_gnttab *g, struct mica_grant_map *m)
{
    if (!m->addr)
        return 0;
    munmap(m->addr, (size_t)m->count * MICA_GNTTAB_PAGE_SIZE);
    int err = g->fd >= 0 ? release(g, m->index, m->count) : 0;
    memset(m, 0, sizeof(*m));
    return err;
}
