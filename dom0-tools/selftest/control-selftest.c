/*
 * control-selftest: drives Mica's control interface (docs/control.md) from
 * dom0 userspace through /dev/xen/privcmd, against real domains: physinfo,
 * the console ring, create, limits, populate, list, HVM params, vCPU
 * context, pause/unpause, a crash left as a zombie, destroy with
 * VIRQ_DOM_EXC, free memory back where it was over many rounds, bad
 * arguments, and foreign mappings that outlive their domain. Given a PVH
 * ELF (a test guest), it also builds and runs it in a new domain. One line per check, then "control-selftest: PASS" or "FAIL".
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "control_build.h"
#include "control_util.h"
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/hvm_params.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/evtchn.h>         /* Linux's UAPI, after domid_t is defined */

#define ROUNDS        20
#define DOMU_PAGES    2048      /* 8 MiB populated per test domain */
#define DOMU_MAX      4096
#define BOOT_LINE     "domain 0: privileged"

static void test_physinfo(void)
{
    struct mica_control c = { 0 };
    long rc = control(MICA_CONTROL_physinfo, 0, &c);
    struct mica_ctl_physinfo *p = &c.u.physinfo;

    check(rc == 0 && p->nr_cpus >= 1 && p->nr_cpus <= p->max_cpus &&
          p->free_pages > 0 && p->free_pages < p->total_pages &&
          (p->virt_caps & MICA_PHYS_CAP_HAP) &&
          (p->virt_caps & (MICA_PHYS_CAP_SVM | MICA_PHYS_CAP_VMX)),
          "physinfo", "rc %ld, %u of %u CPUs at %u kHz, %" PRIu64 " of %" PRIu64
          " pages free, caps %#x", rc, p->nr_cpus, p->max_cpus, p->cpu_khz,
          p->free_pages, p->total_pages, p->virt_caps);
}

/* Reads the whole ring into buf; returns its length. */
static size_t read_console(char *buf, size_t size, uint64_t *pos, uint32_t flags)
{
    size_t len = 0;

    while (len + 1 < size) {
        struct mica_control c = { .u.read_console = {
            .buffer = (uint64_t)(uintptr_t)(buf + len),
            .size = (uint32_t)(size - 1 - len > 1000 ? 1000 : size - 1 - len),
            .pos = *pos } };
        long n = control(MICA_CONTROL_read_console, 0, &c);
        if (n <= 0)
            break;
        len += (size_t)n;
        *pos = c.u.read_console.pos;
    }
    buf[len] = '\0';
    if (flags) {
        struct mica_control c = { .u.read_console = { .flags = flags } };
        control(MICA_CONTROL_read_console, 0, &c);
    }
    return len;
}

static void test_console(void)
{
    static char buf[128 * 1024];
    uint64_t pos = 0;
    size_t len = read_console(buf, sizeof(buf), &pos, 0);

    check(len > 0 && strstr(buf, BOOT_LINE) != NULL, "console ring",
          "%zu bytes up to position %" PRIu64 "%s", len, pos,
          strstr(buf, BOOT_LINE) ? ", boot line found" : ", no \"" BOOT_LINE "\"");
    /* Reading on from where it stopped gives only what came since. */
    uint64_t again = pos;
    size_t more = read_console(buf, sizeof(buf), &again, 0);
    check(again == pos + more && !strstr(buf, BOOT_LINE), "console ring resumes",
          "%zu new bytes", more);
}

