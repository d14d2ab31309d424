/* Virtual disks through xen-blkback (mica_vbd.h). */
#include "mica_vbd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "mica_loop.h"

#define PATH_LEN 128
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

/* Writes dir/key = value; on failure err names the node. */
static int put(struct mica_xs *xs, const char *dir, const char *key, const char *value,
               char *err, size_t errsz)
{
    char path[PATH_LEN + 32];

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    int rc = mica_xs_write(xs, path, value);
    if (rc)
        snprintf(err, errsz, "xenstore: writing %s: %s", path, strerror(-rc));
    return rc;
}

/* dir made, owned by owner and readable by reader; the nodes written in
 * it later take these permissions. */
static int make_dir(struct mica_xs *xs, const char *dir, unsigned owner, unsigned reader,
                    char *err, size_t errsz)
{
    char o[16], r[16];
    const char *perms[] = { o, r };

    snprintf(o, sizeof(o), "n%u", owner);
    snprintf(r, sizeof(r), "r%u", reader);
    int rc = mica_xs_mkdir(xs, dir);
    if (!rc)
        rc = mica_xs_set_perms(xs, dir, perms, 2);
    if (rc)
        snprintf(err, errsz, "xenstore: creating %s: %s", dir, strerror(-rc));
    return rc;
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
    char v[32];
    int rc = make_dir(xs, p->backend, 0, domid, err, errsz);

    snprintf(v, sizeof(v), "%u", domid);
    const char *const nodes[][2] = {
        { "frontend", p->frontend }, { "frontend-id", v }, { "online", "1" },
        { "removable", "0" }, { "bootable", "1" }, { "device-type", "disk" },
        { "type", "phy" }, { "dev", disk->vdev }, { "params", disk->target },
        { "mode", disk->readonly ? "r" : "w" }, { "state", "1" },
    };
    for (size_t i = 0; !rc && i < sizeof(nodes) / sizeof(nodes[0]); i++)
        rc = put(xs, p->backend, nodes[i][0], nodes[i][1], err, errsz);
    /* Which loop device to unbind when the disk goes. */
    if (!rc && loop_dev[0])
        rc = put(xs, p->backend, "node", loop_dev, err, errsz);
    snprintf(v, sizeof(v), "%x:%x", major(dev), minor(dev));
    if (!rc)
        rc = put(xs, p->backend, "physical-device", v, err, errsz);
    return rc;
}

static int write_frontend(struct mica_xs *xs, uint16_t domid, uint32_t number,
                          const struct vbd_paths *p, char *err, size_t errsz)
{
    char v[16];
    int rc = make_dir(xs, p->frontend, domid, 0, err, errsz);

    snprintf(v, sizeof(v), "%u", number);
    const char *const nodes[][2] = {
        { "backend", p->backend }, { "backend-id", "0" }, { "virtual-device", v },
        { "device-type", "disk" }, { "state", "1" },
    };
    for (size_t i = 0; !rc && i < sizeof(nodes) / sizeof(nodes[0]); i++)
        rc = put(xs, p->frontend, nodes[i][0], nodes[i][1], err, errsz);
    return rc;
}

/* Removes one disk's nodes, waits for blkback to drop the device (its
 * entry on the xen-backend bus goes), then unbinds the loop device. */
static void remove_disk(struct mica_xs *xs, uint16_t domid, uint32_t number)
{
    struct vbd_paths p;
    char bus[96], path[PATH_LEN + 8], *loop_dev = NULL;

    vbd_paths(domid, number, &p);
    snprintf(path, sizeof(path), "%s/node", p.backend);
    if (mica_xs_read(xs, path, &loop_dev))
        loop_dev = NULL;
    mica_xs_rm(xs, p.backend);
    mica_xs_rm(xs, p.frontend);
    snprintf(bus, sizeof(bus), "/sys/bus/xen-backend/devices/vbd-%u-%u", domid, number);
    for (int i = 0; i < MICA_VBD_RELEASE_SECONDS * 10 && access(bus, F_OK) == 0; i++)
        nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
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
    char dir[PATH_LEN], *names = NULL;
    size_t n = 0;

    snprintf(dir, sizeof(dir), "/local/domain/0/backend/vbd/%u", domid);
    if (mica_xs_directory(xs, dir, &names, &n) == 0) {
        const char *name = names;
        for (size_t i = 0; i < n; i++, name += strlen(name) + 1)
            remove_disk(xs, domid, (uint32_t)strtoul(name, NULL, 10));
    }
    free(names);
    mica_xs_rm(xs, dir);
}
