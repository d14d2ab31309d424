/* libmica's evtchn and gnttab modules without the devices: argument checks
 * before any system call, and closed handles (fd -1) that fail cleanly
 * with -EBADF. What they do with the real devices is for the integration
 * tests (mica-consoled and mica-xenstored in dom0). */
#include "unit.h"

#include <errno.h>
#include <string.h>

#include "mica_evtchn.h"
#include "mica_gnttab.h"

static void fill(struct mica_grant_map *m)
{
    memset(m, 0xa5, sizeof(*m));
}

static void assert_unmapped(const struct mica_grant_map *m)
{
    assert_null(m->addr);
    assert_int_equal(m->count, 0);
    assert_int_equal(m->index, 0);
}

static void test_gnttab_map_arguments(void **state)
{
    (void)state;
    /* An open-looking fd: the checks must come before it is used. */
    struct mica_gnttab g = { .fd = 0 };
    static uint32_t refs[MICA_GNTTAB_MAX_REFS + 1];
    struct mica_grant_map m;

    fill(&m);
    assert_int_equal(mica_gnttab_map(&g, 1, refs, 0, &m), -EINVAL);
    assert_unmapped(&m);
    fill(&m);
    assert_int_equal(mica_gnttab_map(&g, 1, refs, MICA_GNTTAB_MAX_REFS + 1, &m), -EINVAL);
    assert_unmapped(&m);
    fill(&m);
    assert_int_equal(mica_gnttab_map(&g, 1, NULL, 1, &m), -EINVAL);
    assert_unmapped(&m);
}

static void test_gnttab_closed(void **state)
{
    (void)state;
    struct mica_gnttab g = { .fd = -1 };
    const uint32_t refs[2] = { 0, 1 };
    struct mica_grant_map m;

    fill(&m);
    assert_int_equal(mica_gnttab_map(&g, 1, refs, 2, &m), -EBADF);
    assert_unmapped(&m);
    /* Nothing mapped: nothing to give back. */
    assert_int_equal(mica_gnttab_unmap(&g, &m), 0);
    assert_unmapped(&m);
    mica_gnttab_close(&g);
    mica_gnttab_close(&g);
    assert_int_equal(g.fd, -1);
}

static void test_evtchn_closed(void **state)
{
    (void)state;
    struct mica_evtchn e = { .fd = -1 };

    assert_int_equal(mica_evtchn_bind_interdomain(&e, 1, 2), -EBADF);
    assert_int_equal(mica_evtchn_bind_unbound_port(&e, 1), -EBADF);
    assert_int_equal(mica_evtchn_unbind(&e, 3), -EBADF);
    assert_int_equal(mica_evtchn_notify(&e, 3), -EBADF);
    assert_int_equal(mica_evtchn_pending(&e), -EBADF);
    mica_evtchn_close(&e);
    mica_evtchn_close(&e);
    assert_int_equal(e.fd, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gnttab_map_arguments),
        cmocka_unit_test(test_gnttab_closed),
        cmocka_unit_test(test_evtchn_closed),
    };
    return RUN(tests);
}
