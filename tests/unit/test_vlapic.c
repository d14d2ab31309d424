/* The virtual x2APIC: registers, priorities, EOI, ICR decoding, timer. */
#include "unit.h"
#include <x86/vlapic.h>

static struct vlapic l;
static struct vlapic_effects fx;

static void wr(uint32_t reg, uint64_t v, uint64_t now)
{
    assert_true(vlapic_write(&l, 0x800 + reg, v, now, &fx));
}

static uint64_t rd(uint32_t reg, uint64_t now)
{
    uint64_t v = 0;
    assert_true(vlapic_read(&l, 0x800 + reg, now, &v));
    return v;
}

static int setup(void **state)
{
    (void)state;
    vlapic_reset(&l, 5);
    wr(0x0f, 0x1ff, 0);         /* enable through SVR */
    return 0;
}

static void identity_registers(void **state)
{
    (void)state;
    assert_int_equal(rd(0x02, 0), 5);
    assert_int_equal(rd(0x03, 0) & 0xff, 0x14);
    assert_int_equal(rd(0x0d, 0), (0u << 16) | (1u << 5));
    uint64_t v;
    assert_false(vlapic_read(&l, 0x80b, 0, &v));    /* EOI is write-only */
    assert_false(vlapic_read(&l, 0x7ff, 0, &v));
    assert_false(vlapic_write(&l, 0x802, 1, 0, &fx));  /* ID read-only */
    assert_false(vlapic_write(&l, 0x808, 1ULL << 32, 0, &fx));
}

static void priorities_and_eoi(void **state)
{
    (void)state;
    assert_int_equal(vlapic_pending(&l), -1);
    assert_false(vlapic_set_irr(&l, 3));
    assert_true(vlapic_set_irr(&l, 0x31));
    assert_true(vlapic_set_irr(&l, 0x52));
    assert_int_equal(vlapic_pending(&l), 0x52);
    vlapic_ack(&l, 0x52);
    /* 0x31 is a lower class than the 0x52 in service: it waits. */
    assert_int_equal(vlapic_pending(&l), -1);
    assert_int_equal(rd(0x0a, 0), 0x50);
    wr(0x0b, 0, 0);             /* EOI */
    assert_int_equal(vlapic_pending(&l), 0x31);
    wr(0x08, 0x40, 0);          /* TPR above it */
    assert_int_equal(vlapic_pending(&l), -1);
    wr(0x08, 0, 0);
    assert_int_equal(rd(0x20 + 1, 0), 1u << (0x31 - 32));
}

static void disabled_apic_delivers_nothing(void **state)
{
    (void)state;
    wr(0x0f, 0xff, 0);
    vlapic_set_irr(&l, 0x40);
    assert_int_equal(vlapic_pending(&l), -1);
}

static void icr_decoding(void **state)
{
    (void)state;
    wr(0x30, (7ULL << 32) | 0x4000 | 0x0500, 0);           /* INIT assert */
    assert_int_equal(fx.ipi.mode, VLAPIC_IPI_INIT);
    assert_int_equal(fx.ipi.dest, 7);
    wr(0x30, 0x0500, 0);                                    /* INIT de-assert */
    assert_int_equal(fx.ipi.mode, VLAPIC_IPI_NONE);
    wr(0x30, (2ULL << 32) | 0x0600 | 0x9a, 0);              /* SIPI */
    assert_int_equal(fx.ipi.mode, VLAPIC_IPI_STARTUP);
    assert_int_equal(fx.ipi.vector, 0x9a);
    wr(0x30, (3u << 18) | 0xf3, 0);                         /* all but self */
    assert_int_equal(fx.ipi.mode, VLAPIC_IPI_FIXED);
    assert_int_equal(fx.ipi.shorthand, VLAPIC_DEST_ALL_BUT_SELF);
    assert_int_equal(rd(0x30, 0), (3u << 18) | 0xf3);
    wr(0x3f, 0x44, 0);                                      /* self IPI */
    assert_int_equal(fx.ipi.shorthand, VLAPIC_DEST_SELF);
    assert_int_equal(fx.ipi.vector, 0x44);
}

static void oneshot_timer(void **state)
{
    (void)state;
    wr(0x3e, 0xb, 0);           /* divide by 1 */
    wr(0x32, 0xef, 1000);       /* one-shot, vector 0xef */
    assert_true(fx.timer_rearm);
    wr(0x38, 500, 1000);
    assert_int_equal(vlapic_timer_deadline(&l), 1500);
    assert_int_equal(rd(0x39, 1200), 300);
    assert_true(vlapic_timer_fired(&l, 1400));              /* not yet */
    assert_int_equal(vlapic_pending(&l), -1);
    assert_false(vlapic_timer_fired(&l, 1600));             /* fired, idle */
    assert_int_equal(vlapic_pending(&l), 0xef);
    assert_int_equal(rd(0x39, 1700), 0);
    assert_int_equal(vlapic_timer_deadline(&l), 0);
}

static void periodic_timer_with_divider(void **state)
{
    (void)state;
    wr(0x3e, 0x3, 0);           /* divide by 16 */
    wr(0x32, (1u << 17) | 0x30, 0);
    wr(0x38, 100, 0);
    assert_int_equal(vlapic_timer_deadline(&l), 1600);
    assert_true(vlapic_timer_fired(&l, 1600));
    assert_int_equal(vlapic_timer_deadline(&l), 3200);
    assert_int_equal(vlapic_pending(&l), 0x30);
    wr(0x32, (1u << 16) | (1u << 17) | 0x30, 0);            /* masked */
    assert_int_equal(vlapic_timer_deadline(&l), 0);
}

static void level_triggered_eoi_is_reported(void **state)
{
    (void)state;
    assert_true(vlapic_set_irr_trig(&l, 0x61, true));
    assert_true(vlapic_set_irr_trig(&l, 0x41, false));
    assert_int_equal(rd(0x18 + 3, 0), 1u << 1);     /* TMR bit of 0x61 */
    assert_int_equal(vlapic_pending(&l), 0x61);
    vlapic_ack(&l, 0x61);
    wr(0x0b, 0, 0);
    assert_int_equal(fx.eoi_level_vector, 0x61);
    assert_int_equal(vlapic_pending(&l), 0x41);
    vlapic_ack(&l, 0x41);
    wr(0x0b, 0, 0);
    assert_int_equal(fx.eoi_level_vector, -1);      /* edge: nothing to report */
    wr(0x0b, 0, 0);
    assert_int_equal(fx.eoi_level_vector, -1);      /* nothing in service */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(identity_registers, setup),
        cmocka_unit_test_setup(priorities_and_eoi, setup),
        cmocka_unit_test_setup(level_triggered_eoi_is_reported, setup),
        cmocka_unit_test_setup(disabled_apic_delivers_nothing, setup),
        cmocka_unit_test_setup(icr_decoding, setup),
        cmocka_unit_test_setup(oneshot_timer, setup),
        cmocka_unit_test_setup(periodic_timer_with_divider, setup),
    };
    return RUN(tests);
}
