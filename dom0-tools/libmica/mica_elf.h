/* A PVH kernel image: a 64- or 32-bit ELF whose PT_LOAD segments go to
 * their physical addresses and whose Xen note XEN_ELFNOTE_PHYS32_ENTRY
 * names the 32-bit entry point. */
#ifndef LIBMICA_ELF_H
#define LIBMICA_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mica_ctl.h"

struct mica_file {
    const uint8_t *data;        /* mapped read-only, or on the heap */
    size_t size;
    bool heap;                  /* data came from malloc (a decompressed kernel) */
};

/* Maps a whole file; -errno. An empty file maps as size 0, data NULL. */
int mica_file_map(const char *path, struct mica_file *f);
/* Unmaps or frees the data, as it came; the file is then empty. */
void mica_file_unmap(struct mica_file *f);

struct mica_elf {
    const struct mica_file *file;
    uint32_t entry;             /* PHYS32_ENTRY */
    uint64_t paddr_lo, paddr_hi;    /* what the segments cover, [lo, hi) */
};

/* Checks the headers and finds the entry; -EINVAL/-ENOEXEC with why set. */
int mica_elf_parse(const struct mica_file *f, struct mica_elf *elf, const char **why);
/* Copies each PT_LOAD's file bytes to its p_paddr in domid (the rest of
 * p_memsz is the freshly populated, zeroed memory). */
int mica_elf_load(struct mica_ctl *h, uint16_t domid, const struct mica_elf *elf);

#endif
