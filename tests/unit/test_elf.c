/* The shared ELF reader: header and segment validation, PT_LOAD walking, notes. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include <mica/elf.h>

#define ET_REL 1
#define ET_DYN 3
#define EM_ARM 40

static uint8_t file[0x2000];

struct seg {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
    while (bytes-- > 0) {
        *p++ = (uint8_t)v;
        v >>= 8;
    }
}

static void ident(uint8_t class)
{
    memset(file, 0, sizeof(file));
    memcpy(file, "\x7f" "ELF", 4);
    file[4] = class;
    file[5] = 1; /* little-endian */
    file[6] = 1; /* EV_CURRENT */
}

static void make64(uint16_t machine, uint64_t entry, const struct seg *segs, unsigned n)
{
    unsigned i;

    ident(ELF_CLASS64);
    put(file + 16, 2, 2);      /* ET_EXEC */
    put(file + 18, machine, 2);
    put(file + 20, 1, 4);
    put(file + 24, entry, 8);
    put(file + 32, 64, 8);     /* e_phoff */
    put(file + 52, 64, 2);
    put(file + 54, 56, 2);
    put(file + 56, n, 2);
    for (i = 0; i < n; i++) {
        uint8_t *p = file + 64 + i * 56;

        put(p, segs[i].type, 4);
        put(p + 4, segs[i].flags, 4);
        put(p + 8, segs[i].offset, 8);
        put(p + 16, segs[i].vaddr, 8);
        put(p + 24, segs[i].paddr, 8);
        put(p + 32, segs[i].filesz, 8);
        put(p + 40, segs[i].memsz, 8);
        put(p + 48, segs[i].align, 8);
    }
}

static void make32(uint16_t machine, uint32_t entry, const struct seg *segs, unsigned n)
{
    unsigned i;

    ident(ELF_CLASS32);
    put(file + 16, 2, 2);
    put(file + 18, machine, 2);
    put(file + 20, 1, 4);
    put(file + 24, entry, 4);
    put(file + 28, 52, 4);     /* e_phoff */
    put(file + 40, 52, 2);
    put(file + 42, 32, 2);
    put(file + 44, n, 2);
    for (i = 0; i < n; i++) {
        uint8_t *p = file + 52 + i * 32;

        put(p, segs[i].type, 4);
        put(p + 4, segs[i].offset, 4);
        put(p + 8, segs[i].vaddr, 4);
        put(p + 12, segs[i].paddr, 4);
        put(p + 16, segs[i].filesz, 4);
        put(p + 20, segs[i].memsz, 4);
        put(p + 24, segs[i].flags, 4);
        put(p + 28, segs[i].align, 4);
    }
}

/* A higher-half kernel layout: text, data+bss, and a note segment. */
static const struct seg layout[] = {
    { ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, 0xffffffff80200000ULL, 0x200000, 0x100, 0x100, 0x1000 },
    { ELF_PT_NOTE, ELF_PF_R, 0x1800, 0, 0, 0x18, 0x18, 4 },
    { ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x1100, 0xffffffff80201100ULL, 0x201100, 0x10, 0x3000, 0x1000 },
};
#define LAYOUT_N 3

static enum elf_status parse_file(struct elf_image *img, size_t size)
{
    return elf_parse(img, file, size);
}

static enum elf_status parse_layout64_with(unsigned index, struct seg change)
{
    struct seg segs[LAYOUT_N];
    struct elf_image img;

    memcpy(segs, layout, sizeof(segs));
    segs[index] = change;
    make64(ELF_MACHINE_X86_64, 0xffffffff80200010ULL, segs, LAYOUT_N);
    return parse_file(&img, sizeof(file));
}

