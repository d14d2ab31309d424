/* libmica's XML domain reader and writer: the same model as xl.cfg, schema
 * errors with their lines, value errors, round trips, and documents that try
 * to make libxml2 read files, expand entities or recurse deeply. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlcfg.h"
#include "xml_config.h"

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
    domain_config_free(&cfg);
    return xml_config_parse(text, strlen(text), "guest.xml", &cfg, &err);
}

static void expect_error(const char *text, const char *message)
{
    assert_int_not_equal(parse(text), 0);
    assert_string_equal(err.message, message);
}

#define DOMAIN(body) \
    "<domain type=\"pvh\">\n<name>g</name>\n<os><kernel>/k</kernel></os>\n" body "</domain>\n"

static const char full_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!-- a guest -->\n"
    "<domain type=\"pvh\">\n"
    "  <vcpus>4</vcpus>\n"
    "  <name> web-1 </name>\n"
    "  <memory unit=\"GiB\">1</memory>\n"
    "  <maxMemory>2048</maxMemory>\n"
    "  <os>\n"
    "    <cmdline>console=hvc0 a=\"b\" &lt;&amp;&gt;</cmdline>\n"
    "    <kernel>/boot/vmlinux</kernel>\n"
    "    <initrd>/boot/initrd.img</initrd>\n"
    "  </os>\n"
    "  <on_crash>preserve</on_crash>\n"
    "  <devices>\n"
    "    <disk><source file=\"/img/a\"/><target dev=\"xvda\"/><driver type=\"raw\"/></disk>\n"
    "    <interface><mac address=\"00:16:3e:aa:bb:cc\"/><source bridge=\"xenbr0\"/>"
    "<ip address=\"10.0.0.2\"/></interface>\n"
    "    <disk><readonly/><target dev=\"xvdb\"/><source file=\"/img/b\"/></disk>\n"
    "  </devices>\n"
    "</domain>\n";

static const char full_cfg[] =
    "name = 'web-1'\nkernel = '/boot/vmlinux'\nramdisk = '/boot/initrd.img'\n"
    "cmdline = 'console=hvc0 a=\"b\" <&>'\nmemory = 1024\nmaxmem = 2048\nvcpus = 4\n"
    "on_crash = 'preserve'\n"
    "disk = [ '/img/a,raw,xvda,rw', 'vdev=xvdb, access=ro, target=/img/b' ]\n"
    "vif = [ 'mac=00:16:3e:aa:bb:cc, bridge=xenbr0, ip=10.0.0.2' ]\n";

static void same_model_as_xlcfg(void **state)
{
    struct domain_config from_cfg;

    (void)state;
    assert_int_equal(parse(full_xml), 0);
    assert_string_equal(cfg.name, "web-1");
    assert_string_equal(cfg.cmdline, "console=hvc0 a=\"b\" <&>");
    assert_int_equal(cfg.memory_mib, 1024);
    assert_int_equal(cfg.maxmem_mib, 2048);
    assert_int_equal(cfg.disk_count, 2);
    assert_true(cfg.disks[1].readonly);
    domain_config_init(&from_cfg);
    assert_int_equal(xlcfg_parse(full_cfg, strlen(full_cfg), "guest.cfg", &from_cfg, &err), 0);
    assert_true(domain_config_equal(&cfg, &from_cfg));
    domain_config_free(&from_cfg);
}

static void memory_units(void **state)
{
    (void)state;
    assert_int_equal(parse(DOMAIN("<memory unit=\"KiB\">262144</memory>\n")), 0);
    assert_int_equal(cfg.memory_mib, 256);
    assert_int_equal(parse(DOMAIN("<memory unit=\"MiB\">300</memory>\n")), 0);
    assert_int_equal(cfg.memory_mib, 300);
    assert_int_equal(parse(DOMAIN("")), 0);
    assert_int_equal(cfg.memory_mib, DOMAIN_DEFAULT_MEMORY_MIB);
    expect_error(DOMAIN("<memory unit=\"KiB\">1000</memory>\n"),
                 "guest.xml:4: memory must be a whole number of MiB, got 1000 KiB");
    expect_error(DOMAIN("<memory unit=\"TB\">1</memory>\n"),
                 "guest.xml:4: memory unit must be KiB, MiB or GiB, got 'TB'");
    expect_error(DOMAIN("<memory unit=\"\">1</memory>\n"),
                 "guest.xml:4: memory unit must be KiB, MiB or GiB, got ''");
    expect_error(DOMAIN("<memory unit=\"GiB\">16385</memory>\n"),
                 "guest.xml:4: memory must be at most 16777216 MiB, got '16385' GiB");
    expect_error(DOMAIN("\n<maxMemory>-1</maxMemory>\n"),
                 "guest.xml:5: maxMemory must be a positive number of MiB, got '-1'");
}

static void schema_errors(void **state)
{
    (void)state;
    expect_error("<domain type=\"pvh\">\n  <name>g</name>\n  <memroy unit=\"MiB\">256</memroy>\n"
                 "  <os><kernel>/k</kernel></os>\n</domain>\n",
                 "guest.xml:3: Element 'memroy': This element is not expected. Expected is one "
                 "of ( memory, maxMemory, vcpus, os, on_poweroff, on_reboot, on_crash, "
                 "devices ).");
    expect_error("<domain type=\"pvh\">\n<name>g</name>\n<os>\n<initrd>/i</initrd></os>\n"
                 "</domain>\n",
                 "guest.xml:3: Element 'os': Missing child element(s). Expected is one of "
                 "( kernel, cmdline ).");
    expect_error("<domain>\n<name>g</name>\n<os><kernel>/k</kernel></os>\n</domain>\n",
                 "guest.xml:1: Element 'domain': The attribute 'type' is required but missing.");
    expect_error(DOMAIN("<name>h</name>\n"),
                 "guest.xml:4: Element 'name': This element is not expected.");
    expect_error(DOMAIN("<devices>\n<disk><source file=\"/a\"/>\n<target dev=\"xvda\" "
                        "bus=\"ide\"/></disk>\n</devices>\n"),
                 "guest.xml:6: Element 'target', attribute 'bus': The attribute 'bus' is not "
                 "allowed.");
    expect_error(DOMAIN("<devices>\n<disk><source file=\"/a\"/></disk>\n</devices>\n"),
                 "guest.xml:5: Element 'disk': Missing child element(s). Expected is one of "
                 "( target, driver, readonly ).");
    expect_error("<vm/>\n", "guest.xml:1: Element 'vm': No matching global declaration "
                 "available for the validation root.");
}

static void value_errors(void **state)
{
    (void)state;
    expect_error("<domain type=\"pv\">\n<name>g</name>\n<os><kernel>/k</kernel></os>\n"
                 "</domain>\n", "guest.xml:1: type 'pv' is not supported by Mica, which runs "
                 "PVH guests only (type \"pvh\")");
    expect_error(DOMAIN("<vcpus>0</vcpus>\n"),
                 "guest.xml:4: vcpus must be between 1 and 128, got '0'");
    expect_error(DOMAIN("<on_reboot>coredump-destroy</on_reboot>\n"),
                 "guest.xml:4: on_reboot 'coredump-destroy' is not supported by Mica; use "
                 "destroy, restart or preserve");
    expect_error("<domain type=\"pvh\">\n<name>a/b</name>\n<os><kernel>/k</kernel></os>\n"
                 "</domain>\n",
                 "guest.xml:2: name may only contain A-Z a-z 0-9 '_' '.' '-', got 'a/b'");
    expect_error(DOMAIN("<devices>\n<disk>\n<source file=\"/a\"/>\n<target dev=\"sda\"/>\n"
                        "</disk>\n</devices>\n"),
                 "guest.xml:7: disk vdev must be xvda ... xvdz or xvdaa ... xvdzz, got 'sda'");
    expect_error(DOMAIN("<devices>\n<disk><source file=\"/a\"/><target dev=\"xvda\"/>\n"
                        "<driver type=\"qcow2\"/></disk>\n</devices>\n"),
                 "guest.xml:6: disk format 'qcow2' is not supported by Mica (raw only)");
    expect_error(DOMAIN("<devices>\n<disk><source file=\"\"/><target dev=\"xvda\"/></disk>\n"
                        "</devices>\n"),
                 "guest.xml:5: disk source file must not be empty");
    expect_error(DOMAIN("<devices>\n<disk><source file=\"/a&#10;b\"/><target dev=\"xvda\"/>"
                        "</disk>\n</devices>\n"),
                 "guest.xml:5: disk target must not contain control characters");
    expect_error(DOMAIN("<devices>\n<interface>\n<mac address=\"zz\"/>\n</interface>\n"
                        "</devices>\n"),
                 "guest.xml:6: vif mac must be six hex bytes like 00:16:3e:12:34:56, got 'zz'");
    expect_error(DOMAIN("<devices>\n<interface>\n<source bridge=\"a b\"/>\n</interface>\n"
                        "</devices>\n"),
                 "guest.xml:6: vif bridge must be 1 to 15 characters from A-Z a-z 0-9 '_' '.' "
                 "'-', got 'a b'");
    expect_error(DOMAIN("<devices>\n<interface>\n<ip address=\"1.2.3\"/>\n</interface>\n"
                        "</devices>\n"),
                 "guest.xml:6: vif ip '1.2.3' is not an IPv4 or IPv6 address");
}

static void malformed_xml(void **state)
{
    (void)state;
    expect_error("<domain type=\"pvh\">\n<name>g</nmae>\n</domain>\n",
                 "guest.xml:2: Opening and ending tag mismatch: name line 2 and nmae");
    expect_error("<domain type=\"pvh\">\n<name>g</name>\n", "guest.xml:3: Premature end of "
                 "data in tag domain line 1");
    expect_error("name = \"g\"\n", "guest.xml:1: Start tag expected, '<' not found");
    expect_error("", "guest.xml: not an XML document");
    assert_int_not_equal(xml_config_parse("<domain>\n\0</domain>", 19, "guest.xml", &cfg, &err),
                         0);
    assert_string_equal(err.message, "guest.xml:2: NUL byte in the file");
}

/* An external entity naming a file must never be read. */
static void no_external_entities(void **state)
{
    char path[] = "/tmp/mica-xxe-XXXXXX", doc[512];
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "SECRET", 6), 6);
    close(fd);
    snprintf(doc, sizeof(doc), "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE domain [ <!ENTITY x SYSTEM \"file://%s\"> ]>\n"
             "<domain type=\"pvh\"><name>&x;</name><os><kernel>/k</kernel></os></domain>\n",
             path);
    expect_error(doc, "guest.xml:2: DOCTYPE declarations are not allowed");
    assert_null(strstr(err.message, "SECRET"));
    assert_null(cfg.name);
    /* An entity reference without a declaration is an error, not a lookup. */
    expect_error(DOMAIN("<on_crash>&x;</on_crash>\n"),
                 "guest.xml:4: Entity 'x' not defined");
    unlink(path);
}

