/* A domain's network interfaces: what the toolstack does so that the dom0
 * kernel's network backend (xen-netback) gives the guest's netfront an
 * interface on a dom0 bridge. For interface N of domain D it writes the
 * backend's nodes under /local/domain/0/backend/vif/D/N (owned by dom0,
 * readable by the guest) and the frontend's under
 * /local/domain/D/device/vif/N (owned by the guest), then does what Xen's
 * vif-bridge hotplug script does: the backend's interface vifD.N comes up
 * in the bridge and hotplug-status says "connected", which the backend
 * waits for before it connects (docs/xenstore.md lists every node). */
#ifndef MICA_VIF_H
#define MICA_VIF_H

#include <stddef.h>
#include <stdint.h>

#include "device_spec.h"
#include "mica_xs.h"

/* The bridge of a vif that names none, as in Xen. */
#define MICA_VIF_DEFAULT_BRIDGE "xenbr0"
/* "00:16:3e:12:34:56" and its NUL. */
#define MICA_VIF_MAC_TEXT 18

/* A MAC in Xen's range 00:16:3e:00:00:00 ... 00:16:3e:7f:ff:ff, random. */
int mica_vif_random_mac(uint8_t mac[6]);
void mica_vif_mac_text(const uint8_t mac[6], char out[MICA_VIF_MAC_TEXT]);

/* Sets up interface `index` of domain domid (its MAC: vif's, or a random
 * one). -errno with err set; what it set up is undone on failure. */
int mica_vif_add(struct mica_xs *xs, uint16_t domid, unsigned index,
                 const struct domain_vif *vif, char *err, size_t errsz);

/* Takes every interface of domid away: the backend nodes go, which makes
 * the backend remove vifD.N (waited for, up to MICA_DEVICE_RELEASE_SECONDS
 * each). Call it before the domain is destroyed. The frontend nodes go
 * with the domain's home (mica_store_forget). */
void mica_vif_remove_all(struct mica_xs *xs, uint16_t domid);

#endif
