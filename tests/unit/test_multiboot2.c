/* Multiboot2 information → boot_info, from blocks built here byte by byte. */
#include "unit.h"
#include <string.h>
#include <x86/multiboot2.h>

static uint8_t block[4096] __attribute__((aligned(8)));
static size_t used;
static struct boot_info bi;

static void begin(void)
{
    memset(block, 0, sizeof(block));
    used = 8;
}

static uint8_t *tag(uint32_t type, uint32_t size)
{
    uint8_t *t = block + used;
    memcpy(t, &type, 4);
    memcpy(t + 4, &size, 4);
    used = (used + size + 7) & ~(size_t)7;
    return t;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void string_tag(uint32_t type, const char *s)
{
    uint8_t *t = tag(type, 8 + (uint32_t)strlen(s) + 1);
    strcpy((char *)t + 8, s);
}

static void mmap_tag(void)
{
    static const struct { uint64_t base, len; uint32_t type; } e[] = {
        { 0x100000, 0x7ee0000, 1 }, { 0x0, 0x9fc00, 1 },
        { 0x9fc00, 0x400, 2 }, { 0x7fe0000, 0x20000, 3 }, { 0xfffc0000, 0x40000, 2 },
        { 0x200000000, 0, 1 },  /* empty: dropped */
    };
    uint8_t *t = tag(6, 16 + 24 * 6);
    put32(t + 8, 24);
    for (int i = 0; i < 6; i++) {
        put64(t + 16 + 24 * i, e[i].base);
        put64(t + 24 + 24 * i, e[i].len);
        put32(t + 32 + 24 * i, e[i].type);
    }
}

static void module_tag(uint32_t start, uint32_t end, const char *cmd)
{
    uint8_t *t = tag(3, 16 + (uint32_t)strlen(cmd) + 1);
    put32(t + 8, start);
    put32(t + 12, end);
    strcpy((char *)t + 16, cmd);
}

static const char *finish(void)
{
    tag(0, 8);
    put32(block, (uint32_t)used);
    return mb2_parse(block, sizeof(block), &bi);
}

static void full_block(void **state)
{
    (void)state;
    begin();
    string_tag(1, "loglvl=debug dom0_mem=1G");
    string_tag(2, "GRUB 2.06");
    mmap_tag();
    module_tag(0x1000000, 0x1800000, "vmlinux console=hvc0");
    module_tag(0x2000000, 0x2000100, "");
    uint8_t *r = tag(14, 8 + 20);
    memcpy(r + 8, "RSD PTR ", 8);
    r = tag(15, 8 + 36);
    memcpy(r + 8, "RSD PTR ", 8);
    r[8 + 15] = 2;
    assert_null(finish());

    assert_int_equal(bi.magic, BOOT_INFO_MAGIC);
    assert_int_equal(bi.source, BOOT_SOURCE_MULTIBOOT2);
    assert_string_equal(bi.cmdline, "loglvl=debug dom0_mem=1G");
    assert_string_equal(bi.loader_name, "GRUB 2.06");
    assert_int_equal(bi.mem_range_count, 5);
    assert_int_equal(bi.mem[0].base, 0);                 /* sorted */
    assert_int_equal(bi.mem[1].type, BOOT_MEM_RESERVED);
    assert_int_equal(bi.mem[2].base, 0x100000);
    assert_int_equal(bi.mem[3].type, BOOT_MEM_ACPI_RECLAIM);
    assert_int_equal(bi.module_count, 2);
    assert_int_equal(bi.modules[0].base, 0x1000000);
    assert_int_equal(bi.modules[0].size, 0x800000);
    assert_string_equal(bi.modules[0].cmdline, "vmlinux console=hvc0");
    assert_string_equal(bi.modules[1].cmdline, "");
    assert_int_equal(bi.rsdp_length, 36);                /* ACPI 2.0 copy */
    assert_int_equal(bi.rsdp[15], 2);
    assert_int_equal(bi.fb.base, 0);
}

static void old_rsdp_after_new_is_ignored(void **state)
{
    (void)state;
    begin();
    mmap_tag();
    tag(15, 8 + 36);
    tag(14, 8 + 20);
    assert_null(finish());
    assert_int_equal(bi.rsdp_length, 36);
}

static void rgb_framebuffer(void **state)
{
    (void)state;
    begin();
    mmap_tag();
    uint8_t *t = tag(8, 38);
    put64(t + 8, 0xfd000000);
    put32(t + 16, 4096);
    put32(t + 20, 1024);
    put32(t + 24, 768);
    t[28] = 32;
    t[29] = 1;
    t[32] = 16; t[33] = 8; t[34] = 8; t[35] = 8; t[36] = 0; t[37] = 8;
    assert_null(finish());
    assert_int_equal(bi.fb.base, 0xfd000000);
    assert_int_equal(bi.fb.width, 1024);
    assert_int_equal(bi.fb.pitch, 4096);
    assert_int_equal(bi.fb.red_pos, 16);
}

static void ega_text_is_no_framebuffer(void **state)
{
    (void)state;
    begin();
    mmap_tag();
    uint8_t *t = tag(8, 38);
    put64(t + 8, 0xb8000);
    t[29] = 2;
    assert_null(finish());
    assert_int_equal(bi.fb.base, 0);
}

static void malformed_blocks(void **state)
{
    (void)state;
    begin();
    mmap_tag();
    assert_non_null(mb2_parse(block, 8, &bi));              /* too short */

    begin();
    mmap_tag();
    put32(block, (uint32_t)used);                          /* no end tag */
    assert_string_equal(mb2_parse(block, sizeof(block), &bi),
                        "information block has no end tag");

    begin();
    uint8_t *t = tag(1, 8);
    put32(t + 4, 4000);                                     /* overruns */
    used = 16;
    assert_string_equal(finish(), "tag overruns the information block");

    begin();
    string_tag(1, "x");
    assert_string_equal(finish(), "no memory map");

    begin();
    mmap_tag();
    module_tag(0x2000, 0x1000, "backwards");
    assert_string_equal(finish(), "module ends before it starts");

    begin();
    t = tag(6, 16);
    put32(t + 8, 7);
    assert_string_equal(finish(), "memory map entry size is invalid");

    begin();
    put32(block, 1u << 30);
    assert_string_equal(mb2_parse(block, sizeof(block), &bi),
                        "information block size is invalid");
}

static void too_many_modules(void **state)
{
    (void)state;
    begin();
    mmap_tag();
    for (int i = 0; i <= BOOT_MAX_MODULES; i++)
        module_tag(0x100000, 0x101000, "m");
    assert_string_equal(finish(), "too many modules");
}

static void unterminated_strings_are_cut(void **state)
{
    (void)state;
    begin();
    mmap_tag();
    uint8_t *t = tag(1, 12);
    memcpy(t + 8, "abcd", 4);                               /* no NUL */
    assert_null(finish());
    assert_string_equal(bi.cmdline, "abcd");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_block),
        cmocka_unit_test(old_rsdp_after_new_is_ignored),
        cmocka_unit_test(rgb_framebuffer),
        cmocka_unit_test(ega_text_is_no_framebuffer),
        cmocka_unit_test(malformed_blocks),
        cmocka_unit_test(too_many_modules),
        cmocka_unit_test(unterminated_strings_are_cut),
    };
    return RUN(tests);
}
