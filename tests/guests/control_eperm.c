/*
 * control_eperm: an unprivileged domain sends every command of the control
 * interface (public/mica/control.h), about dom0, about itself and about a
 * free id, with well-formed arguments, with bad ones and through the
 * hypercall page: each must fail with -XEN_EPERM, before the hypervisor
 * reads the struct. Run it as a domU (domus=1).
 */
#include "guest.h"
#include <mica/control.h>

const char guest_name[] = "control_eperm";

static const char *const names[] = {
    [MICA_CONTROL_create_domain] = "create_domain",
    [MICA_CONTROL_destroy_domain] = "destroy_domain",
    [MICA_CONTROL_pause] = "pause",
    [MICA_CONTROL_unpause] = "unpause",
    [MICA_CONTROL_set_max_mem] = "set_max_mem",
    [MICA_CONTROL_set_max_vcpus] = "set_max_vcpus",
    [MICA_CONTROL_get_vcpu_context] = "get_vcpu_context",
    [MICA_CONTROL_set_vcpu_context] = "set_vcpu_context",
    [MICA_CONTROL_list_domains] = "list_domains",
    [MICA_CONTROL_get_hvm_param] = "get_hvm_param",
    [MICA_CONTROL_set_hvm_param] = "set_hvm_param",
    [MICA_CONTROL_read_console] = "read_console",
    [MICA_CONTROL_physinfo] = "physinfo",
    [MICA_CONTROL_set_grant_entry] = "set_grant_entry",
};
#define NR_CMDS (sizeof(names) / sizeof(names[0]))

static char buffer[4096];

/* A request that would succeed from dom0 (or fail for another reason). */
static struct mica_control request(uint32_t cmd, domid_t domid)
{
    struct mica_control c = { .cmd = cmd, .interface_version = MICA_CONTROL_INTERFACE_VERSION,
                              .domid = domid };
    switch (cmd) {
    case MICA_CONTROL_create_domain:
        c.u.create_domain = (struct mica_ctl_create_domain){ 0, 1, 256 };
        break;
    case MICA_CONTROL_set_max_mem:
        c.u.max_mem.max_pages = 1ULL << 40;
        break;
    case MICA_CONTROL_set_max_vcpus:
        c.u.max_vcpus.max_vcpus = 2;
        break;
    case MICA_CONTROL_list_domains:
        c.u.list_domains = (struct mica_ctl_list_domains){
            .max_entries = sizeof(buffer) / sizeof(struct mica_domain_info),
            .buffer = (uint64_t)(uintptr_t)buffer };
        break;
    case MICA_CONTROL_set_hvm_param:
        c.u.hvm_param = (struct mica_ctl_hvm_param){ HVM_PARAM_STORE_PFN, 0, 0x1234 };
        break;
    case MICA_CONTROL_read_console:
        c.u.read_console = (struct mica_ctl_read_console){
            .buffer = (uint64_t)(uintptr_t)buffer, .size = sizeof(buffer),
            .flags = MICA_CONSOLE_CLEAR };
        break;
    case MICA_CONTROL_set_grant_entry:
        c.u.grant_entry = (struct mica_ctl_grant_entry){ .ref = 0, .backend = 0, .gfn = 1 };
        break;
    case MICA_CONTROL_set_vcpu_context:
        c.u.set_vcpu_context.ctx.mode = VCPU_HVM_MODE_32B;
        break;
    }
    return c;
}

static long control(struct mica_control *c)
{
    return hypercall1(__HYPERVISOR_mica_control, (unsigned long)(uintptr_t)c);
}

/* "<a>_<b>": a probe's name; lives until the next call. */
static const char *join(const char *a, const char *b)
{
    static char name[64];
    size_t la = strlen(a), lb = strlen(b);

    if (la + lb + 2 > sizeof(name))
        return a;
    memcpy(name, a, la);
    name[la] = '_';
    memcpy(name + la + 1, b, lb + 1);
    return name;
}

static void check_eperm(const char *name, long rc)
{
    CHECK(rc == -XEN_EPERM, "control", name, "got %ld, want %d", rc, -XEN_EPERM);
}

void guest_main(const struct hvm_start_info *si)
{
    static const struct { const char *name; domid_t id; } targets[] = {
        { "dom0", 0 }, { "self", DOMID_SELF }, { "free", 40 }, { "invalid", DOMID_INVALID },
    };
    (void)si;

    CHECK(xen_own_domid() != 0, "control", "unprivileged", "runs as dom0: run it as a domU");
    for (uint32_t cmd = 1; cmd < NR_CMDS; cmd++) {
        for (unsigned int t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
            struct mica_control c = request(cmd, targets[t].id);
            check_eperm(join(names[cmd], targets[t].name), control(&c));
        }
        /* The same through the hypercall page entry the kernel would use. */
        struct mica_control c = request(cmd, 0);
        if (hypercall_page_install())
            check_eperm(join(names[cmd], "page"),
                        hypercall_page_call5(__HYPERVISOR_mica_control,
                                             (unsigned long)(uintptr_t)&c, 0, 0, 0, 0));
    }
    /* Refused before the struct is read: whatever it holds, or where. */
    struct mica_control c = request(0, 0);
    check_eperm("cmd_0", control(&c));
    c = request(1000, 0);
    check_eperm("cmd_1000", control(&c));
    c = request(MICA_CONTROL_physinfo, 0);
    c.interface_version = 0xdead;
    check_eperm("bad_version", control(&c));
    check_eperm("null_pointer", hypercall1(__HYPERVISOR_mica_control, 0));
    check_eperm("noncanonical_pointer",
                hypercall1(__HYPERVISOR_mica_control, 0x8000000000000000UL));
    /* Nothing it wrote to the buffers came back. */
    bool untouched = true;
    for (unsigned int i = 0; i < sizeof(buffer); i++)
        untouched &= buffer[i] == 0;
    CHECK(untouched, "control", "buffers_untouched", "the hypervisor wrote into a buffer");
}
