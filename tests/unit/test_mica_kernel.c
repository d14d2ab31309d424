/* libmica's kernel reader (mica_kernel.c): an ELF passes through; a
 * bzImage built here the way Linux's build makes one (an ELF compressed
 * with xz's x86 BCJ + LZMA2 chain and the size appended, or with gzip)
 * gives back that ELF; malformed headers, truncated or corrupt streams,
 * other compressions and oversized payloads are refused with a reason. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>

#include "mica_elf.h"
#include "mica_kernel.h"

#define ENTRY       0x1000200u
#define PADDR       0x1000000u
#define BSS         0x3000u
#define SMALL       8192u
#define LARGE       (3u << 20)  /* more than the reader's first 1 MiB buffer */

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
    while (bytes-- > 0) {
        *p++ = (uint8_t)v;
        v >>= 8;
    }
}

/* A PVH ELF64 of `size` bytes: one PT_LOAD of the whole file at PADDR, a
 * PT_NOTE with XEN_ELFNOTE_PHYS32_ENTRY, then code-like filler (calls and
 * jumps, which the BCJ filter rewrites). */
static uint8_t *make_elf(size_t size)
{
    uint8_t *f = calloc(1, size);
    size_t i;

    assert_non_null(f);
    memcpy(f, "\x7f" "ELF", 4);
    f[4] = 2;                   /* ELFCLASS64 */
    f[5] = 1;                   /* little-endian */
    f[6] = 1;                   /* EV_CURRENT */
    put(f + 16, 2, 2);          /* ET_EXEC */
    put(f + 18, 62, 2);         /* x86-64 */
    put(f + 20, 1, 4);
    put(f + 24, ENTRY, 8);
    put(f + 32, 64, 8);         /* e_phoff */
    put(f + 52, 64, 2);
    put(f + 54, 56, 2);
    put(f + 56, 2, 2);
    uint8_t *ph = f + 64;
    put(ph, 1, 4);              /* PT_LOAD */
    put(ph + 4, 5, 4);
    put(ph + 16, PADDR, 8);
    put(ph + 24, PADDR, 8);
    put(ph + 32, size, 8);
    put(ph + 40, size + BSS, 8);
    put(ph + 48, 0x1000, 8);
    ph += 56;
    put(ph, 4, 4);              /* PT_NOTE */
    put(ph + 8, 176, 8);
    put(ph + 32, 20, 8);
    put(ph + 40, 20, 8);
    put(f + 176, 4, 4);         /* namesz */
    put(f + 180, 4, 4);         /* descsz */
    put(f + 184, 18, 4);        /* XEN_ELFNOTE_PHYS32_ENTRY */
    memcpy(f + 188, "Xen", 4);
    put(f + 192, ENTRY, 4);
    for (i = 256; i + 5 <= size; i += 16) {
        f[i] = 0xe8;            /* call rel32 */
        put(f + i + 1, (uint32_t)(0x1000 - i), 4);
        f[i + 5] = (uint8_t)(i >> 4);
        f[i + 6] = 0x90;
        if (i + 16 <= size)
            memcpy(f + i + 8, "\x48\x89\xe5\xe9\x10\x00\x00\x00", 8);
    }
    return f;
}

/* As Linux's build: xz --check=crc32 --x86 --lzma2, then the size (u32). */
static uint8_t *xz(const uint8_t *in, size_t n, size_t *out_len)
{
    lzma_options_lzma opt;
    lzma_filter filters[3] = {
        { LZMA_FILTER_X86, NULL },
        { LZMA_FILTER_LZMA2, &opt },
        { LZMA_VLI_UNKNOWN, NULL },
    };
    size_t cap = lzma_stream_buffer_bound(n) + 4, pos = 0;
    uint8_t *out = malloc(cap);

    assert_non_null(out);
    assert_false(lzma_lzma_preset(&opt, 6));
    opt.dict_size = 1u << 20;
    assert_int_equal(lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC32, NULL, in, n, out,
                                               &pos, cap), LZMA_OK);
    put(out + pos, n, 4);
    *out_len = pos + 4;
    return out;
}

