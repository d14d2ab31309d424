/* Reading a domU kernel (mica_kernel.h): an ELF as it is, or the ELF in a
 * bzImage, found through the setup header of Linux's x86 boot protocol
 * (Documentation/arch/x86/boot.rst) and decompressed. */
#define ZLIB_CONST
#include "mica_kernel.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <lzma.h>
#include <zlib.h>

/* The setup header's fields we read, by file offset. */
#define HDR_SETUP_SECTS     0x1f1   /* u8; 0 means 4 */
#define HDR_MAGIC           0x202   /* "HdrS" */
#define HDR_VERSION         0x206   /* u16, major << 8 | minor */
#define HDR_PAYLOAD_OFFSET  0x248   /* u32, from the protected-mode code (2.08+) */
#define HDR_PAYLOAD_LENGTH  0x24c   /* u32 (2.08+) */
#define HDR_END             0x250
#define SECTOR              512u
#define VERSION_PAYLOAD     0x0208  /* the first protocol that names the payload */

/* What liblzma may allocate: Linux compresses with a 32 MiB dictionary
 * at most, and a hostile header could ask for far more. */
#define XZ_MEMLIMIT_MIB     128u
#define FIRST_OUT           (1u << 20)

static uint32_t le(const uint8_t *p, unsigned bytes)
{
    uint32_t v = 0;

    while (bytes-- > 0)
        v = v << 8 | p[bytes];
    return v;
}

/* The decompressed ELF, grown by doubling up to max + 1 bytes: one byte
 * past the limit is enough to know the payload is too big. */
struct out {
    uint8_t *p;
    size_t len, cap, max;
};

static const char *too_big(size_t max)
{
    return max == MICA_KERNEL_MAX_ELF ? "decompressed kernel larger than the size limit (256 MiB)"
                                      : "decompressed kernel larger than the given size limit";
}

static int out_room(struct out *o, const char **why)
{
    size_t limit = o->max < SIZE_MAX ? o->max + 1 : SIZE_MAX;
    size_t cap = o->cap ? o->cap * 2 : FIRST_OUT;

    if (o->cap >= limit) {
        *why = too_big(o->max);
        return -EFBIG;
    }
    if (cap > limit || cap < o->cap)
        cap = limit;
    uint8_t *p = realloc(o->p, cap);
    if (!p) {
        *why = "out of memory for the decompressed kernel";
        return -ENOMEM;
    }
    o->p = p;
    o->cap = cap;
    return 0;
}

/* One xz stream; what follows its end (the 4-byte size Linux's build
 * appends) is not read. */
static int unxz(const uint8_t *in, size_t n, struct out *o, const char **why)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret r = lzma_stream_decoder(&s, (uint64_t)XZ_MEMLIMIT_MIB << 20, 0);
    int rc = 0;

    if (r != LZMA_OK) {
        *why = "xz: the decoder cannot start";
        return r == LZMA_MEM_ERROR ? -ENOMEM : -EINVAL;
    }
    s.next_in = in;
    s.avail_in = n;
    for (;;) {
        if (o->len == o->cap && (rc = out_room(o, why)))
            break;
        s.next_out = o->p + o->len;
        s.avail_out = o->cap - o->len;
        r = lzma_code(&s, LZMA_FINISH);
        o->len = o->cap - s.avail_out;
        if (r == LZMA_OK)
            continue;
        if (r == LZMA_STREAM_END)
            break;
        rc = -ENOEXEC;
        switch (r) {
        case LZMA_BUF_ERROR:
            *why = "xz: the compressed kernel is truncated";
            break;
        case LZMA_MEMLIMIT_ERROR:
            *why = "xz: the stream needs more than 128 MiB to decode";
            break;
        case LZMA_MEM_ERROR:
            *why = "xz: out of memory";
            rc = -ENOMEM;
            break;
        case LZMA_FORMAT_ERROR:
            *why = "xz: not an xz stream";
            break;
        case LZMA_OPTIONS_ERROR:
            *why = "xz: the stream uses options liblzma does not support";
            break;
        default:
            *why = "xz: the compressed kernel is corrupt";
            break;
        }
        break;
    }
    lzma_end(&s);
    return rc;
}

/* One gzip member; trailing bytes after it are not read. */
static int gunzip(const uint8_t *in, size_t n, struct out *o, const char **why)
{
    z_stream z;
    int rc = 0;

    memset(&z, 0, sizeof(z));
    if (n > UINT_MAX) {
        *why = "gzip: payload too large";
        return -ENOEXEC;
    }
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        *why = "gzip: out of memory";
        return -ENOMEM;
    }
    z.next_in = in;
    z.avail_in = (uInt)n;
    for (;;) {
        if (o->len == o->cap && (rc = out_room(o, why)))
            break;
        size_t room = o->cap - o->len;
        uInt chunk = room > UINT_MAX ? UINT_MAX : (uInt)room;
        z.next_out = o->p + o->len;
        z.avail_out = chunk;
        int r = inflate(&z, Z_NO_FLUSH);
        o->len += chunk - z.avail_out;
        if (r == Z_STREAM_END)
            break;
        if (r == Z_OK)
            continue;
        rc = -ENOEXEC;
        if (r == Z_BUF_ERROR && z.avail_in == 0) {
            *why = "gzip: the compressed kernel is truncated";
        } else if (r == Z_MEM_ERROR) {
            *why = "gzip: out of memory";
            rc = -ENOMEM;
        } else {
            *why = "gzip: the compressed kernel is corrupt";
        }
        break;
    }
    inflateEnd(&z);
    return rc;
}

