/* libmica's vif module without a backend: the MACs it makes and writes,
 * and a missing bridge refused before anything is written to xenstore.
 * Bridged guests are for the integration test (test_mxl_network). */
#include "unit.h"

#include <errno.h>
#include <string.h>

#include "mica_vif.h"

static void mac_text(void **state)
{
    (void)state;
    char text[MICA_VIF_MAC_TEXT];
    const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x0a, 0xbc, 0xff };

    mica_vif_mac_text(mac, text);
    assert_string_equal(text, "00:16:3e:0a:bc:ff");
}

static void random_macs_are_xen_unicast(void **state)
{
    (void)state;
    uint8_t first[6], mac[6];
    bool differ = false;

    assert_int_equal(mica_vif_random_mac(first), 0);
    for (int i = 0; i < 64; i++) {
        assert_int_equal(mica_vif_random_mac(mac), 0);
        assert_memory_equal(mac, "\x00\x16\x3e", 3);
        assert_true(mac[3] < 0x80);
        differ |= memcmp(mac, first, sizeof(mac)) != 0;
    }
    assert_true(differ);
}

static void missing_bridge_touches_nothing(void **state)
{
    (void)state;
    /* A closed store: any request through it would fail otherwise. */
    struct mica_xs xs = { .fd = -1 };
    struct domain_vif vif = { .bridge = "nosuchbr0" };
    char err[256] = "";

    assert_int_equal(mica_vif_add(&xs, 7, 0, &vif, err, sizeof(err)), -ENODEV);
    assert_non_null(strstr(err, "dom0 has no bridge named nosuchbr0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mac_text),
        cmocka_unit_test(random_macs_are_xen_unicast),
        cmocka_unit_test(missing_bridge_touches_nothing),
    };
    return RUN(tests);
}