static uint8_t *gz(const uint8_t *in, size_t n, size_t *out_len)
{
    z_stream z;
    size_t cap = n + n / 100 + 1024;
    uint8_t *out = malloc(cap);

    assert_non_null(out);
    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

#define PAYLOAD_OFFSET 0x2cc    /* where it is in Debian's 6.1 bzImage */
#define TRAILER        64       /* the file goes on after the payload */

struct bz {
    uint8_t *img;
    size_t size;
    size_t payload_at;          /* file offset */
};

/* A bzImage: setup sectors, then the protected-mode code with the
 * payload PAYLOAD_OFFSET into it. setup_sects 0 means 4. */
static struct bz make_bz(const uint8_t *payload, size_t len, uint8_t setup_sects,
                         uint16_t version)
{
    size_t pm = ((setup_sects ? setup_sects : 4) + 1u) * 512u;
    struct bz b;

    b.payload_at = pm + PAYLOAD_OFFSET;
    b.size = b.payload_at + len + TRAILER;
    b.img = calloc(1, b.size);
    assert_non_null(b.img);
    memcpy(b.img, "MZ", 2);
    b.img[0x1f1] = setup_sects;
    put(b.img + 0x1fe, 0xaa55, 2);
    memcpy(b.img + 0x202, "HdrS", 4);
    put(b.img + 0x206, version, 2);
    put(b.img + 0x248, PAYLOAD_OFFSET, 4);
    put(b.img + 0x24c, len, 4);
    memcpy(b.img + b.payload_at, payload, len);
    memset(b.img + b.payload_at + len, 0xcc, TRAILER);
    return b;
}

static void expect_elf(const struct mica_file *f, const uint8_t *elf, size_t n)
{
    struct mica_elf parsed;
    const char *why = NULL;

    assert_true(f->heap);
    assert_int_equal(f->size, n);
    assert_memory_equal(f->data, elf, n);
    assert_int_equal(mica_elf_parse(f, &parsed, &why), 0);
    assert_int_equal(parsed.entry, ENTRY);
    assert_int_equal(parsed.paddr_lo, PADDR);
    assert_int_equal(parsed.paddr_hi, PADDR + n + BSS);
}

static void expect_error(const uint8_t *img, size_t size, size_t max, int rc,
                         const char *why_part)
{
    struct mica_file f = { (const uint8_t *)"x", 1, true };
    const char *why = NULL;

    assert_int_equal(mica_kernel_extract(img, size, max, &f, &why), rc);
    assert_null(f.data);
    assert_int_equal(f.size, 0);
    assert_false(f.heap);
    assert_non_null(why);
    if (!strstr(why, why_part))
        fail_msg("why \"%s\" does not say \"%s\"", why, why_part);
}

static void test_elf_passes_through(void **state)
{
    (void)state;
    uint8_t *elf = make_elf(SMALL);
    struct mica_file f;
    const char *why = NULL;

    assert_int_equal(mica_kernel_extract(elf, SMALL, MICA_KERNEL_MAX_ELF, &f, &why), 0);
    assert_ptr_equal(f.data, elf);
    assert_int_equal(f.size, SMALL);
    assert_false(f.heap);
    free(elf);
}

static void roundtrip(uint8_t *(*compress)(const uint8_t *, size_t, size_t *), size_t n,
                      uint8_t setup_sects)
{
    uint8_t *elf = make_elf(n);
    size_t len;
    uint8_t *z = compress(elf, n, &len);
    struct bz b = make_bz(z, len, setup_sects, 0x020f);
    struct mica_file f;
    const char *why = NULL;

    if (mica_kernel_extract(b.img, b.size, MICA_KERNEL_MAX_ELF, &f, &why))
        fail_msg("extract: %s", why);
    expect_elf(&f, elf, n);
    mica_file_unmap(&f);
    assert_null(f.data);
    assert_false(f.heap);
    free(b.img);
    free(z);
    free(elf);
}

static void test_xz(void **state)
{
    (void)state;
    roundtrip(xz, SMALL, 27);
    roundtrip(xz, LARGE, 0);
}

static void test_gzip(void **state)
{
    (void)state;
    roundtrip(gz, SMALL, 27);
    roundtrip(gz, LARGE, 0);
}

static uint8_t *copy(const uint8_t *in, size_t n, size_t *out_len)
{
    uint8_t *out = malloc(n);

    assert_non_null(out);
    memcpy(out, in, n);
    *out_len = n;
    return out;
}

/* CONFIG_KERNEL_UNCOMPRESSED: the payload is the ELF itself. */
static void test_uncompressed_payload(void **state)
{
    (void)state;
    roundtrip(copy, SMALL, 27);
}

static void test_payload_outside_file(void **state)
{
    (void)state;
    uint8_t *elf = make_elf(SMALL);
    size_t len;
    uint8_t *z = xz(elf, SMALL, &len);
    struct bz b = make_bz(z, len, 27, 0x020f);
    const char *why = "run past the end of the file";

    put(b.img + 0x24c, len + TRAILER + 1, 4);       /* length one byte too long */
    expect_error(b.img, b.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, why);
    put(b.img + 0x24c, 0xffffffffu, 4);
    expect_error(b.img, b.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, why);
    put(b.img + 0x24c, len, 4);
    put(b.img + 0x248, 0xfffffff0u, 4);             /* offset far out */
    expect_error(b.img, b.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, why);
    put(b.img + 0x248, PAYLOAD_OFFSET + len + TRAILER + 1, 4);
    put(b.img + 0x24c, 0, 4);
    expect_error(b.img, b.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, why);
    put(b.img + 0x248, PAYLOAD_OFFSET, 4);
    put(b.img + 0x24c, len, 4);
    b.img[0x1f1] = 0xff;                            /* setup code longer than the file */
    expect_error(b.img, b.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, why);
    b.img[0x1f1] = 27;
    expect_error(b.img, 0x24e, MICA_KERNEL_MAX_ELF, -ENOEXEC, "setup header truncated");
    free(b.img);
    free(z);
    free(elf);
}

static void test_truncated(void **state)
{
    (void)state;
    uint8_t *elf = make_elf(SMALL);
    size_t xlen, glen;
    uint8_t *x = xz(elf, SMALL, &xlen), *g = gz(elf, SMALL, &glen);
    struct bz bx = make_bz(x, xlen / 2, 27, 0x020f);
    struct bz bg = make_bz(g, glen / 2, 27, 0x020f);

    expect_error(bx.img, bx.size, MICA_KERNEL_MAX_ELF, -ENOEXEC,
                 "xz: the compressed kernel is truncated");
    expect_error(bg.img, bg.size, MICA_KERNEL_MAX_ELF, -ENOEXEC,
                 "gzip: the compressed kernel is truncated");
    free(bx.img);
    free(bg.img);
    /* Without the appended size and the end of xz's index. */
    bx = make_bz(x, xlen - 4 - 8, 27, 0x020f);
    expect_error(bx.img, bx.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, "truncated");
    free(bx.img);
    free(x);
    free(g);
    free(elf);
}

static void test_corrupt(void **state)
{
    (void)state;
    uint8_t *elf = make_elf(SMALL);
    size_t xlen, glen;
    uint8_t *x = xz(elf, SMALL, &xlen), *g = gz(elf, SMALL, &glen);

    x[xlen / 2] ^= 0x55;
    g[glen / 2] ^= 0x55;
    struct bz bx = make_bz(x, xlen, 27, 0x020f);
    struct bz bg = make_bz(g, glen, 27, 0x020f);

    expect_error(bx.img, bx.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, "xz: ");
    expect_error(bg.img, bg.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, "gzip: ");
    free(bx.img);
    free(bg.img);
    free(x);
    free(g);
    free(elf);
}

static void test_old_protocol(void **state)
{
    (void)state;
    uint8_t *elf = make_elf(SMALL);
    size_t len;
    uint8_t *z = xz(elf, SMALL, &len);
    struct bz b = make_bz(z, len, 27, 0x0207);

    expect_error(b.img, b.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, "older than 2.08");
    put(b.img + 0x206, 0x0208, 2);
    struct mica_file f;
    const char *why = NULL;
    assert_int_equal(mica_kernel_extract(b.img, b.size, MICA_KERNEL_MAX_ELF, &f, &why), 0);
    mica_file_unmap(&f);
    free(b.img);
    free(z);
    free(elf);
}

static void test_other_compressions(void **state)
{
    (void)state;
    static const struct {
        const char *magic, *name;
    } other[] = {
        { "\x28\xb5\x2f\xfd", "zstd" },
        { "BZh9", "bzip2" },
        { "\x5d\x00\x00\x80", "lzma" },
        { "\x89LZO", "lzo" },
        { "\x02\x21\x4c\x18", "lz4" },
    };
    unsigned i;

    for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        uint8_t payload[64];
        memset(payload, 0x5a, sizeof(payload));
        memcpy(payload, other[i].magic, 4);
        struct bz b = make_bz(payload, sizeof(payload), 27, 0x020f);
        char want[128];
        snprintf(want, sizeof(want), "compressed with %s: only xz and gzip", other[i].name);
        expect_error(b.img, b.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, want);
        free(b.img);
    }
    uint8_t unknown[16] = "not compressed";
    struct bz b = make_bz(unknown, sizeof(unknown), 27, 0x020f);
    expect_error(b.img, b.size, MICA_KERNEL_MAX_ELF, -ENOEXEC, "unknown format");
    free(b.img);
}

