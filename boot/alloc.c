/* Pages for what the hypervisor keeps, remembered so a failed boot can give them back. */
#include "loader.h"

#include "uefi_map.h"

/* Hypervisor segments, modules and boot_info: far fewer than this. */
#define ALLOC_MAX 64

static struct {
    EFI_PHYSICAL_ADDRESS base;
    UINT64 pages;
} allocs[ALLOC_MAX];
static unsigned alloc_count;

static EFI_STATUS allocate(EFI_ALLOCATE_TYPE how, UINT64 pages, EFI_PHYSICAL_ADDRESS *base)
{
    EFI_STATUS status;

    if (alloc_count == ALLOC_MAX)
        return EFI_OUT_OF_RESOURCES;
    status = BS->AllocatePages(how, (EFI_MEMORY_TYPE)UEFI_MAP_LOADED, pages, base);
    if (!EFI_ERROR(status)) {
        allocs[alloc_count].base = *base;
        allocs[alloc_count].pages = pages;
        alloc_count++;
    }
    return status;
}

EFI_STATUS alloc_at(EFI_PHYSICAL_ADDRESS base, UINT64 pages)
{
    return allocate(AllocateAddress, pages, &base);
}

EFI_STATUS alloc_below_4g(UINT64 pages, EFI_PHYSICAL_ADDRESS *base)
{
    *base = 0xffffffffULL;
    return allocate(AllocateMaxAddress, pages, base);
}

void alloc_release_all(void)
{
    while (alloc_count > 0) {
        alloc_count--;
        BS->FreePages(allocs[alloc_count].base, allocs[alloc_count].pages);
    }
}