static void valid_elf64(void **state)
{
    struct elf_image img;
    struct elf_segment seg;
    unsigned cursor = 0;
    uint64_t entry;

    (void)state;
    make64(ELF_MACHINE_X86_64, 0xffffffff80200010ULL, layout, LAYOUT_N);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_OK);
    assert_int_equal(img.class, ELF_CLASS64);
    assert_int_equal(img.machine, ELF_MACHINE_X86_64);
    assert_int_equal(img.entry, 0xffffffff80200010ULL);
    assert_int_equal(img.phnum, LAYOUT_N);

    assert_true(elf_next_load(&img, &cursor, &seg));
    assert_int_equal(seg.paddr, 0x200000);
    assert_int_equal(seg.flags, ELF_PF_R | ELF_PF_X);
    assert_ptr_equal(elf_segment_bytes(&img, &seg), file + 0x1000);
    assert_true(elf_next_load(&img, &cursor, &seg));
    assert_int_equal(seg.vaddr, 0xffffffff80201100ULL);
    assert_int_equal(seg.filesz, 0x10);
    assert_int_equal(seg.memsz, 0x3000);
    assert_int_equal(seg.align, 0x1000);
    assert_false(elf_next_load(&img, &cursor, &seg));
    assert_false(elf_next_load(&img, &cursor, &seg));

    elf_segment_at(&img, 1, &seg);
    assert_int_equal(seg.type, ELF_PT_NOTE);
    assert_int_equal(seg.offset, 0x1800);

    assert_true(elf_entry_phys(&img, &entry));
    assert_int_equal(entry, 0x200010);
}

static void valid_elf32(void **state)
{
    const struct seg segs[] = {
        { ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, 0xc0100000, 0x100000, 0x200, 0x400, 0x1000 },
        /* Ends exactly at 4 GiB: still inside a 32-bit space. */
        { ELF_PT_LOAD, ELF_PF_R, 0x1200, 0xfffff000, 0xfffff000, 0x10, 0x1000, 0x1000 },
    };
    struct elf_image img;
    struct elf_segment seg;
    unsigned cursor = 0;
    uint64_t entry;

    (void)state;
    make32(ELF_MACHINE_386, 0xc0100020, segs, 2);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_OK);
    assert_int_equal(img.class, ELF_CLASS32);
    assert_int_equal(img.machine, ELF_MACHINE_386);
    assert_true(elf_next_load(&img, &cursor, &seg));
    assert_int_equal(seg.offset, 0x1000);
    assert_int_equal(seg.vaddr, 0xc0100000);
    assert_int_equal(seg.paddr, 0x100000);
    assert_int_equal(seg.filesz, 0x200);
    assert_int_equal(seg.memsz, 0x400);
    assert_int_equal(seg.flags, ELF_PF_R | ELF_PF_X);
    assert_true(elf_entry_phys(&img, &entry));
    assert_int_equal(entry, 0x100020);

    /* x32: ELF32 built for x86-64. */
    make32(ELF_MACHINE_X86_64, 0xc0100020, segs, 2);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_OK);
    assert_int_equal(img.machine, ELF_MACHINE_X86_64);
}

static void wider_program_headers(void **state)
{
    struct elf_image img;
    struct elf_segment seg;
    unsigned cursor = 0;
    uint8_t *ph2 = file + 64 + 64;

    (void)state;
    /* Rewrite the table with 64-byte entries; readers must use e_phentsize. */
    make64(ELF_MACHINE_X86_64, 0x200000, layout, 1);
    put(file + 54, 64, 2);
    put(file + 56, 2, 2);
    memcpy(ph2, file + 64, 56);
    put(ph2 + 24, 0x300000, 8);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_OK);
    assert_true(elf_next_load(&img, &cursor, &seg));
    assert_true(elf_next_load(&img, &cursor, &seg));
    assert_int_equal(seg.paddr, 0x300000);
}

static void header_errors(void **state)
{
    struct elf_image img;

    (void)state;
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    assert_int_equal(parse_file(&img, 0), ELF_ERR_TRUNCATED);
    assert_int_equal(parse_file(&img, 15), ELF_ERR_TRUNCATED);
    assert_int_equal(parse_file(&img, 63), ELF_ERR_TRUNCATED);
    make32(ELF_MACHINE_386, 0, layout, 1);
    assert_int_equal(parse_file(&img, 51), ELF_ERR_TRUNCATED);

    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    file[1] = 'e';
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_MAGIC);
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    file[4] = 3;
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_CLASS);
    file[4] = 0;
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_CLASS);
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    file[5] = 2;
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_ENCODING);
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    file[6] = 0;
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_VERSION);
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    put(file + 20, 2, 4);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_VERSION);
}