static void test_too_big(void **state)
{
    (void)state;
    uint8_t *elf = make_elf(LARGE);
    uint8_t *(*compress[])(const uint8_t *, size_t, size_t *) = { xz, gz, copy };
    unsigned i;

    for (i = 0; i < 3; i++) {
        size_t len;
        uint8_t *z = compress[i](elf, LARGE, &len);
        struct bz b = make_bz(z, len, 27, 0x020f);
        struct mica_file f;
        const char *why = NULL;

        expect_error(b.img, b.size, LARGE - 1, -EFBIG, "larger than the given size limit");
        expect_error(b.img, b.size, 1u << 20, -EFBIG, "larger than the given size limit");
        expect_error(b.img, b.size, 0, -EFBIG, "larger than the given size limit");
        /* Exactly at the limit is fine. */
        assert_int_equal(mica_kernel_extract(b.img, b.size, LARGE, &f, &why), 0);
        expect_elf(&f, elf, LARGE);
        mica_file_unmap(&f);
        free(b.img);
        free(z);
    }
    free(elf);
}

static void test_not_a_kernel(void **state)
{
    (void)state;
    uint8_t junk[0x400];

    memset(junk, 0x11, sizeof(junk));
    expect_error(junk, sizeof(junk), MICA_KERNEL_MAX_ELF, -ENOEXEC, "neither an ELF nor a bzImage");
    expect_error(junk, 3, MICA_KERNEL_MAX_ELF, -ENOEXEC, "neither an ELF nor a bzImage");
    expect_error(NULL, 0, MICA_KERNEL_MAX_ELF, -ENOEXEC, "neither an ELF nor a bzImage");
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* mica_kernel_open: the mapping for an ELF, a heap copy for a bzImage. */
static void test_open(void **state)
{
    (void)state;
    char path[] = "/tmp/test_mica_kernel.XXXXXX";
    int fd = mkstemp(path);
    uint8_t *elf = make_elf(SMALL);
    size_t len;
    uint8_t *z = gz(elf, SMALL, &len);
    struct bz b = make_bz(z, len, 27, 0x020f);
    struct mica_file f;
    const char *why = NULL;

    assert_true(fd >= 0);
    close(fd);
    write_file(path, elf, SMALL);
    assert_int_equal(mica_kernel_open(path, &f, &why), 0);
    assert_false(f.heap);
    assert_int_equal(f.size, SMALL);
    assert_memory_equal(f.data, elf, SMALL);
    mica_file_unmap(&f);

    write_file(path, b.img, b.size);
    assert_int_equal(mica_kernel_open(path, &f, &why), 0);
    expect_elf(&f, elf, SMALL);
    mica_file_unmap(&f);

    b.img[0x206] = 0x07;
    write_file(path, b.img, b.size);
    assert_int_equal(mica_kernel_open(path, &f, &why), -ENOEXEC);
    assert_non_null(strstr(why, "2.08"));
    assert_null(f.data);

    unlink(path);
    assert_int_equal(mica_kernel_open(path, &f, &why), -ENOENT);
    assert_string_equal(why, strerror(ENOENT));
    assert_null(f.data);
    free(b.img);
    free(z);
    free(elf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elf_passes_through),
        cmocka_unit_test(test_xz),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_uncompressed_payload),
        cmocka_unit_test(test_payload_outside_file),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_old_protocol),
        cmocka_unit_test(test_other_compressions),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_not_a_kernel),
        cmocka_unit_test(test_open),
    };

    return RUN(tests);
}
