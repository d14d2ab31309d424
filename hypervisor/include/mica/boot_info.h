/*
 * The one structure that hands the machine to the hypervisor. Both entry
 * paths fill it: the UEFI loader (boot/) before it jumps in, and the
 * Multiboot2 entry from GRUB's tags. Plain fixed-size data, no pointers into
 * loader memory, so the hypervisor can copy it and forget where it came from.
 */
#ifndef MICA_BOOT_INFO_H
#define MICA_BOOT_INFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC     0x544f4f4241434d49ULL /* "IMCABOOT" little-endian */
#define BOOT_INFO_VERSION   1

#define BOOT_MAX_MEM_RANGES 256
#define BOOT_MAX_MODULES    16
#define BOOT_CMDLINE_MAX    1024
#define BOOT_MODULE_CMDLINE_MAX 512
#define BOOT_LOADER_NAME_MAX 64
#define BOOT_RSDP_MAX       36   /* ACPI 2.0+ RSDP length */

enum boot_source {
    BOOT_SOURCE_UEFI = 1,
    BOOT_SOURCE_MULTIBOOT2 = 2,
};

/* What a physical range holds, reduced from UEFI or E820 types. */
enum boot_mem_type {
    BOOT_MEM_USABLE = 1,         /* free RAM once the hypervisor runs */
    BOOT_MEM_RESERVED = 2,       /* firmware-reserved, MMIO, unknown */
    BOOT_MEM_ACPI_RECLAIM = 3,   /* ACPI tables: RAM, but keep while ACPI is read */
    BOOT_MEM_ACPI_NVS = 4,
    BOOT_MEM_UNUSABLE = 5,       /* bad RAM */
    BOOT_MEM_FW_RUNTIME = 6,     /* UEFI runtime services code/data */
    BOOT_MEM_LOADED = 7,         /* hypervisor image, modules, boot info */
    BOOT_MEM_PERSISTENT = 8,
};

struct boot_mem_range {
    uint64_t base;
    uint64_t length;
    uint32_t type;               /* enum boot_mem_type */
    uint32_t reserved;
};

struct boot_module {
    uint64_t base;               /* physical, page aligned */
    uint64_t size;               /* bytes */
    char cmdline[BOOT_MODULE_CMDLINE_MAX];
};

struct boot_framebuffer {
    uint64_t base;               /* physical; 0 when there is none */
    uint32_t width;
    uint32_t height;
    uint32_t pitch;              /* bytes per scan line */
    uint8_t  bpp;
    uint8_t  red_pos, red_size;
    uint8_t  green_pos, green_size;
    uint8_t  blue_pos, blue_size;
    uint8_t  reserved;
};

struct boot_info {
    uint64_t magic;              /* BOOT_INFO_MAGIC */
    uint32_t version;            /* BOOT_INFO_VERSION */
    uint32_t size;               /* sizeof(struct boot_info) */
    uint32_t source;             /* enum boot_source */
    uint32_t mem_range_count;
    uint32_t module_count;
    uint32_t rsdp_length;        /* bytes valid in rsdp[], 0 if no ACPI */
    char loader_name[BOOT_LOADER_NAME_MAX];
    char cmdline[BOOT_CMDLINE_MAX];
    struct boot_mem_range mem[BOOT_MAX_MEM_RANGES];
    struct boot_module modules[BOOT_MAX_MODULES];
    uint64_t rsdp_phys;          /* where firmware keeps the RSDP, 0 if unknown */
    uint8_t  rsdp[BOOT_RSDP_MAX];/* a copy of the RSDP itself */
    uint8_t  pad[4];
    struct boot_framebuffer fb;
    uint64_t efi_system_table;   /* physical, 0 when not booted from UEFI */
};

/*
 * UEFI entry contract: the loader jumps to the ELF entry point in 64-bit
 * mode with the firmware's identity paging still live, interrupts off,
 * boot services exited, and %rdi holding the physical address of a
 * struct boot_info. The hypervisor copies it before touching memory.
 */

#endif
