/* Loop devices: a disk image file made into a block device, which is what
 * the dom0 kernel's block backend serves to a guest (it opens block
 * devices only). What Xen's block hotplug script does with losetup. */
#ifndef MICA_LOOP_H
#define MICA_LOOP_H

#include <stdbool.h>
#include <stddef.h>

/* Binds the file to a free /dev/loopN (read-only if asked); its path goes
 * to dev (at least 32 bytes). -errno, with err saying what failed. */
int mica_loop_attach(const char *file, bool readonly, char *dev, size_t devsz,
                     char *err, size_t errsz);
/* Unbinds dev. While another opener (the backend) still holds it, the
 * kernel unbinds it when that opener lets go. -errno. */
int mica_loop_detach(const char *dev);

#endif
