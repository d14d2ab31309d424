/* Unit tests for the xenstore daemon's transactions: isolation, commit,
 * abort, conflicts ending in EAGAIN, events at commit, quotas. */
#include "xenstore_helpers.h"

#include <stdio.h>

static uint32_t start(struct xs_engine *e, struct xs_conn *c)
{
    assert_ok(t_call(e, c, XS_TRANSACTION_START, 0, "", 1), XS_TRANSACTION_START);
    uint32_t id = (uint32_t)strtoul(t_reply, NULL, 10);
    assert_true(id != 0);
    return id;
}

static uint32_t end(struct xs_engine *e, struct xs_conn *c, uint32_t tx, const char *how)
{
    return t_call1(e, c, XS_TRANSACTION_END, tx, how);
}

static void changes_stay_private_until_commit(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *a = t_conn(e, 0, true), *b = t_conn(e, 0, true);

    assert_ok(t_write(e, a, 0, "/t/x", "old"), XS_WRITE);
    uint32_t tx = start(e, a);
    assert_ok(t_write(e, a, tx, "/t/x", "new"), XS_WRITE);
    assert_ok(t_write(e, a, tx, "/t/y/z", "made"), XS_WRITE);
    assert_ok(t_call1(e, a, XS_READ, tx, "/t/x"), XS_READ);
    assert_string_equal(t_reply, "new");
    assert_ok(t_call1(e, b, XS_READ, 0, "/t/x"), XS_READ);
    assert_string_equal(t_reply, "old");
    assert_error(t_call1(e, b, XS_READ, 0, "/t/y/z"), "ENOENT");
    assert_error(t_call1(e, b, XS_READ, tx, "/t/x"), "ENOENT");   /* not b's transaction */
    assert_ok(end(e, a, tx, "T"), XS_TRANSACTION_END);
    assert_string_equal(t_reply, "OK");
    assert_ok(t_call1(e, b, XS_READ, 0, "/t/x"), XS_READ);
    assert_string_equal(t_reply, "new");
    assert_ok(t_call1(e, b, XS_READ, 0, "/t/y/z"), XS_READ);
    assert_string_equal(t_reply, "made");
    assert_error(end(e, a, tx, "T"), "ENOENT");                  /* already ended */
    xs_engine_free(e);
}

static void abort_discards(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *a = t_conn(e, 0, true);

    uint32_t tx = start(e, a);
    assert_ok(t_write(e, a, tx, "/ab", "1"), XS_WRITE);
    assert_ok(t_call1(e, a, XS_RM, tx, "/tool"), XS_RM);
    assert_ok(end(e, a, tx, "F"), XS_TRANSACTION_END);
    assert_error(t_call1(e, a, XS_READ, 0, "/ab"), "ENOENT");
    assert_ok(t_call1(e, a, XS_READ, 0, "/tool"), XS_READ);
    tx = start(e, a);
    assert_error(end(e, a, tx, "maybe"), "EINVAL");
    assert_ok(end(e, a, tx, "F"), XS_TRANSACTION_END);
    xs_engine_free(e);
}

static void conflicting_change_ends_in_eagain(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *a = t_conn(e, 0, true), *b = t_conn(e, 0, true);

    assert_ok(t_write(e, a, 0, "/c/x", "0"), XS_WRITE);
    /* Read-modify-write raced by another writer. */
    uint32_t tx = start(e, a);
    assert_ok(t_call1(e, a, XS_READ, tx, "/c/x"), XS_READ);
    assert_ok(t_write(e, b, 0, "/c/x", "b"), XS_WRITE);
    assert_ok(t_write(e, a, tx, "/c/x", "a"), XS_WRITE);
    assert_error(end(e, a, tx, "T"), "EAGAIN");
    assert_ok(t_call1(e, a, XS_READ, 0, "/c/x"), XS_READ);
    assert_string_equal(t_reply, "b");

    /* A node the transaction created, created meanwhile by someone else. */
    tx = start(e, a);
    assert_ok(t_write(e, a, tx, "/c/new", "a"), XS_WRITE);
    assert_ok(t_write(e, b, 0, "/c/new", "b"), XS_WRITE);
    assert_error(end(e, a, tx, "T"), "EAGAIN");

    /* A removal in the transaction, a change below it outside. */
    assert_ok(t_write(e, a, 0, "/c/sub/leaf", "0"), XS_WRITE);
    tx = start(e, a);
    assert_ok(t_call1(e, a, XS_RM, tx, "/c/sub"), XS_RM);
    assert_ok(t_write(e, b, 0, "/c/sub/leaf", "1"), XS_WRITE);
    assert_error(end(e, a, tx, "T"), "EAGAIN");

    /* A directory listing that changed. */
    tx = start(e, a);
    assert_ok(t_call1(e, a, XS_DIRECTORY, tx, "/c"), XS_DIRECTORY);
    assert_ok(t_write(e, b, 0, "/c/another", "1"), XS_WRITE);
    assert_error(end(e, a, tx, "T"), "EAGAIN");
    xs_engine_free(e);
}

