/* The hypervisor's own page tables: physical memory mapped 1:1. */
#ifndef X86_PAGING_H
#define X86_PAGING_H

#include <stdint.h>
#include <mica/boot_info.h>

/* head.S maps the first 4 GiB (RAM, MMIO and firmware alike) before any C
 * runs; this adds every RAM-like range the boot map lists above that. */
void paging_map_ram(const struct boot_info *bi);

/* An address the hypervisor never maps, for the page-fault self-test. */
#define PAGING_UNMAPPED_ADDRESS 0x00007ffffffff000ULL

extern uint64_t boot_pml4[512];

#endif
