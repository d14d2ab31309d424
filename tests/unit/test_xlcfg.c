/* libmica's xl.cfg reader and writer: syntax, every error with its line,
 * disk and vif specs, overrides, round trips and hostile input. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlcfg.h"

static struct domain_config cfg;
static struct config_error err;

static int fresh(void **state)
{
    (void)state;
    domain_config_init(&cfg);
    memset(&err, 0, sizeof(err));
    return 0;
}

static int cleanup(void **state)
{
    (void)state;
    domain_config_free(&cfg);
    return 0;
}

static int parse(const char *text)
{
    return xlcfg_parse(text, strlen(text), "guest.cfg", &cfg, &err);
}

/* The parse must fail with exactly `message` (which includes file:line:). */
static void expect_error(const char *text, const char *message)
{
    assert_int_not_equal(parse(text), 0);
    assert_string_equal(err.message, message);
}

#define MINIMAL "name = \"g\"\nkernel = \"/k\"\n"

static void full_config(void **state)
{
    (void)state;
    assert_int_equal(parse("# a guest\n"
                           "name = \"web-1.test_a\"\n"
                           "type = 'pvh'\n"
                           "kernel = \"/boot/vmlinux\"   # the kernel\n"
                           "ramdisk = \"/boot/initrd.img\"; memory = 512; maxmem = 1024\n"
                           "cmdline = \"console=hvc0 root=/dev/xvda1\"\n"
                           "vcpus = 4\n"
                           "on_poweroff = \"preserve\"\n"
                           "on_reboot = \"destroy\"\n"
                           "on_crash = \"restart\"\n"
                           "disk = [ \"format=raw, vdev=xvda, access=rw, target=/img/a\",\n"
                           "         '/img/b,raw,xvdb,ro' ]\n"
                           "vif = [ \"mac=00:16:3E:aa:bb:cc, bridge=xenbr0, ip=10.0.0.2\" ]\n"),
                     0);
    assert_string_equal(cfg.name, "web-1.test_a");
    assert_string_equal(cfg.kernel, "/boot/vmlinux");
    assert_string_equal(cfg.ramdisk, "/boot/initrd.img");
    assert_string_equal(cfg.cmdline, "console=hvc0 root=/dev/xvda1");
    assert_int_equal(cfg.memory_mib, 512);
    assert_int_equal(cfg.maxmem_mib, 1024);
    assert_int_equal(cfg.vcpus, 4);
    assert_int_equal(cfg.on_poweroff, DOMAIN_ACTION_PRESERVE);
    assert_int_equal(cfg.on_reboot, DOMAIN_ACTION_DESTROY);
    assert_int_equal(cfg.on_crash, DOMAIN_ACTION_RESTART);
    assert_int_equal(cfg.disk_count, 2);
    assert_string_equal(cfg.disks[0].target, "/img/a");
    assert_string_equal(cfg.disks[0].vdev, "xvda");
    assert_false(cfg.disks[0].readonly);
    assert_string_equal(cfg.disks[1].target, "/img/b");
    assert_string_equal(cfg.disks[1].vdev, "xvdb");
    assert_true(cfg.disks[1].readonly);
    assert_int_equal(cfg.vif_count, 1);
    assert_true(cfg.vifs[0].has_mac);
    assert_memory_equal(cfg.vifs[0].mac, "\x00\x16\x3e\xaa\xbb\xcc", 6);
    assert_string_equal(cfg.vifs[0].bridge, "xenbr0");
    assert_string_equal(cfg.vifs[0].ip, "10.0.0.2");
    assert_int_equal(domain_config_validate(&cfg, "guest.cfg", &err), 0);
}

