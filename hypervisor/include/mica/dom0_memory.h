/* dom0's RAM: the host's own frames, mapped at their own addresses
 * (gfn == mfn), because dom0 hands guest-physical addresses to devices
 * for DMA and Mica does not drive an IOMMU yet. */
#ifndef MICA_DOM0_MEMORY_H
#define MICA_DOM0_MEMORY_H

#include <stdint.h>

struct domain;
struct boot_info;

/* Claims up to `pages` free host RAM frames from the bottom up, maps each
 * at its own address and writes d's memory map from the host's: RAM that
 * dom0 got, host RAM that Mica keeps as reserved, RAM beyond dom0's share
 * as unusable, firmware ranges with their own types. */
int dom0_identity_memory(struct domain *d, const struct boot_info *host,
                         uint64_t pages);

#endif
