/* UEFI memory map to boot_info ranges: sorted by base, same-type neighbours merged. */
#ifndef MICA_BOOT_UEFI_MAP_H
#define MICA_BOOT_UEFI_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mica/boot_info.h>

/* The OS-loader memory type the loader gives everything it places: BOOT_MEM_LOADED. */
#define UEFI_MAP_LOADED 0x80000001u

/* The UEFI descriptor layout; firmware may space descriptors further apart. */
struct uefi_map_desc {
    uint32_t type;
    uint32_t pad;
    uint64_t phys_start;
    uint64_t virt_start;
    uint64_t pages;        /* 4 KiB pages */
    uint64_t attribute;
};

/* The boot_mem_type for a UEFI memory type. */
uint32_t uefi_map_type(uint32_t efi_type);

/*
 * Converts the `map_size` bytes of descriptors at `map`, `desc_size` bytes
 * apart, into at most `max` ranges at `out` and sets *count. Returns false
 * when ranges had to be left off; the first `max` are still valid.
 */
bool uefi_map_convert(const void *map, size_t map_size, size_t desc_size,
                    struct boot_mem_range *out, uint32_t max, uint32_t *count);

#endif
