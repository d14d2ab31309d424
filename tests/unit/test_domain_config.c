/* libmica's domain config model: defaults, whole-model validation, the host
 * checks, loading files of either syntax with overrides, and the examples. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain_config.h"

static struct domain_config cfg;
static struct config_error err;
static char tmp_path[64];

static int fresh(void **state)
{
    (void)state;
    domain_config_init(&cfg);
    memset(&err, 0, sizeof(err));
    tmp_path[0] = '\0';
    return 0;
}

static int cleanup(void **state)
{
    (void)state;
    domain_config_free(&cfg);
    if (tmp_path[0])
        unlink(tmp_path);
    return 0;
}

/* A temporary file holding text; its name in tmp_path, removed after the test. */
static const char *temp_file(const char *suffix, const char *text)
{
    int fd;

    snprintf(tmp_path, sizeof(tmp_path), "/tmp/mica-cfg-XXXXXX%s", suffix);
    fd = mkstemps(tmp_path, (int)strlen(suffix));
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return tmp_path;
}

static void examples_are_the_same_domain(void **state)
{
    struct domain_config xml;

    (void)state;
    assert_int_equal(domain_config_load(EXAMPLES_DIR "/debian-domu.cfg", NULL, 0, &cfg, &err), 0);
    assert_int_equal(domain_config_load(EXAMPLES_DIR "/debian-domu.xml", NULL, 0, &xml, &err), 0);
    assert_true(domain_config_equal(&cfg, &xml));
    assert_string_equal(cfg.name, "debian-domu");
    assert_string_equal(cfg.kernel, "/usr/lib/mica/domu/vmlinuz");
    assert_string_equal(cfg.ramdisk, "/usr/lib/mica/domu/initrd.img");
    assert_string_equal(cfg.cmdline, "console=hvc0");
    assert_int_equal(cfg.memory_mib, 256);
    assert_int_equal(cfg.maxmem_mib, 256);
    assert_int_equal(cfg.vcpus, 1);
    domain_config_free(&xml);
}

static void defaults(void **state)
{
    (void)state;
    assert_null(cfg.name);
    assert_null(cfg.kernel);
    assert_int_equal(cfg.memory_mib, 128);
    assert_int_equal(cfg.maxmem_mib, 0);
    assert_int_equal(cfg.vcpus, 1);
    assert_int_equal(cfg.on_poweroff, DOMAIN_ACTION_DESTROY);
    assert_int_equal(cfg.on_reboot, DOMAIN_ACTION_RESTART);
    assert_int_equal(cfg.on_crash, DOMAIN_ACTION_DESTROY);
    assert_string_equal(domain_action_name(DOMAIN_ACTION_PRESERVE), "preserve");
    assert_string_equal(domain_event_key(DOMAIN_EVENT_CRASH), "on_crash");
}

static void set_required(void)
{
    struct config_pos at = { "guest.cfg", 1 };

    assert_int_equal(domain_config_set_name(&cfg, "g", at, &err), 0);
    assert_int_equal(domain_config_set_kernel(&cfg, "/k", at, &err), 0);
}

static void add_disk(const char *spec)
{
    struct config_pos at = { "guest.cfg", 1 };
    struct domain_disk disk;

    assert_int_equal(disk_spec_parse(spec, &disk, at, &err), 0);
    assert_int_equal(domain_config_add_disk(&cfg, &disk, at, &err), 0);
}

static void add_vif(const char *spec)
{
    struct config_pos at = { "guest.cfg", 1 };
    struct domain_vif vif;

    assert_int_equal(vif_spec_parse(spec, &vif, at, &err), 0);
    assert_int_equal(domain_config_add_vif(&cfg, &vif, at, &err), 0);
}

static void expect_invalid(const char *message)
{
    assert_int_not_equal(domain_config_validate(&cfg, "guest.cfg", &err), 0);
    assert_string_equal(err.message, message);
}

static void validation(void **state)
{
    struct config_pos at = { "guest.cfg", 1 };

    (void)state;
    expect_invalid("guest.cfg: missing required key 'name'");
    assert_int_equal(domain_config_set_name(&cfg, "g", at, &err), 0);
    expect_invalid("guest.cfg: missing required key 'kernel'");
    set_required();
    cfg.memory_mib = 512;
    cfg.maxmem_mib = 256;
    expect_invalid("guest.cfg: maxmem (256 MiB) must not be less than memory (512 MiB)");
    cfg.maxmem_mib = 0;
    assert_int_equal(domain_config_validate(&cfg, "guest.cfg", &err), 0);
    assert_int_equal(cfg.maxmem_mib, 512);
}

