/* Unit tests for the xenstore daemon's node tree: values, implicit parents,
 * removal, permissions (owner, default, per-domain entries, privilege),
 * inheritance, generations and node quotas. */
#include "unit.h"
#include "xs_perms.h"
#include "xs_store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct xs_caller dom0 = { 0, true, XS_NO_TARGET };
static const struct xs_caller dom1 = { 1, false, XS_NO_TARGET };
static const struct xs_caller dom2 = { 2, false, XS_NO_TARGET };
static const struct xs_store_limits limits = { .nodes_per_domain = 10, .value_max = 16,
                                               .perms_max = 3 };

static struct xs_store *st;

static int setup(void **state)
{
    (void)state;
    st = xs_store_new(&limits);
    return st ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    xs_store_free(st);
    return 0;
}

static const char *value_of(const struct xs_caller *who, const char *path)
{
    const struct xs_node *n;
    return xs_store_read(st, who, path, &n) == 0 ? n->value : NULL;
}

/* Make a domain's home, owned by it, as a toolstack does. */
static void make_home(uint32_t domid, const char *path)
{
    struct xs_perm p = { domid, XS_ACCESS_NONE };
    assert_int_equal(xs_store_mkdir(st, &dom0, path), 0);
    assert_int_equal(xs_store_set_perms(st, &dom0, path, &p, 1), 0);
}

static void initial_tree(void **state)
{
    (void)state;
    assert_non_null(xs_store_lookup(st, "/"));
    assert_non_null(xs_store_lookup(st, "/local/domain"));
    assert_non_null(xs_store_lookup(st, "/tool"));
    assert_null(value_of(&dom1, "/local"));
}

static void write_read_and_implicit_parents(void **state)
{
    (void)state;
    assert_int_equal(xs_store_write(st, &dom0, "/a/b/c", "v1", 2), 0);
    assert_string_equal(value_of(&dom0, "/a/b/c"), "v1");
    assert_string_equal(value_of(&dom0, "/a/b"), "");
    const struct xs_node *a = xs_store_lookup(st, "/a");
    assert_int_equal(a->nr_children, 1);
    assert_string_equal(a->children[0]->name, "b");
    assert_int_equal(xs_store_write(st, &dom0, "/a/b/c", "binary\0x", 8), 0);
    assert_int_equal(xs_store_lookup(st, "/a/b/c")->value_len, 8);
    assert_int_equal(xs_store_read(st, &dom0, "/nope", &a), -ENOENT);
}

static void mkdir_keeps_existing_values(void **state)
{
    (void)state;
    assert_int_equal(xs_store_write(st, &dom0, "/m", "keep", 4), 0);
    assert_int_equal(xs_store_mkdir(st, &dom0, "/m"), 0);
    assert_string_equal(value_of(&dom0, "/m"), "keep");
    assert_int_equal(xs_store_mkdir(st, &dom0, "/m/x/y"), 0);
    assert_non_null(xs_store_lookup(st, "/m/x/y"));
}

static void rm_subtrees_and_missing_nodes(void **state)
{
    (void)state;
    assert_int_equal(xs_store_write(st, &dom0, "/r/a/b", "1", 1), 0);
    assert_int_equal(xs_store_write(st, &dom0, "/r/c", "2", 1), 0);
    assert_int_equal(xs_store_rm(st, &dom0, "/r/a"), 0);
    assert_null(xs_store_lookup(st, "/r/a/b"));
    assert_non_null(xs_store_lookup(st, "/r/c"));
    assert_int_equal(xs_store_rm(st, &dom0, "/r/a"), 0);       /* parent exists */
    assert_int_equal(xs_store_rm(st, &dom0, "/r/a/b"), -ENOENT);
    assert_int_equal(xs_store_rm(st, &dom0, "/"), -EINVAL);
}

