/* Building the memory map a guest sees (start info, XENMEM_memory_map):
 * entries in address order, neighbours of one type merged. Pure, so it is
 * unit-tested on the host. */
#ifndef MICA_GUEST_MEMMAP_H
#define MICA_GUEST_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <public/xen/start_info.h>

struct guest_memmap {
    struct hvm_memmap_table_entry *entries;
    unsigned int count;
    unsigned int max;
};

/* Appends [addr, addr + size) of `type` after the last entry, merging with
 * it when they touch and match. False when the table is full or the range
 * is out of order. */
bool guest_memmap_append(struct guest_memmap *m, uint64_t addr, uint64_t size,
                         uint32_t type);
/* Retypes [addr, addr + size), which must lie inside one RAM entry,
 * splitting that entry. False if it does not or the table is full. */
bool guest_memmap_carve(struct guest_memmap *m, uint64_t addr, uint64_t size,
                        uint32_t type);
/* The lowest page-aligned address >= min_addr where `size` bytes of RAM
 * lie inside one entry. */
bool guest_memmap_find_ram(const struct guest_memmap *m, uint64_t min_addr,
                           uint64_t size, uint64_t *addr);
/* Whether [addr, addr + size) lies inside one RAM entry. */
bool guest_memmap_is_ram(const struct guest_memmap *m, uint64_t addr,
                         uint64_t size);

#endif
