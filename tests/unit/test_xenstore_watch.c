/* Unit tests for the xenstore daemon's watches: matching, the initial
 * event, events for descendants and removals, relative paths, permission
 * filtering, special names, quotas and unwatching. */
#include "xenstore_helpers.h"
#include "xs_ring.h"
#include "xs_watch.h"

#include <errno.h>
#include <stdio.h>

/* The next queued event's path and token. */
static void expect_event(struct xs_conn *c, const char *path, const char *token)
{
    struct xs_msg_header h;
    char buf[XS_PAYLOAD_MAX + 1];
    if (!t_pop(c, &h, buf))
        fail_msg("no event, wanted %s %s", path, token);
    assert_int_equal(h.type, XS_WATCH_EVENT);
    assert_int_equal(h.req_id, 0);
    assert_string_equal(buf, path);
    assert_string_equal(buf + strlen(buf) + 1, token);
    assert_int_equal(h.len, strlen(path) + strlen(token) + 2);
}

static void expect_no_event(struct xs_conn *c)
{
    struct xs_msg_header h;
    char buf[XS_PAYLOAD_MAX + 1];
    if (t_pop(c, &h, buf))
        fail_msg("unexpected message type %u: %s", h.type, buf);
}

static uint32_t watch(struct xs_engine *e, struct xs_conn *c, uint32_t type,
                      const char *path, const char *token)
{
    char buf[256];
    size_t len = t_join(buf, path, token, NULL);
    return t_call(e, c, type, 0, buf, len);
}

static void matching_rules(void **state)
{
    (void)state;
    assert_string_equal(xs_watch_match("/a", "/a/b/c", false), "/a/b/c");
    assert_string_equal(xs_watch_match("/a", "/a", false), "/a");
    assert_null(xs_watch_match("/a/b", "/a", false));
    assert_string_equal(xs_watch_match("/a/b", "/a", true), "/a/b");
    assert_null(xs_watch_match("/ab", "/a/b", false));
    assert_string_equal(xs_watch_match("/", "/x", false), "/x");
    assert_null(xs_watch_match("@releaseDomain", "/x", true));
    assert_string_equal(xs_watch_match("@releaseDomain", "@releaseDomain", false),
                        "@releaseDomain");
    assert_null(xs_watch_match("/", "@introduceDomain", false));
}

static void initial_event_then_changes_below(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *w = t_conn(e, 0, true), *c = t_conn(e, 0, true);

    assert_ok(watch(e, w, XS_WATCH, "/w", "tok"), XS_WATCH);
    assert_string_equal(t_reply, "OK");
    expect_event(w, "/w", "tok");
    expect_no_event(w);
    assert_ok(t_write(e, c, 0, "/w/a/b", "1"), XS_WRITE);
    expect_event(w, "/w/a/b", "tok");
    assert_ok(t_write(e, c, 0, "/wx", "1"), XS_WRITE);       /* not below /w */
    assert_ok(t_call1(e, c, XS_MKDIR, 0, "/w/a"), XS_MKDIR); /* exists: no change */
    expect_no_event(w);
    char buf[64];
    size_t len = t_join(buf, "/w/a", "b0", NULL);
    assert_ok(t_call(e, c, XS_SET_PERMS, 0, buf, len), XS_SET_PERMS);
    expect_event(w, "/w/a", "tok");
    assert_ok(t_call1(e, c, XS_RM, 0, "/w/nothing"), XS_RM);
    expect_no_event(w);
    xs_engine_free(e);
}

static void removal_reaches_watches_below(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *w = t_conn(e, 0, true), *c = t_conn(e, 0, true);

    assert_ok(t_write(e, c, 0, "/r/a/b", "1"), XS_WRITE);
    assert_ok(watch(e, w, XS_WATCH, "/r/a/b", "deep"), XS_WATCH);
    expect_event(w, "/r/a/b", "deep");
    assert_ok(watch(e, w, XS_WATCH, "/r", "top"), XS_WATCH);
    expect_event(w, "/r", "top");
    assert_ok(t_call1(e, c, XS_RM, 0, "/r/a"), XS_RM);
    /* Newest watch first; both see the removal. */
    expect_event(w, "/r/a", "top");
    expect_event(w, "/r/a/b", "deep");
    expect_no_event(w);
    xs_engine_free(e);
}

