/* The UEFI loader's mica.cfg parser: keys, paths, limits and every error. */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "config.h"

static struct boot_config cfg;
static struct cfg_error err;

static bool parse_in(const char *text, const char *dir)
{
    return cfg_parse(text, strlen(text), dir, &cfg, &err);
}

static bool parse(const char *text)
{
    return parse_in(text, "\\EFI\\BOOT");
}

/* The parse must fail on `line` with exactly `message`. */
static void expect_error(const char *text, unsigned line, const char *message)
{
    assert_false(parse(text));
    assert_string_equal(err.message, message);
    assert_int_equal(err.line, line);
}

static void full_config(void **state)
{
    (void)state;
    assert_true(parse("hypervisor = mica.elf\n"
                      "cmdline = console=com1 loglvl=all\n"
                      "module = extra.bin  a b=c  \n"
                      "dom0_initrd = /boot/initrd.img\n"
                      "dom0_kernel = /boot/vmlinux\n"
                      "dom0_cmdline = console=hvc0 root=/dev/ram0\n"
                      "module = tools/last.bin\n"));
    assert_string_equal(cfg.hypervisor, "\\EFI\\BOOT\\mica.elf");
    assert_string_equal(cfg.cmdline, "console=com1 loglvl=all");
    assert_int_equal(cfg.module_count, 4);
    /* dom0 kernel and initrd come first whatever the line order. */
    assert_string_equal(cfg.modules[0].path, "\\boot\\vmlinux");
    assert_string_equal(cfg.modules[0].cmdline, "console=hvc0 root=/dev/ram0");
    assert_string_equal(cfg.modules[1].path, "\\boot\\initrd.img");
    assert_string_equal(cfg.modules[1].cmdline, "");
    assert_string_equal(cfg.modules[2].path, "\\EFI\\BOOT\\extra.bin");
    assert_string_equal(cfg.modules[2].cmdline, "a b=c");
    assert_string_equal(cfg.modules[3].path, "\\EFI\\BOOT\\tools\\last.bin");
    assert_string_equal(cfg.modules[3].cmdline, "");
}

static void minimal_config(void **state)
{
    (void)state;
    /* No final newline, no modules, no command line. */
    assert_true(parse("hypervisor=mica.elf"));
    assert_string_equal(cfg.hypervisor, "\\EFI\\BOOT\\mica.elf");
    assert_string_equal(cfg.cmdline, "");
    assert_int_equal(cfg.module_count, 0);
}

static void kernel_without_initrd(void **state)
{
    (void)state;
    assert_true(parse("module = a\nhypervisor = h\ndom0_kernel = k\n"));
    assert_int_equal(cfg.module_count, 2);
    assert_string_equal(cfg.modules[0].path, "\\EFI\\BOOT\\k");
    assert_string_equal(cfg.modules[0].cmdline, "");
    assert_string_equal(cfg.modules[1].path, "\\EFI\\BOOT\\a");
}

static void comments_and_whitespace(void **state)
{
    (void)state;
    assert_true(parse("\xef\xbb\xbf# leading comment\r\n"
                      "\r\n"
                      "   \t\n"
                      "  # indented comment = with equals\n"
                      "\thypervisor\t=\t mica.elf \t\r\n"
                      "cmdline =   \n"
                      "dom0_kernel = k\n"
                      "dom0_cmdline = a # not a comment\n"));
    assert_string_equal(cfg.hypervisor, "\\EFI\\BOOT\\mica.elf");
    assert_string_equal(cfg.cmdline, "");
    assert_string_equal(cfg.modules[0].cmdline, "a # not a comment");
}

static void value_may_hold_equals(void **state)
{
    (void)state;
    assert_true(parse("hypervisor = h\ncmdline = a=b c==d =\n"));
    assert_string_equal(cfg.cmdline, "a=b c==d =");
}

static void path_joining(void **state)
{
    (void)state;
    assert_true(parse("hypervisor = /mica/hv.elf\n"));
    assert_string_equal(cfg.hypervisor, "\\mica\\hv.elf");
    assert_true(parse("hypervisor = \\mica\\hv.elf\n"));
    assert_string_equal(cfg.hypervisor, "\\mica\\hv.elf");
    assert_true(parse("hypervisor = sub//dir/./hv.elf\n"));
    assert_string_equal(cfg.hypervisor, "\\EFI\\BOOT\\sub\\dir\\hv.elf");
    assert_true(parse("hypervisor = ../../hv.elf\n"));
    assert_string_equal(cfg.hypervisor, "\\hv.elf");
    assert_true(parse("hypervisor = ..\\mica/../BOOT\\hv.elf\n"));
    assert_string_equal(cfg.hypervisor, "\\EFI\\BOOT\\hv.elf");
    assert_true(parse("hypervisor = /a/b/../../c\n"));
    assert_string_equal(cfg.hypervisor, "\\c");
}

