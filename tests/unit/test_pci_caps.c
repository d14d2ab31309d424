/* dom0's view of PCI capability lists: MSI and MSI-X unlinked. */
#include "unit.h"
#include <string.h>
#include <x86/pci_caps.h>

static uint8_t cfg[256];

static uint8_t read8(void *ctx, uint8_t reg)
{
    (void)ctx;
    return cfg[reg];
}

static uint32_t dword_at(uint8_t base)
{
    uint32_t v;
    memcpy(&v, cfg + base, 4);
    return v;
}

static void cap(uint8_t at, uint8_t id, uint8_t next)
{
    cfg[at] = id;
    cfg[at + 1] = next;
}

/* status says "capability list"; 0x34 -> 0x40 */
static void device_with_list(uint8_t first)
{
    memset(cfg, 0, sizeof(cfg));
    cfg[0x06] = 0x10;
    cfg[0x34] = first;
}

static void hides_msi_and_msix_and_relinks(void **state)
{
    (void)state;
    struct pci_cap_view v;
    /* 0x40 MSI-X -> 0x50 power management -> 0x60 MSI -> 0x70 PCIe */
    device_with_list(0x40);
    cap(0x40, 0x11, 0x50);
    cap(0x50, 0x01, 0x60);
    cap(0x60, 0x05, 0x70);
    cap(0x70, 0x10, 0x00);
    pci_cap_view_build(&v, read8, NULL);
    assert_int_equal(v.count, 4);
    assert_int_equal(pci_cap_view_patch(&v, 0x34, dword_at(0x34)) & 0xff, 0x50);
    assert_int_equal((pci_cap_view_patch(&v, 0x50, dword_at(0x50)) >> 8) & 0xff, 0x70);
    assert_int_equal((pci_cap_view_patch(&v, 0x70, dword_at(0x70)) >> 8) & 0xff, 0x00);
    /* Other bytes pass unchanged. */
    cfg[0x52] = 0xab;
    assert_int_equal((pci_cap_view_patch(&v, 0x50, dword_at(0x50)) >> 16) & 0xff, 0xab);
    assert_int_equal(pci_cap_view_patch(&v, 0x80, 0x12345678), 0x12345678);
    /* Writes into the hidden capabilities are refused, others pass. */
    assert_true(pci_cap_view_hides(&v, 0x42, 2));
    assert_true(pci_cap_view_hides(&v, 0x64, 4));
    assert_true(pci_cap_view_hides(&v, 0x3e, 4));
    assert_false(pci_cap_view_hides(&v, 0x54, 4));
    assert_false(pci_cap_view_hides(&v, 0x4c, 4));      /* past MSI-X's 12 bytes */
}

static void no_list_and_loops_are_bounded(void **state)
{
    (void)state;
    struct pci_cap_view v;
    device_with_list(0x40);
    cfg[0x06] = 0;                                      /* no capability list */
    pci_cap_view_build(&v, read8, NULL);
    assert_int_equal(v.count, 0);
    assert_int_equal(pci_cap_view_patch(&v, 0x34, 0x40) & 0xff, 0);

    device_with_list(0x40);
    cap(0x40, 0x01, 0x40);                              /* points at itself */
    pci_cap_view_build(&v, read8, NULL);
    assert_int_equal(v.count, PCI_CAPS_MAX);

    device_with_list(0x20);                             /* inside the header */
    pci_cap_view_build(&v, read8, NULL);
    assert_int_equal(v.count, 0);
}

static void only_hidden_capabilities_leave_an_empty_list(void **state)
{
    (void)state;
    struct pci_cap_view v;
    device_with_list(0x48);
    cap(0x48, 0x05, 0x00);
    pci_cap_view_build(&v, read8, NULL);
    assert_int_equal(pci_cap_view_patch(&v, 0x34, dword_at(0x34)) & 0xff, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hides_msi_and_msix_and_relinks),
        cmocka_unit_test(no_list_and_loops_are_bounded),
        cmocka_unit_test(only_hidden_capabilities_leave_an_empty_list),
    };
    return RUN(tests);
}