static void machine_and_type_errors(void **state)
{
    struct elf_image img;

    (void)state;
    /* i386 is only accepted in ELF32. */
    make64(ELF_MACHINE_386, 0, layout, LAYOUT_N);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_MACHINE);
    make64(EM_ARM, 0, layout, LAYOUT_N);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_MACHINE);
    make32(EM_ARM, 0, layout, 1);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_MACHINE);

    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    put(file + 16, ET_DYN, 2);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_TYPE);
    put(file + 16, ET_REL, 2);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_TYPE);
}

static void program_header_table_errors(void **state)
{
    struct elf_image img;

    (void)state;
    make64(ELF_MACHINE_X86_64, 0, layout, 0);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_PHDRS);
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    put(file + 56, 0xffff, 2);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_PHDRS);
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    put(file + 54, 55, 2);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_PHDRS);
    make32(ELF_MACHINE_386, 0, layout, 1);
    put(file + 42, 31, 2);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_PHDRS);

    /* The table must end inside the file: one byte short fails. */
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    assert_int_equal(parse_file(&img, 64 + 3 * 56 - 1), ELF_ERR_PHDRS);
    put(file + 32, sizeof(file), 8);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_PHDRS);
    put(file + 32, UINT64_MAX - 8, 8);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_PHDRS);
    make32(ELF_MACHINE_386, 0, layout, 1);
    put(file + 28, 0xfffffff0, 4);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_PHDRS);
}

static void extended_numbering_is_refused(void **state)
{
    /* Big enough that 0xffff entries fit, so only the PN_XNUM rule can refuse it. */
    size_t size = 64 + 0xffffUL * 56;
    uint8_t *big = calloc(1, size);
    struct elf_image img;

    (void)state;
    assert_non_null(big);
    make64(ELF_MACHINE_X86_64, 0, layout, LAYOUT_N);
    put(file + 56, 0xffff, 2);
    memcpy(big, file, sizeof(file));
    assert_int_equal(elf_parse(&img, big, size), ELF_ERR_PHDRS);
    free(big);
}

static void segment_errors(void **state)
{
    struct seg s = layout[0];

    (void)state;
    s.filesz = sizeof(file) - s.offset;
    s.memsz = s.filesz;
    assert_int_equal(parse_layout64_with(0, s), ELF_OK);
    s.filesz++;
    s.memsz++;
    assert_int_equal(parse_layout64_with(0, s), ELF_ERR_SEGMENT);

    /* offset + filesz wraps around. */
    s = layout[0];
    s.offset = UINT64_MAX - 0x10;
    s.filesz = 0x20;
    assert_int_equal(parse_layout64_with(0, s), ELF_ERR_SEGMENT);
    /* A bss-only segment has no file bytes to check. */
    s.filesz = 0;
    assert_int_equal(parse_layout64_with(0, s), ELF_OK);

    /* Non-loadable segments must stay inside the file too. */
    s = layout[1];
    s.offset = sizeof(file) - 4;
    assert_int_equal(parse_layout64_with(1, s), ELF_ERR_SEGMENT);

    s = layout[2];
    s.memsz = s.filesz - 1;
    assert_int_equal(parse_layout64_with(2, s), ELF_ERR_SEGMENT_SIZE);

    s = layout[2];
    s.vaddr = UINT64_MAX - 0x1000;
    assert_int_equal(parse_layout64_with(2, s), ELF_ERR_SEGMENT_RANGE);
    s = layout[2];
    s.paddr = UINT64_MAX - 0x1000;
    assert_int_equal(parse_layout64_with(2, s), ELF_ERR_SEGMENT_RANGE);
}

static void elf32_address_wrap(void **state)
{
    const struct seg segs[] = {
        { ELF_PT_LOAD, ELF_PF_R, 0x1000, 0x1000, 0xfffff000, 0x10, 0x2000, 0x1000 },
    };
    struct elf_image img;

    (void)state;
    make32(ELF_MACHINE_386, 0x1000, segs, 1);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_SEGMENT_RANGE);
}

static void needs_a_load_segment(void **state)
{
    struct elf_image img;

    (void)state;
    make64(ELF_MACHINE_X86_64, 0, &layout[1], 1);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_ERR_NO_LOAD);
}

static void entry_outside_segments(void **state)
{
    struct elf_image img;
    uint64_t entry = 0x1234;

    (void)state;
    /* Just past the text segment's end. */
    make64(ELF_MACHINE_X86_64, 0xffffffff80200100ULL, layout, 1);
    assert_int_equal(parse_file(&img, sizeof(file)), ELF_OK);
    assert_false(elf_entry_phys(&img, &entry));
    assert_int_equal(entry, 0x1234);
}

