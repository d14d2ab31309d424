/* cons_xen: Linux's /dev/xen devices and Mica's domain list for the
 * console daemon (cons_xen.h), through libmica. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>

#include "mica_foreign.h"
#include "cons_xen.h"

static int opened(int err, const char *path, const char *module)
{
    if (err)
        fprintf(stderr, "mica-consoled: cannot open %s: %s (is %s loaded, and are we in "
                "Mica's or Xen's dom0?)\n", path, strerror(-err), module);
    return err;
}

int cons_xen_open(struct cons_xen *x)
{
    x->evtchn.fd = x->gnttab.fd = x->ctl.privcmd = -1;
    int err = opened(mica_evtchn_open(&x->evtchn), MICA_EVTCHN_DEVICE, "xen-evtchn");
    if (!err)
        err = opened(mica_gnttab_open(&x->gnttab), MICA_GNTTAB_DEVICE, "xen-gntdev");
    if (!err)
        err = opened(mica_ctl_open(&x->ctl), "/dev/xen/privcmd (or lock our memory)",
                     "xen-privcmd");
    if (err)
        cons_xen_close(x);
    return err;
}

void cons_xen_close(struct cons_xen *x)
{
    mica_evtchn_close(&x->evtchn);
    mica_gnttab_close(&x->gnttab);
    mica_ctl_close(&x->ctl);
}

int cons_xen_map(struct cons_xen *x, uint32_t domid, uint64_t ring_ref, struct cons_map *m)
{
    const uint32_t ref = GNTTAB_RESERVED_CONSOLE;
    int err = mica_gnttab_map(&x->gnttab, (uint16_t)domid, &ref, 1, &m->grant);
    m->page = err ? NULL : m->grant.addr;
    if (err && ring_ref != GNTTAB_RESERVED_CONSOLE) {
        m->page = mica_foreign_map(&x->ctl, (uint16_t)domid, ring_ref, 1);
        err = m->page ? 0 : -errno;
    }
    if (err)
        fprintf(stderr, "mica-consoled: domain %u: cannot map its console page (grant %u%s): "
                "%s\n", domid, GNTTAB_RESERVED_CONSOLE,
                ring_ref != GNTTAB_RESERVED_CONSOLE ? ", then its frame" : "", strerror(-err));
    return err;
}

void cons_xen_unmap(struct cons_xen *x, struct cons_map *m)
{
    if (!m->page)
        return;
    if (m->grant.addr)
        mica_gnttab_unmap(&x->gnttab, &m->grant);
    else
        mica_foreign_unmap(m->page, 1);
    m->page = NULL;
}

int cons_xen_bind(struct cons_xen *x, uint32_t domid, uint32_t remote_port)
{
    int port = mica_evtchn_bind_interdomain(&x->evtchn, (uint16_t)domid, remote_port);
    if (port < 0)
        fprintf(stderr, "mica-consoled: domain %u: binding its event channel %u: %s\n",
                domid, remote_port, strerror(-port));
    return port;
}

bool cons_xen_domain_alive(struct cons_xen *x, uint32_t domid)
{
    /* The hypervisor writes this through our page tables without faulting
     * pages in: static, and touched here, it stays present (our memory is
     * locked too). */
    static struct mica_domain_info info;

    memset(&info, 0, sizeof(info));
    int err = mica_domain_info(&x->ctl, (uint16_t)domid, &info);
    if (err == -ESRCH)
        return false;
    if (err)
        return true;              /* not Mica, or refused: the store decides */
    return !(info.flags & MICA_DOMINFO_DYING);
}

bool cons_xen_port_joined(struct cons_xen *x, uint32_t local_port, uint32_t domid)
{
    static struct evtchn_status st;     /* static and touched: see above */

    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = local_port;
    if (mica_hypercall(&x->ctl, __HYPERVISOR_event_channel_op, EVTCHNOP_status,
                       (uint64_t)(uintptr_t)&st) < 0)
        return true;              /* cannot tell: the store and domain list decide */
    return st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == domid;
}