static void owner_default_and_entries(void **state)
{
    (void)state;
    /* Owned by 1, others read, 2 gets nothing. */
    struct xs_perm p[] = { { 1, XS_ACCESS_READ }, { 2, XS_ACCESS_NONE } };
    assert_int_equal(xs_store_write(st, &dom0, "/p", "x", 1), 0);
    assert_int_equal(xs_store_set_perms(st, &dom0, "/p", p, 2), 0);

    const struct xs_caller dom3 = { 3, false, XS_NO_TARGET };
    assert_string_equal(value_of(&dom1, "/p"), "x");
    assert_string_equal(value_of(&dom3, "/p"), "x");
    assert_null(value_of(&dom2, "/p"));
    const struct xs_node *n;
    assert_int_equal(xs_store_read(st, &dom2, "/p", &n), -EACCES);
    assert_int_equal(xs_store_write(st, &dom3, "/p", "y", 1), -EACCES);
    assert_int_equal(xs_store_write(st, &dom1, "/p", "y", 1), 0);
    assert_int_equal(xs_store_rm(st, &dom3, "/p"), -EACCES);
    /* A device model acting for domain 1 has the owner's rights. */
    const struct xs_caller dm = { 5, false, 1 };
    assert_int_equal(xs_store_write(st, &dm, "/p", "z", 1), 0);
    /* Nobody unprivileged may give a node away. */
    struct xs_perm away = { 3, XS_ACCESS_BOTH };
    assert_int_equal(xs_store_set_perms(st, &dom1, "/p", &away, 1), -EPERM);
    assert_int_equal(xs_store_set_perms(st, &dom3, "/p", p, 2), -EACCES);
    assert_int_equal(xs_store_rm(st, &dom1, "/p"), 0);
}

static void perm_entries_text(void **state)
{
    (void)state;
    struct xs_perm p;
    char text[16];
    assert_int_equal(xs_perm_parse("b0", &p), 0);
    assert_int_equal(p.access, XS_ACCESS_BOTH);
    assert_int_equal(xs_perm_parse("r65", &p), 0);
    assert_int_equal(p.domid, 65);
    xs_perm_format(&p, text);
    assert_string_equal(text, "r65");
    assert_int_equal(xs_perm_parse("w", &p), -EINVAL);
    assert_int_equal(xs_perm_parse("x1", &p), -EINVAL);
    assert_int_equal(xs_perm_parse("r1a", &p), -EINVAL);
    assert_int_equal(xs_perm_parse("r99999999", &p), -EINVAL);
    assert_int_equal(xs_perm_parse("r-1", &p), -EINVAL);
}

static void new_nodes_inherit_and_belong_to_creator(void **state)
{
    (void)state;
    struct xs_perm p[] = { { 1, XS_ACCESS_NONE }, { 2, XS_ACCESS_READ } };
    assert_int_equal(xs_store_mkdir(st, &dom0, "/local/domain/1"), 0);
    assert_int_equal(xs_store_set_perms(st, &dom0, "/local/domain/1", p, 2), 0);
    assert_int_equal(xs_store_write(st, &dom1, "/local/domain/1/x/y", "v", 1), 0);
    const struct xs_node *n = xs_store_lookup(st, "/local/domain/1/x/y");
    assert_int_equal(n->nr_perms, 2);
    assert_int_equal(n->perms[0].domid, 1);
    assert_int_equal(n->perms[1].domid, 2);
    assert_string_equal(value_of(&dom2, "/local/domain/1/x/y"), "v");
    /* dom0 writing into the home keeps the home's owner. */
    assert_int_equal(xs_store_write(st, &dom0, "/local/domain/1/z", "w", 1), 0);
    assert_int_equal(xs_store_lookup(st, "/local/domain/1/z")->perms[0].domid, 1);
    /* A domain cannot create where it may not write. */
    assert_int_equal(xs_store_write(st, &dom2, "/local/domain/1/q", "v", 1), -EACCES);
    assert_int_equal(xs_store_write(st, &dom1, "/elsewhere", "v", 1), -EACCES);
}