/* How Linux's build can compress the payload, by magic. */
enum codec { CODEC_NONE, CODEC_XZ, CODEC_GZIP, CODEC_OTHER };

static const struct {
    uint8_t magic[6];
    unsigned len;
    enum codec codec;
    const char *why;            /* for CODEC_OTHER */
} formats[] = {
    { { 0x7f, 'E', 'L', 'F' }, 4, CODEC_NONE, NULL },
    { { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6, CODEC_XZ, NULL },
    { { 0x1f, 0x8b }, 2, CODEC_GZIP, NULL },
    { { 'B', 'Z', 'h' }, 3, CODEC_OTHER,
      "bzImage payload compressed with bzip2: only xz and gzip are supported" },
    { { 0x5d, 0x00, 0x00 }, 3, CODEC_OTHER,
      "bzImage payload compressed with lzma: only xz and gzip are supported" },
    { { 0x89, 'L', 'Z', 'O' }, 4, CODEC_OTHER,
      "bzImage payload compressed with lzo: only xz and gzip are supported" },
    { { 0x02, 0x21, 0x4c, 0x18 }, 4, CODEC_OTHER,
      "bzImage payload compressed with lz4: only xz and gzip are supported" },
    { { 0x28, 0xb5, 0x2f, 0xfd }, 4, CODEC_OTHER,
      "bzImage payload compressed with zstd: only xz and gzip are supported" },
};

int mica_kernel_extract(const uint8_t *img, size_t size, size_t max_elf,
                        struct mica_file *elf, const char **why)
{
    elf->data = NULL;
    elf->size = 0;
    elf->heap = false;
    if (size >= 4 && !memcmp(img, "\x7f" "ELF", 4)) {
        elf->data = img;
        elf->size = size;
        return 0;
    }
    if (size < HDR_VERSION + 2 || memcmp(img + HDR_MAGIC, "HdrS", 4)) {
        *why = "neither an ELF nor a bzImage (no ELF magic, no \"HdrS\" setup header)";
        return -ENOEXEC;
    }
    if (le(img + HDR_VERSION, 2) < VERSION_PAYLOAD) {
        *why = "bzImage boot protocol older than 2.08, which does not say where "
               "the compressed kernel is";
        return -ENOEXEC;
    }
    if (size < HDR_END) {
        *why = "bzImage setup header truncated";
        return -ENOEXEC;
    }

    uint64_t sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
    uint64_t pm = (sects + 1) * SECTOR;
    uint64_t off = le(img + HDR_PAYLOAD_OFFSET, 4), len = le(img + HDR_PAYLOAD_LENGTH, 4);
    if (pm > size || off > size - pm || len > size - pm - off) {
        *why = "bzImage payload_offset/payload_length run past the end of the file";
        return -ENOEXEC;
    }
    const uint8_t *payload = img + pm + off;
    enum codec codec = CODEC_OTHER;
    unsigned i;

    *why = "bzImage payload in an unknown format (not xz, gzip, bzip2, lzma, lzo, "
           "lz4, zstd or an ELF)";
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (len >= formats[i].len && !memcmp(payload, formats[i].magic, formats[i].len)) {
            codec = formats[i].codec;
            if (formats[i].why)
                *why = formats[i].why;
            break;
        }
    }
    if (i == sizeof(formats) / sizeof(formats[0]) || codec == CODEC_OTHER)
        return -ENOEXEC;

    struct out o = { .max = max_elf };
    int rc;
    if (codec == CODEC_NONE) {
        /* An uncompressed payload (CONFIG_KERNEL_UNCOMPRESSED). */
        if (len > max_elf) {
            *why = too_big(max_elf);
            return -EFBIG;
        }
        o.p = malloc(len ? len : 1);
        if (!o.p) {
            *why = "out of memory for the kernel";
            return -ENOMEM;
        }
        memcpy(o.p, payload, len);
        o.len = len;
        rc = 0;
    } else if (codec == CODEC_XZ) {
        rc = unxz(payload, len, &o, why);
    } else {
        rc = gunzip(payload, len, &o, why);
    }
    if (!rc && o.len > max_elf) {
        *why = too_big(max_elf);
        rc = -EFBIG;
    }
    if (rc) {
        free(o.p);
        return rc;
    }
    elf->data = o.p;
    elf->size = o.len;
    elf->heap = true;
    return 0;
}

int mica_kernel_open(const char *path, struct mica_file *elf, const char **why)
{
    struct mica_file f;
    int rc = mica_file_map(path, &f);

    if (rc) {
        elf->data = NULL;
        elf->size = 0;
        elf->heap = false;
        *why = strerror(-rc);
        return rc;
    }
    rc = mica_kernel_extract(f.data, f.size, MICA_KERNEL_MAX_ELF, elf, why);
    if (!rc && !elf->heap) {
        *elf = f;               /* an ELF: the mapping itself */
        return 0;
    }
    mica_file_unmap(&f);
    return rc;
}
