/*
 * The PVH boot protocol: the structure whose physical address a PVH
 * kernel finds in %ebx at its XEN_ELFNOTE_PHYS32_ENTRY entry point, with
 * its module list and memory map. All addresses are guest-physical.
 */
#ifndef MICA_PUBLIC_XEN_START_INFO_H
#define MICA_PUBLIC_XEN_START_INFO_H

/* hvm_start_info.magic: "xEn3" with the top bit of the 'E' set. */
#define XEN_HVM_START_MAGIC_VALUE  0x336ec578

/* hvm_memmap_table_entry.type: the E820 types. */
#define XEN_HVM_MEMMAP_TYPE_RAM       1
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2
#define XEN_HVM_MEMMAP_TYPE_ACPI      3
#define XEN_HVM_MEMMAP_TYPE_NVS       4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5
#define XEN_HVM_MEMMAP_TYPE_DISABLED  6
#define XEN_HVM_MEMMAP_TYPE_PMEM      7

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

/*
 * Version 0 ends at rsdp_paddr (40 bytes); version 1 adds the memory map.
 * flags takes the SIF_* bits of xen.h. A zero address means "none".
 */
struct hvm_start_info {
    uint32_t magic;             /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;     /* struct hvm_modlist_entry[nr_modules] */
    uint64_t cmdline_paddr;     /* NUL-terminated kernel command line */
    uint64_t rsdp_paddr;        /* ACPI RSDP */
    uint64_t memmap_paddr;      /* struct hvm_memmap_table_entry[memmap_entries] */
    uint32_t memmap_entries;
    uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info size");
_Static_assert(offsetof(struct hvm_start_info, version) == 4, "hvm_start_info.version");
_Static_assert(offsetof(struct hvm_start_info, flags) == 8, "hvm_start_info.flags");
_Static_assert(offsetof(struct hvm_start_info, nr_modules) == 12, "hvm_start_info.nr_modules");
_Static_assert(offsetof(struct hvm_start_info, modlist_paddr) == 16, "hvm_start_info.modlist_paddr");
_Static_assert(offsetof(struct hvm_start_info, cmdline_paddr) == 24, "hvm_start_info.cmdline_paddr");
_Static_assert(offsetof(struct hvm_start_info, rsdp_paddr) == 32, "hvm_start_info.rsdp_paddr");
_Static_assert(offsetof(struct hvm_start_info, memmap_paddr) == 40, "hvm_start_info.memmap_paddr");
_Static_assert(offsetof(struct hvm_start_info, memmap_entries) == 48, "hvm_start_info.memmap_entries");

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;              /* bytes */
    uint64_t cmdline_paddr;     /* the module's own command line, or 0 */
    uint64_t reserved;
};
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry size");
_Static_assert(offsetof(struct hvm_modlist_entry, cmdline_paddr) == 16, "hvm_modlist_entry.cmdline_paddr");

struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;              /* bytes */
    uint32_t type;              /* XEN_HVM_MEMMAP_TYPE_* */
    uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry size");
_Static_assert(offsetof(struct hvm_memmap_table_entry, type) == 16, "hvm_memmap_table_entry.type");

#endif /* !__ASSEMBLER__ */

#endif
