/* A domain's disks and network interfaces, and their xl.cfg spec strings
 * ("format=raw, vdev=xvda, access=rw, target=/path", "mac=..., bridge=...").
 * The checks of single values serve the XML parser too. */
#ifndef MICA_DEVICE_SPEC_H
#define MICA_DEVICE_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "config_error.h"

/* A block device backed by a raw image file or a block device. */
struct domain_disk {
    char *target;           /* path on dom0 */
    char vdev[8];           /* "xvda" ... "xvdzz" */
    bool readonly;
};

/* A network interface; without a MAC the toolstack picks one. */
struct domain_vif {
    bool has_mac;
    uint8_t mac[6];
    char *bridge;           /* NULL: the toolstack's default bridge */
    char *ip;               /* NULL, or space-separated addresses */
};

/* Spec strings; on success the device owns its strings. */
int disk_spec_parse(const char *spec, struct domain_disk *disk,
                    struct config_pos at, struct config_error *err);
int vif_spec_parse(const char *spec, struct domain_vif *vif,
                   struct config_pos at, struct config_error *err);
int device_check_format(const char *format, struct config_pos at, struct config_error *err);
int device_check_vdev(const char *vdev, struct config_pos at, struct config_error *err);
/* The number a vdev has in Xen's virtual block device scheme, which names
 * the disk in xenstore and tells the guest its name: xvda ... xvdp are
 * 202 << 8 | disk << 4, later disks 1 << 28 | disk << 8, where disk
 * counts a = 0 ... z = 25, aa = 26 ... zz = 701. -EINVAL if vdev is not
 * xvda ... xvdzz. */
int device_vdev_number(const char *vdev, uint32_t *number);
int device_parse_mac(const char *text, uint8_t mac[6], struct config_pos at,
                     struct config_error *err);
int device_check_bridge(const char *bridge, struct config_pos at, struct config_error *err);
int device_check_ip(const char *ip, struct config_pos at, struct config_error *err);
void domain_disk_free(struct domain_disk *disk);
void domain_vif_free(struct domain_vif *vif);

#endif
