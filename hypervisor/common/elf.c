/* ELF validation and segment/note walking, with every file offset bounds-checked. */
#include <mica/elf.h>

#define EI_NIDENT     16
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC       2
#define PN_XNUM       0xffff

#define EHDR32_SIZE   52
#define EHDR64_SIZE   64
#define PHDR32_SIZE   32
#define PHDR64_SIZE   56
#define NOTE_HDR_SIZE 12

/* Byte-wise little-endian reads: the image may sit at any alignment. */
static uint64_t read_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;

    while (bytes-- > 0)
        v = (v << 8) | p[bytes];
    return v;
}

static uint16_t read16(const uint8_t *p)
{
    return (uint16_t)read_le(p, 2);
}

static uint32_t read32(const uint8_t *p)
{
    return (uint32_t)read_le(p, 4);
}

/* True when [offset, offset + len) lies inside a buffer of `size` bytes. */
static bool in_bounds(uint64_t offset, uint64_t len, uint64_t size)
{
    return offset <= size && len <= size - offset;
}

static enum elf_status check_ident(const uint8_t *d, size_t size)
{
    if (size < EI_NIDENT)
        return ELF_ERR_TRUNCATED;
    if (d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F')
        return ELF_ERR_MAGIC;
    if (d[EI_CLASS] != ELF_CLASS32 && d[EI_CLASS] != ELF_CLASS64)
        return ELF_ERR_CLASS;
    if (d[EI_DATA] != ELFDATA2LSB)
        return ELF_ERR_ENCODING;
    if (d[EI_VERSION] != EV_CURRENT)
        return ELF_ERR_VERSION;
    if (size < (d[EI_CLASS] == ELF_CLASS64 ? EHDR64_SIZE : EHDR32_SIZE))
        return ELF_ERR_TRUNCATED;
    return ELF_OK;
}

static enum elf_status read_header(struct elf_image *img)
{
    const uint8_t *d = img->data;
    bool is64 = img->class == ELF_CLASS64;

    if (read32(d + 20) != EV_CURRENT)
        return ELF_ERR_VERSION;
    img->machine = read16(d + 18);
    if (img->machine != ELF_MACHINE_X86_64 && (is64 || img->machine != ELF_MACHINE_386))
        return ELF_ERR_MACHINE;
    if (read16(d + 16) != ET_EXEC)
        return ELF_ERR_TYPE;
    img->entry = is64 ? read_le(d + 24, 8) : read32(d + 24);
    img->phoff = is64 ? read_le(d + 32, 8) : read32(d + 28);
    img->phentsize = read16(d + (is64 ? 54 : 42));
    img->phnum = read16(d + (is64 ? 56 : 44));
    if (img->phnum == 0 || img->phnum == PN_XNUM ||
        img->phentsize < (is64 ? PHDR64_SIZE : PHDR32_SIZE) ||
        !in_bounds(img->phoff, (uint64_t)img->phnum * img->phentsize, img->size))
        return ELF_ERR_PHDRS;
    return ELF_OK;
}

static enum elf_status check_segments(const struct elf_image *img)
{
    /* ELF32 addresses live in a 4 GiB space; ELF64 ones must not wrap. */
    uint64_t top = img->class == ELF_CLASS64 ? UINT64_MAX : 0x100000000ULL;
    unsigned loads = 0;
    unsigned i;

    for (i = 0; i < img->phnum; i++) {
        struct elf_segment seg;

        elf_segment_at(img, i, &seg);
        if (seg.filesz != 0 && !in_bounds(seg.offset, seg.filesz, img->size))
            return ELF_ERR_SEGMENT;
        if (seg.type != ELF_PT_LOAD)
            continue;
        if (seg.filesz > seg.memsz)
            return ELF_ERR_SEGMENT_SIZE;
        if (!in_bounds(seg.vaddr, seg.memsz, top) || !in_bounds(seg.paddr, seg.memsz, top))
            return ELF_ERR_SEGMENT_RANGE;
        loads++;
    }
    return loads != 0 ? ELF_OK : ELF_ERR_NO_LOAD;
}

enum elf_status elf_parse(struct elf_image *img, const void *data, size_t size)
{
    enum elf_status status;

