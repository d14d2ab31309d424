/*
 * control_ops: the control interface from a privileged test guest (run it
 * as dom0, with a hostile role=peer domU as domain 1 that beats for long).
 * It reads physinfo, pauses the peer and reads its vCPU registers (from
 * another CPU when there are two), unpauses it, creates, populates and
 * destroys a domain with free memory back where it was, and finally
 * destroys the running peer: its memory must come back.
 */
#include "guest.h"
#include <mica/control.h>

const char guest_name[] = "control_ops";

#define PEER            1
#define SPARE_PAGES     512
#define MAX_TRIES       2000000

static struct mica_domain_info list[16];

static long control(uint32_t cmd, domid_t domid, struct mica_control *c)
{
    c->cmd = cmd;
    c->interface_version = MICA_CONTROL_INTERFACE_VERSION;
    c->domid = domid;
    return hypercall1(__HYPERVISOR_mica_control, (unsigned long)(uintptr_t)c);
}

static long simple(uint32_t cmd, domid_t domid)
{
    struct mica_control c = { 0 };
    return control(cmd, domid, &c);
}

static uint64_t free_pages(void)
{
    struct mica_control c = { 0 };
    return control(MICA_CONTROL_physinfo, 0, &c) == 0 ? c.u.physinfo.free_pages : 0;
}

/* The list record of domid, or NULL. */
static const struct mica_domain_info *find(domid_t domid)
{
    struct mica_control c = { .u.list_domains = {
        .max_entries = sizeof(list) / sizeof(list[0]), .buffer = (uint64_t)(uintptr_t)list } };
    long n = control(MICA_CONTROL_list_domains, 0, &c);

    for (long i = 0; i < n; i++)
        if (list[i].domid == domid)
            return &list[i];
    return NULL;
}

static long populate(domid_t domid, xen_pfn_t gfn)
{
    struct xen_memory_reservation r = {
        .extent_start = (uint64_t)(uintptr_t)&gfn, .nr_extents = 1, .extent_order = 9,
        .domid = domid };
    return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
}

/* One domain created, given memory and destroyed; its id, or 0. */
static domid_t round_trip(void)
{
    struct mica_control c = { .u.create_domain = { 0, 2, SPARE_PAGES } };

    if (control(MICA_CONTROL_create_domain, 0, &c))
        return 0;
    domid_t d = c.domid;
    long got = populate(d, 0);
    const struct mica_domain_info *info = find(d);
    bool listed = info && info->tot_pages == SPARE_PAGES && (info->flags & MICA_DOMINFO_PAUSED);
    long rc = simple(MICA_CONTROL_destroy_domain, d);
    return got == 1 && listed && rc == 0 && !find(d) ? d : 0;
}

static void check_peer_registers(void)
{
    const struct mica_domain_info *info = NULL;

    /* Let the peer run a little first. */
    for (unsigned int i = 0; i < MAX_TRIES; i++) {
        info = find(PEER);
        if (!info || info->cpu_time_ns > 1000000)
            break;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    if (!CHECK(info && (info->flags & MICA_DOMINFO_RUNNING), "control", "peer_running",
               "peer %s", info ? "not running" : "missing"))
        return;
    test_check_eq("control", "pause_peer", simple(MICA_CONTROL_pause, PEER), 0);
    info = find(PEER);
    CHECK(info && (info->flags & MICA_DOMINFO_PAUSED), "control", "peer_paused",
          "flags %#x", info ? info->flags : 0);
    struct mica_control c = { .u.vcpu_context.vcpu = 0 };
    long rc = control(MICA_CONTROL_get_vcpu_context, PEER, &c);
    const struct mica_vcpu_context *r = &c.u.vcpu_context;
    /* The test guests run in long mode, at 1 MiB and up. */
    CHECK(rc == 0 && r->mode == VCPU_HVM_MODE_64B && (r->cr0 & 0x80000001) == 0x80000001 &&
          (r->efer & 0x500) == 0x500 && r->cr3 != 0 && r->rip >= 0x100000 &&
          r->rip < 0x1000000 && r->flags == (MICA_VCPU_FLAG_UP | MICA_VCPU_FLAG_INITIALISED),
          "control", "peer_registers", "rc %ld mode %u cr0 %#lx efer %#lx cr3 %#lx rip %#lx "
          "flags %#x", rc, r->mode, (unsigned long)r->cr0, (unsigned long)r->efer,
          (unsigned long)r->cr3, (unsigned long)r->rip, r->flags);
    test_check_eq("control", "unpause_peer", simple(MICA_CONTROL_unpause, PEER), 0);
}

void guest_main(const struct hvm_start_info *si)
{
    (void)si;
    struct mica_control c = { 0 };
    long rc = control(MICA_CONTROL_physinfo, 0, &c);
    const struct mica_ctl_physinfo *p = &c.u.physinfo;
    CHECK(rc == 0 && (p->virt_caps & MICA_PHYS_CAP_HAP) &&
          (p->virt_caps & (MICA_PHYS_CAP_SVM | MICA_PHYS_CAP_VMX)), "control", "physinfo",
          "rc %ld caps %#x", rc, p->virt_caps);
    guest_printf("INFO physinfo cpus=%u caps=%#x free_pages=%lu\n", p->nr_cpus, p->virt_caps,
                 (unsigned long)p->free_pages);

    check_peer_registers();

    round_trip();               /* the heap may grow once for good */
    uint64_t before = free_pages();
    domid_t d = round_trip();
    uint64_t after = free_pages();
    CHECK(d != 0 && after == before, "control", "create_destroy_no_leak",
          "domain %u, %lu pages free before, %lu after", d, (unsigned long)before,
          (unsigned long)after);

    /* The peer is running on its CPU: destroy stops it there. */
    const struct mica_domain_info *peer = find(PEER);
    uint64_t peer_pages = peer ? peer->tot_pages : 0;
    before = free_pages();
    test_check_eq("control", "destroy_running_peer", simple(MICA_CONTROL_destroy_domain, PEER), 0);
    after = free_pages();
    CHECK(!find(PEER) && peer_pages > 0 && after >= before + peer_pages, "control",
          "peer_memory_back", "%lu pages of the peer, %lu free before, %lu after",
          (unsigned long)peer_pages, (unsigned long)before, (unsigned long)after);
}
