/* The last step: memory map into boot_info, ExitBootServices, jump to the hypervisor. */
#include "loader.h"

#include "uefi_map.h"

/* ExitBootServices fails when the map changed since it was read; that settles fast. */
#define EXIT_ATTEMPTS 8
/* Allocating the map buffer adds descriptors of its own: leave room for them. */
#define MAP_SLACK 4096

typedef void __attribute__((sysv_abi)) (*hypervisor_entry)(UINT64 boot_info_phys);

static void __attribute__((noreturn)) jump(UINT64 entry, struct boot_info *bi)
{
    __asm__ volatile("cli" ::: "memory");
    ((hypervisor_entry)(UINTN)entry)((UINT64)(UINTN)bi);
    /* Boot services are gone: there is nothing to return to. */
    for (;;)
        __asm__ volatile("cli; hlt");
}

static EFI_STATUS alloc_map(UINTN *cap, EFI_MEMORY_DESCRIPTOR **map)
{
    UINTN size = 0, key, desc_size;
    UINT32 desc_version;
    EFI_STATUS status;

    status = BS->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_version);
    if (status != EFI_BUFFER_TOO_SMALL)
        return boot_fail(status, L"cannot size the memory map: %r", status);
    *cap = size + MAP_SLACK;
    *map = AllocatePool(*cap);
    if (*map == NULL)
        return boot_fail(EFI_OUT_OF_RESOURCES, L"out of memory for the memory map");
    return EFI_SUCCESS;
}

EFI_STATUS start_hypervisor(EFI_HANDLE image, struct boot_info *bi, UINT64 entry)
{
    EFI_MEMORY_DESCRIPTOR *map;
    EFI_STATUS status;
    UINTN cap = 0;
    unsigned attempt;

    boot_say(L"starting hypervisor");
    status = alloc_map(&cap, &map);
    if (EFI_ERROR(status))
        return status;
    /* After the first ExitBootServices call only GetMemoryMap may be used: no Print, no pool. */
    for (attempt = 0; attempt < EXIT_ATTEMPTS; attempt++) {
        UINTN size = cap, key, desc_size;
        UINT32 desc_version;
        bool fits;

        status = BS->GetMemoryMap(&size, map, &key, &desc_size, &desc_version);
        if (EFI_ERROR(status))
            break;
        fits = uefi_map_convert(map, size, desc_size, bi->mem, BOOT_MAX_MEM_RANGES, &bi->mem_range_count);
        if (!fits && attempt == 0) {
            FreePool(map);
            return boot_fail(EFI_BUFFER_TOO_SMALL, L"memory map needs more than %d ranges even after merging",
                             BOOT_MAX_MEM_RANGES);
        }
        status = BS->ExitBootServices(image, key);
        if (!EFI_ERROR(status))
            jump(entry, bi);
        if (status != EFI_INVALID_PARAMETER)
            break;
    }
    return boot_fail(status, L"cannot exit boot services: %r", status);
}
