/* Split-driver xenstore directories (mica_device_store.h). */
#include "mica_device_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int mica_device_dir(struct mica_xs *xs, const char *dir, unsigned owner, unsigned reader,
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

int mica_device_put(struct mica_xs *xs, const char *dir, const char *const (*nodes)[2],
                    size_t count, char *err, size_t errsz)
{
    char path[MICA_DEVICE_PATH_MAX + 64];

    for (size_t i = 0; i < count; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, nodes[i][0]);
        int rc = mica_xs_write(xs, path, nodes[i][1]);
        if (rc) {
            snprintf(err, errsz, "xenstore: writing %s: %s", path, strerror(-rc));
            return rc;
        }
    }
    return 0;
}

int mica_device_wait_released(const char *name)
{
    char path[MICA_DEVICE_PATH_MAX];
    const struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };

    snprintf(path, sizeof(path), "/sys/bus/xen-backend/devices/%s", name);
    for (int i = 0; i < MICA_DEVICE_RELEASE_SECONDS * 10; i++) {
        if (access(path, F_OK) != 0)
            return 0;
        nanosleep(&tick, NULL);
    }
    return access(path, F_OK) != 0 ? 0 : -ETIMEDOUT;
}

void mica_device_remove_each(struct mica_xs *xs, const char *kind, uint16_t domid,
                             void (*remove)(struct mica_xs *xs, uint16_t domid, uint32_t n))
{
    char dir[MICA_DEVICE_PATH_MAX], *names = NULL;
    size_t n = 0;

    snprintf(dir, sizeof(dir), "/local/domain/0/backend/%s/%u", kind, domid);
    if (mica_xs_directory(xs, dir, &names, &n) == 0) {
        const char *name = names;
        for (size_t i = 0; i < n; i++, name += strlen(name) + 1)
            remove(xs, domid, (uint32_t)strtoul(name, NULL, 10));
    }
    free(names);
    mica_xs_rm(xs, dir);
}