static void defaults_and_extra(void **state)
{
    (void)state;
    /* No final newline, CRLF line ends, `extra` for the command line. */
    assert_int_equal(parse("name=\"g\"\r\nkernel=\"/k\"\r\nextra=\"quiet\""), 0);
    assert_string_equal(cfg.cmdline, "quiet");
    assert_null(cfg.ramdisk);
    assert_int_equal(cfg.memory_mib, DOMAIN_DEFAULT_MEMORY_MIB);
    assert_int_equal(cfg.vcpus, 1);
    assert_int_equal(cfg.on_poweroff, DOMAIN_ACTION_DESTROY);
    assert_int_equal(cfg.on_reboot, DOMAIN_ACTION_RESTART);
    assert_int_equal(cfg.on_crash, DOMAIN_ACTION_DESTROY);
    assert_int_equal(domain_config_validate(&cfg, "guest.cfg", &err), 0);
    assert_int_equal(cfg.maxmem_mib, cfg.memory_mib);
}

static void lists_across_lines(void **state)
{
    (void)state;
    assert_int_equal(parse(MINIMAL
                           "disk = [\n"
                           "    # the root disk\n"
                           "    'vdev=xvda, target=/a',   # comment after an item\n"
                           "\n"
                           "    'vdev=xvdb, target=/b',\n"
                           "]\n"
                           "vif = []\n"
                           "vcpus = 2\n"),
                     0);
    assert_int_equal(cfg.disk_count, 2);
    assert_string_equal(cfg.disks[1].target, "/b");
    assert_int_equal(cfg.vif_count, 0);
    assert_int_equal(cfg.vcpus, 2);
    /* An error in an item names the item's own line. */
    domain_config_free(&cfg);
    expect_error(MINIMAL "disk = [\n  'vdev=xvda, target=/a',\n  'vdev=sda, target=/b'\n]\n",
                 "guest.cfg:5: disk vdev must be xvda ... xvdz or xvdaa ... xvdzz, got 'sda'");
}

static void escapes(void **state)
{
    (void)state;
    assert_int_equal(parse(MINIMAL "cmdline = \"a\\\"b\\\\c\\'d 'e' \\x41\"\n"
                           "ramdisk = '/x \"y\"'\n"),
                     0);
    assert_string_equal(cfg.cmdline, "a\"b\\c'd 'e' A");
    assert_string_equal(cfg.ramdisk, "/x \"y\"");
}

/* Blanks around paths and the command line go, as they do in XML text. */
static void blanks_around_values(void **state)
{
    (void)state;
    assert_int_equal(parse("name = 'g'\nkernel = '  /k '\ncmdline = ' quiet  '\n"), 0);
    assert_string_equal(cfg.kernel, "/k");
    assert_string_equal(cfg.cmdline, "quiet");
    domain_config_free(&cfg);
    expect_error("kernel = '   '\n", "guest.cfg:1: kernel must not be empty");
}

