/* Unit tests for the xenstore daemon's paths: validation, relative paths,
 * length limits and ancestry. */
#include "unit.h"
#include "xs_path.h"
#include "xs_proto.h"

#include <errno.h>
#include <string.h>

static char out[XS_PATH_BUF];

static void absolute_paths_pass_unchanged(void **state)
{
    (void)state;
    assert_int_equal(xs_path_canonical(3, "/", false, out), 0);
    assert_string_equal(out, "/");
    assert_int_equal(xs_path_canonical(3, "/local/domain/3/device/vbd-51712_x@y", false, out), 0);
    assert_string_equal(out, "/local/domain/3/device/vbd-51712_x@y");
}

static void relative_paths_live_under_the_domain_home(void **state)
{
    (void)state;
    assert_int_equal(xs_path_canonical(7, "device/vif/0", false, out), 0);
    assert_string_equal(out, "/local/domain/7/device/vif/0");
    assert_int_equal(xs_path_canonical(0, "name", false, out), 0);
    assert_string_equal(out, "/local/domain/0/name");
}

static void bad_paths_are_einval(void **state)
{
    (void)state;
    const char *bad[] = { "", "//", "/a//b", "/a/", "a/", "/a b", "/a\\b", "/ä",
                          "/a/./b", "/a:b", "/a*", "relative//x" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(xs_path_canonical(1, bad[i], false, out), -EINVAL);
}

static void special_paths_only_where_allowed(void **state)
{
    (void)state;
    assert_int_equal(xs_path_canonical(1, "@introduceDomain", false, out), -EINVAL);
    assert_int_equal(xs_path_canonical(1, "@introduceDomain", true, out), 0);
    assert_string_equal(out, "@introduceDomain");
    assert_int_equal(xs_path_canonical(1, "@a/b", true, out), -EINVAL);
}

static void length_limits(void **state)
{
    (void)state;
    static char p[XS_ABS_PATH_MAX + 2];

    p[0] = '/';
    memset(p + 1, 'a', XS_ABS_PATH_MAX - 1);
    p[XS_ABS_PATH_MAX] = '\0';
    assert_int_equal(xs_path_canonical(1, p, false, out), 0);
    p[XS_ABS_PATH_MAX] = 'a';
    p[XS_ABS_PATH_MAX + 1] = '\0';
    assert_int_equal(xs_path_canonical(1, p, false, out), -EINVAL);

    memset(p, 'b', XS_REL_PATH_MAX);
    p[XS_REL_PATH_MAX] = '\0';
    assert_int_equal(xs_path_canonical(1, p, false, out), 0);
    p[XS_REL_PATH_MAX] = 'b';
    p[XS_REL_PATH_MAX + 1] = '\0';
    assert_int_equal(xs_path_canonical(1, p, false, out), -EINVAL);
}

static void ancestry_parent_and_basename(void **state)
{
    (void)state;
    assert_true(xs_path_is_within("/a/b", "/a"));
    assert_true(xs_path_is_within("/a", "/a"));
    assert_true(xs_path_is_within("/a", "/"));
    assert_false(xs_path_is_within("/ab", "/a"));
    assert_false(xs_path_is_within("/a", "/a/b"));
    xs_path_parent("/a/b/c", out);
    assert_string_equal(out, "/a/b");
    xs_path_parent("/a", out);
    assert_string_equal(out, "/");
    assert_string_equal(xs_path_basename("/a/b/c"), "c");
    xs_path_domain_home(12, out);
    assert_string_equal(out, "/local/domain/12");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(absolute_paths_pass_unchanged),
        cmocka_unit_test(relative_paths_live_under_the_domain_home),
        cmocka_unit_test(bad_paths_are_einval),
        cmocka_unit_test(special_paths_only_where_allowed),
        cmocka_unit_test(length_limits),
        cmocka_unit_test(ancestry_parent_and_basename),
    };
    return RUN(tests);
}
