/* The control hypercall and Xen calls over privcmd (mica_ctl.h). */
#include "mica_ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/event_channel.h>
#include <xen/hvm_vcpu.h>
#include <xen/memory.h>

/* Linux's privcmd hypercall ioctl (its UAPI header needs kernel headers). */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

int mica_ctl_open(struct mica_ctl *h)
{
    if (mlockall(MCL_CURRENT | MCL_FUTURE))
        return -errno;
    h->privcmd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    return h->privcmd < 0 ? -errno : 0;
}

void mica_ctl_close(struct mica_ctl *h)
{
    if (h->privcmd >= 0)
        close(h->privcmd);
    h->privcmd = -1;
}

long mica_hypercall(struct mica_ctl *h, uint64_t op, uint64_t a0, uint64_t a1)
{
    struct privcmd_hypercall call = { .op = op, .arg = { a0, a1 } };
    long r = ioctl(h->privcmd, IOCTL_PRIVCMD_HYPERCALL, &call);

    return r < 0 ? -errno : r;
}

long mica_control(struct mica_ctl *h, uint32_t cmd, uint16_t domid, struct mica_control *c)
{
    c->cmd = cmd;
    c->interface_version = MICA_CONTROL_INTERFACE_VERSION;
    c->domid = domid;
    return mica_hypercall(h, __HYPERVISOR_mica_control, (uint64_t)(uintptr_t)c, 0);
}

static int simple(struct mica_ctl *h, uint32_t cmd, uint16_t domid)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    return (int)mica_control(h, cmd, domid, &c);
}

int mica_physinfo(struct mica_ctl *h, struct mica_ctl_physinfo *out)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    int rc = (int)mica_control(h, MICA_CONTROL_physinfo, 0, &c);
    if (rc == 0)
        *out = c.u.physinfo;
    return rc;
}

int mica_domain_create(struct mica_ctl *h, unsigned vcpus, uint64_t max_pages,
                       uint16_t *domid)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.create_domain.max_vcpus = vcpus;
    c.u.create_domain.max_pages = max_pages;
    int rc = (int)mica_control(h, MICA_CONTROL_create_domain, 0, &c);
    if (rc == 0)
        *domid = c.domid;
    return rc;
}

int mica_domain_destroy(struct mica_ctl *h, uint16_t domid)
{
    return simple(h, MICA_CONTROL_destroy_domain, domid);
}

int mica_domain_pause(struct mica_ctl *h, uint16_t domid)
{
    return simple(h, MICA_CONTROL_pause, domid);
}

int mica_domain_unpause(struct mica_ctl *h, uint16_t domid)
{
    return simple(h, MICA_CONTROL_unpause, domid);
}

int mica_domain_set_max_mem(struct mica_ctl *h, uint16_t domid, uint64_t max_pages)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.max_mem.max_pages = max_pages;
    return (int)mica_control(h, MICA_CONTROL_set_max_mem, domid, &c);
}

int mica_domain_list(struct mica_ctl *h, uint16_t first, struct mica_domain_info *out,
                     unsigned max)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.list_domains.first_domid = first;
    c.u.list_domains.max_entries = max;
    c.u.list_domains.buffer = (uint64_t)(uintptr_t)out;
    return (int)mica_control(h, MICA_CONTROL_list_domains, 0, &c);
}

int mica_domain_info(struct mica_ctl *h, uint16_t domid, struct mica_domain_info *out)
{
    int n = mica_domain_list(h, domid, out, 1);

    if (n < 0)
        return n;
    return n == 1 && out->domid == domid ? 0 : -ESRCH;
}

int mica_vcpu_context(struct mica_ctl *h, uint16_t domid, unsigned vcpu,
                      struct mica_vcpu_context *out)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.vcpu_context.vcpu = vcpu;
    int rc = (int)mica_control(h, MICA_CONTROL_get_vcpu_context, domid, &c);
    if (rc == 0)
        *out = c.u.vcpu_context;
    return rc;
}