static void syntax_errors(void **state)
{
    (void)state;
    expect_error("name = \"g\"\n\nmemroy = 5\n",
                 "guest.cfg:3: unknown key 'memroy' (did you mean 'memory'?)");
    expect_error("Kernel = \"/k\"\n", "guest.cfg:1: unknown key 'Kernel' (did you mean 'kernel'?)");
    expect_error("bootloader = \"pygrub\"\n", "guest.cfg:1: unknown key 'bootloader'");
    expect_error("name \"g\"\n", "guest.cfg:1: expected '=' after 'name', got '\"'");
    expect_error("\n= 5\n", "guest.cfg:2: expected a key, got '='");
    expect_error("on_crash = destroy\n", "guest.cfg:1: strings need quotes: \"destroy\"");
    expect_error("name =\n", "guest.cfg:1: expected a value (\"string\", number or [ list ]), "
                 "got the end of the line");
    expect_error("name = \"g\nkernel = \"/k\"\n", "guest.cfg:1: unterminated string");
    expect_error("name = \"g", "guest.cfg:1: unterminated string");
    expect_error("name = \"g\\q\"\n", "guest.cfg:1: unknown escape '\\q' in a string");
    expect_error("name = \"g\\x00\"\n", "guest.cfg:1: \\x in a string needs two hex digits, "
                 "not 00");
    expect_error("name = \"g\\x4\"\n", "guest.cfg:1: \\x in a string needs two hex digits, "
                 "not 00");
    expect_error("name = \"g\\\x01\"\n", "guest.cfg:1: unknown escape in a string: '\\' "
                 "before \\x01");
    expect_error("name = \"g\" \"h\"\n", "guest.cfg:1: unexpected '\"' after the value of 'name'");
    expect_error("vcpus = 2 3\n", "guest.cfg:1: unexpected '3' after the value of 'vcpus'");
    expect_error("disk = [ 'a'\n\n", "guest.cfg:3: unterminated list (opened on line 1)");
    expect_error("disk = [ 'a' 'b' ]\n", "guest.cfg:1: expected ',' or ']' in the list opened "
                 "on line 1, got \"'\"");
    expect_error("disk = [ [ 'a' ] ]\n", "guest.cfg:1: lists cannot be nested");
    expect_error("disk = [\n '/a,raw,xvda',\n '/b,raw,xvda'\n]\n",
                 "guest.cfg:3: disk vdev 'xvda' is used twice");
    expect_error("vif = [\n 'mac=00:16:3e:00:00:01',\n '',\n 'mac=00:16:3E:00:00:01'\n]\n",
                 "guest.cfg:4: vif MAC 00:16:3e:00:00:01 is used twice");
    expect_error(MINIMAL "memory = 1\n\nmemory = 2\n",
                 "guest.cfg:5: 'memory' given twice (first on line 3)");
    expect_error(MINIMAL "cmdline = \"a\"\nextra = \"b\"\n",
                 "guest.cfg:4: 'extra' and 'cmdline' (line 3) set the same thing; give one of "
                 "them");
    expect_error("memory = [ 1 ]\n", "guest.cfg:1: 'memory' takes one value, not a list");
    expect_error("disk = \"/a,raw,xvda,rw\"\n",
                 "guest.cfg:1: 'disk' takes a list, like disk = [ \"...\" ]");
}