static void unrelated_changes_do_not_conflict(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *a = t_conn(e, 0, true), *b = t_conn(e, 0, true);

    assert_ok(t_write(e, a, 0, "/u/x", "0"), XS_WRITE);
    assert_ok(t_write(e, a, 0, "/v/y", "0"), XS_WRITE);
    uint32_t tx = start(e, a);
    assert_ok(t_call1(e, a, XS_READ, tx, "/u/x"), XS_READ);
    assert_ok(t_write(e, a, tx, "/u/x", "1"), XS_WRITE);
    assert_ok(t_write(e, b, 0, "/v/y", "b"), XS_WRITE);
    assert_ok(t_write(e, b, 0, "/v/z", "b"), XS_WRITE);
    assert_ok(end(e, a, tx, "T"), XS_TRANSACTION_END);
    assert_ok(t_call1(e, b, XS_READ, 0, "/u/x"), XS_READ);
    assert_string_equal(t_reply, "1");
    assert_ok(t_call1(e, b, XS_READ, 0, "/v/y"), XS_READ);
    assert_string_equal(t_reply, "b");
    xs_engine_free(e);
}

static void events_fire_at_commit_only(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *a = t_conn(e, 0, true), *w = t_conn(e, 0, true);
    struct xs_msg_header h;
    char buf[XS_PAYLOAD_MAX + 1];

    size_t len = t_join(buf, "/ev", "tok", NULL);
    assert_ok(t_call(e, w, XS_WATCH, 0, buf, len), XS_WATCH);
    assert_int_equal(t_pop(w, &h, buf), 1);          /* the initial event */
    uint32_t tx = start(e, a);
    assert_ok(t_write(e, a, tx, "/ev/a", "1"), XS_WRITE);
    assert_int_equal(t_pop(w, &h, buf), 0);
    assert_ok(end(e, a, tx, "T"), XS_TRANSACTION_END);
    assert_int_equal(t_pop(w, &h, buf), 1);
    assert_int_equal(h.type, XS_WATCH_EVENT);
    assert_string_equal(buf, "/ev/a");
    xs_engine_free(e);
}

static void permissions_and_quota_apply_inside(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *d0 = t_conn(e, 0, true), *d2 = t_conn(e, 2, false);

    uint32_t tx = start(e, d2);
    assert_error(t_write(e, d2, tx, "/forbidden", "x"), "EACCES");
    assert_error(t_call1(e, d2, XS_READ, tx, "/local"), "EACCES");
    assert_ok(end(e, d2, tx, "T"), XS_TRANSACTION_END);
    assert_error(t_call1(e, d0, XS_READ, 0, "/forbidden"), "ENOENT");

    uint32_t ids[16];
    for (unsigned i = 0; i < xs_default_limits.txns_per_conn; i++)
        ids[i] = start(e, d2);
    assert_error(t_call(e, d2, XS_TRANSACTION_START, 0, "", 1), "ENOSPC");
    assert_error(t_call(e, d2, XS_TRANSACTION_START, ids[0], "", 1), "EBUSY");
    assert_ok(end(e, d2, ids[0], "F"), XS_TRANSACTION_END);
    start(e, d2);
    /* Ending the connection frees the open ones (ASan checks). */
    xs_engine_free(e);
}

static void commit_that_cannot_apply_leaves_the_store_alone(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *d0 = t_conn(e, 0, true), *d3 = t_conn(e, 3, false);
    char buf[64];

    assert_ok(t_call1(e, d0, XS_MKDIR, 0, "/local/domain/3"), XS_MKDIR);
    size_t len = t_join(buf, "/local/domain/3", "n3", NULL);
    assert_ok(t_call(e, d0, XS_SET_PERMS, 0, buf, len), XS_SET_PERMS);
    uint32_t tx = start(e, d3);
    assert_ok(t_write(e, d3, tx, "a", "1"), XS_WRITE);
    assert_ok(t_write(e, d3, tx, "b", "2"), XS_WRITE);
    /* Nothing it read changed, but its home was taken away meanwhile:
     * that is a change to a node it depends on. */
    len = t_join(buf, "/local/domain/3", "n0", NULL);
    assert_ok(t_call(e, d0, XS_SET_PERMS, 0, buf, len), XS_SET_PERMS);
    assert_error(end(e, d3, tx, "T"), "EAGAIN");
    assert_error(t_call1(e, d0, XS_READ, 0, "/local/domain/3/a"), "ENOENT");
    xs_engine_free(e);
}

static void a_transaction_cannot_grow_without_bound(void **state)
{
    (void)state;
    struct xs_limits l = xs_default_limits;
    l.txn_entries_max = 20;
    struct xs_engine *e = xs_engine_new(&l, NULL, NULL);
    struct xs_conn *a = t_conn(e, 0, true);
    char path[32];
    int ok = 0;

    uint32_t tx = start(e, a);
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof(path), "/many/%d", i);
        uint32_t type = i % 2 ? t_write(e, a, tx, path, "x") : t_call1(e, a, XS_READ, tx, path);
        if (type == XS_ERROR && strcmp(t_reply, "ENOSPC") == 0)
            break;
        ok++;
    }
    assert_true(ok > 0 && ok < 20);
    assert_error(t_write(e, a, tx, "/one/more", "x"), "ENOSPC");
    assert_ok(end(e, a, tx, "F"), XS_TRANSACTION_END);
    xs_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(changes_stay_private_until_commit),
        cmocka_unit_test(abort_discards),
        cmocka_unit_test(conflicting_change_ends_in_eagain),
        cmocka_unit_test(unrelated_changes_do_not_conflict),
        cmocka_unit_test(events_fire_at_commit_only),
        cmocka_unit_test(permissions_and_quota_apply_inside),
        cmocka_unit_test(commit_that_cannot_apply_leaves_the_store_alone),
        cmocka_unit_test(a_transaction_cannot_grow_without_bound),
    };
    return RUN(tests);
}