static void entity_expansion_and_depth(void **state)
{
    enum { DEPTH = 100000 };
    char *deep = malloc(DEPTH * 7 + 64);
    size_t len = 0;

    (void)state;
    expect_error("<!DOCTYPE d [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n"
                 "<domain type=\"pvh\"><name>&b;</name></domain>\n",
                 "guest.xml:1: DOCTYPE declarations are not allowed");
    /* 100000 nested elements: libxml2's depth limit stops the parse. */
    len += (size_t)sprintf(deep, "<domain type=\"pvh\">");
    for (int i = 0; i < DEPTH; i++)
        len += (size_t)sprintf(deep + len, "<name>");
    assert_int_not_equal(xml_config_parse(deep, len, "deep.xml", &cfg, &err), 0);
    assert_non_null(strstr(err.message, "deep.xml:1: "));
    assert_non_null(strstr(err.message, "depth"));
    free(deep);
}

static void round_trips(void **state)
{
    struct domain_config again;
    char *xml, *cfg_text;

    (void)state;
    assert_int_equal(parse(full_xml), 0);
    assert_int_equal(domain_config_validate(&cfg, "guest.xml", &err), 0);
    /* XML -> model -> XML -> model. */
    xml = xml_config_format(&cfg);
    assert_non_null(xml);
    domain_config_init(&again);
    assert_int_equal(xml_config_parse(xml, strlen(xml), "written.xml", &again, &err), 0);
    assert_true(domain_config_equal(&cfg, &again));
    domain_config_free(&again);
    /* model -> xl.cfg -> model -> XML: the same document. */
    cfg_text = xlcfg_format(&cfg);
    assert_non_null(cfg_text);
    domain_config_init(&again);
    assert_int_equal(xlcfg_parse(cfg_text, strlen(cfg_text), "written.cfg", &again, &err), 0);
    assert_true(domain_config_equal(&cfg, &again));
    free(cfg_text);
    cfg_text = xml_config_format(&again);
    assert_string_equal(xml, cfg_text);
    free(cfg_text);
    free(xml);
    domain_config_free(&again);
}

/* The full document with random bytes changed: never a crash or a leak, and
 * a failure always names the file. */
static void fuzz(void **state)
{
    char text[sizeof(full_xml)];
    static const char bytes[] = "<>/=\"'&;! \nax0-\xff";

    (void)state;
    srand(54321);
    for (int round = 0; round < 3000; round++) {
        memcpy(text, full_xml, sizeof(full_xml));
        for (int i = rand() % 4; i >= 0; i--)
            text[rand() % (int)(sizeof(text) - 1)] = bytes[rand() % (int)(sizeof(bytes) - 1)];
        if (parse(text) != 0)
            assert_int_equal(strncmp(err.message, "guest.xml", 9), 0);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fresh, cleanup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(same_model_as_xlcfg), T(memory_units), T(schema_errors), T(value_errors),
        T(malformed_xml), T(no_external_entities), T(entity_expansion_and_depth),
        T(round_trips), T(fuzz),
    };
    return RUN(tests);
}
