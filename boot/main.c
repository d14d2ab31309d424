/* Mica's UEFI loader: reads mica.cfg, loads the hypervisor and modules, hands over boot_info. */
#include "loader.h"

#define FAILURE_PAUSE_US (2 * 1000 * 1000)

/* Too big for comfort on the firmware's stack. */
static struct boot_config config;

static EFI_STATUS make_boot_info(struct boot_info **out)
{
    static const char loader_name[] = "Mica UEFI loader";
    EFI_PHYSICAL_ADDRESS base;
    struct boot_info *bi = NULL;
    EFI_STATUS status;

    status = alloc_below_4g(boot_pages(sizeof(*bi)), &base);
    if (EFI_ERROR(status))
        return boot_fail(status, L"no room below 4 GiB for boot_info: %r", status);
    bi = (struct boot_info *)base;
    SetMem(bi, sizeof(*bi), 0);
    bi->magic = BOOT_INFO_MAGIC;
    bi->version = BOOT_INFO_VERSION;
    bi->size = sizeof(*bi);
    bi->source = BOOT_SOURCE_UEFI;
    CopyMem(bi->loader_name, loader_name, sizeof(loader_name));
    CopyMem(bi->cmdline, config.cmdline, sizeof(bi->cmdline));
    bi->efi_system_table = (UINT64)(UINTN)ST;
    *out = bi;
    return EFI_SUCCESS;
}

/* Returns only on failure, after saying why. */
static EFI_STATUS boot(EFI_HANDLE image)
{
    struct boot_volume vol;
    struct boot_info *bi = NULL;
    EFI_STATUS status;
    UINT64 entry = 0;

    status = volume_open(image, &vol);
    if (EFI_ERROR(status))
        return status;
    status = read_config(&vol, &config);
    if (!EFI_ERROR(status))
        status = load_hypervisor(&vol, config.hypervisor, &entry);
    if (!EFI_ERROR(status))
        status = make_boot_info(&bi);
    if (!EFI_ERROR(status))
        status = load_modules(&vol, &config, bi);
    volume_close(&vol);
    if (EFI_ERROR(status))
        return status;
    find_rsdp(bi);
    find_framebuffer(bi);
    return start_hypervisor(image, bi, entry);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
    EFI_STATUS status;

    InitializeLib(image, system_table);
    status = boot(image);
    /* Give a human time to read the error before the firmware moves on. */
    BS->Stall(FAILURE_PAUSE_US);
    alloc_release_all();
    return status;
}
