/* Helpers of the control self-tests (control_util.h). */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "control_util.h"
#include <xen/memory.h>

/* Linux's privcmd hypercall ioctl (its UAPI header needs kernel headers). */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL \
    _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

int privcmd_fd = -1;
int check_failures;
const char *check_prefix = "control-selftest";

void check(int ok, const char *what, const char *fmt, ...)
{
    va_list ap;

    printf("%s: %s: %s", check_prefix, what, ok ? "ok" : "FAILED");
    if (fmt) {
        printf(" - ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    printf("\n");
    fflush(stdout);
    if (!ok)
        check_failures++;
}

long hypercall(uint64_t op, uint64_t a0, uint64_t a1)
{
    struct privcmd_hypercall h = { .op = op, .arg = { a0, a1 } };
    long r = ioctl(privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    return r < 0 ? -errno : r;
}

long control(uint32_t cmd, uint16_t domid, struct mica_control *c)
{
    c->cmd = cmd;
    c->interface_version = MICA_CONTROL_INTERFACE_VERSION;
    c->domid = domid;
    return hypercall(__HYPERVISOR_mica_control, (uint64_t)(uintptr_t)c, 0);
}

long control_simple(uint32_t cmd, uint16_t domid)
{
    struct mica_control c = { 0 };
    return control(cmd, domid, &c);
}

uint64_t free_pages(void)
{
    struct mica_control c = { 0 };
    return control(MICA_CONTROL_physinfo, 0, &c) == 0 ? c.u.physinfo.free_pages : 0;
}

long create_domain(uint16_t want, uint32_t vcpus, uint64_t max_pages, uint16_t *domid)
{
    struct mica_control c = { .u.create_domain = { 0, vcpus, max_pages } };
    long rc = control(MICA_CONTROL_create_domain, want, &c);
    *domid = c.domid;
    return rc;
}

long populate(uint16_t domid, uint64_t pages)
{
    static xen_pfn_t gfns[4096];
    uint64_t n = pages / 512;

    for (uint64_t i = 0; i < n; i++)
        gfns[i] = i * 512;
    struct xen_memory_reservation r = {
        .extent_start = (uint64_t)(uintptr_t)gfns, .nr_extents = n,
        .extent_order = 9, .domid = domid };
    return hypercall(__HYPERVISOR_memory_op, XENMEM_populate_physmap, (uint64_t)(uintptr_t)&r);
}

int find_domain(uint16_t domid, struct mica_domain_info *out)
{
    static struct mica_domain_info list[64];
    struct mica_control c = { .u.list_domains = {
        .first_domid = 0, .max_entries = 64, .buffer = (uint64_t)(uintptr_t)list } };
    long n = control(MICA_CONTROL_list_domains, 0, &c);

    for (long i = 0; i < n; i++)
        if (list[i].domid == domid) {
            *out = list[i];
            return 0;
        }
    return -1;
}

int wait_event(int evtchn, unsigned int port)
{
    struct pollfd p = { .fd = evtchn, .events = POLLIN };

    while (poll(&p, 1, WAIT_MS) == 1) {
        unsigned int ports[8];
        ssize_t n = read(evtchn, ports, sizeof(ports));
        int seen = 0;
        for (ssize_t i = 0; i < n / (ssize_t)sizeof(ports[0]); i++)
            seen |= ports[i] == port;
        write(evtchn, ports, (size_t)n);      /* unmask */
        if (seen)
            return 1;
    }
    return 0;
}

struct vcpu_hvm_context start_state(uint32_t eip, uint32_t ebx)
{
    struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_32B };
    struct vcpu_hvm_x86_32 *r = &ctx.cpu_regs.x86_32;

    r->eip = eip;
    r->ebx = ebx;
    r->cr0 = 1;                 /* PE */
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = ~0u;
    r->cs_ar = 0xc9b;
    r->ds_ar = r->ss_ar = r->es_ar = 0xc93;
    r->tr_ar = 0x8b;
    r->tr_limit = 0x67;
    return ctx;
}