static void relative_watches_see_relative_paths(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *d0 = t_conn(e, 0, true), *d3 = t_conn(e, 3, false);
    char buf[64];

    assert_ok(t_call1(e, d0, XS_MKDIR, 0, "/local/domain/3"), XS_MKDIR);
    size_t len = t_join(buf, "/local/domain/3", "n3", NULL);
    assert_ok(t_call(e, d0, XS_SET_PERMS, 0, buf, len), XS_SET_PERMS);
    assert_ok(watch(e, d3, XS_WATCH, "device", "rel"), XS_WATCH);
    expect_event(d3, "device", "rel");
    assert_ok(t_write(e, d0, 0, "/local/domain/3/device/vbd/0", "x"), XS_WRITE);
    expect_event(d3, "device/vbd/0", "rel");
    assert_ok(t_write(e, d3, 0, "device/vif", "y"), XS_WRITE);
    expect_event(d3, "device/vif", "rel");
    xs_engine_free(e);
}

static void events_need_read_permission(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *d0 = t_conn(e, 0, true), *d4 = t_conn(e, 4, false);
    char buf[64];

    assert_ok(watch(e, d4, XS_WATCH, "/secret", "t"), XS_WATCH);
    expect_event(d4, "/secret", "t");
    assert_ok(t_write(e, d0, 0, "/secret/key", "1"), XS_WRITE);   /* n0: hidden */
    expect_no_event(d4);
    size_t len = t_join(buf, "/secret/key", "n0", "r4", NULL);
    assert_ok(t_call(e, d0, XS_SET_PERMS, 0, buf, len), XS_SET_PERMS);
    expect_event(d4, "/secret/key", "t");
    xs_engine_free(e);
}

static void duplicates_unwatch_reset_and_quota(void **state)
{
    (void)state;
    struct xs_engine *e = t_engine();
    struct xs_conn *w = t_conn(e, 5, false), *c = t_conn(e, 0, true);
    char path[32];

    assert_ok(watch(e, w, XS_WATCH, "/q", "a"), XS_WATCH);
    expect_event(w, "/q", "a");
    assert_error(watch(e, w, XS_WATCH, "/q", "a"), "EEXIST");
    assert_error(watch(e, w, XS_UNWATCH, "/q", "b"), "ENOENT");
    assert_ok(watch(e, w, XS_UNWATCH, "/q", "a"), XS_UNWATCH);
    assert_ok(t_write(e, c, 0, "/q", "1"), XS_WRITE);
    expect_no_event(w);
    assert_error(watch(e, w, XS_WATCH, "/q//", "a"), "EINVAL");
    assert_error(t_call1(e, w, XS_WATCH, 0, "/q"), "EINVAL");      /* no token */

    for (unsigned i = 0; i < xs_default_limits.watches_per_conn; i++) {
        snprintf(path, sizeof(path), "/q/%u", i);
        assert_ok(watch(e, w, XS_WATCH, path, "t"), XS_WATCH);
        expect_event(w, path, "t");
    }
    assert_error(watch(e, w, XS_WATCH, "/q/more", "t"), "E2BIG");
    assert_ok(t_call(e, w, XS_RESET_WATCHES, 0, "", 0), XS_RESET_WATCHES);
    assert_int_equal(w->nr_watches, 0);
    assert_ok(watch(e, w, XS_WATCH, "/q/more", "t"), XS_WATCH);
    xs_engine_free(e);
}