static void devices_used_twice(void **state)
{
    struct config_pos at = { "guest.cfg", 4 };
    struct domain_disk disk;
    struct domain_vif vif;

    (void)state;
    add_disk("/a,raw,xvda");
    add_disk("/b,raw,xvdb");
    assert_int_equal(disk_spec_parse("/c,raw,xvda", &disk, at, &err), 0);
    assert_int_not_equal(domain_config_add_disk(&cfg, &disk, at, &err), 0);
    assert_string_equal(err.message, "guest.cfg:4: disk vdev 'xvda' is used twice");
    assert_int_equal(cfg.disk_count, 2);
    add_vif("mac=00:16:3e:00:00:01");
    add_vif("");
    add_vif("");
    assert_int_equal(vif_spec_parse("mac=00:16:3E:00:00:01", &vif, at, &err), 0);
    assert_int_not_equal(domain_config_add_vif(&cfg, &vif, at, &err), 0);
    assert_string_equal(err.message, "guest.cfg:4: vif MAC 00:16:3e:00:00:01 is used twice");
    assert_int_equal(cfg.vif_count, 3);
}

static void device_limit(void **state)
{
    struct config_pos at = { "guest.cfg", 9 };
    struct domain_disk disk;
    char spec[32];

    (void)state;
    for (int i = 0; i < DOMAIN_DEVICES_MAX; i++) {
        snprintf(spec, sizeof(spec), "/d,raw,xvd%c%c", 'a' + i / 26, 'a' + i % 26);
        add_disk(spec);
    }
    assert_int_equal(disk_spec_parse("/d,raw,xvdzz", &disk, at, &err), 0);
    assert_int_not_equal(domain_config_add_disk(&cfg, &disk, at, &err), 0);
    assert_string_equal(err.message, "guest.cfg:9: more than 64 disks");
}

static void memory_check(void **state)
{
    (void)state;
    set_required();
    cfg.memory_mib = 256;
    assert_int_equal(domain_config_check_memory(&cfg, 256, &err), 0);
    assert_int_not_equal(domain_config_check_memory(&cfg, 100, &err), 0);
    assert_string_equal(err.message, "domain 'g' needs 256 MiB of memory but only 100 MiB is "
                        "free");
}

static void file_checks(void **state)
{
    struct config_pos at = { "guest.cfg", 1 };
    struct domain_disk disk;

    (void)state;
    set_required();
    assert_int_equal(domain_config_set_kernel(&cfg, temp_file(".k", "kernel"), at, &err), 0);
    assert_int_equal(domain_config_check_files(&cfg, &err), 0);

    assert_int_equal(domain_config_set_ramdisk(&cfg, "/nonexistent/initrd", at, &err), 0);
    assert_int_not_equal(domain_config_check_files(&cfg, &err), 0);
    assert_string_equal(err.message, "ramdisk '/nonexistent/initrd': No such file or directory");
    assert_int_equal(domain_config_set_ramdisk(&cfg, "/tmp", at, &err), 0);
    assert_int_not_equal(domain_config_check_files(&cfg, &err), 0);
    assert_string_equal(err.message, "ramdisk '/tmp' is not a regular file");
    assert_int_equal(domain_config_set_ramdisk(&cfg, tmp_path, at, &err), 0);

    assert_int_equal(disk_spec_parse("/nonexistent.img,raw,xvda", &disk, at, &err), 0);
    assert_int_equal(domain_config_add_disk(&cfg, &disk, at, &err), 0);
    assert_int_not_equal(domain_config_check_files(&cfg, &err), 0);
    assert_string_equal(err.message, "disk xvda target '/nonexistent.img': No such file or "
                        "directory");
    free(cfg.disks[0].target);
    cfg.disks[0].target = strdup("/tmp");
    assert_int_not_equal(domain_config_check_files(&cfg, &err), 0);
    assert_string_equal(err.message, "disk xvda target '/tmp': Is a directory");
    cfg.disks[0].readonly = true;
    assert_int_not_equal(domain_config_check_files(&cfg, &err), 0);
    assert_string_equal(err.message, "disk xvda target '/tmp' is not a file or block device");
    free(cfg.disks[0].target);
    cfg.disks[0].target = strdup(tmp_path);
    assert_int_equal(domain_config_check_files(&cfg, &err), 0);

    assert_int_equal(domain_config_set_kernel(&cfg, "/nonexistent/vmlinux", at, &err), 0);
    assert_int_not_equal(domain_config_check_files(&cfg, &err), 0);
    assert_string_equal(err.message, "kernel '/nonexistent/vmlinux': No such file or directory");
}

