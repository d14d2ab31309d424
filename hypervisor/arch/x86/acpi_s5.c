/* Finding \_S5 in AML (x86/acpi_s5.h). The object is declared as
 * NameOp "_S5_" PackageOp PkgLength NumElements elements..., the name
 * maybe with a root prefix; its first two elements are integers encoded as
 * ZeroOp, OneOp, or a byte or word constant. */
#include <mica/string.h>
#include <x86/acpi_s5.h>

#define AML_ZERO_OP      0x00
#define AML_ONE_OP       0x01
#define AML_NAME_OP      0x08
#define AML_BYTE_PREFIX  0x0a
#define AML_WORD_PREFIX  0x0b
#define AML_PACKAGE_OP   0x12
#define AML_ROOT_PREFIX  0x5c

/* One integer element at aml[*at]; false if it is not a small constant. */
static bool small_integer(const uint8_t *aml, size_t len, size_t *at, uint8_t *out)
{
    if (*at >= len)
        return false;
    uint8_t op = aml[(*at)++];
    uint32_t value;
    if (op == AML_ZERO_OP || op == AML_ONE_OP) {
        value = op;
    } else if (op == AML_BYTE_PREFIX && *at < len) {
        value = aml[(*at)++];
    } else if (op == AML_WORD_PREFIX && *at + 1 < len) {
        value = aml[*at] | (uint32_t)aml[*at + 1] << 8;
        *at += 2;
    } else {
        return false;
    }
    if (value > 7)              /* SLP_TYP is a 3-bit field */
        return false;
    *out = (uint8_t)value;
    return true;
}

static bool package_at(const uint8_t *aml, size_t len, size_t at, uint8_t slp_typ[2])
{
    if (at >= len || aml[at++] != AML_PACKAGE_OP || at >= len)
        return false;
    /* PkgLength: bits 7-6 of the lead byte count the bytes that follow. */
    at += 1 + (aml[at] >> 6);
    if (at >= len || aml[at++] < 2)     /* NumElements */
        return false;
    return small_integer(aml, len, &at, &slp_typ[0]) &&
           small_integer(aml, len, &at, &slp_typ[1]);
}

bool acpi_aml_s5(const uint8_t *aml, size_t len, uint8_t slp_typ[2])
{
    for (size_t i = 1; i + 4 <= len; i++) {
        if (memcmp(aml + i, "_S5_", 4) != 0)
            continue;
        bool named = aml[i - 1] == AML_NAME_OP ||
                     (aml[i - 1] == AML_ROOT_PREFIX && i >= 2 && aml[i - 2] == AML_NAME_OP);
        if (named && package_at(aml, len, i + 4, slp_typ))
            return true;
    }
    return false;
}
