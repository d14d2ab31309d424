/* Freestanding ELF reader: validates x86 executables, walks their loadable segments and notes. */
#ifndef MICA_ELF_H
#define MICA_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_CLASS32        1
#define ELF_CLASS64        2
#define ELF_MACHINE_386    3
#define ELF_MACHINE_X86_64 62

#define ELF_PT_LOAD 1
#define ELF_PT_NOTE 4

#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

enum elf_status {
    ELF_OK = 0,
    ELF_ERR_TRUNCATED,     /* shorter than its ELF header */
    ELF_ERR_MAGIC,
    ELF_ERR_CLASS,         /* neither ELF32 nor ELF64 */
    ELF_ERR_ENCODING,      /* not little-endian */
    ELF_ERR_VERSION,
    ELF_ERR_MACHINE,       /* ELF64 must be x86-64; ELF32 x86-64 or i386 */
    ELF_ERR_TYPE,          /* not ET_EXEC */
    ELF_ERR_PHDRS,         /* program header table missing, malformed or outside the file */
    ELF_ERR_SEGMENT,       /* a segment's file bytes lie outside the file */
    ELF_ERR_SEGMENT_SIZE,  /* a PT_LOAD segment has filesz > memsz */
    ELF_ERR_SEGMENT_RANGE, /* a PT_LOAD segment's addresses wrap around */
    ELF_ERR_NO_LOAD,       /* nothing to load */
};

/* A validated image; `data` stays owned by the caller and must outlive this. */
struct elf_image {
    const uint8_t *data;
    size_t size;
    uint8_t class;         /* ELF_CLASS32 or ELF_CLASS64 */
    uint16_t machine;
    uint64_t entry;        /* e_entry, a virtual address */
    uint64_t phoff;
    uint16_t phentsize;
    uint16_t phnum;
};

/* One program header, widened to 64 bits whatever the class. */
struct elf_segment {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t filesz;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t memsz;
    uint64_t align;
};

struct elf_note {
    uint32_t type;
    const char *name;      /* namesz bytes, normally including a final NUL */
    uint32_t namesz;
    const uint8_t *desc;
    uint32_t descsz;
};

/* Walks every note of every PT_NOTE segment; fields are private to elf.c. */
struct elf_note_iter {
    const struct elf_image *img;
    unsigned next_phdr;
    uint64_t seg_offset;   /* file offset of the current PT_NOTE segment */
    uint64_t seg_size;
    uint64_t pos;          /* offset of the next note within the segment */
    uint64_t align;
};

enum elf_note_step {
    ELF_NOTE_DONE,         /* no more notes */
    ELF_NOTE_FOUND,
    ELF_NOTE_MALFORMED,    /* a note runs past its segment; iteration stops */
};

/* Checks `size` bytes at `data` and fills *img; nothing else may be used unless this returns ELF_OK. */
enum elf_status elf_parse(struct elf_image *img, const void *data, size_t size);

/* A short English description of a status, for error messages. */
const char *elf_status_text(enum elf_status status);

/* Program header `index` (< img->phnum). */
void elf_segment_at(const struct elf_image *img, unsigned index, struct elf_segment *seg);

/*
 * The next PT_LOAD segment at or after *cursor (start with 0); advances the
 * cursor. Returns false when there are no more.
 */
bool elf_next_load(const struct elf_image *img, unsigned *cursor, struct elf_segment *seg);

/* The segment's filesz bytes in the file (bounds already checked by elf_parse). */
const uint8_t *elf_segment_bytes(const struct elf_image *img, const struct elf_segment *seg);

/* Translates e_entry to a physical address through the PT_LOAD segment holding it. */
bool elf_entry_phys(const struct elf_image *img, uint64_t *phys);

void elf_notes_begin(struct elf_note_iter *it, const struct elf_image *img);
enum elf_note_step elf_note_next(struct elf_note_iter *it, struct elf_note *note);

/* True when the note's name is exactly `name` (with or without the trailing NUL). */
bool elf_note_name_is(const struct elf_note *note, const char *name);

#endif