static void load_with_overrides(void **state)
{
    char *overrides[] = { "memory=512", "name=\"renamed\"", "vif=['bridge=br1']" };

    (void)state;
    temp_file(".cfg", "name = 'g'\nkernel = '/k'\nmemory = 256\n");
    assert_int_equal(domain_config_load(tmp_path, overrides, 3, &cfg, &err), 0);
    assert_int_equal(cfg.memory_mib, 512);
    assert_int_equal(cfg.maxmem_mib, 512);
    assert_string_equal(cfg.name, "renamed");
    assert_int_equal(cfg.vif_count, 1);
    assert_string_equal(cfg.vifs[0].bridge, "br1");
    domain_config_free(&cfg);
    unlink(tmp_path);

    /* XML is recognised by its first character, whatever the file's name. */
    temp_file(".cfg", "\n  <domain type='pvh'><name>x</name><os><kernel>/k</kernel></os>"
                      "</domain>");
    assert_int_equal(domain_config_load(tmp_path, overrides, 1, &cfg, &err), 0);
    assert_string_equal(cfg.name, "x");
    assert_int_equal(cfg.memory_mib, 512);
}

/* A config that fails anywhere leaves nothing behind to create. */
static void load_errors(void **state)
{
    char *overrides[] = { "maxmem=128" };
    char message[256];

    (void)state;
    temp_file(".cfg", "name = 'g'\nmemory = 256\n");
    assert_int_not_equal(domain_config_load(tmp_path, NULL, 0, &cfg, &err), 0);
    snprintf(message, sizeof(message), "%s: missing required key 'kernel'", tmp_path);
    assert_string_equal(err.message, message);
    assert_null(cfg.name);
    unlink(tmp_path);

    temp_file(".cfg", "name = 'g'\nkernel = '/k'\nmemory = 256\n");
    assert_int_not_equal(domain_config_load(tmp_path, overrides, 1, &cfg, &err), 0);
    snprintf(message, sizeof(message), "%s: maxmem (128 MiB) must not be less than memory "
             "(256 MiB)", tmp_path);
    assert_string_equal(err.message, message);
    assert_null(cfg.name);
    assert_null(cfg.kernel);

    assert_int_not_equal(domain_config_load("/nonexistent.cfg", NULL, 0, &cfg, &err), 0);
    assert_string_equal(err.message, "/nonexistent.cfg: No such file or directory");
    assert_int_not_equal(domain_config_load("/tmp", NULL, 0, &cfg, &err), 0);
    assert_string_equal(err.message, "/tmp: not a regular file");
}

static void load_refuses_huge_files(void **state)
{
    FILE *f;

    (void)state;
    temp_file(".cfg", "");
    f = fopen(tmp_path, "w");
    assert_non_null(f);
    for (int i = 0; i < 110000; i++)
        fputs("# padding\n", f);
    fclose(f);
    assert_int_not_equal(domain_config_load(tmp_path, NULL, 0, &cfg, &err), 0);
    assert_non_null(strstr(err.message, ": larger than 1048576 bytes"));
}

/* Xen's numbering: the guest's blkfront names the disk from it. */
static void vdev_numbers(void **state)
{
    uint32_t n = 0;

    (void)state;
    static const struct { const char *vdev; uint32_t number; } cases[] = {
        { "xvda", 51712 }, { "xvdb", 51728 }, { "xvdp", 202u << 8 | 15u << 4 },
        { "xvdq", 1u << 28 | 16u << 8 }, { "xvdz", 1u << 28 | 25u << 8 },
        { "xvdaa", 1u << 28 | 26u << 8 }, { "xvdzz", 1u << 28 | 701u << 8 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(device_vdev_number(cases[i].vdev, &n), 0);
        assert_int_equal(n, cases[i].number);
    }
    static const char *const bad[] = { "", "xvd", "sda", "xvdA", "xvdaaa", "xvda1", "hda" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(device_vdev_number(bad[i], &n), -EINVAL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fresh, cleanup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(examples_are_the_same_domain), T(defaults), T(validation), T(devices_used_twice),
        T(device_limit),
        T(memory_check), T(file_checks), T(load_with_overrides), T(load_errors),
        T(load_refuses_huge_files), T(vdev_numbers),
    };
    return RUN(tests);
}