static void slow_readers_lose_events_not_memory(void **state)
{
    (void)state;
    struct xs_limits l = xs_default_limits;
    l.output_max = 200;
    struct xs_engine *e = xs_engine_new(&l, NULL, NULL);
    struct xs_conn *w = t_conn(e, 0, true), *c = t_conn(e, 0, true);

    assert_ok(watch(e, w, XS_WATCH, "/s", "t"), XS_WATCH);
    for (int i = 0; i < 50; i++)
        assert_ok(t_write(e, c, 0, "/s", "x"), XS_WRITE);
    assert_true(w->out_bytes <= 200 + sizeof(struct xs_msg_header) + 8);
    assert_true(e->dropped_events > 0);
    xs_engine_free(e);
}

/* An introduce hook that serves the domain over a ring in memory. */
static struct xs_ring_page pages[4];
static int kicks;

static void count_kick(void *ctx)
{
    (void)ctx;
    kicks++;
}

static int memory_domain(void *ctx, uint32_t domid, uint64_t mfn, uint32_t port,
                         struct xs_conn **out)
{
    (void)ctx; (void)port;
    if (mfn >= 4)
        return -EINVAL;
    struct xs_ring *r = calloc(1, sizeof(*r));
    r->page = &pages[mfn];
    r->notify = count_kick;
    xs_ring_init_page(r->page);
    *out = xs_conn_new(domid, false, &xs_ring_transport, r);
    return 0;
}

static void introduce_and_release_fire_special_watches(void **state)
{
    (void)state;
    struct xs_engine *e = xs_engine_new(&xs_default_limits, memory_domain, NULL);
    struct xs_conn *d0 = t_conn(e, 0, true), *d6 = t_conn(e, 6, false);
    char buf[64];

    assert_ok(watch(e, d0, XS_WATCH, "@introduceDomain", "in"), XS_WATCH);
    expect_event(d0, "@introduceDomain", "in");
    assert_ok(watch(e, d0, XS_WATCH, "@releaseDomain", "out"), XS_WATCH);
    expect_event(d0, "@releaseDomain", "out");
    size_t len = t_join(buf, "7", "1", "3", NULL);
    assert_error(t_call(e, d6, XS_INTRODUCE, 0, buf, len), "EACCES");
    assert_ok(t_call(e, d0, XS_INTRODUCE, 0, buf, len), XS_INTRODUCE);
    expect_event(d0, "@introduceDomain", "in");
    assert_ok(t_call1(e, d0, XS_IS_DOMAIN_INTRODUCED, 0, "7"), XS_IS_DOMAIN_INTRODUCED);
    assert_string_equal(t_reply, "T");
    len = t_join(buf, "8", "9", "3", NULL);
    assert_error(t_call(e, d0, XS_INTRODUCE, 0, buf, len), "EINVAL");   /* hook refused */
    len = t_join(buf, "7", "5", NULL);
    assert_ok(t_call(e, d0, XS_SET_TARGET, 0, buf, len), XS_SET_TARGET);
    assert_ok(t_call1(e, d0, XS_RESUME, 0, "7"), XS_RESUME);
    assert_error(t_call1(e, d0, XS_RESUME, 0, "8"), "ENOENT");
    assert_error(t_call1(e, d6, XS_RELEASE, 0, "7"), "EACCES");
    assert_ok(t_call1(e, d0, XS_RELEASE, 0, "7"), XS_RELEASE);
    expect_event(d0, "@releaseDomain", "out");
    assert_error(t_call1(e, d0, XS_RELEASE, 0, "7"), "ENOENT");
    assert_ok(t_call1(e, d0, XS_IS_DOMAIN_INTRODUCED, 0, "7"), XS_IS_DOMAIN_INTRODUCED);
    assert_string_equal(t_reply, "F");
    xs_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matching_rules),
        cmocka_unit_test(initial_event_then_changes_below),
        cmocka_unit_test(removal_reaches_watches_below),
        cmocka_unit_test(relative_watches_see_relative_paths),
        cmocka_unit_test(events_need_read_permission),
        cmocka_unit_test(duplicates_unwatch_reset_and_quota),
        cmocka_unit_test(slow_readers_lose_events_not_memory),
        cmocka_unit_test(introduce_and_release_fire_special_watches),
    };
    return RUN(tests);
}