/* Writes one note at `at`; returns the offset just past it, padded to `align`. */
static size_t note(size_t at, uint32_t type, const char *name, uint32_t namesz,
                   const void *desc, uint32_t descsz, size_t align)
{
    size_t desc_at = (at + 12 + namesz + align - 1) & ~(align - 1);

    put(file + at, namesz, 4);
    put(file + at + 4, descsz, 4);
    put(file + at + 8, type, 4);
    memcpy(file + at + 12, name, namesz);
    memcpy(file + desc_at, desc, descsz);
    return (desc_at + descsz + align - 1) & ~(align - 1);
}

/* An image whose two PT_NOTE segments span [0x1000, end1) and [0x1800, end2). */
static void make_notes(struct elf_image *img, size_t end1, size_t end2, uint64_t align)
{
    const struct seg segs[] = {
        { ELF_PT_NOTE, ELF_PF_R, 0x1000, 0, 0, end1 - 0x1000, end1 - 0x1000, align },
        { ELF_PT_LOAD, ELF_PF_R, 0x1000, 0x100000, 0x100000, 0x100, 0x100, 0x1000 },
        { ELF_PT_NOTE, ELF_PF_R, 0x1800, 0, 0, end2 - 0x1800, end2 - 0x1800, align },
    };
    uint8_t keep[0x1000];

    /* make64 clears the file; keep the notes already written. */
    memcpy(keep, file + 0x1000, sizeof(keep));
    make64(ELF_MACHINE_X86_64, 0x100000, segs, 3);
    memcpy(file + 0x1000, keep, sizeof(keep));
    assert_int_equal(elf_parse(img, file, sizeof(file)), ELF_OK);
}

static void walks_notes(void **state)
{
    static const uint8_t entry[4] = { 0x50, 0x08, 0x00, 0x01 };
    struct elf_image img;
    struct elf_note_iter it;
    struct elf_note n;
    size_t end1, end2;

    (void)state;
    memset(file, 0, sizeof(file));
    end1 = note(0x1000, 18, "Xen", 4, entry, 4, 4);
    end1 = note(end1, 7, "ab", 3, "12345", 5, 4);
    end1 = note(end1, 1, "", 0, "", 0, 4);
    end2 = note(0x1800, 6, "Linux", 6, "wxyz", 4, 4);
    make_notes(&img, end1, end2, 4);

    elf_notes_begin(&it, &img);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_int_equal(n.type, 18);
    assert_int_equal(n.namesz, 4);
    assert_true(elf_note_name_is(&n, "Xen"));
    assert_false(elf_note_name_is(&n, "Xe"));
    assert_false(elf_note_name_is(&n, "Xenon"));
    assert_int_equal(n.descsz, 4);
    assert_memory_equal(n.desc, entry, 4);

    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_int_equal(n.type, 7);
    assert_true(elf_note_name_is(&n, "ab"));
    assert_int_equal(n.descsz, 5);
    assert_memory_equal(n.desc, "12345", 5);
    assert_ptr_equal(n.desc, file + 0x1000 + 20 + 16);

    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_int_equal(n.type, 1);
    assert_true(elf_note_name_is(&n, ""));
    assert_int_equal(n.descsz, 0);

    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_int_equal(n.type, 6);
    assert_true(elf_note_name_is(&n, "Linux"));
    assert_memory_equal(n.desc, "wxyz", 4);

    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_DONE);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_DONE);
}

static void name_without_nul(void **state)
{
    struct elf_note n = { .name = "Xen", .namesz = 3 };

    (void)state;
    assert_true(elf_note_name_is(&n, "Xen"));
    n.name = "Xe\0x";
    n.namesz = 4;
    assert_false(elf_note_name_is(&n, "Xe"));
}