static void generations_move_on_change(void **state)
{
    (void)state;
    assert_int_equal(xs_store_write(st, &dom0, "/g/a", "1", 1), 0);
    uint64_t ga = xs_store_gen(st, "/g/a"), gg = xs_store_gen(st, "/g");
    assert_true(ga != 0);
    assert_int_equal(xs_store_gen(st, "/g/none"), 0);
    assert_int_equal(xs_store_write(st, &dom0, "/g/a", "2", 1), 0);
    assert_true(xs_store_gen(st, "/g/a") > ga);
    assert_int_equal(xs_store_gen(st, "/g"), gg);          /* a value change only */
    assert_int_equal(xs_store_write(st, &dom0, "/g/b", "1", 1), 0);
    assert_true(xs_store_gen(st, "/g") > gg);              /* a new child */
}

static void node_quota_value_size_and_perm_count(void **state)
{
    (void)state;
    make_home(1, "/local/domain/1");
    char path[64];
    /* The home itself counts: 9 more fit in a quota of 10. */
    for (int i = 0; i < 9; i++) {
        snprintf(path, sizeof(path), "/local/domain/1/n%d", i);
        assert_int_equal(xs_store_write(st, &dom1, path, "", 0), 0);
    }
    assert_int_equal(xs_store_owned(st, 1), 10);
    assert_int_equal(xs_store_write(st, &dom1, "/local/domain/1/more", "", 0), -ENOSPC);
    assert_int_equal(xs_store_write(st, &dom1, "/local/domain/1/n0", "replace ok", 10), 0);
    assert_int_equal(xs_store_rm(st, &dom1, "/local/domain/1/n0"), 0);
    assert_int_equal(xs_store_owned(st, 1), 9);
    assert_int_equal(xs_store_write(st, &dom1, "/local/domain/1/more", "", 0), 0);
    /* Two new nodes at once do not fit in the one left. */
    assert_int_equal(xs_store_rm(st, &dom1, "/local/domain/1/more"), 0);
    assert_int_equal(xs_store_write(st, &dom1, "/local/domain/1/a/b", "", 0), -ENOSPC);
    assert_null(xs_store_lookup(st, "/local/domain/1/a"));
    /* dom0 is not limited. */
    assert_int_equal(xs_store_write(st, &dom0, "/local/domain/1/a/b", "", 0), 0);

    assert_int_equal(xs_store_write(st, &dom1, "/local/domain/1/n1", "12345678901234567", 17),
                     -E2BIG);
    assert_int_equal(xs_store_write(st, &dom0, "/local/domain/1/n1", "12345678901234567", 17),
                     0);
    struct xs_perm four[4] = { { 1, 0 }, { 2, 1 }, { 3, 1 }, { 4, 1 } };
    assert_int_equal(xs_store_set_perms(st, &dom1, "/local/domain/1/n1", four, 4), -E2BIG);
    assert_int_equal(xs_store_set_perms(st, &dom1, "/local/domain/1/n1", four, 3), 0);
    assert_int_equal(xs_store_set_perms(st, &dom1, "/local/domain/1/n1", four, 0), -EINVAL);
}

static void owner_counts_follow_perms_and_clones_are_independent(void **state)
{
    (void)state;
    make_home(2, "/local/domain/2");
    assert_int_equal(xs_store_owned(st, 2), 1);
    struct xs_store *copy = xs_store_clone(st);
    assert_non_null(copy);
    assert_int_equal(xs_store_write(st, &dom2, "/local/domain/2/x", "1", 1), 0);
    assert_null(xs_store_lookup(copy, "/local/domain/2/x"));
    assert_int_equal(xs_store_owned(copy, 2), 1);
    assert_int_equal(xs_store_owned(st, 2), 2);
    assert_int_equal(xs_store_gen(copy, "/local/domain/2"), xs_store_gen(copy, "/local/domain/2"));
    xs_store_free(copy);
    assert_int_equal(xs_store_rm(st, &dom0, "/local/domain/2"), 0);
    assert_int_equal(xs_store_owned(st, 2), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(initial_tree),
        T(write_read_and_implicit_parents),
        T(mkdir_keeps_existing_values),
        T(rm_subtrees_and_missing_nodes),
        T(owner_default_and_entries),
        T(perm_entries_text),
        T(new_nodes_inherit_and_belong_to_creator),
        T(generations_move_on_change),
        T(node_quota_value_size_and_perm_count),
        T(owner_counts_follow_perms_and_clones_are_independent),
    };
    return RUN(tests);
}
