/* A domain's virtual disks: what the toolstack does so that the dom0
 * kernel's block backend (xen-blkback) serves a disk to the guest's block
 * frontend. For each disk it binds a loop device if the target is an image
 * file, writes the backend's nodes under /local/domain/0/backend/vbd/D/N
 * (owned by dom0, readable by the guest) and the frontend's under
 * /local/domain/D/device/vbd/N (owned by the guest), N being the vdev's
 * number in Xen's scheme (docs/xenstore.md lists every node). */
#ifndef MICA_VBD_H
#define MICA_VBD_H

#include <stddef.h>
#include <stdint.h>

#include "device_spec.h"
#include "mica_xs.h"

/* Sets up one disk of domain domid. -errno with err set; whatever it set
 * up for this disk is undone on failure. */
int mica_vbd_add(struct mica_xs *xs, uint16_t domid, const struct domain_disk *disk,
                 char *err, size_t errsz);

/* Takes every disk of domid away from it: the backend nodes go, which
 * makes the backend disconnect and let go of the disk (waited for, up to
 * MICA_DEVICE_RELEASE_SECONDS each), and loop devices are unbound. Call it
 * before the domain is destroyed, so that the backend unmaps the guest's
 * grants while the guest exists. The frontend nodes go with the domain's
 * home (mica_store_forget). */
void mica_vbd_remove_all(struct mica_xs *xs, uint16_t domid);

#endif
