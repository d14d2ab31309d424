/* Loads the hypervisor ELF: validates it and copies each PT_LOAD segment to its physical address. */
#include "loader.h"

#include <mica/elf.h>

#define PAGE_MASK (BOOT_PAGE_SIZE - 1)

/*
 * Segments must come in rising address order without overlapping, so a
 * page shared by two neighbours is allocated (and zeroed) only once.
 */
static EFI_STATUS place_segments(const struct elf_image *img, const char *path)
{
    EFI_PHYSICAL_ADDRESS allocated_to = 0;
    UINT64 prev_end = 0;
    struct elf_segment seg;
    unsigned cursor = 0;

    while (elf_next_load(img, &cursor, &seg)) {
        UINT64 start, end;

        if (seg.memsz == 0)
            continue;
        if (seg.paddr < prev_end)
            return boot_fail(EFI_LOAD_ERROR, L"%a: PT_LOAD segments overlap or are out of order", path);
        if (seg.paddr + seg.memsz > ~PAGE_MASK)
            return boot_fail(EFI_LOAD_ERROR, L"%a: segment at 0x%lx ends beyond the last page", path, seg.paddr);
        start = seg.paddr & ~PAGE_MASK;
        end = (seg.paddr + seg.memsz + PAGE_MASK) & ~PAGE_MASK;
        if (start < allocated_to)
            start = allocated_to;
        if (end > start) {
            EFI_STATUS status = alloc_at(start, (end - start) / BOOT_PAGE_SIZE);

            if (EFI_ERROR(status))
                return boot_fail(status, L"cannot place hypervisor at 0x%lx-0x%lx: %r%s", start, end - 1,
                                 status, status == EFI_NOT_FOUND ? L" (range in use or not RAM)" : L"");
            SetMem((void *)start, end - start, 0);
            allocated_to = end;
        }
        CopyMem((void *)seg.paddr, elf_segment_bytes(img, &seg), seg.filesz);
        prev_end = seg.paddr + seg.memsz;
    }
    return EFI_SUCCESS;
}

static EFI_STATUS check_image(struct elf_image *img, const void *data, UINT64 size,
                              const char *path, UINT64 *entry)
{
    enum elf_status status = elf_parse(img, data, size);

    if (status != ELF_OK)
        return boot_fail(EFI_LOAD_ERROR, L"%a: %a", path, elf_status_text(status));
    if (img->class != ELF_CLASS64 || img->machine != ELF_MACHINE_X86_64)
        return boot_fail(EFI_LOAD_ERROR, L"%a: the hypervisor must be an ELF64 x86-64 executable", path);
    if (!elf_entry_phys(img, entry))
        return boot_fail(EFI_LOAD_ERROR, L"%a: entry point 0x%lx is outside every PT_LOAD segment",
                         path, img->entry);
    return EFI_SUCCESS;
}

EFI_STATUS load_hypervisor(struct boot_volume *vol, const char *path, UINT64 *entry)
{
    struct elf_image img;
    EFI_FILE_HANDLE file;
    EFI_STATUS status;
    UINT64 size;
    void *data;

    status = file_open(vol, path, &file, &size);
    if (EFI_ERROR(status))
        return status;
    data = AllocatePool(size + 1);
    if (data == NULL) {
        file->Close(file);
        return boot_fail(EFI_OUT_OF_RESOURCES, L"out of memory reading %a (%ld bytes)", path, size);
    }
    status = file_read_all(file, path, data, size);
    if (!EFI_ERROR(status))
        status = check_image(&img, data, size, path, entry);
    if (!EFI_ERROR(status))
        status = place_segments(&img, path);
    FreePool(data);
    return status;
}
