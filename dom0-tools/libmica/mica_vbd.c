/* Virtual disks through xen-blkback (mica_vbd.h). */
#include "mica_vbd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "mica_device_store.h"
#include "mica_loop.h"

#define PATH_LEN MICA_DEVICE_PATH_MAX
#define LOOP_DEV_LEN 32

struct vbd_paths {
    char backend[PATH_LEN];
    char frontend[PATH_LEN];
};

static void vbd_paths(uint16_t domid, uint32_t number, struct vbd_paths *p)
{
    snprintf(p->backend, sizeof(p->backend), "/local/domain/0/backend/vbd/%u/%u",
             domid, number);
    snprintf(p->frontend, sizeof(p->frontend), "/local/domain/%u/device/vbd/%u",
             domid, number);
}

/* The block device behind the disk: the target itself, or a loop device
 * bound to it (its path in loop_dev, else loop_dev is ""). */
static int backing_device(const struct domain_disk *disk, char loop_dev[LOOP_DEV_LEN],
                          dev_t *dev, char *err, size_t errsz)
{
    struct stat st;
    const char *path = disk->target;

    loop_dev[0] = '\0';
    if (stat(path, &st)) {
        snprintf(err, errsz, "disk %s: %s: %s", disk->vdev, path, strerror(errno));
        return -errno;
    }
    if (S_ISREG(st.st_mode)) {
        char why[256];
        int rc = mica_loop_attach(path, disk->readonly, loop_dev, LOOP_DEV_LEN,
                                  why, sizeof(why));
        if (rc) {
            snprintf(err, errsz, "disk %s: %s", disk->vdev, why);
            return rc;
        }
        path = loop_dev;
        if (stat(path, &st)) {
            int rc = -errno;
            snprintf(err, errsz, "disk %s: %s: %s", disk->vdev, path, strerror(errno));
            mica_loop_detach(loop_dev);
            loop_dev[0] = '\0';
            return rc;
        }
    }
    if (!S_ISBLK(st.st_mode)) {
        snprintf(err, errsz, "disk %s: %s is neither a regular file nor a block device",
                 disk->vdev, disk->target);
        return -EINVAL;
    }
    *dev = st.st_rdev;
    return 0;
}

/* The backend's nodes; physical-device comes last, as from a hotplug
 * script: blkback opens the device when it sees that node. */
static int write_backend(struct mica_xs *xs, uint16_t domid, const struct domain_disk *disk,
                         const struct vbd_paths *p, const char *loop_dev, dev_t dev,
                         char *err, size_t errsz)
{
    char id[16], device[32];
    int rc = mica_device_dir(xs, p->backend, 0, domid, err, errsz);

    snprintf(id, sizeof(id), "%u", domid);
    snprintf(device, sizeof(device), "%x:%x", major(dev), minor(dev));
    const char *const nodes[][2] = {
        { "frontend", p->frontend }, { "frontend-id", id }, { "online", "1" },
        { "removable", "0" }, { "bootable", "1" }, { "device-type", "disk" },
        { "type", "phy" }, { "dev", disk->vdev }, { "params", disk->target },
        { "mode", disk->readonly ? "r" : "w" }, { "state", "1" },
    };
    /* The loop device, if any, to unbind when the disk goes. */
    const char *const loop_node[][2] = { { "node", loop_dev } };
    const char *const device_node[][2] = { { "physical-device", device } };
    if (!rc)
        rc = mica_device_put(xs, p->backend, nodes, sizeof(nodes) / sizeof(nodes[0]),
                             err, errsz);
    if (!rc && loop_dev[0])
        rc = mica_device_put(xs, p->backend, loop_node, 1, err, errsz);
    if (!rc)
        rc = mica_device_put(xs, p->backend, device_node, 1, err, errsz);
    return rc;
}

static int write_frontend(struct mica_xs *xs, uint16_t domid, uint32_t number,
                          const struct vbd_paths *p, char *err, size_t errsz)
{
    char v[16];
    int rc = mica_device_dir(xs, p->frontend, domid, 0, err, errsz);

    snprintf(v, sizeof(v), "%u", number);
    const char *const nodes[][2] = {
        { "backend", p->backend }, { "backend-id", "0" }, { "virtual-device", v },
        { "device-type", "disk" }, { "state", "1" },
    };
    if (!rc)
        rc = mica_device_put(xs, p->frontend, nodes, sizeof(nodes) / sizeof(nodes[0]),
                             err, errsz);
    return rc;
}

/* Removes one disk's nodes, waits for blkback to drop the device (its
 * entry on the xen-backend bus goes), then unbinds the loop device. */
static void remove_disk(struct mica_xs *xs, uint16_t domid, uint32_t number)
{
    struct vbd_paths p;
    char name[48], path[PATH_LEN + 8], *loop_dev = NULL;

    vbd_paths(domid, number, &p);
    snprintf(path, sizeof(path), "%s/node", p.backend);
    if (mica_xs_read(xs, path, &loop_dev))
        loop_dev = NULL;
    mica_xs_rm(xs, p.backend);
    mica_xs_rm(xs, p.frontend);
    snprintf(name, sizeof(name), "vbd-%u-%u", domid, number);
    mica_device_wait_released(name);
    if (loop_dev)
        mica_loop_detach(loop_dev);
    free(loop_dev);
}

int mica_vbd_add(struct mica_xs *xs, uint16_t domid, const struct domain_disk *disk,
                 char *err, size_t errsz)
{
    uint32_t number;
    struct vbd_paths p;
    char loop_dev[LOOP_DEV_LEN];
    dev_t dev;

    if (device_vdev_number(disk->vdev, &number)) {
        snprintf(err, errsz, "disk vdev '%s' is not xvda ... xvdzz", disk->vdev);
        return -EINVAL;
    }
    vbd_paths(domid, number, &p);
    int rc = backing_device(disk, loop_dev, &dev, err, errsz);
    if (rc)
        return rc;
    rc = write_backend(xs, domid, disk, &p, loop_dev, dev, err, errsz);
    if (!rc)
        rc = write_frontend(xs, domid, number, &p, err, errsz);
    if (rc) {
        mica_xs_rm(xs, p.backend);
        mica_xs_rm(xs, p.frontend);
        /* If blkback opened it already, the kernel unbinds it when it lets go. */
        if (loop_dev[0])
            mica_loop_detach(loop_dev);
    }
    return rc;
}

void mica_vbd_remove_all(struct mica_xs *xs, uint16_t domid)
{
    mica_device_remove_each(xs, "vbd", domid, remove_disk);
}