static void eight_byte_aligned_notes(void **state)
{
    static const uint8_t prop[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    struct elf_image img;
    struct elf_note_iter it;
    struct elf_note n;
    size_t end1, end2;

    (void)state;
    memset(file, 0, sizeof(file));
    end1 = note(0x1000, 5, "GNU", 4, prop, 16, 8);
    end1 = note(end1, 9, "abcde", 6, "q", 1, 8);
    end2 = note(0x1800, 2, "X", 2, "", 0, 8);
    make_notes(&img, end1, end2, 8);

    elf_notes_begin(&it, &img);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_ptr_equal(n.desc, file + 0x1000 + 16);
    assert_memory_equal(n.desc, prop, 16);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_true(elf_note_name_is(&n, "abcde"));
    assert_ptr_equal(n.desc, file + 0x1000 + 32 + 24);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_true(elf_note_name_is(&n, "X"));
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_DONE);
}

static void last_note_without_padding(void **state)
{
    struct elf_image img;
    struct elf_note_iter it;
    struct elf_note n;
    size_t end2;

    (void)state;
    memset(file, 0, sizeof(file));
    note(0x1000, 3, "A", 2, "123", 3, 4);
    end2 = note(0x1800, 4, "B", 2, "", 0, 4);
    /* The first segment stops right after the 3-byte desc. */
    make_notes(&img, 0x1000 + 16 + 3, end2, 4);
    elf_notes_begin(&it, &img);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_int_equal(n.descsz, 3);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_int_equal(n.type, 4);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_DONE);
}

/* Walks an image whose first note segment is [0x1000, end1); expects `found` good notes, then a bad one. */
static void expect_malformed(size_t end1, unsigned found)
{
    struct elf_image img;
    struct elf_note_iter it;
    struct elf_note n;
    size_t end2;
    unsigned i;

    end2 = note(0x1800, 4, "B", 2, "", 0, 4);
    make_notes(&img, end1, end2, 4);
    elf_notes_begin(&it, &img);
    for (i = 0; i < found; i++)
        assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_FOUND);
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_MALFORMED);
    /* The walk ends there, even though a good segment follows. */
    assert_int_equal(elf_note_next(&it, &n), ELF_NOTE_DONE);
}

static void malformed_notes(void **state)
{
    size_t end;

    (void)state;
    /* namesz runs past the segment (and would overflow 32 bits if added carelessly). */
    memset(file, 0, sizeof(file));
    end = note(0x1000, 1, "Xen", 4, "abcd", 4, 4);
    put(file + 0x1000, 0xffffffff, 4);
    expect_malformed(end, 0);

    /* descsz runs past the segment. */
    memset(file, 0, sizeof(file));
    end = note(0x1000, 1, "Xen", 4, "abcd", 4, 4);
    put(file + 0x1004, 5, 4);
    expect_malformed(end, 0);
    put(file + 0x1004, 0xfffffffc, 4);
    expect_malformed(end, 0);

    /* Name padding pushes the desc start past the end. */
    memset(file, 0, sizeof(file));
    note(0x1000, 1, "ab", 3, "", 0, 4);
    put(file + 0x1004, 1, 4);
    expect_malformed(0x1000 + 15, 0);

    /* A good note followed by a partial header. */
    memset(file, 0, sizeof(file));
    end = note(0x1000, 1, "Xen", 4, "abcd", 4, 4);
    expect_malformed(end + 8, 1);
}

static void status_texts(void **state)
{
    int s;

    (void)state;
    for (s = ELF_OK; s <= ELF_ERR_NO_LOAD; s++)
        assert_true(strlen(elf_status_text((enum elf_status)s)) > 0);
    assert_string_equal(elf_status_text(ELF_ERR_MAGIC), "not an ELF file");
    assert_string_equal(elf_status_text((enum elf_status)99), "unknown ELF error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_elf64),
        cmocka_unit_test(valid_elf32),
        cmocka_unit_test(wider_program_headers),
        cmocka_unit_test(header_errors),
        cmocka_unit_test(machine_and_type_errors),
        cmocka_unit_test(program_header_table_errors),
        cmocka_unit_test(extended_numbering_is_refused),
        cmocka_unit_test(segment_errors),
        cmocka_unit_test(elf32_address_wrap),
        cmocka_unit_test(needs_a_load_segment),
        cmocka_unit_test(entry_outside_segments),
        cmocka_unit_test(walks_notes),
        cmocka_unit_test(name_without_nul),
        cmocka_unit_test(eight_byte_aligned_notes),
        cmocka_unit_test(last_note_without_padding),
        cmocka_unit_test(malformed_notes),
        cmocka_unit_test(status_texts),
    };

    return RUN(tests);
}
