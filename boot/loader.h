/* Interfaces between the UEFI-side parts of the loader (everything not pure C). */
#ifndef MICA_BOOT_LOADER_H
#define MICA_BOOT_LOADER_H

#include <efi.h>
#include <efilib.h>

#include <mica/boot_info.h>

#include "config.h"

#define BOOT_PAGE_SIZE 4096ULL

static inline UINT64 boot_pages(UINT64 bytes)
{
    return (bytes + BOOT_PAGE_SIZE - 1) / BOOT_PAGE_SIZE;
}

/* console.c: every line the loader prints starts with "mica-boot: ". */
void boot_say(const CHAR16 *fmt, ...);
/* Prints "mica-boot: error: ..." and returns `status`, so callers can `return boot_fail(...)`. */
EFI_STATUS boot_fail(EFI_STATUS status, const CHAR16 *fmt, ...);

/* alloc.c: pages typed BOOT_MEM_LOADED, given back if the boot fails. */
EFI_STATUS alloc_at(EFI_PHYSICAL_ADDRESS base, UINT64 pages);
EFI_STATUS alloc_below_4g(UINT64 pages, EFI_PHYSICAL_ADDRESS *base);
void alloc_release_all(void);

/* fs.c: files on the volume the loader came from. */
struct boot_volume {
    EFI_FILE_HANDLE root;
    char dir[CFG_PATH_MAX];   /* the loader's own directory, e.g. "\EFI\BOOT" */
};
EFI_STATUS volume_open(EFI_HANDLE image, struct boot_volume *vol);
void volume_close(struct boot_volume *vol);
/* Opens a regular file by its ESP path and reports its size. */
EFI_STATUS file_open(struct boot_volume *vol, const char *path, EFI_FILE_HANDLE *file, UINT64 *size);
/* Reads all `size` bytes, closes the file and prints the progress line. */
EFI_STATUS file_read_all(EFI_FILE_HANDLE file, const char *path, void *buf, UINT64 size);

/* config_file.c */
EFI_STATUS read_config(struct boot_volume *vol, struct boot_config *cfg);

/* hypervisor.c: places the hypervisor ELF's segments; gives its physical entry point. */
EFI_STATUS load_hypervisor(struct boot_volume *vol, const char *path, UINT64 *entry);

/* modules.c */
EFI_STATUS load_modules(struct boot_volume *vol, const struct boot_config *cfg,
                        struct boot_info *bi);

/* acpi.c and framebuffer.c: what the firmware knows, copied into boot_info. */
void find_rsdp(struct boot_info *bi);
void find_framebuffer(struct boot_info *bi);

/* handoff.c: exits boot services and jumps; returns only if that fails first. */
EFI_STATUS start_hypervisor(EFI_HANDLE image, struct boot_info *bi, UINT64 entry);

#endif