static void path_from_other_dirs(void **state)
{
    (void)state;
    assert_true(parse_in("hypervisor = hv.elf\n", ""));
    assert_string_equal(cfg.hypervisor, "\\hv.elf");
    assert_true(parse_in("hypervisor = hv.elf\n", "\\"));
    assert_string_equal(cfg.hypervisor, "\\hv.elf");
    assert_true(parse_in("hypervisor = hv.elf\n", "/efi/mica/"));
    assert_string_equal(cfg.hypervisor, "\\efi\\mica\\hv.elf");
}

static void path_errors(void **state)
{
    (void)state;
    expect_error("hypervisor = ../../../hv.elf\n", 1, "path '../../../hv.elf' leaves the ESP root");
    expect_error("hypervisor = /..\n", 1, "path '/..' leaves the ESP root");
    expect_error("hypervisor = /\n", 1, "path '/' names no file");
    expect_error("hypervisor = ../..\n", 1, "path '../..' names no file");
    expect_error("hypervisor = h\nmodule = caf\xc3\xa9.bin\n", 2,
                 "path 'caf\xc3\xa9.bin' is not plain ASCII");
    expect_error("hypervisor = a b\n", 1, "unexpected text after the path: 'b'");
    expect_error("hypervisor = h\ndom0_kernel = k  # vmlinux\n", 2,
                 "unexpected text after the path: '# vmlinux'");
    expect_error("hypervisor =\n", 1, "'hypervisor' needs a path");
    expect_error("hypervisor = h\ndom0_initrd = \t\ndom0_kernel = k\n", 2, "'dom0_initrd' needs a path");
    expect_error("hypervisor = h\nmodule =\n", 2, "'module' needs a path");
}

static void path_length_limit(void **state)
{
    char text[600];
    char name[CFG_PATH_MAX];

    (void)state;
    /* "\EFI\BOOT\" is 10 bytes: a 245-byte name just fits in 255. */
    memset(name, 'n', 245);
    name[245] = '\0';
    snprintf(text, sizeof(text), "hypervisor = %s\n", name);
    assert_true(parse(text));
    assert_int_equal(strlen(cfg.hypervisor), CFG_PATH_MAX - 1);
    snprintf(text, sizeof(text), "hypervisor = h\n\nmodule = %sx\n", name);
    expect_error(text, 3, "path too long (max 255 bytes)");
}

static void syntax_errors(void **state)
{
    (void)state;
    expect_error("# fine\nhypervisor mica.elf\n", 2, "expected 'key = value'");
    expect_error("hypervisor = h\n = x\n", 2, "missing key before '='");
    expect_error("\n\nhypervisr = mica.elf\n", 3, "unknown key 'hypervisr'");
    expect_error("Hypervisor = h\n", 1, "unknown key 'Hypervisor'");
    expect_error("hyper visor = h\n", 1, "unknown key 'hyper visor'");
    expect_error("hypervisor = h\ncmd\x01line = x\n", 2, "line contains a control character");
    expect_error("hypervisor = h\ncmdline = a\rb\n", 2, "line contains a control character");
}

static void long_key_is_cut_short(void **state)
{
    char text[200];

    (void)state;
    memset(text, 'k', 100);
    strcpy(text + 100, " = v\n");
    assert_false(parse(text));
    assert_int_equal(err.line, 1);
    assert_string_equal(err.message,
                        "unknown key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'");
}

static void nul_byte_is_an_error(void **state)
{
    static const char text[] = "hypervisor = h\ncmdline = a\0b\n";

    (void)state;
    assert_false(cfg_parse(text, sizeof(text) - 1, "\\EFI\\BOOT", &cfg, &err));
    assert_int_equal(err.line, 2);
    assert_string_equal(err.message, "line contains a control character");
}

static void duplicates(void **state)
{
    (void)state;
    expect_error("hypervisor = a\n\nhypervisor = b\n", 3, "duplicate key 'hypervisor' (first on line 1)");
    expect_error("hypervisor = a\ncmdline = x\ncmdline =\n", 3, "duplicate key 'cmdline' (first on line 2)");
    expect_error("hypervisor = a\ndom0_kernel = k\ndom0_kernel = k\n", 3,
                 "duplicate key 'dom0_kernel' (first on line 2)");
    expect_error("hypervisor = a\ndom0_kernel = k\ndom0_cmdline = x\ndom0_cmdline = y\n", 4,
                 "duplicate key 'dom0_cmdline' (first on line 3)");
    expect_error("hypervisor = a\ndom0_kernel = k\ndom0_initrd = i\ndom0_initrd = i\n", 4,
                 "duplicate key 'dom0_initrd' (first on line 3)");
    /* `module` is meant to repeat. */
    assert_true(parse("hypervisor = a\nmodule = m\nmodule = m\n"));
    assert_int_equal(cfg.module_count, 2);
}