static void value_errors(void **state)
{
    (void)state;
    expect_error("name = \"g\"\nkernel = \"/k\"\n\n\nmemory = -1\n",
                 "guest.cfg:5: memory must be a positive number of MiB, got '-1'");
    expect_error("memory = 0\n", "guest.cfg:1: memory must be a positive number of MiB, got '0'");
    expect_error("memory = 2G\n", "guest.cfg:1: memory must be a positive number of MiB, got '2G'");
    expect_error("memory = 99999999999999999999999\n", "guest.cfg:1: memory must be at most "
                 "16777216 MiB, got '99999999999999999999999' MiB");
    expect_error("maxmem = 16777217\n", "guest.cfg:1: maxmem must be at most 16777216 MiB, got "
                 "'16777217' MiB");
    expect_error("vcpus = 0\n", "guest.cfg:1: vcpus must be between 1 and 128, got '0'");
    expect_error("vcpus = 129\n", "guest.cfg:1: vcpus must be between 1 and 128, got '129'");
    expect_error("vcpus = 18446744073709551617\n",
                 "guest.cfg:1: vcpus must be between 1 and 128, got '18446744073709551617'");
    expect_error("type = \"pv\"\n", "guest.cfg:1: type 'pv' is not supported by Mica, which "
                 "runs PVH guests only (type \"pvh\")");
    expect_error("type = \"hvm\"\n", "guest.cfg:1: type 'hvm' is not supported by Mica, which "
                 "runs PVH guests only (type \"pvh\")");
    expect_error("type = \"kvm\"\n", "guest.cfg:1: type must be \"pvh\", got 'kvm'");
    expect_error("name = \"a b\"\n", "guest.cfg:1: name may only contain A-Z a-z 0-9 '_' '.' "
                 "'-', got 'a b'");
    expect_error("name = \"\"\n", "guest.cfg:1: name must not be empty");
    expect_error("name = 42\n", "guest.cfg:1: name must not be all digits, got '42'");
    expect_error("name = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n",
                 "guest.cfg:1: name must be at most 64 characters, got 65");
    expect_error("on_crash = \"coredump-restart\"\n", "guest.cfg:1: on_crash 'coredump-restart' "
                 "is not supported by Mica; use destroy, restart or preserve");
    expect_error("on_reboot = \"rename-restart\"\n", "guest.cfg:1: on_reboot 'rename-restart' "
                 "is not supported by Mica; use destroy, restart or preserve");
    expect_error("on_poweroff = \"reboot\"\n", "guest.cfg:1: on_poweroff must be destroy, "
                 "restart or preserve, got 'reboot'");
    expect_error("kernel = \"\"\n", "guest.cfg:1: kernel must not be empty");
    expect_error("kernel = \"/a\\nb\"\n", "guest.cfg:1: kernel must not contain control "
                 "characters");
    expect_error("cmdline = \"a\\tb\"\n", "guest.cfg:1: cmdline must not contain control "
                 "characters");
    expect_error("kernel = \"/boot/caf\xe9\"\n", "guest.cfg:1: kernel must be UTF-8 text");
    expect_error("ramdisk = \"\xed\xa0\x80\"\n", "guest.cfg:1: ramdisk must be UTF-8 text");
    expect_error("cmdline = \"\xc0\xaf\"\n", "guest.cfg:1: cmdline must be UTF-8 text");
    expect_error("disk = [ 'vdev=xvda, target=/img/\xff' ]\n",
                 "guest.cfg:1: disk target must be UTF-8 text");
    assert_int_equal(parse("cmdline = \"caf\xc3\xa9 \xf0\x9f\x90\xa7\"\n"), 0);
}

/* The longest path is 4095 bytes. */
static void path_limit(void **state)
{
    char long_path[4200], p[4097];

    (void)state;
    memset(p, 'p', sizeof(p) - 1);
    p[sizeof(p) - 1] = '\0';
    snprintf(long_path, sizeof(long_path), "kernel = \"%s\"\n", p);
    expect_error(long_path, "guest.cfg:1: kernel path is longer than 4095 bytes");
    snprintf(long_path, sizeof(long_path), "kernel = \"%s\"\n", p + 1);
    assert_int_equal(parse(long_path), 0);
}