static void test_lifecycle(int evtchn, unsigned int dom_exc)
{
    uint16_t d;
    struct mica_domain_info info;
    struct mica_control c;

    long rc = create_domain(0, 1, DOMU_MAX, &d);
    check(rc == 0 && d > 0, "create_domain", "rc %ld, domid %u", rc, d);
    if (rc)
        return;
    c = (struct mica_control){ .u.max_mem.max_pages = 2 * DOMU_MAX };
    check(control(MICA_CONTROL_set_max_mem, d, &c) == 0, "set_max_mem", NULL);
    c = (struct mica_control){ .u.max_vcpus.max_vcpus = 2 };
    check(control(MICA_CONTROL_set_max_vcpus, d, &c) == 0, "set_max_vcpus", NULL);
    rc = populate(d, DOMU_PAGES);
    check(rc == DOMU_PAGES / 512, "populate_physmap", "%ld extents", rc);

    rc = find_domain(d, &info);
    check(rc == 0 && (info.flags & MICA_DOMINFO_PAUSED) && info.tot_pages == DOMU_PAGES &&
          info.max_pages == 2 * DOMU_MAX && info.max_vcpus == 2 && info.vcpus_online == 0 &&
          !(info.flags & MICA_DOMINFO_PRIVILEGED),
          "list_domains", "found %d, flags %#x, %" PRIu64 "/%" PRIu64 " pages, vcpus %u/%u",
          rc == 0, info.flags, info.tot_pages, info.max_pages, info.vcpus_online,
          info.max_vcpus);
    rc = find_domain(0, &info);
    check(rc == 0 && (info.flags & MICA_DOMINFO_PRIVILEGED) && info.cpu_time_ns > 0,
          "list_domains dom0", "flags %#x, cpu %" PRIu64 " ns", info.flags, info.cpu_time_ns);

    c = (struct mica_control){ .u.hvm_param = { HVM_PARAM_STORE_PFN, 0, 0xfeffc } };
    long set = control(MICA_CONTROL_set_hvm_param, d, &c);
    c = (struct mica_control){ .u.hvm_param = { HVM_PARAM_STORE_PFN, 0, 0 } };
    long get = control(MICA_CONTROL_get_hvm_param, d, &c);
    check(set == 0 && get == 0 && c.u.hvm_param.value == 0xfeffc, "hvm_param",
          "set %ld get %ld value %#" PRIx64, set, get, c.u.hvm_param.value);
    c = (struct mica_control){ .u.grant_entry = { GNTTAB_RESERVED_XENSTORE, 0, 0, 0xfeffc } };
    check(control(MICA_CONTROL_set_grant_entry, d, &c) == 0, "set_grant_entry", NULL);

    check(control_simple(MICA_CONTROL_unpause, d) == 0 && find_domain(d, &info) == 0 &&
          (info.flags & MICA_DOMINFO_RUNNING), "unpause", "flags %#x", info.flags);
    check(control_simple(MICA_CONTROL_pause, d) == 0 && find_domain(d, &info) == 0 &&
          (info.flags & MICA_DOMINFO_PAUSED), "pause", "flags %#x", info.flags);

    /* A start state for vCPU 0, read back. */
    c = (struct mica_control){ .u.set_vcpu_context = { .vcpu = 0,
        .ctx = start_state(0x40000000, 0x1000) } };
    rc = control(MICA_CONTROL_set_vcpu_context, d, &c);
    c = (struct mica_control){ .u.vcpu_context.vcpu = 0 };
    long got = control(MICA_CONTROL_get_vcpu_context, d, &c);
    struct mica_vcpu_context *vc = &c.u.vcpu_context;
    check(rc == 0 && got == 0 && vc->rip == 0x40000000 && vc->rbx == 0x1000 &&
          (vc->cr0 & 1) && vc->mode == VCPU_HVM_MODE_32B &&
          vc->flags == (MICA_VCPU_FLAG_UP | MICA_VCPU_FLAG_INITIALISED),
          "vcpu_context", "set %ld get %ld rip %#" PRIx64 " rbx %#" PRIx64 " flags %#x",
          rc, got, vc->rip, vc->rbx, vc->flags);

    /* It runs, crashes at once and stays a zombie with its reason. */
    check(control_simple(MICA_CONTROL_unpause, d) == 0, "unpause to run", NULL);
    int crashed = wait_event(evtchn, dom_exc);
    rc = find_domain(d, &info);
    check(crashed && rc == 0 && (info.flags & MICA_DOMINFO_SHUTDOWN) &&
          info.shutdown_reason == SHUTDOWN_crash, "shutdown zombie",
          "VIRQ_DOM_EXC %s, flags %#x, reason %u", crashed ? "seen" : "not seen",
          info.flags, info.shutdown_reason);

    rc = control_simple(MICA_CONTROL_destroy_domain, d);
    int notified = wait_event(evtchn, dom_exc);
    check(rc == 0 && find_domain(d, &info) != 0 && notified, "destroy_domain",
          "rc %ld, VIRQ_DOM_EXC %s", rc, notified ? "seen" : "not seen");
}

