/* The hypervisor's printf formatting, checked against expected strings. */
#include "unit.h"
#include <mica/format.h>

static char buf[128];

#define CHECK(expect, ...) do { \
        int n = snprintf(buf, sizeof(buf), __VA_ARGS__); \
        assert_string_equal(buf, expect); \
        assert_int_equal(n, (int)sizeof(expect) - 1); \
    } while (0)

static void integers(void **state)
{
    (void)state;
    CHECK("42 -42 0", "%d %i %u", 42, -42, 0u);
    CHECK("ff FF 777", "%x %X %o", 255u, 255u, 511u);
    CHECK("18446744073709551615", "%llu", 18446744073709551615ULL);
    CHECK("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
    CHECK("123 -5", "%zu %zd", (size_t)123, (long)-5);
    CHECK("0x1000", "%p", (void *)0x1000);
}

static void widths_and_flags(void **state)
{
    (void)state;
    CHECK("[   7][7   ][0007]", "[%4d][%-4d][%04d]", 7, 7, 7);
    CHECK("[-007][  -7]", "[%04d][%4d]", -7, -7);
    CHECK("[0000000000001234]", "[%016llx]", 0x1234ULL);
    CHECK("[  ab][ab  ][a]", "[%4s][%-4s][%.1s]", "ab", "ab", "abc");
    CHECK("[x][  y]", "[%c][%3c]", 'x', 'y');
    CHECK("[  5]", "[%*d]", 3, 5);
    CHECK("100%", "100%%");
    const char *volatile missing = 0;
    CHECK("(null)", "%s", missing);
}

static void truncates_but_counts(void **state)
{
    (void)state;
    char small[5];
    int n = snprintf(small, sizeof(small), "%s", "hello world");
    assert_int_equal(n, 11);
    assert_string_equal(small, "hell");
    n = snprintf(small, 0, "abc");
    assert_int_equal(n, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integers),
        cmocka_unit_test(widths_and_flags),
        cmocka_unit_test(truncates_but_counts),
    };
    return RUN(tests);
}
