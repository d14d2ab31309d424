/* Another domain's memory in ours: privcmd's IOCTL_PRIVCMD_MMAPBATCH_V2,
 * which Linux turns into XENMEM_add_to_physmap_batch (gmfn_foreign). */
#ifndef MICA_FOREIGN_H
#define MICA_FOREIGN_H

#include <stddef.h>
#include <stdint.h>

#include "mica_ctl.h"

/* Maps gfns [gfn, gfn + n) of domid read-write; NULL with errno set. */
void *mica_foreign_map(struct mica_ctl *h, uint16_t domid, uint64_t gfn, size_t n);
void mica_foreign_unmap(void *va, size_t n);
/* Copies len bytes to guest-physical gpa of domid, a window at a time. */
int mica_foreign_write(struct mica_ctl *h, uint16_t domid, uint64_t gpa, const void *data,
                       size_t len);

#endif