static long evtchn_op(uint32_t cmd, void *arg)
{
    return hypercall(__HYPERVISOR_event_channel_op, cmd, (uint64_t)(uintptr_t)arg);
}

/* An interdomain channel from dom0 to a new domain, as a builder makes
 * for its console and store: when the domain goes, dom0's end returns to
 * unbound. */
static void test_peer_sees_close(int evtchn)
{
    uint16_t d;

    if (create_domain(0, 1, 16, &d)) {
        check(0, "evtchn peer: create", NULL);
        return;
    }
    struct evtchn_alloc_unbound au = { .dom = d, .remote_dom = 0 };
    long rc = evtchn_op(EVTCHNOP_alloc_unbound, &au);
    struct ioctl_evtchn_bind_interdomain bind = { d, au.port };
    int local = rc == 0 ? ioctl(evtchn, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind) : -1;
    struct evtchn_status st = { .dom = DOMID_SELF, .port = (uint32_t)local };
    long before = local > 0 ? evtchn_op(EVTCHNOP_status, &st) : -1;
    uint32_t state_before = st.status;
    control_simple(MICA_CONTROL_destroy_domain, d);
    st = (struct evtchn_status){ .dom = DOMID_SELF, .port = (uint32_t)local };
    long after = local > 0 ? evtchn_op(EVTCHNOP_status, &st) : -1;
    check(rc == 0 && local > 0 && before == 0 && state_before == EVTCHNSTAT_interdomain &&
          after == 0 && st.status == EVTCHNSTAT_unbound, "evtchn peer sees the close",
          "alloc %ld, local port %d, status %u then %u", rc, local, state_before, st.status);
    if (local > 0) {
        struct ioctl_evtchn_unbind unbind = { (unsigned int)local };
        ioctl(evtchn, IOCTL_EVTCHN_UNBIND, &unbind);
    }
}

/* One create, populate and destroy; 0 when all three worked. */
static int round_trip(void)
{
    uint16_t d;

    if (create_domain(0, 2, DOMU_MAX, &d))
        return -1;
    long got = populate(d, DOMU_PAGES);
    long rc = control_simple(MICA_CONTROL_destroy_domain, d);
    return got == DOMU_PAGES / 512 && rc == 0 ? 0 : -1;
}

static void test_no_leak(void)
{
    /* The first round may grow the hypervisor's heap for good. */
    round_trip();
    uint64_t before = free_pages();
    int ok = round_trip() == 0;
    uint64_t after_one = free_pages();
    check(ok && after_one == before, "free memory after destroy",
          "%" PRIu64 " pages before, %" PRIu64 " after", before, after_one);
    int bad = 0;
    for (int i = 0; i < ROUNDS; i++)
        bad += round_trip() != 0;
    uint64_t after = free_pages();
    check(bad == 0 && after == before, "create/destroy rounds",
          "%d rounds, %d failed, %" PRIu64 " pages free before, %" PRIu64 " after",
          ROUNDS, bad, before, after);
}

static void expect(const char *what, long rc, long want)
{
    check(rc == want, what, "got %ld, want %ld", rc, want);
}