static void whole_file_errors(void **state)
{
    (void)state;
    expect_error("", 0, "missing required key 'hypervisor'");
    expect_error("# only a comment\ncmdline = x\n", 0, "missing required key 'hypervisor'");
    expect_error("hypervisor = h\n\ndom0_cmdline = x\n", 3, "'dom0_cmdline' without 'dom0_kernel'");
    expect_error("hypervisor = h\ndom0_initrd = i\n", 2, "'dom0_initrd' without 'dom0_kernel'");
}

/* A config whose `cmdline`-like key holds exactly `len` bytes of 'x'. */
static const char *with_value(const char *prefix, size_t len)
{
    static char text[4096];
    size_t n = (size_t)snprintf(text, sizeof(text), "hypervisor = h\ndom0_kernel = k\n%s", prefix);

    memset(text + n, 'x', len);
    strcpy(text + n + len, "\n");
    return text;
}

static void value_limits(void **state)
{
    (void)state;
    assert_true(parse(with_value("cmdline = ", BOOT_CMDLINE_MAX - 1)));
    assert_int_equal(strlen(cfg.cmdline), BOOT_CMDLINE_MAX - 1);
    expect_error(with_value("cmdline = ", BOOT_CMDLINE_MAX), 3, "'cmdline' value too long (max 1023 bytes)");

    assert_true(parse(with_value("dom0_cmdline = ", BOOT_MODULE_CMDLINE_MAX - 1)));
    assert_int_equal(strlen(cfg.modules[0].cmdline), BOOT_MODULE_CMDLINE_MAX - 1);
    expect_error(with_value("dom0_cmdline = ", BOOT_MODULE_CMDLINE_MAX), 3,
                 "'dom0_cmdline' value too long (max 511 bytes)");

    assert_true(parse(with_value("module = m ", BOOT_MODULE_CMDLINE_MAX - 1)));
    assert_int_equal(strlen(cfg.modules[1].cmdline), BOOT_MODULE_CMDLINE_MAX - 1);
    expect_error(with_value("module = m ", BOOT_MODULE_CMDLINE_MAX), 3,
                 "'module' arguments too long (max 511 bytes)");
}

/* `dom0` adds the dom0 lines first; then `modules` module lines. */
static const char *with_modules(bool dom0, unsigned modules)
{
    static char text[4096];
    size_t n = (size_t)snprintf(text, sizeof(text), "hypervisor = h\n");
    unsigned i;

    if (dom0)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "dom0_kernel = k\ndom0_initrd = i\n");
    for (i = 0; i < modules; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "module = m%u arg%u\n", i, i);
    return text;
}

static void module_limits(void **state)
{
    (void)state;
    assert_true(parse(with_modules(false, BOOT_MAX_MODULES)));
    assert_int_equal(cfg.module_count, BOOT_MAX_MODULES);
    assert_string_equal(cfg.modules[BOOT_MAX_MODULES - 1].path, "\\EFI\\BOOT\\m15");
    assert_string_equal(cfg.modules[BOOT_MAX_MODULES - 1].cmdline, "arg15");
    expect_error(with_modules(false, BOOT_MAX_MODULES + 1), 18, "too many modules (max 16)");

    assert_true(parse(with_modules(true, BOOT_MAX_MODULES - 2)));
    assert_int_equal(cfg.module_count, BOOT_MAX_MODULES);
    assert_string_equal(cfg.modules[0].path, "\\EFI\\BOOT\\k");
    assert_string_equal(cfg.modules[2].path, "\\EFI\\BOOT\\m0");
    assert_string_equal(cfg.modules[15].path, "\\EFI\\BOOT\\m13");
    expect_error(with_modules(true, BOOT_MAX_MODULES - 1), 18, "too many modules (max 16)");
}

static void dom0_line_can_overflow(void **state)
{
    char text[4096];

    (void)state;
    /* Sixteen `module` lines leave no slot for a later dom0 kernel. */
    snprintf(text, sizeof(text), "%sdom0_kernel = k\n", with_modules(false, BOOT_MAX_MODULES));
    expect_error(text, 18, "too many modules (max 16)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_config),
        cmocka_unit_test(minimal_config),
        cmocka_unit_test(kernel_without_initrd),
        cmocka_unit_test(comments_and_whitespace),
        cmocka_unit_test(value_may_hold_equals),
        cmocka_unit_test(path_joining),
        cmocka_unit_test(path_from_other_dirs),
        cmocka_unit_test(path_errors),
        cmocka_unit_test(path_length_limit),
        cmocka_unit_test(syntax_errors),
        cmocka_unit_test(long_key_is_cut_short),
        cmocka_unit_test(nul_byte_is_an_error),
        cmocka_unit_test(duplicates),
        cmocka_unit_test(whole_file_errors),
        cmocka_unit_test(value_limits),
        cmocka_unit_test(module_limits),
        cmocka_unit_test(dom0_line_can_overflow),
    };

    return RUN(tests);
}
