/* The hypervisor command line: defaults, each option, and bad input. */
#include "unit.h"
#include <string.h>
#include <mica/cmdline.h>

static char warnings[512];

static void record(const char *option, const char *problem)
{
    strncat(warnings, option, sizeof(warnings) - strlen(warnings) - 1);
    strncat(warnings, ": ", sizeof(warnings) - strlen(warnings) - 1);
    strncat(warnings, problem, sizeof(warnings) - strlen(warnings) - 1);
    strncat(warnings, ";", sizeof(warnings) - strlen(warnings) - 1);
}

static struct hv_options parse(const char *s)
{
    struct hv_options o;
    warnings[0] = '\0';
    cmdline_parse(s, &o, record);
    return o;
}

static void defaults(void **state)
{
    (void)state;
    struct hv_options o = parse("");
    assert_int_equal(o.console, CONSOLE_PORT_COM1);
    assert_int_equal(o.loglvl, LOG_INFO);
    assert_int_equal(o.dom0_mem, 0);
    assert_int_equal(o.max_cpus, 0);
    assert_int_equal(o.test_exception, TEST_EXCEPTION_NONE);
    o = parse(NULL);
    assert_int_equal(o.console, CONSOLE_PORT_COM1);
    assert_string_equal(warnings, "");
}

static void every_option(void **state)
{
    (void)state;
    struct hv_options o = parse("  console=com2\tloglvl=debug dom0_mem=512M "
                                "maxcpus=3 test_exception=pf  ");
    assert_int_equal(o.console, CONSOLE_PORT_COM2);
    assert_int_equal(o.loglvl, LOG_DEBUG);
    assert_int_equal(o.dom0_mem, 512ULL << 20);
    assert_int_equal(o.max_cpus, 3);
    assert_int_equal(o.test_exception, TEST_EXCEPTION_PF);
    assert_string_equal(warnings, "");
    o = parse("console=none loglvl=none test_exception=ud");
    assert_int_equal(o.console, CONSOLE_PORT_NONE);
    assert_int_equal(o.loglvl, LOG_NONE);
    assert_int_equal(o.test_exception, TEST_EXCEPTION_UD);
}

static void dom0_mem_forms(void **state)
{
    (void)state;
    struct hv_options o = parse("dom0_mem=1G,min:256M,max:2G");
    assert_int_equal(o.dom0_mem, 1ULL << 30);
    assert_int_equal(o.dom0_mem_min, 256ULL << 20);
    assert_int_equal(o.dom0_mem_max, 2ULL << 30);
    o = parse("dom0_mem=1024");   /* KiB without a suffix, as in Xen */
    assert_int_equal(o.dom0_mem, 1024ULL << 10);
    assert_string_equal(warnings, "");
}

static void sizes(void **state)
{
    (void)state;
    uint64_t b;
    assert_true(cmdline_parse_size("4096B", &b));
    assert_int_equal(b, 4096);
    assert_true(cmdline_parse_size("3t", &b));
    assert_int_equal(b, 3ULL << 40);
    assert_false(cmdline_parse_size("", &b));
    assert_false(cmdline_parse_size("M", &b));
    assert_false(cmdline_parse_size("12Q", &b));
    assert_false(cmdline_parse_size("12MB", &b));
    assert_false(cmdline_parse_size("99999999999999999999", &b));
    assert_false(cmdline_parse_size("20000000T", &b));
}

static void bad_options_warn_and_keep_defaults(void **state)
{
    (void)state;
    struct hv_options o = parse("bogus=1 loglvl=loud console=lpt1 maxcpus=0 "
                                "dom0_mem=lots test_exception=xx noarg");
    assert_int_equal(o.loglvl, LOG_INFO);
    assert_int_equal(o.console, CONSOLE_PORT_COM1);
    assert_int_equal(o.max_cpus, 0);
    assert_int_equal(o.dom0_mem, 0);
    assert_string_equal(warnings,
                        "bogus=1: unknown option;loglvl=loud: invalid value;"
                        "console=lpt1: invalid value;maxcpus=0: invalid value;"
                        "dom0_mem=lots: invalid value;"
                        "test_exception=xx: invalid value;noarg: unknown option;");
}

static void overlong_option_is_skipped(void **state)
{
    (void)state;
    char line[400];
    memset(line, 'x', 300);
    strcpy(line + 300, " loglvl=error");
    struct hv_options o = parse(line);
    assert_int_equal(o.loglvl, LOG_ERR);
    assert_string_equal(warnings, "(long option): too long, ignored;");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(every_option),
        cmocka_unit_test(dom0_mem_forms),
        cmocka_unit_test(sizes),
        cmocka_unit_test(bad_options_warn_and_keep_defaults),
        cmocka_unit_test(overlong_option_is_skipped),
    };
    return RUN(tests);
}
