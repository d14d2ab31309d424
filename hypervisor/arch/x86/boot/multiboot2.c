/* Builds struct boot_info from a Multiboot2 information block. Pure: the
 * block is read as bytes and every length is checked before use. */
#include <mica/memmap.h>
#include <mica/string.h>
#include <x86/multiboot2.h>

enum {
    TAG_END = 0, TAG_CMDLINE = 1, TAG_LOADER_NAME = 2, TAG_MODULE = 3,
    TAG_MMAP = 6, TAG_FRAMEBUFFER = 8, TAG_EFI64 = 12, TAG_ACPI_OLD = 14,
    TAG_ACPI_NEW = 15,
};

#define FB_TYPE_RGB 1

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Copies a NUL-terminated string that must end inside the tag. */
static void copy_string(char *dst, size_t dst_size, const uint8_t *src,
                        size_t avail)
{
    size_t n = strnlen((const char *)src, avail);
    if (n >= dst_size)
        n = dst_size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static uint32_t e820_to_boot_type(uint32_t t)
{
    switch (t) {
    case 1: return BOOT_MEM_USABLE;
    case 3: return BOOT_MEM_ACPI_RECLAIM;
    case 4: return BOOT_MEM_ACPI_NVS;
    case 5: return BOOT_MEM_UNUSABLE;
    case 7: return BOOT_MEM_PERSISTENT;
    default: return BOOT_MEM_RESERVED;
    }
}

static const char *parse_mmap(const uint8_t *tag, uint32_t size,
                              struct boot_info *bi)
{
    if (size < 16)
        return "memory map tag too short";
    uint32_t entry_size = rd32(tag + 8);
    if (entry_size < 24 || entry_size % 8)
        return "memory map entry size is invalid";
    for (uint32_t off = 16; off + entry_size <= size; off += entry_size) {
        uint64_t length = rd64(tag + off + 8);
        if (!length)
            continue;
        if (bi->mem_range_count == BOOT_MAX_MEM_RANGES)
            return "memory map has too many ranges";
        struct boot_mem_range *r = &bi->mem[bi->mem_range_count++];
        r->base = rd64(tag + off);
        r->length = length;
        r->type = e820_to_boot_type(rd32(tag + off + 16));
        r->reserved = 0;
    }
    return NULL;
}

static const char *parse_module(const uint8_t *tag, uint32_t size,
                                struct boot_info *bi)
{
    if (size < 17)
        return "module tag too short";
    if (bi->module_count == BOOT_MAX_MODULES)
        return "too many modules";
    uint32_t start = rd32(tag + 8), end = rd32(tag + 12);
    if (end < start)
        return "module ends before it starts";
    struct boot_module *m = &bi->modules[bi->module_count++];
    m->base = start;
    m->size = end - start;
    copy_string(m->cmdline, sizeof(m->cmdline), tag + 16, size - 16);
    return NULL;
}

static void parse_framebuffer(const uint8_t *tag, uint32_t size,
                              struct boot_info *bi)
{
    /* Only direct-colour framebuffers count; EGA text mode is not one. */
    if (size < 38 || tag[29] != FB_TYPE_RGB)
        return;
    struct boot_framebuffer *fb = &bi->fb;
    fb->base = rd64(tag + 8);
    fb->pitch = rd32(tag + 16);
    fb->width = rd32(tag + 20);
    fb->height = rd32(tag + 24);
    fb->bpp = tag[28];
    fb->red_pos = tag[32];
    fb->red_size = tag[33];
    fb->green_pos = tag[34];
    fb->green_size = tag[35];
    fb->blue_pos = tag[36];
    fb->blue_size = tag[37];
}

static void parse_rsdp(const uint8_t *tag, uint32_t size, struct boot_info *bi,
                       bool is_new)
{
    /* The ACPI 2.0 copy wins over the 1.0 one, whatever the tag order. */
    if (size <= 8 || (!is_new && bi->rsdp_length > 20))
        return;
    uint32_t n = size - 8;
    if (n > BOOT_RSDP_MAX)
        n = BOOT_RSDP_MAX;
    memcpy(bi->rsdp, tag + 8, n);
    bi->rsdp_length = n;
}

const char *mb2_parse(const void *info, size_t max_len, struct boot_info *bi)
{
    const uint8_t *b = info;

    memset(bi, 0, sizeof(*bi));
    bi->magic = BOOT_INFO_MAGIC;
    bi->version = BOOT_INFO_VERSION;
    bi->size = sizeof(*bi);
    bi->source = BOOT_SOURCE_MULTIBOOT2;
    static const char default_name[] = "Multiboot2 loader";
    memcpy(bi->loader_name, default_name, sizeof(default_name));

    if (max_len < 16)
        return "information block too short";
    uint32_t total = rd32(b);
    if (total < 16 || total > max_len)
        return "information block size is invalid";

    bool ended = false;
    for (uint32_t off = 8; off + 8 <= total; off = (off + 7) & ~7u) {
        const uint8_t *tag = b + off;
        uint32_t type = rd32(tag), size = rd32(tag + 4);
        if (size < 8 || size > total - off)
            return "tag overruns the information block";
        const char *err = NULL;
        switch (type) {
        case TAG_END:
            ended = true;
            break;
        case TAG_CMDLINE:
            copy_string(bi->cmdline, sizeof(bi->cmdline), tag + 8, size - 8);
            break;
        case TAG_LOADER_NAME:
            copy_string(bi->loader_name, sizeof(bi->loader_name), tag + 8,
                        size - 8);
            break;
        case TAG_MODULE:
            err = parse_module(tag, size, bi);
            break;
        case TAG_MMAP:
            err = parse_mmap(tag, size, bi);
            break;
        case TAG_FRAMEBUFFER:
            parse_framebuffer(tag, size, bi);
            break;
        case TAG_EFI64:
            if (size >= 16)
                bi->efi_system_table = rd64(tag + 8);
            break;
        case TAG_ACPI_OLD:
        case TAG_ACPI_NEW:
            parse_rsdp(tag, size, bi, type == TAG_ACPI_NEW);
            break;
        default:
            break;
        }
        if (err)
            return err;
        if (ended)
            break;
        off += size;
    }
    if (!ended)
        return "information block has no end tag";
    if (!bi->mem_range_count)
        return "no memory map";
    memmap_sort(bi->mem, bi->mem_range_count);
    return NULL;
}
