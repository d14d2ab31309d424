/* Loads each boot module into its own pages below 4 GiB and records it in boot_info. */
#include "loader.h"

static EFI_STATUS load_module(struct boot_volume *vol, const struct cfg_module *mod,
                              struct boot_module *out)
{
    EFI_PHYSICAL_ADDRESS base;
    EFI_FILE_HANDLE file;
    EFI_STATUS status;
    UINT64 size, pages;

    status = file_open(vol, mod->path, &file, &size);
    if (EFI_ERROR(status))
        return status;
    /* An empty module still gets a page, so its base is a real address. */
    pages = size == 0 ? 1 : boot_pages(size);
    status = alloc_below_4g(pages, &base);
    if (EFI_ERROR(status)) {
        file->Close(file);
        return boot_fail(status, L"no room below 4 GiB for %a (%ld bytes): %r", mod->path, size, status);
    }
    status = file_read_all(file, mod->path, (void *)base, size);
    if (EFI_ERROR(status))
        return status;
    /* The hypervisor may map whole pages into a guest: leave no stale bytes after the file. */
    SetMem((UINT8 *)base + size, pages * BOOT_PAGE_SIZE - size, 0);
    out->base = base;
    out->size = size;
    CopyMem(out->cmdline, mod->cmdline, sizeof(out->cmdline));
    return EFI_SUCCESS;
}

EFI_STATUS load_modules(struct boot_volume *vol, const struct boot_config *cfg,
                        struct boot_info *bi)
{
    unsigned i;

    for (i = 0; i < cfg->module_count; i++) {
        EFI_STATUS status = load_module(vol, &cfg->modules[i], &bi->modules[i]);

        if (EFI_ERROR(status))
            return status;
        bi->module_count = i + 1;
    }
    return EFI_SUCCESS;
}
