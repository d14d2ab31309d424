/* Finding \_S5's sleep types in AML, as firmware encodes them. */
#include "unit.h"
#include <string.h>
#include <x86/acpi_s5.h>

/* Some AML before and after the object, so that it is found in context. */
static size_t wrap(uint8_t *out, const uint8_t *object, size_t len)
{
    static const uint8_t before[] = { 0x10, 0x05, '_', 'S', 'B', '_', 0x5b };
    static const uint8_t after[] = { 0x14, 0x08, '_', 'P', 'T', 'S', 0x01, 0x70, 0x00, 0x60 };
    memcpy(out, before, sizeof(before));
    memcpy(out + sizeof(before), object, len);
    memcpy(out + sizeof(before) + len, after, sizeof(after));
    return sizeof(before) + len + sizeof(after);
}

static void s5_with_byte_constants(void **state)
{
    /* Name (_S5, Package (0x04) { 0x05, 0x05, Zero, Zero }) */
    static const uint8_t obj[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x04,
                                   0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };
    uint8_t aml[64], typ[2] = { 9, 9 };
    (void)state;
    assert_true(acpi_aml_s5(aml, wrap(aml, obj, sizeof(obj)), typ));
    assert_int_equal(typ[0], 5);
    assert_int_equal(typ[1], 5);
}

static void s5_with_zero_one_and_root_prefix(void **state)
{
    /* Name (\_S5, Package (0x02) { Zero, One }) */
    static const uint8_t obj[] = { 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x04, 0x02,
                                   0x00, 0x01 };
    uint8_t aml[64], typ[2];
    (void)state;
    assert_true(acpi_aml_s5(aml, wrap(aml, obj, sizeof(obj)), typ));
    assert_int_equal(typ[0], 0);
    assert_int_equal(typ[1], 1);
}

static void s5_with_word_constant_and_long_pkglength(void **state)
{
    /* PkgLength in two bytes (lead byte 0x4n), SLP_TYPa as a WordConst. */
    static const uint8_t obj[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x00, 0x02,
                                   0x0b, 0x07, 0x00, 0x0a, 0x07 };
    uint8_t aml[64], typ[2];
    (void)state;
    assert_true(acpi_aml_s5(aml, wrap(aml, obj, sizeof(obj)), typ));
    assert_int_equal(typ[0], 7);
    assert_int_equal(typ[1], 7);
}

static void s5_as_a_string_or_method_is_not_it(void **state)
{
    /* "_S5_" inside a string, then a method named _S5_: neither is the
     * package; the real one follows. */
    static const uint8_t aml[] = {
        0x0d, '_', 'S', '5', '_', 0x00,
        0x14, 0x06, '_', 'S', '5', '_', 0x00, 0xa4,
        0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x03, 0x0a, 0x04,
    };
    uint8_t typ[2];
    (void)state;
    assert_true(acpi_aml_s5(aml, sizeof(aml), typ));
    assert_int_equal(typ[0], 3);
    assert_int_equal(typ[1], 4);
}

static void missing_truncated_or_bad_values_fail(void **state)
{
    static const uint8_t none[] = { 0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x02, 0x00, 0x00 };
    static const uint8_t cut[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a };
    static const uint8_t one_element[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x00 };
    static const uint8_t too_big[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02,
                                       0x0a, 0x08, 0x0a, 0x00 };
    static const uint8_t not_const[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02,
                                         0x60, 0x00 };
    uint8_t typ[2];
    (void)state;
    assert_false(acpi_aml_s5(none, sizeof(none), typ));
    assert_false(acpi_aml_s5(cut, sizeof(cut), typ));
    assert_false(acpi_aml_s5(one_element, sizeof(one_element), typ));
    assert_false(acpi_aml_s5(too_big, sizeof(too_big), typ));
    assert_false(acpi_aml_s5(not_const, sizeof(not_const), typ));
    assert_false(acpi_aml_s5(NULL, 0, typ));
    /* Every truncation of a good object fails without reading past it. */
    static const uint8_t good[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x04,
                                    0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00 };
    for (size_t len = 0; len < 12; len++)
        assert_false(acpi_aml_s5(good, len, typ));
    assert_true(acpi_aml_s5(good, 12, typ));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(s5_with_byte_constants),
        cmocka_unit_test(s5_with_zero_one_and_root_prefix),
        cmocka_unit_test(s5_with_word_constant_and_long_pkglength),
        cmocka_unit_test(s5_as_a_string_or_method_is_not_it),
        cmocka_unit_test(missing_truncated_or_bad_values_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
