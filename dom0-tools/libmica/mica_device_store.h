/* Helpers for split-driver devices (disks, mica_vbd.c): the xenstore
 * directories of the driver's two ends, and waiting for dom0's kernel to
 * drop a backend device. */
#ifndef MICA_DEVICE_STORE_H
#define MICA_DEVICE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "mica_xs.h"

#define MICA_DEVICE_PATH_MAX 128
/* Seconds a backend gets to let go of a device once its nodes are gone. */
#define MICA_DEVICE_RELEASE_SECONDS 10

/* dir made, owned by `owner` and readable by `reader`; the nodes written
 * in it later take these permissions. -errno with err set. */
int mica_device_dir(struct mica_xs *xs, const char *dir, unsigned owner, unsigned reader,
                    char *err, size_t errsz);
/* The pairs nodes[i][0] = nodes[i][1] written under dir. -errno with err set. */
int mica_device_put(struct mica_xs *xs, const char *dir, const char *const (*nodes)[2],
                    size_t count, char *err, size_t errsz);
/* Waits up to MICA_DEVICE_RELEASE_SECONDS for dom0's kernel to remove
 * backend device NAME ("vbd-5-51712") from the xen-backend bus; 0 once it
 * is gone, -ETIMEDOUT if it stays. */
int mica_device_wait_released(const char *name);

/* Calls remove(xs, domid, N) for each device N of `kind` (such as "vbd")
 * under domid's backend directory, then removes that directory. */
void mica_device_remove_each(struct mica_xs *xs, const char *kind, uint16_t domid,
                             void (*remove)(struct mica_xs *xs, uint16_t domid, uint32_t n));

#endif
