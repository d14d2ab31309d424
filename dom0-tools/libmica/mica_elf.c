/* Parsing and loading a PVH kernel ELF (mica_elf.h), with the ELF reader
 * the hypervisor and the loader share (hypervisor/common/elf.c). */
#include "mica_elf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mica/elf.h>
#include <xen/elfnote.h>

#include "mica_foreign.h"

int mica_file_map(const char *path, struct mica_file *f)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    f->data = NULL;
    f->size = 0;
    f->heap = false;
    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        int e = S_ISREG(st.st_mode) ? errno : EINVAL;
        close(fd);
        return -e;
    }
    if (st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            close(fd);
            return -e;
        }
        f->data = p;
        f->size = (size_t)st.st_size;
    }
    close(fd);
    return 0;
}

void mica_file_unmap(struct mica_file *f)
{
    if (f->data && f->heap)
        free((void *)f->data);
    else if (f->data)
        munmap((void *)f->data, f->size);
    f->data = NULL;
    f->size = 0;
    f->heap = false;
}

/* XEN_ELFNOTE_PHYS32_ENTRY, or 0. */
static uint32_t phys32_entry(const struct elf_image *img)
{
    struct elf_note_iter it;
    struct elf_note note;

    elf_notes_begin(&it, img);
    while (elf_note_next(&it, &note) == ELF_NOTE_FOUND) {
        if (note.type == XEN_ELFNOTE_PHYS32_ENTRY && elf_note_name_is(&note, "Xen") &&
            note.descsz >= 4) {
            uint32_t entry;
            memcpy(&entry, note.desc, 4);
            return entry;
        }
    }
    return 0;
}

int mica_elf_parse(const struct mica_file *f, struct mica_elf *elf, const char **why)
{
    struct elf_image img;
    struct elf_segment seg;
    unsigned cursor = 0;

    memset(elf, 0, sizeof(*elf));
    elf->file = f;
    elf->paddr_lo = UINT64_MAX;
    enum elf_status st = elf_parse(&img, f->data, f->size);
    if (st != ELF_OK) {
        *why = elf_status_text(st);
        return -ENOEXEC;
    }
    while (elf_next_load(&img, &cursor, &seg)) {
        if (seg.memsz == 0)
            continue;
        if (seg.paddr < elf->paddr_lo)
            elf->paddr_lo = seg.paddr;
        if (seg.paddr + seg.memsz > elf->paddr_hi)
            elf->paddr_hi = seg.paddr + seg.memsz;
    }
    elf->entry = phys32_entry(&img);
    if (!elf->entry) {
        *why = "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel";
        return -ENOEXEC;
    }
    return 0;
}

int mica_elf_load(struct mica_ctl *h, uint16_t domid, const struct mica_elf *elf)
{
    struct elf_image img;
    struct elf_segment seg;
    unsigned cursor = 0;

    if (elf_parse(&img, elf->file->data, elf->file->size) != ELF_OK)
        return -ENOEXEC;
    while (elf_next_load(&img, &cursor, &seg)) {
        if (seg.filesz == 0)
            continue;
        int rc = mica_foreign_write(h, domid, seg.paddr, elf_segment_bytes(&img, &seg),
                                    seg.filesz);
        if (rc)
            return rc;
    }
    return 0;
}