static void test_bad_arguments(void)
{
    struct mica_control c = { 0 };
    uint16_t d;

    expect("destroy missing domid", control_simple(MICA_CONTROL_destroy_domain, 999), -ESRCH);
    expect("destroy free domid", control_simple(MICA_CONTROL_destroy_domain, 40), -ESRCH);
    expect("destroy dom0", control_simple(MICA_CONTROL_destroy_domain, 0), -EINVAL);
    expect("pause dom0 itself", control_simple(MICA_CONTROL_pause, 0), -EINVAL);
    expect("create huge memory", create_domain(0, 1, 1ULL << 50, &d), -EINVAL);
    expect("create no vcpus", create_domain(0, 0, 256, &d), -EINVAL);
    expect("create 1000 vcpus", create_domain(0, 1000, 256, &d), -EINVAL);
    expect("create out-of-range id", create_domain(500, 1, 256, &d), -EINVAL);
    long rc = create_domain(0, 1, 256, &d);
    expect("create for argument checks", rc, 0);
    if (rc == 0) {
        uint16_t again;
        expect("create taken id", create_domain(d, 1, 256, &again), -EEXIST);
        c = (struct mica_control){ .u.max_mem.max_pages = 1ULL << 50 };
        expect("set_max_mem huge", control(MICA_CONTROL_set_max_mem, d, &c), -EINVAL);
        expect("populate past max_mem", populate(d, 4096), 0);
        c = (struct mica_control){ .u.vcpu_context.vcpu = 99 };
        expect("get_vcpu_context bad vcpu", control(MICA_CONTROL_get_vcpu_context, d, &c),
               -EINVAL);
        c = (struct mica_control){ .u.hvm_param = { 9999, 0, 0 } };
        expect("get_hvm_param bad index", control(MICA_CONTROL_get_hvm_param, d, &c), -EINVAL);
        c = (struct mica_control){ .u.grant_entry = { 7, 0, 0, 1 } };
        expect("set_grant_entry bad ref", control(MICA_CONTROL_set_grant_entry, d, &c),
               -EINVAL);
        c = (struct mica_control){ .u.set_vcpu_context = { .vcpu = 0 } };
        c.u.set_vcpu_context.ctx.mode = 7;
        expect("set_vcpu_context bad mode", control(MICA_CONTROL_set_vcpu_context, d, &c),
               -EINVAL);
        c = (struct mica_control){ .u.max_vcpus.max_vcpus = 0 };
        expect("set_max_vcpus 0", control(MICA_CONTROL_set_max_vcpus, d, &c), -EINVAL);
        c = (struct mica_control){ .u.max_vcpus.max_vcpus = 2 };
        expect("set_max_vcpus 2", control(MICA_CONTROL_set_max_vcpus, d, &c), 0);
        c = (struct mica_control){ .u.set_vcpu_context = { .vcpu = 1,
            .ctx = start_state(0x100000, 0) } };
        expect("set_vcpu_context vcpu 1", control(MICA_CONTROL_set_vcpu_context, d, &c), 0);
        c = (struct mica_control){ .u.max_vcpus.max_vcpus = 1 };
        expect("set_max_vcpus below a started vcpu",
               control(MICA_CONTROL_set_max_vcpus, d, &c), -EBUSY);
        expect("pause paused", control_simple(MICA_CONTROL_pause, d), -EINVAL);
        expect("destroy", control_simple(MICA_CONTROL_destroy_domain, d), 0);
        expect("destroy twice", control_simple(MICA_CONTROL_destroy_domain, d), -ESRCH);
    }
    c = (struct mica_control){ .u.list_domains = { .max_entries = 4, .buffer = 0x10 } };
    expect("list_domains bad buffer", control(MICA_CONTROL_list_domains, 0, &c), -EFAULT);
    expect("unknown command", control_simple(999, 0), -ENOSYS);
    c = (struct mica_control){ .cmd = MICA_CONTROL_physinfo, .interface_version = 0x00020000 };
    expect("other interface version",
           hypercall(__HYPERVISOR_mica_control, (uint64_t)(uintptr_t)&c, 0), -EACCES);
    expect("bad struct pointer", hypercall(__HYPERVISOR_mica_control, 0x10, 0), -EFAULT);
}

int main(int argc, char **argv)
{
    /* The hypervisor reads and writes our buffers through our page tables
     * and does not fault pages in: keep every page present (as libxc's
     * hypercall buffers are). */
    if (mlockall(MCL_CURRENT | MCL_FUTURE))
        printf("control-selftest: mlockall: %s\n", strerror(errno));
    privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    int evtchn = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    if (privcmd_fd < 0 || evtchn < 0) {
        printf("control-selftest: cannot open /dev/xen/privcmd or evtchn: %s\n",
               strerror(errno));
        printf("control-selftest: FAIL\n");
        return 1;
    }
    struct ioctl_evtchn_bind_virq bind = { .virq = VIRQ_DOM_EXC };
    int port = ioctl(evtchn, IOCTL_EVTCHN_BIND_VIRQ, &bind);
    check(port > 0, "bind VIRQ_DOM_EXC", "port %d", port);

    test_physinfo();
    test_console();
    test_lifecycle(evtchn, (unsigned int)port);
    test_peer_sees_close(evtchn);
    test_no_leak();
    test_bad_arguments();
    test_foreign_outlives_domain();
    if (argc > 1)
        test_build_guest(argv[1], evtchn, (unsigned int)port);

    printf("control-selftest: %s\n", check_failures ? "FAIL" : "PASS");
    return check_failures != 0;
}
