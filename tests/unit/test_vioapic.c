/* The emulated I/O APIC: registers, entries, remote IRR and EOI. */
#include "unit.h"
#include <x86/vioapic.h>

static struct vioapic a;

static void select_reg(uint32_t reg)
{
    int pin, eoi;
    vioapic_write(&a, 0x00, reg, &pin, &eoi);
    assert_int_equal(pin, -1);
}

static int write_reg(uint32_t reg, uint32_t value)
{
    int pin, eoi;
    select_reg(reg);
    vioapic_write(&a, 0x10, value, &pin, &eoi);
    assert_int_equal(eoi, -1);
    return pin;
}

static uint32_t read_reg(uint32_t reg)
{
    select_reg(reg);
    return vioapic_read(&a, 0x10);
}

static int setup(void **state)
{
    (void)state;
    vioapic_reset(&a, 0xfec00000, 2, 0, 24);
    return 0;
}

static void identity_and_version(void **state)
{
    (void)state;
    assert_int_equal(read_reg(0x00), 2u << 24);
    assert_int_equal(read_reg(0x01), 0x20 | 23u << 16);
    assert_int_equal(vioapic_read(&a, 0x00), 0x01);     /* IOREGSEL reads back */
    assert_int_equal(read_reg(0x10 + 2 * 24), 0xffffffffu); /* past the last pin */
    assert_int_equal(read_reg(0x10), RTE_MASKED);       /* pins start masked */
}

static void entries_change_and_keep_read_only_bits(void **state)
{
    (void)state;
    assert_int_equal(write_reg(0x11 + 2 * 5, 3u << 24), 5);  /* destination */
    assert_int_equal(write_reg(0x10 + 2 * 5, 0x31 | RTE_LEVEL | RTE_REMOTE_IRR), 5);
    assert_int_equal(read_reg(0x10 + 2 * 5), 0x31 | RTE_LEVEL);  /* IRR is read-only */
    assert_int_equal(write_reg(0x10 + 2 * 5, 0x31 | RTE_LEVEL), -1); /* no change */
    struct vioapic_delivery dl;
    assert_true(vioapic_assert(&a, 5, &dl));
    assert_int_equal(dl.vector, 0x31);
    assert_true(dl.level);
    assert_int_equal(dl.dest, 3);
    assert_false(dl.logical);
    assert_false(vioapic_assert(&a, 5, &dl));           /* waits for its EOI */
    assert_false(vioapic_assert(&a, 6, &dl));           /* masked */
    assert_false(vioapic_assert(&a, 99, &dl));          /* no such pin */
}

static void eoi_clears_remote_irr_of_matching_pins(void **state)
{
    (void)state;
    struct vioapic_delivery dl;
    uint64_t lo, hi;
    write_reg(0x10 + 2 * 9, 0x41 | RTE_LEVEL | RTE_ACTIVE_LOW);
    write_reg(0x10 + 2 * 10, 0x41 | RTE_LEVEL);
    write_reg(0x10 + 2 * 11, 0x42);                     /* edge */
    assert_true(vioapic_assert(&a, 9, &dl));
    assert_true(vioapic_assert(&a, 10, &dl));
    assert_true(vioapic_assert(&a, 11, &dl));
    assert_true(vioapic_assert(&a, 11, &dl));           /* edge: no IRR */
    vioapic_eoi(&a, 0x42, &lo, &hi);
    assert_int_equal(lo, 0);
    vioapic_eoi(&a, 0x41, &lo, &hi);
    assert_int_equal(lo, (1ULL << 9) | (1ULL << 10));
    assert_int_equal(hi, 0);
    assert_true(vioapic_assert(&a, 9, &dl));
    /* The EOI register does the same through the window. */
    int pin, eoi;
    vioapic_write(&a, 0x40, 0x41, &pin, &eoi);
    assert_int_equal(eoi, 0x41);
    assert_int_equal(pin, -1);
}

static void switching_to_edge_drops_remote_irr(void **state)
{
    (void)state;
    struct vioapic_delivery dl;
    write_reg(0x10 + 2 * 3, 0x51 | RTE_LEVEL);
    assert_true(vioapic_assert(&a, 3, &dl));
    write_reg(0x10 + 2 * 3, 0x51);
    assert_int_equal(read_reg(0x10 + 2 * 3), 0x51);
    assert_true(vioapic_assert(&a, 3, &dl));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(identity_and_version, setup),
        cmocka_unit_test_setup(entries_change_and_keep_read_only_bits, setup),
        cmocka_unit_test_setup(eoi_clears_remote_irr_of_matching_pins, setup),
        cmocka_unit_test_setup(switching_to_edge_drops_remote_irr, setup),
    };
    return RUN(tests);
}