    *img = (struct elf_image){ .data = data, .size = size };
    status = check_ident(img->data, size);
    if (status != ELF_OK)
        return status;
    img->class = img->data[EI_CLASS];
    status = read_header(img);
    if (status != ELF_OK)
        return status;
    return check_segments(img);
}

const char *elf_status_text(enum elf_status status)
{
    switch (status) {
    case ELF_OK:
        return "valid";
    case ELF_ERR_TRUNCATED:
        return "file is shorter than an ELF header";
    case ELF_ERR_MAGIC:
        return "not an ELF file";
    case ELF_ERR_CLASS:
        return "unknown ELF class";
    case ELF_ERR_ENCODING:
        return "not a little-endian ELF file";
    case ELF_ERR_VERSION:
        return "unknown ELF version";
    case ELF_ERR_MACHINE:
        return "not built for x86-64 (or i386 in ELF32)";
    case ELF_ERR_TYPE:
        return "not an executable (ET_EXEC) ELF file";
    case ELF_ERR_PHDRS:
        return "program header table missing or outside the file";
    case ELF_ERR_SEGMENT:
        return "a segment lies outside the file";
    case ELF_ERR_SEGMENT_SIZE:
        return "a PT_LOAD segment has filesz > memsz";
    case ELF_ERR_SEGMENT_RANGE:
        return "a PT_LOAD segment wraps around the address space";
    case ELF_ERR_NO_LOAD:
        return "no PT_LOAD segments";
    }
    return "unknown ELF error";
}

void elf_segment_at(const struct elf_image *img, unsigned index, struct elf_segment *seg)
{
    const uint8_t *p = img->data + img->phoff + (uint64_t)index * img->phentsize;

    if (img->class == ELF_CLASS64) {
        *seg = (struct elf_segment){
            .type = read32(p), .flags = read32(p + 4),
            .offset = read_le(p + 8, 8), .vaddr = read_le(p + 16, 8),
            .paddr = read_le(p + 24, 8), .filesz = read_le(p + 32, 8),
            .memsz = read_le(p + 40, 8), .align = read_le(p + 48, 8),
        };
    } else {
        *seg = (struct elf_segment){
            .type = read32(p), .offset = read32(p + 4),
            .vaddr = read32(p + 8), .paddr = read32(p + 12),
            .filesz = read32(p + 16), .memsz = read32(p + 20),
            .flags = read32(p + 24), .align = read32(p + 28),
        };
    }
}

bool elf_next_load(const struct elf_image *img, unsigned *cursor, struct elf_segment *seg)
{
    while (*cursor < img->phnum) {
        elf_segment_at(img, (*cursor)++, seg);
        if (seg->type == ELF_PT_LOAD)
            return true;
    }
    return false;
}

const uint8_t *elf_segment_bytes(const struct elf_image *img, const struct elf_segment *seg)
{
    return img->data + seg->offset;
}

bool elf_entry_phys(const struct elf_image *img, uint64_t *phys)
{
    struct elf_segment seg;
    unsigned cursor = 0;

    while (elf_next_load(img, &cursor, &seg)) {
        if (img->entry >= seg.vaddr && img->entry - seg.vaddr < seg.memsz) {
            *phys = seg.paddr + (img->entry - seg.vaddr);
            return true;
        }
    }
    return false;
}

void elf_notes_begin(struct elf_note_iter *it, const struct elf_image *img)
{
    *it = (struct elf_note_iter){ .img = img };
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* Moves to the next PT_NOTE segment; false when there is none. */
static bool next_note_segment(struct elf_note_iter *it)
{
    struct elf_segment seg;

    while (it->next_phdr < it->img->phnum) {
        elf_segment_at(it->img, it->next_phdr++, &seg);
        if (seg.type != ELF_PT_NOTE || seg.filesz == 0)
            continue;
        it->seg_offset = seg.offset;
        it->seg_size = seg.filesz;
        it->pos = 0;
        /* Notes are 4-byte aligned unless the segment asks for 8 (as GNU property notes do). */
        it->align = seg.align == 8 ? 8 : 4;
        return true;
    }
    return false;
}

/* Reads the note at it->pos; false when it does not fit in its segment. */
static bool read_note(struct elf_note_iter *it, struct elf_note *note)
{
    const uint8_t *base = it->img->data + it->seg_offset;
    uint64_t name_at, desc_at;

    if (!in_bounds(it->pos, NOTE_HDR_SIZE, it->seg_size))
        return false;
    note->namesz = read32(base + it->pos);
    note->descsz = read32(base + it->pos + 4);
    note->type = read32(base + it->pos + 8);
    name_at = it->pos + NOTE_HDR_SIZE;
    if (!in_bounds(name_at, note->namesz, it->seg_size))
        return false;
    desc_at = align_up(name_at + note->namesz, it->align);
    if (!in_bounds(desc_at, note->descsz, it->seg_size))
        return false;
    note->name = (const char *)base + name_at;
    note->desc = base + desc_at;
    /* A last note may omit its trailing padding; the loop condition copes. */
    it->pos = align_up(desc_at + note->descsz, it->align);
    return true;
}

enum elf_note_step elf_note_next(struct elf_note_iter *it, struct elf_note *note)
{
    while (it->pos >= it->seg_size)
        if (!next_note_segment(it))
            return ELF_NOTE_DONE;
    if (read_note(it, note))
        return ELF_NOTE_FOUND;
    /* Nothing after a broken note can be trusted: end the walk. */
    it->pos = it->seg_size;
    it->next_phdr = it->img->phnum;
    return ELF_NOTE_MALFORMED;
}

bool elf_note_name_is(const struct elf_note *note, const char *name)
{
    uint32_t i;

    for (i = 0; i < note->namesz && name[i] != '\0'; i++)
        if (note->name[i] != name[i])
            return false;
    if (name[i] != '\0')
        return false;
    return i == note->namesz || (i + 1 == note->namesz && note->name[i] == '\0');
}
