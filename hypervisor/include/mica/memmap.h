/* Questions asked of the boot memory map. Pure functions over the ranges. */
#ifndef MICA_MEMMAP_H
#define MICA_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/boot_info.h>

struct phys_range {
    uint64_t start;
    uint64_t end;           /* exclusive */
};

/* Bytes of ranges of one type. */
uint64_t memmap_bytes_of_type(const struct boot_mem_range *map, size_t n,
                              uint32_t type);
/* End of the highest range that is RAM the hypervisor may use. */
uint64_t memmap_usable_end(const struct boot_mem_range *map, size_t n);

/*
 * Finds the highest `align`-aligned place for `size` bytes that ends at or
 * below max_end, lies wholly inside usable RAM, and overlaps no range of
 * another type (maps can overlap; the stricter type wins) and none of
 * `exclude`.
 */
bool memmap_find_space_top(const struct boot_mem_range *map, size_t n,
                           const struct phys_range *exclude, size_t nexclude,
                           uint64_t size, uint64_t align, uint64_t max_end,
                           uint64_t *addr);

const char *memmap_type_name(uint32_t type);

/* Sorts ranges by base address (maps from firmware need not be sorted). */
void memmap_sort(struct boot_mem_range *map, size_t n);

#endif
