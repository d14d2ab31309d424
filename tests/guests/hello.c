/*
 * hello: first contact with the hypervisor. The start info, the CPUID
 * leaves, xen_version, console_io, unknown hypercall numbers, and the
 * hypercall page against the direct instruction.
 */
#include "guest.h"

const char guest_name[] = "hello";

/* Leaf +4 EAX bits, for the INFO line. */
static const char *const leaf4_flags[] = {
    "apic_access_virt", "x2apic_virt", "iommu_mappings", "vcpu_id",
    "domid", "ext_dest_id", "upcall_vector",
};

static void check_start_info(const struct hvm_start_info *si)
{
    CHECK(si->magic == XEN_HVM_START_MAGIC_VALUE, "start_info", "magic", "got %#x", si->magic);
    guest_printf("INFO start_info version=%u flags=%#x modules=%u memmap_entries=%u\n",
                 si->version, si->flags, si->nr_modules,
                 si->version >= 1 ? si->memmap_entries : 0);
}

/* Returns leaf base+1 EAX (the version), or 0 without Xen leaves. */
static uint32_t check_cpuid(void)
{
    uint32_t base = xen_cpuid_base();
    struct cpuid_regs r;

    if (!CHECK(base != 0, "cpuid", "signature", "no XenVMMXenVMM in 0x40000000-0x4000ff00"))
        return 0;
    r = cpuid(base, 0);
    guest_printf("INFO cpuid base=%#x max_leaf=%#x\n", base, r.eax);
    CHECK(r.eax >= base + 4, "cpuid", "max_leaf", "%#x, want >= %#x", r.eax, base + 4);

    uint32_t version = cpuid(base + 1, 0).eax;
    CHECK(version >> 16 >= 4, "cpuid", "version", "%u.%u, want >= 4.0",
          version >> 16, version & 0xffff);

    r = cpuid(base + 2, 0);
    CHECK(r.eax >= 1 && r.ebx != 0, "cpuid", "hypercall_msr", "pages %u msr %#x",
          r.eax, r.ebx);
    guest_printf("INFO cpuid hypercall_pages=%u msr=%#x\n", r.eax, r.ebx);

    r = cpuid(base + 4, 0);
    guest_printf("INFO cpuid leaf4 eax=%#x ebx=%#x ecx=%#x:", r.eax, r.ebx, r.ecx);
    for (unsigned int bit = 0; bit < sizeof(leaf4_flags) / sizeof(leaf4_flags[0]); bit++) {
        if (r.eax & (1u << bit))
            guest_printf(" %s", leaf4_flags[bit]);
    }
    guest_printf("\n");
    return version;
}

/* Returns what XENVER_version answered. */
static long check_xen_version(uint32_t cpuid_version)
{
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);
    CHECK(version >= 0 && (uint32_t)version == cpuid_version, "version", "version",
          "got %#lx, CPUID says %#x", version, cpuid_version);

    xen_extraversion_t extra;
    memset(extra, 0xff, sizeof(extra));
    long rc = HYPERVISOR_xen_version(XENVER_extraversion, extra);
    bool ok = rc == 0 && memchr(extra, 0, sizeof(extra));
    CHECK(ok, "version", "extraversion", "rc %ld or no NUL in 16 bytes", rc);
    if (ok)
        guest_printf("INFO version %ld.%ld%s\n", version >> 16, version & 0xffff, extra);

    static xen_capabilities_info_t caps;
    memset(caps, 0xff, sizeof(caps));
    rc = HYPERVISOR_xen_version(XENVER_capabilities, caps);
    ok = rc == 0 && memchr(caps, 0, sizeof(caps));
    CHECK(ok && strstr(caps, "hvm-3.0-x86_64"), "version", "capabilities",
          "rc %ld, want a string naming hvm-3.0-x86_64", rc);
    if (ok)
        guest_printf("INFO capabilities \"%s\"\n", caps);

    test_check_eq("version", "pagesize", HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);

    struct xen_feature_info fi = { .submap_idx = 0 };
    rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
    test_check_eq("version", "get_features", rc, 0);
    guest_printf("INFO features submap0=%#x\n", fi.submap);
    CHECK(fi.submap & (1u << XENFEAT_auto_translated_physmap), "version",
          "feature_auto_translated_physmap", "submap %#x", fi.submap);
    CHECK(fi.submap & (1u << XENFEAT_hvm_callback_vector), "version",
          "feature_hvm_callback_vector", "submap %#x", fi.submap);
    CHECK(fi.submap & (1u << XENFEAT_hvm_safe_pvclock), "version",
          "feature_hvm_safe_pvclock", "submap %#x", fi.submap);
    CHECK(!(fi.submap & (1u << XENFEAT_hvm_pirqs)), "version", "feature_no_hvm_pirqs",
          "submap %#x", fi.submap);

    fi = (struct xen_feature_info){ .submap_idx = XENFEAT_NR_SUBMAPS };
    test_check_eq("version", "get_features_bad_submap",
                  HYPERVISOR_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
    return version;
}

static void check_console(void)
{
    static const char msg[] = "hello: a line written by one console_io call\n";

    console_flush();
    test_check_eq("console", "write",
                  HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg), 0);
    test_check_eq("console", "write_empty", HYPERVISOR_console_io(CONSOLEIO_write, 0, msg), 0);
    test_check_eq("console", "unknown_cmd", HYPERVISOR_console_io(99, 0, NULL), -XEN_ENOSYS);
}

static void check_unknown_hypercalls(void)
{
    test_check_eq("hypercall", "unknown_60", hypercall0(60), -XEN_ENOSYS);
    test_check_eq("hypercall", "unknown_1000", hypercall0(1000), -XEN_ENOSYS);
    test_check_eq("hypercall", "unknown_all_ones", hypercall0(~0UL), -XEN_ENOSYS);
}

static void check_hypercall_page(long direct_version)
{
    uint32_t msr = hypercall_page_install();
    const uint8_t *entry =
        hypercall_page + __HYPERVISOR_xen_version * HYPERCALL_PAGE_ENTRY_SIZE;

    if (!CHECK(msr != 0, "hypercall", "page_install", "no Xen CPUID leaves"))
        return;
    if (!CHECK(entry[0] != 0, "hypercall", "page_filled",
               "entry %u still zero after writing MSR %#x", __HYPERVISOR_xen_version, msr))
        return;
    long version = hypercall_page_call5(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
    test_check_eq("hypercall", "page_xen_version", version, direct_version);
}

void guest_main(const struct hvm_start_info *si)
{
    check_start_info(si);
    uint32_t cpuid_version = check_cpuid();
    long version = check_xen_version(cpuid_version);
    check_console();
    check_unknown_hypercalls();
    check_hypercall_page(version);
}
