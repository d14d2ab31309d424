/* Network interfaces through xen-netback (mica_vif.h). */
#include "mica_vif.h"

#include <errno.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mica_device_store.h"

#define PATH_LEN MICA_DEVICE_PATH_MAX
/* Seconds the backend gets to create vifD.N once its nodes are written. */
#define VIF_APPEAR_SECONDS 10

struct vif_paths {
    char backend[PATH_LEN];
    char frontend[PATH_LEN];
};

static void vif_paths(uint16_t domid, unsigned index, struct vif_paths *p)
{
    snprintf(p->backend, sizeof(p->backend), "/local/domain/0/backend/vif/%u/%u",
             domid, index);
    snprintf(p->frontend, sizeof(p->frontend), "/local/domain/%u/device/vif/%u",
             domid, index);
}

int mica_vif_random_mac(uint8_t mac[6])
{
    uint8_t r[3];

    if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
        return -EIO;
    mac[0] = 0x00;
    mac[1] = 0x16;
    mac[2] = 0x3e;
    mac[3] = r[0] & 0x7f;
    mac[4] = r[1];
    mac[5] = r[2];
    return 0;
}

void mica_vif_mac_text(const uint8_t mac[6], char out[MICA_VIF_MAC_TEXT])
{
    snprintf(out, MICA_VIF_MAC_TEXT, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static bool is_bridge(const char *name)
{
    char path[64];

    snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", name);
    return access(path, F_OK) == 0;
}

/* Waits for the backend's interface; its index, or 0 if it never came. */
static unsigned wait_for_interface(const char *name)
{
    const struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };
    unsigned ifindex = 0;

    for (int i = 0; i < VIF_APPEAR_SECONDS * 10 && !(ifindex = if_nametoindex(name)); i++)
        nanosleep(&tick, NULL);
    return ifindex;
}

/* vif-bridge's work: the interface up and in the bridge. -errno. */
static int join_bridge(const char *ifname, unsigned ifindex, const char *bridge)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -errno;
    struct ifreq req = { 0 };
    snprintf(req.ifr_name, sizeof(req.ifr_name), "%s", ifname);
    int rc = ioctl(s, SIOCGIFFLAGS, &req) ? -errno : 0;
    if (!rc) {
        req.ifr_flags |= IFF_UP;
        rc = ioctl(s, SIOCSIFFLAGS, &req) ? -errno : 0;
    }
    if (!rc) {
        memset(&req, 0, sizeof(req));
        snprintf(req.ifr_name, sizeof(req.ifr_name), "%s", bridge);
        req.ifr_ifindex = (int)ifindex;
        rc = ioctl(s, SIOCBRADDIF, &req) ? -errno : 0;
    }
    close(s);
    return rc;
}

static int write_nodes(struct mica_xs *xs, uint16_t domid, unsigned index,
                       const struct domain_vif *vif, const char *bridge, const char *mac,
                       const struct vif_paths *p, char *err, size_t errsz)
{
    char id[16], handle[16];

    snprintf(id, sizeof(id), "%u", domid);
    snprintf(handle, sizeof(handle), "%u", index);
    /* script: netback reads it (for its hotplug event) and fails without
     * it; here the toolstack does the hotplug work itself. */
    const char *const backend[][2] = {
        { "frontend", p->frontend }, { "frontend-id", id }, { "online", "1" },
        { "handle", handle }, { "mac", mac }, { "bridge", bridge }, { "type", "vif" },
        { "script", "" }, { "ip", vif->ip ? vif->ip : "" }, { "state", "1" },
    };
    const char *const frontend[][2] = {
        { "backend", p->backend }, { "backend-id", "0" }, { "handle", handle },
        { "mac", mac }, { "state", "1" },
    };
    int rc = mica_device_dir(xs, p->backend, 0, domid, err, errsz);
    if (!rc)
        rc = mica_device_put(xs, p->backend, backend, sizeof(backend) / sizeof(backend[0]),
                             err, errsz);
    if (!rc)
        rc = mica_device_dir(xs, p->frontend, domid, 0, err, errsz);
    if (!rc)
        rc = mica_device_put(xs, p->frontend, frontend,
                             sizeof(frontend) / sizeof(frontend[0]), err, errsz);
    return rc;
}

static void remove_vif(struct mica_xs *xs, uint16_t domid, uint32_t index)
{
    struct vif_paths p;
    char name[48];

    vif_paths(domid, index, &p);
    mica_xs_rm(xs, p.backend);
    mica_xs_rm(xs, p.frontend);
    snprintf(name, sizeof(name), "vif-%u-%u", domid, index);
    mica_device_wait_released(name);
}

int mica_vif_add(struct mica_xs *xs, uint16_t domid, unsigned index,
                 const struct domain_vif *vif, char *err, size_t errsz)
{
    const char *bridge = vif->bridge ? vif->bridge : MICA_VIF_DEFAULT_BRIDGE;
    uint8_t mac[6];
    char mac_text[MICA_VIF_MAC_TEXT], ifname[IF_NAMESIZE];
    struct vif_paths p;

    if (!is_bridge(bridge)) {
        snprintf(err, errsz, "vif %u: dom0 has no bridge named %s (make one, e.g. "
                 "`brctl addbr %s`, or name another with bridge=)", index, bridge, bridge);
        return -ENODEV;
    }
    if (vif->has_mac)
        memcpy(mac, vif->mac, sizeof(mac));
    else if (mica_vif_random_mac(mac)) {
        snprintf(err, errsz, "vif %u: no random bytes for a MAC", index);
        return -EIO;
    }
    mica_vif_mac_text(mac, mac_text);
    vif_paths(domid, index, &p);
    int rc = write_nodes(xs, domid, index, vif, bridge, mac_text, &p, err, errsz);
    snprintf(ifname, sizeof(ifname), "vif%u.%u", domid, index);
    unsigned ifindex = rc ? 0 : wait_for_interface(ifname);
    if (!rc && !ifindex) {
        snprintf(err, errsz, "vif %u: the backend made no interface %s within %d s "
                 "(is xen-netback loaded?)", index, ifname, VIF_APPEAR_SECONDS);
        rc = -ETIMEDOUT;
    }
    if (!rc && (rc = join_bridge(ifname, ifindex, bridge)) != 0)
        snprintf(err, errsz, "vif %u: adding %s to bridge %s: %s", index, ifname, bridge,
                 strerror(-rc));
    if (!rc) {
        const char *const status[][2] = { { "hotplug-status", "connected" } };
        rc = mica_device_put(xs, p.backend, status, 1, err, errsz);
    }
    if (rc)
        remove_vif(xs, domid, index);
    return rc;
}

void mica_vif_remove_all(struct mica_xs *xs, uint16_t domid)
{
    mica_device_remove_each(xs, "vif", domid, remove_vif);
}