int mica_vcpu_start_pvh(struct mica_ctl *h, uint16_t domid, unsigned vcpu, uint32_t entry,
                        uint32_t start_info)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.set_vcpu_context.vcpu = vcpu;
    struct vcpu_hvm_context *ctx = &c.u.set_vcpu_context.ctx;
    struct vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;
    ctx->mode = VCPU_HVM_MODE_32B;
    r->eip = entry;
    r->ebx = start_info;
    r->cr0 = 1;                 /* PE, paging off */
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = ~0u;
    r->cs_ar = 0xc9b;           /* 32-bit code, present, accessed */
    r->ds_ar = r->ss_ar = r->es_ar = 0xc93;
    r->tr_ar = 0x8b;
    r->tr_limit = 0x67;
    return (int)mica_control(h, MICA_CONTROL_set_vcpu_context, domid, &c);
}

int mica_hvm_param_set(struct mica_ctl *h, uint16_t domid, uint32_t index, uint64_t value)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.hvm_param.index = index;
    c.u.hvm_param.value = value;
    return (int)mica_control(h, MICA_CONTROL_set_hvm_param, domid, &c);
}

int mica_hvm_param_get(struct mica_ctl *h, uint16_t domid, uint32_t index, uint64_t *value)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.hvm_param.index = index;
    int rc = (int)mica_control(h, MICA_CONTROL_get_hvm_param, domid, &c);
    if (rc == 0)
        *value = c.u.hvm_param.value;
    return rc;
}

int mica_grant_entry_set(struct mica_ctl *h, uint16_t domid, uint32_t ref,
                         uint16_t backend, uint64_t gfn)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.grant_entry.ref = ref;
    c.u.grant_entry.backend = backend;
    c.u.grant_entry.gfn = gfn;
    return (int)mica_control(h, MICA_CONTROL_set_grant_entry, domid, &c);
}

long mica_console_read(struct mica_ctl *h, char *buf, uint32_t size, uint64_t *pos)
{
    struct mica_control c;

    memset(&c, 0, sizeof(c));
    c.u.read_console.buffer = (uint64_t)(uintptr_t)buf;
    c.u.read_console.size = size;
    c.u.read_console.pos = *pos;
    long n = mica_control(h, MICA_CONTROL_read_console, 0, &c);
    if (n >= 0)
        *pos = c.u.read_console.pos;
    return n;
}

/* One populate_physmap call: n extents of 2^order pages from gfn. */
static int populate_run(struct mica_ctl *h, uint16_t domid, uint64_t gfn, uint64_t n,
                        unsigned order)
{
    static xen_pfn_t gfns[512];

    while (n) {
        uint64_t chunk = n < 512 ? n : 512;
        for (uint64_t i = 0; i < chunk; i++)
            gfns[i] = gfn + (i << order);
        struct xen_memory_reservation r = {
            .extent_start = (uint64_t)(uintptr_t)gfns, .nr_extents = chunk,
            .extent_order = order, .domid = domid };
        long got = mica_hypercall(h, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
                                  (uint64_t)(uintptr_t)&r);
        if (got < 0)
            return (int)got;
        if ((uint64_t)got != chunk)
            return -ENOMEM;
        gfn += chunk << order;
        n -= chunk;
    }
    return 0;
}

int mica_populate(struct mica_ctl *h, uint16_t domid, uint64_t gfn, uint64_t pages)
{
    uint64_t end = gfn + pages;
    uint64_t big_start = (gfn + 511) & ~511ULL;
    uint64_t big_end = end & ~511ULL;
    int rc;

    if (big_start >= big_end)
        return populate_run(h, domid, gfn, pages, 0);
    rc = populate_run(h, domid, gfn, big_start - gfn, 0);
    if (!rc)
        rc = populate_run(h, domid, big_start, (big_end - big_start) >> 9, 9);
    if (!rc)
        rc = populate_run(h, domid, big_end, end - big_end, 0);
    return rc;
}

int mica_evtchn_alloc_unbound(struct mica_ctl *h, uint16_t domid, uint16_t remote,
                              uint32_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = domid, .remote_dom = remote };
    long rc = mica_hypercall(h, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
                             (uint64_t)(uintptr_t)&a);
    if (rc == 0)
        *port = a.port;
    return (int)rc;
}
