/* Reduces the firmware's memory map to what the hypervisor needs to know. */
#include "uefi_map.h"

#define PAGE_SHIFT 12

enum efi_memory_type {
    EFI_RESERVED,
    EFI_LOADER_CODE,
    EFI_LOADER_DATA,
    EFI_BOOT_SERVICES_CODE,
    EFI_BOOT_SERVICES_DATA,
    EFI_RUNTIME_SERVICES_CODE,
    EFI_RUNTIME_SERVICES_DATA,
    EFI_CONVENTIONAL,
    EFI_UNUSABLE,
    EFI_ACPI_RECLAIM,
    EFI_ACPI_NVS,
    EFI_MMIO,
    EFI_MMIO_PORT_SPACE,
    EFI_PAL_CODE,
    EFI_PERSISTENT,
};

uint32_t uefi_map_type(uint32_t efi_type)
{
    switch (efi_type) {
    /* Boot services and the loader are gone once the hypervisor runs. */
    case EFI_LOADER_CODE:
    case EFI_LOADER_DATA:
    case EFI_BOOT_SERVICES_CODE:
    case EFI_BOOT_SERVICES_DATA:
    case EFI_CONVENTIONAL:
        return BOOT_MEM_USABLE;
    case EFI_RUNTIME_SERVICES_CODE:
    case EFI_RUNTIME_SERVICES_DATA:
        return BOOT_MEM_FW_RUNTIME;
    case EFI_ACPI_RECLAIM:
        return BOOT_MEM_ACPI_RECLAIM;
    case EFI_ACPI_NVS:
        return BOOT_MEM_ACPI_NVS;
    case EFI_UNUSABLE:
        return BOOT_MEM_UNUSABLE;
    case EFI_PERSISTENT:
        return BOOT_MEM_PERSISTENT;
    case UEFI_MAP_LOADED:
        return BOOT_MEM_LOADED;
    default:
        return BOOT_MEM_RESERVED;
    }
}

static const struct uefi_map_desc *desc_at(const void *map, size_t desc_size, size_t i)
{
    return (const struct uefi_map_desc *)((const uint8_t *)map + i * desc_size);
}

/*
 * The index of the non-empty descriptor that comes next after `prev` in
 * (base, index) order, or `n` when none is left. Picking in order instead of
 * sorting leaves the firmware's buffer untouched.
 */
static size_t next_desc(const void *map, size_t desc_size, size_t n, size_t prev)
{
    uint64_t prev_base = prev < n ? desc_at(map, desc_size, prev)->phys_start : 0;
    size_t best = n;
    size_t i;

    for (i = 0; i < n; i++) {
        const struct uefi_map_desc *d = desc_at(map, desc_size, i);

        if (d->pages == 0)
            continue;
        if (prev < n && (d->phys_start < prev_base || (d->phys_start == prev_base && i <= prev)))
            continue;
        if (best == n || d->phys_start < desc_at(map, desc_size, best)->phys_start)
            best = i;
    }
    return best;
}

/* The byte length of a descriptor, cut at the top of the address space. */
static uint64_t desc_length(const struct uefi_map_desc *d)
{
    uint64_t room = UINT64_MAX - d->phys_start;

    return d->pages > (room >> PAGE_SHIFT) ? room : d->pages << PAGE_SHIFT;
}

bool uefi_map_convert(const void *map, size_t map_size, size_t desc_size,
                    struct boot_mem_range *out, uint32_t max, uint32_t *count)
{
    size_t n = desc_size >= sizeof(struct uefi_map_desc) ? map_size / desc_size : 0;
    size_t i = n;

    *count = 0;
    while ((i = next_desc(map, desc_size, n, i)) < n) {
        const struct uefi_map_desc *d = desc_at(map, desc_size, i);
        uint32_t type = uefi_map_type(d->type);
        struct boot_mem_range *last = *count > 0 ? &out[*count - 1] : NULL;

        if (last != NULL && last->type == type && last->base + last->length == d->phys_start) {
            last->length += desc_length(d);
            continue;
        }
        if (*count == max)
            return false;
        out[(*count)++] = (struct boot_mem_range){
            .base = d->phys_start, .length = desc_length(d), .type = type,
        };
    }
    return true;
}