static void disk_specs(void **state)
{
    struct config_pos at = { "guest.cfg", 7 };
    struct domain_disk d;

    (void)state;
    assert_int_equal(disk_spec_parse("vdev=xvdc,format=raw , access=ro,target=/a b,c", &d, at,
                                     &err), 0);
    assert_string_equal(d.target, "/a b,c");
    assert_string_equal(d.vdev, "xvdc");
    assert_true(d.readonly);
    domain_disk_free(&d);
    assert_int_equal(disk_spec_parse("/img,,xvdzz", &d, at, &err), 0);
    assert_string_equal(d.vdev, "xvdzz");
    assert_false(d.readonly);
    domain_disk_free(&d);
    assert_int_equal(disk_spec_parse("phy:/dev/vg/guest,xvda,w", &d, at, &err), 0);
    assert_string_equal(d.target, "/dev/vg/guest");
    assert_string_equal(d.vdev, "xvda");
    domain_disk_free(&d);
    assert_int_equal(disk_spec_parse("file:/img,xvdb,r", &d, at, &err), 0);
    assert_true(d.readonly);
    domain_disk_free(&d);

    static const struct {
        const char *spec, *message;
    } bad[] = {
        { "/img,qcow2,xvda", "guest.cfg:7: disk format 'qcow2' is not supported by Mica (raw only)" },
        { "/img,ext4,xvda", "guest.cfg:7: disk format must be raw, got 'ext4'" },
        { "/img,raw,hda", "guest.cfg:7: disk vdev must be xvda ... xvdz or xvdaa ... xvdzz, got 'hda'" },
        { "/img,raw,xvd1", "guest.cfg:7: disk vdev must be xvda ... xvdz or xvdaa ... xvdzz, got 'xvd1'" },
        { "/img,raw,xvda,rx", "guest.cfg:7: disk access must be rw or ro, got 'rx'" },
        { "/img,raw,xvda,rw,extra", "guest.cfg:7: disk: too many positional parameters" },
        { "/img,raw", "guest.cfg:7: disk: missing vdev (e.g. vdev=xvda)" },
        { "vdev=xvda", "guest.cfg:7: disk: missing target (the image or device path)" },
        { "", "guest.cfg:7: disk: missing target (the image or device path)" },
        { "devtype=cdrom, vdev=xvda, target=/a", "guest.cfg:7: disk: unknown parameter "
          "'devtype' (known: target, format, vdev, access)" },
        { "vdev=xvda, vdev=xvdb, target=/a", "guest.cfg:7: disk: 'vdev' given twice" },
        { "phy:/dev/sdb,xvda,w,vdev=xvdb", "guest.cfg:7: disk: 'vdev' given twice" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_not_equal(disk_spec_parse(bad[i].spec, &d, at, &err), 0);
        assert_string_equal(err.message, bad[i].message);
        assert_null(d.target);
    }
}

static void vif_specs(void **state)
{
    struct config_pos at = { "guest.cfg", 2 };
    struct domain_vif v;

    (void)state;
    assert_int_equal(vif_spec_parse("", &v, at, &err), 0);
    assert_false(v.has_mac);
    assert_null(v.bridge);
    assert_int_equal(vif_spec_parse(" ip=10.0.0.1 fe80::1 ,bridge=br-0.1", &v, at, &err), 0);
    assert_string_equal(v.ip, "10.0.0.1 fe80::1");
    assert_string_equal(v.bridge, "br-0.1");
    domain_vif_free(&v);

    static const struct {
        const char *spec, *message;
    } bad[] = {
        { "mac=00:16:3e:00:00", "guest.cfg:2: vif mac must be six hex bytes like "
          "00:16:3e:12:34:56, got '00:16:3e:00:00'" },
        { "mac=00-16-3e-00-00-01", "guest.cfg:2: vif mac must be six hex bytes like "
          "00:16:3e:12:34:56, got '00-16-3e-00-00-01'" },
        { "mac=0g:16:3e:00:00:01", "guest.cfg:2: vif mac must be six hex bytes like "
          "00:16:3e:12:34:56, got '0g:16:3e:00:00:01'" },
        { "mac=01:16:3e:00:00:01", "guest.cfg:2: vif mac 01:16:3e:00:00:01 is a multicast "
          "address; a guest's interface needs a unicast one" },
        { "mac=00:16:3e:00:00:01,mac=00:16:3e:00:00:02", "guest.cfg:2: vif: 'mac' given twice" },
        { "bridge=br0,bridge=br1", "guest.cfg:2: vif: 'bridge' given twice" },
        { "bridge=a-very-long-bridge", "guest.cfg:2: vif bridge must be 1 to 15 characters "
          "from A-Z a-z 0-9 '_' '.' '-', got 'a-very-long-bridge'" },
        { "bridge=br 0", "guest.cfg:2: vif bridge must be 1 to 15 characters from A-Z a-z 0-9 "
          "'_' '.' '-', got 'br 0'" },
        { "ip=10.0.0.256", "guest.cfg:2: vif ip '10.0.0.256' is not an IPv4 or IPv6 address" },
        { "ip=", "guest.cfg:2: vif ip must not be empty" },
        { "model=e1000", "guest.cfg:2: vif: unknown parameter 'model' (known: mac, bridge, ip)" },
        { "xenbr0", "guest.cfg:2: vif: expected key=value, got 'xenbr0'" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_not_equal(vif_spec_parse(bad[i].spec, &v, at, &err), 0);
        assert_string_equal(err.message, bad[i].message);
        assert_null(v.bridge);
        assert_null(v.ip);
    }
}

static void overrides(void **state)
{
    (void)state;
    assert_int_equal(parse(MINIMAL "memory = 256\ndisk = [ '/a,raw,xvda' ]\n"), 0);
    assert_int_equal(xlcfg_apply_override(&cfg, "memory=384", &err), 0);
    assert_int_equal(cfg.memory_mib, 384);
    assert_int_equal(xlcfg_apply_override(&cfg, " memory = 512 ", &err), 0);
    assert_int_equal(cfg.memory_mib, 512);
    assert_int_equal(xlcfg_apply_override(&cfg, "name=\"other\"", &err), 0);
    assert_string_equal(cfg.name, "other");
    assert_int_equal(xlcfg_apply_override(&cfg, "extra=console=hvc0 root=/dev/xvda1", &err), 0);
    assert_string_equal(cfg.cmdline, "console=hvc0 root=/dev/xvda1");
    assert_int_equal(xlcfg_apply_override(&cfg, "cmdline=", &err), 0);
    assert_string_equal(cfg.cmdline, "");
    assert_int_equal(xlcfg_apply_override(&cfg, "disk=['/b,raw,xvdb', '/c,raw,xvdc']", &err), 0);
    assert_int_equal(cfg.disk_count, 2);
    assert_string_equal(cfg.disks[0].target, "/b");
    assert_int_equal(xlcfg_apply_override(&cfg, "disk=[]", &err), 0);
    assert_int_equal(cfg.disk_count, 0);

    assert_int_not_equal(xlcfg_apply_override(&cfg, "memroy=5", &err), 0);
    assert_string_equal(err.message, "override 'memroy=5': unknown key 'memroy' (did you mean "
                        "'memory'?)");
    assert_int_not_equal(xlcfg_apply_override(&cfg, "memory=-5", &err), 0);
    assert_string_equal(err.message, "override 'memory=-5': memory must be a positive number "
                        "of MiB, got '-5'");
    assert_int_not_equal(xlcfg_apply_override(&cfg, "memory", &err), 0);
    assert_string_equal(err.message, "override 'memory': expected key=value");
    assert_int_not_equal(xlcfg_apply_override(&cfg, "=5", &err), 0);
    assert_string_equal(err.message, "override '=5': expected key=value");
    assert_int_not_equal(xlcfg_apply_override(&cfg, "name=\"a\" x", &err), 0);
    assert_string_equal(err.message, "override 'name=\"a\" x': unexpected text after the value");
    assert_int_not_equal(xlcfg_apply_override(&cfg, "disk=/a,raw,xvda", &err), 0);
    assert_string_equal(err.message, "override 'disk=/a,raw,xvda': 'disk' takes a list, like "
                        "disk = [ \"...\" ]");
    /* A failed override leaves the value it named as it was. */
    assert_int_equal(cfg.memory_mib, 512);
}

static void round_trip(void **state)
{
    struct domain_config again;
    char *text, *text2;

    (void)state;
    assert_int_equal(parse("name = 'rt'\nkernel = '/k \"q\" \\\\ x'\nramdisk = '/r'\n"
                           "cmdline = 'a=\"b c\" \\'d\\''\nmemory = 300\nmaxmem = 600\n"
                           "vcpus = 3\non_crash = 'preserve'\n"
                           "disk = [ 'vdev=xvda, target=/a,b \"c\"', '/d,raw,xvdb,ro' ]\n"
                           "vif = [ '', 'mac=00:16:3e:00:00:01', 'bridge=br0, ip=10.1.1.1' ]\n"),
                     0);
    assert_int_equal(domain_config_validate(&cfg, "guest.cfg", &err), 0);
    text = xlcfg_format(&cfg);
    assert_non_null(text);
    domain_config_init(&again);
    assert_int_equal(xlcfg_parse(text, strlen(text), "written.cfg", &again, &err), 0);
    assert_true(domain_config_equal(&cfg, &again));
    text2 = xlcfg_format(&again);
    assert_string_equal(text, text2);
    free(text);
    free(text2);
    domain_config_free(&again);
}

static void hostile_input(void **state)
{
    enum { BIG = 1 << 20 };
    char *text = malloc(BIG + 64);

    (void)state;
    /* A NUL byte ends nothing early: it is refused with its line. */
    static const char with_nul[] = "name = \"g\"\nkernel = \"/k\0x\"\n";

    assert_int_not_equal(xlcfg_parse(with_nul, sizeof(with_nul) - 1, "guest.cfg", &cfg, &err),
                         0);
    assert_string_equal(err.message, "guest.cfg:2: NUL byte in the file");

    /* A very long line: a 1 MiB string, and a 1 MiB key. */
    strcpy(text, "cmdline = \"");
    memset(text + 11, 'a', BIG);
    strcpy(text + 11 + BIG, "\"\n");
    assert_int_not_equal(parse(text), 0);
    assert_string_equal(err.message, "guest.cfg:1: cmdline is longer than 2047 bytes");
    memset(text, 'k', BIG);
    strcpy(text + BIG, " = 1\n");
    assert_int_not_equal(parse(text), 0);
    assert_int_equal(strncmp(err.message, "guest.cfg:1: unknown key 'kkkk", 30), 0);
    assert_non_null(strstr(err.message, "...'"));

    /* Bytes that are not text. */
    expect_error("\xff\xfe = 1\n", "guest.cfg:1: expected a key, got \\xff");
    expect_error("name = \"\x01\x7f\"\n",
                 "guest.cfg:1: name may only contain A-Z a-z 0-9 '_' '.' '-', got '\\x01\\x7f'");
    free(text);
}

/* Random statements from xl.cfg's own pieces, as a file and as an override:
 * nothing crashes, leaks or reads out of bounds (ASan), and a failure always
 * says where. */
static void fuzz(void **state)
{
    static const char *const pieces[] = {
        "name", "kernel", "memory", "disk", "vif", "vcpus", "extra", " = ", "=", "\"", "'",
        "[", "]", ",", "\n", ";", "#", "\\", "\\x4", "\\x41", "-1", "99999999999999999999",
        "xvda", "/img", "raw", "target=", "mac=00:16:3e:00:00:01", "bridge=br0", " ", "\t",
        "\r", "pvh", "destroy", "on_crash", "\xff", "maxmem", "ip=::1",
    };
    char text[512];

    (void)state;
    srand(12345);
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int n = rand() % 24;

        for (int i = 0; i < n; i++) {
            const char *p = pieces[rand() % (int)(sizeof(pieces) / sizeof(pieces[0]))];

            if (len + strlen(p) >= sizeof(text))
                break;
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        domain_config_init(&cfg);
        if (xlcfg_parse(text, len, "fuzz.cfg", &cfg, &err) != 0)
            assert_int_equal(strncmp(err.message, "fuzz.cfg:", 9), 0);
        text[len] = '\0';
        if (xlcfg_apply_override(&cfg, text, &err) != 0)
            assert_int_equal(strncmp(err.message, "override '", 10), 0);
        domain_config_free(&cfg);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fresh, cleanup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(full_config), T(defaults_and_extra), T(lists_across_lines), T(escapes),
        T(blanks_around_values),
        T(syntax_errors), T(value_errors), T(path_limit), T(disk_specs), T(vif_specs),
        T(overrides), T(round_trip), T(hostile_input), T(fuzz),
    };
    return RUN(tests);
}
