/*
 * hostile: a guest that attacks the hypervisor through its own interface.
 *
 * role=attack (the default) runs as an unprivileged domain and sends every
 * hypercall family out-of-range and malicious arguments: bad ports, GFNs,
 * grant references and domain ids, huge counts and lengths, pointers that
 * are unaligned, unmapped, read-only or non-canonical, numbers past the
 * hypercall table, and calls only the control domain may make. It also
 * writes reserved MSRs, touches dangerous I/O ports and unbacked memory.
 * Each probe prints one TEST line; every one must fail cleanly, with
 * Xen's error where Xen defines one (where Xen's answer is an accident of
 * its implementation, Mica's documented answer is accepted beside it; see
 * docs/abi.md).
 *
 * role=peer is the well-behaved neighbour: it prints beats=N heartbeats
 * interval_ms apart (default 40 x 100 ms), yielding in between, and checks
 * that its memory and its hypercalls stay intact meanwhile.
 *
 * role=triplefault loads an empty IDT and raises an exception: the domain
 * must be shut down as crashed and nothing else may notice.
 */
#include "guest.h"
#include "shared.h"
#include "x86.h"

const char guest_name[] = "hostile";

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --------------------------------------------------------------------- */
/* Checks that accept one of a few answers.                               */

static bool expect_in(const char *area, const char *name, long got,
                      const long *want, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        if (got == want[i])
            return test_check(true, area, name, "%s", "");
    }
    if (n == 1)
        return test_check(false, area, name, "got %ld, want %ld", got, want[0]);
    return test_check(false, area, name, "got %ld, want %ld or %ld", got, want[0], want[1]);
}

/* EXPECT(area, name, got, want...): got must be one of the wanted values. */
#define EXPECT(area, name, got, ...)                                          \
    expect_in((area), (name), (long)(got), (const long[]){ __VA_ARGS__ },    \
              ARRAY_LEN(((const long[]){ __VA_ARGS__ })))

/* --------------------------------------------------------------------- */
/* Bad guest addresses. The low 2 MiB get 4 KiB page-table entries of our */
/* own so that the NULL page and one more page are unmapped and one page  */
/* is read-only (CR0.WP on).                                              */

#define HOLE_GVA        0x5000UL                /* not present */
#define RO_GVA          0x6000UL                /* present, read-only */
#define EDGE_GVA        (HOLE_GVA - 8)          /* 8 mapped bytes, then the hole */
#define UNBACKED_GVA    0xe0000000UL            /* mapped, no RAM behind it */
#define FREE_GPA        0x100000000UL           /* no RAM of ours at 4 GiB */
#define CR0_WP          (1UL << 16)
#define PTE_ADDR_MASK   0x000ffffffffff000UL

static const struct bad_pointer {
    const char *name;
    uint64_t addr;
} bad_pointers[] = {
    { "null", 0x0 },
    { "odd", 0x1 },
    { "edge", EDGE_GVA },
    { "unbacked", UNBACKED_GVA },
    { "high", 0xdead0000000UL },
    { "noncanonical", 0x8000000000000000UL },
};

static uint64_t low_pt[512] __attribute__((aligned(PAGE_SIZE)));

static uint64_t read_cr0(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static uint64_t read_cr3(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static void make_holes(void)
{
    uint64_t *pml4 = (uint64_t *)(read_cr3() & PTE_ADDR_MASK);
    uint64_t *pdpt = (uint64_t *)(pml4[0] & PTE_ADDR_MASK);
    uint64_t *pd = (uint64_t *)(pdpt[0] & PTE_ADDR_MASK);

    for (unsigned int i = 0; i < 512; i++)
        low_pt[i] = ((uint64_t)i << 12) | PTE_PRESENT | PTE_WRITE;
    low_pt[0] = 0;
    low_pt[HOLE_GVA >> 12] = 0;
    memset((void *)RO_GVA, 0x5a, PAGE_SIZE);
    low_pt[RO_GVA >> 12] = RO_GVA | PTE_PRESENT;
    memcpy((void *)EDGE_GVA, "hostile\n", 8);
    pd[0] = (uint64_t)(uintptr_t)low_pt | PTE_PRESENT | PTE_WRITE;
    __asm__ volatile("mov %0, %%cr3" : : "r"(read_cr3()) : "memory");
    __asm__ volatile("mov %0, %%cr0" : : "r"(read_cr0() | CR0_WP) : "memory");
}

static bool ro_page_untouched(void)
{
    const uint8_t *p = (const uint8_t *)RO_GVA;

    for (unsigned int i = 0; i < PAGE_SIZE; i++) {
        if (p[i] != 0x5a)
            return false;
    }
    return true;
}

/* --------------------------------------------------------------------- */
/* Catching the faults some probes should raise: while a probe runs, an   */
/* IDT of our own sends #UD, #GP and #PF to a stub that records the       */
/* vector and resumes after the probing instruction.                      */

#define NO_FAULT 0xffUL

volatile uint64_t hostile_fault_vector;
uint64_t hostile_fault_resume;

extern const char hostile_fault_ud[], hostile_fault_gp[], hostile_fault_pf[];

__asm__(".pushsection .text\n"
        "hostile_fault_ud:\n"
        "    movq $6, hostile_fault_vector(%rip)\n"
        "    jmp hostile_fault_return\n"
        "hostile_fault_gp:\n"
        "    movq $13, hostile_fault_vector(%rip)\n"
        "    addq $8, %rsp\n"               /* drop the error code */
        "    jmp hostile_fault_return\n"
        "hostile_fault_pf:\n"
        "    movq $14, hostile_fault_vector(%rip)\n"
        "    addq $8, %rsp\n"
        "hostile_fault_return:\n"
        "    pushq %rax\n"
        "    movq hostile_fault_resume(%rip), %rax\n"
        "    movq %rax, 8(%rsp)\n"          /* the saved RIP */
        "    popq %rax\n"
        "    iretq\n"
        ".popsection\n");

static struct idt_gate probe_idt[32] __attribute__((aligned(16)));
static struct idt_desc probe_idtr, runtime_idtr;

static void set_gate(unsigned int vector, const void *handler)
{
    uint64_t addr = (uint64_t)(uintptr_t)handler;
    uint16_t cs;

    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    probe_idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)addr,
        .selector = cs,
        .type = 0x8e,               /* present, DPL 0, 64-bit interrupt gate */
        .offset_mid = (uint16_t)(addr >> 16),
        .offset_high = (uint32_t)(addr >> 32),
    };
}

static void fault_catcher_init(void)
{
    __asm__ volatile("sidt %0" : "=m"(runtime_idtr));
    size_t n = (size_t)runtime_idtr.limit + 1;
    memcpy(probe_idt, (const void *)(uintptr_t)runtime_idtr.base,
           n < sizeof(probe_idt) ? n : sizeof(probe_idt));
    set_gate(6, hostile_fault_ud);
    set_gate(13, hostile_fault_gp);
    set_gate(14, hostile_fault_pf);
    probe_idtr = (struct idt_desc){ sizeof(probe_idt) - 1, (uint64_t)(uintptr_t)probe_idt };
}

/* Arms the catcher around one instruction: `insn` with its operands. */
#define CAUGHT_ASM(insn) \
    "lidt %[probe_idt]\n\t"                                 \
    "leaq 1f(%%rip), %%r11\n\t"                             \
    "movq %%r11, hostile_fault_resume(%%rip)\n\t"           \
    insn "\n"                                               \
    "1:\n\t"                                                \
    "lidt %[runtime_idt]"

#define CAUGHT_IDTS [probe_idt] "m"(probe_idtr), [runtime_idt] "m"(runtime_idtr)

/* The vector a WRMSR raised, or NO_FAULT. */
static uint64_t try_wrmsr(uint32_t msr, uint64_t value)
{
    hostile_fault_vector = NO_FAULT;
    __asm__ volatile(CAUGHT_ASM("wrmsr")
                     : : CAUGHT_IDTS, "c"(msr), "a"((uint32_t)value),
                       "d"((uint32_t)(value >> 32))
                     : "r11", "memory");
    return hostile_fault_vector;
}

static uint64_t try_rdmsr(uint32_t msr, uint64_t *value)
{
    uint32_t lo = 0, hi = 0;

    hostile_fault_vector = NO_FAULT;
    __asm__ volatile(CAUGHT_ASM("rdmsr")
                     : "+a"(lo), "+d"(hi) : CAUGHT_IDTS, "c"(msr) : "r11", "memory");
    *value = ((uint64_t)hi << 32) | lo;
    return hostile_fault_vector;
}

/* REP INSB of 4 bytes from port into buf. */
static uint64_t try_insb(uint16_t port, uint8_t *buf)
{
    uint64_t count = 4;

    hostile_fault_vector = NO_FAULT;
    __asm__ volatile(CAUGHT_ASM("rep insb")
                     : "+D"(buf), "+c"(count) : CAUGHT_IDTS, "d"(port) : "r11", "memory");
    return hostile_fault_vector;
}

/* --------------------------------------------------------------------- */
/* Probes, one family at a time.                                          */

/* "<a>_<b>", for probes repeated over a table of bad values. The name
 * lives until the next call. */
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

static const char *ptr_name(const char *prefix, const struct bad_pointer *p)
{
    return join(prefix, p->name);
}

static void probe_hypercall_numbers(void)
{
    EXPECT("hypercall", "nr_64", hypercall0(64), -XEN_ENOSYS);
    EXPECT("hypercall", "nr_1000", hypercall0(1000), -XEN_ENOSYS);
    EXPECT("hypercall", "nr_all_ones", hypercall0(~0UL), -XEN_ENOSYS);
    /* xen_version's number with the upper half set: not xen_version. */
    EXPECT("hypercall", "nr_high_bits",
           hypercall2((1UL << 32) | __HYPERVISOR_xen_version, XENVER_version, 0),
           -XEN_ENOSYS);
    /* Numbers Xen has and Mica leaves out answer like unknown ones. */
    EXPECT("hypercall", "set_trap_table", hypercall1(__HYPERVISOR_set_trap_table, 0),
           -XEN_ENOSYS);
    EXPECT("hypercall", "mmu_update", hypercall4(__HYPERVISOR_mmu_update, 0, 1, 0, DOMID_SELF),
           -XEN_ENOSYS);
    if (hypercall_page_install())
        EXPECT("hypercall", "page_entry_127", hypercall_page_call5(127, 0, 0, 0, 0, 0),
               -XEN_ENOSYS);
}

static void probe_version(void)
{
    EXPECT("version", "cmd_1000", HYPERVISOR_xen_version(1000, NULL), -XEN_ENOSYS);
    for (unsigned int i = 0; i < ARRAY_LEN(bad_pointers); i++)
        EXPECT("version", ptr_name("extraversion", &bad_pointers[i]),
               HYPERVISOR_xen_version(XENVER_extraversion, (void *)bad_pointers[i].addr),
               -XEN_EFAULT);
    EXPECT("version", "extraversion_readonly",
           HYPERVISOR_xen_version(XENVER_extraversion, (void *)RO_GVA), -XEN_EFAULT);
    CHECK(ro_page_untouched(), "version", "readonly_page_untouched",
          "the hypervisor wrote through a read-only mapping");

    struct xen_feature_info fi = { .submap_idx = ~0u };
    EXPECT("version", "get_features_submap_all_ones",
           HYPERVISOR_xen_version(XENVER_get_features, &fi), -XEN_EINVAL);
}

static void probe_console(void)
{
    console_flush();
    EXPECT("console", "write_huge_count_edge",
           HYPERVISOR_console_io(CONSOLEIO_write, 0x80000000u, (const char *)EDGE_GVA),
           -XEN_EFAULT);
    EXPECT("console", "write_huge_count_high",
           HYPERVISOR_console_io(CONSOLEIO_write, 0x80000000u, (const char *)0xdead0000000UL),
           -XEN_EFAULT);
    for (unsigned int i = 0; i < ARRAY_LEN(bad_pointers); i++)
        EXPECT("console", ptr_name("write", &bad_pointers[i]),
               HYPERVISOR_console_io(CONSOLEIO_write, 16, (const char *)bad_pointers[i].addr),
               -XEN_EFAULT);
    EXPECT("console", "cmd_all_ones", HYPERVISOR_console_io(~0u, 1, "x"), -XEN_ENOSYS);
}

static long reserve(unsigned int cmd, xen_pfn_t *list, xen_ulong_t nr, uint32_t order,
                    domid_t domid)
{
    struct xen_memory_reservation r = {
        .extent_start = (uint64_t)(uintptr_t)list,
        .nr_extents = nr,
        .extent_order = order,
        .domid = domid,
    };

    return HYPERVISOR_memory_op(cmd, &r);
}

static void probe_reservations(void)
{
    static const struct {
        const char *name;
        xen_pfn_t gfn;
    } gfns[] = {
        { "beyond_ram", FREE_GPA >> 12 },
        { "gfn_2_52", 1ULL << 52 },
        { "gfn_all_ones", ~0ULL },
    };
    static const unsigned int cmds[] = {
        XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
    };
    static const char *const cmd_names[] = { "increase", "decrease", "populate" };

    /* Every extent fails, so each call reports 0 extents done. The
     * domain holds all it may, so even a free GFN cannot be populated. */
    for (unsigned int c = 0; c < ARRAY_LEN(cmds); c++) {
        for (unsigned int g = 0; g < ARRAY_LEN(gfns); g++) {
            xen_pfn_t list[1] = { gfns[g].gfn };
            EXPECT("memory", join(cmd_names[c], gfns[g].name),
                   reserve(cmds[c], list, 1, 0, DOMID_SELF), 0);
        }
    }
    xen_pfn_t list[1] = { FREE_GPA >> 12 };
    /* Xen counts 0 extents for these; Mica refuses the call outright. */
    EXPECT("memory", "populate_order_30", reserve(XENMEM_populate_physmap, list, 1, 30,
                                                  DOMID_SELF), 0, -XEN_EINVAL);
    EXPECT("memory", "increase_for_dom0",
           reserve(XENMEM_increase_reservation, list, 1, 0, 0), 0, -XEN_EPERM);
    EXPECT("memory", "decrease_for_dom0",
           reserve(XENMEM_decrease_reservation, list, 1, 0, 0), 0, -XEN_EPERM);
    EXPECT("memory", "populate_for_domid_xen",
           reserve(XENMEM_populate_physmap, list, 1, 0, DOMID_XEN), 0, -XEN_EPERM);
    EXPECT("memory", "populate_extents_unmapped",
           reserve(XENMEM_populate_physmap, (xen_pfn_t *)HOLE_GVA, 0xffffffffUL, 0,
                   DOMID_SELF), 0);
    EXPECT("memory", "decrease_extents_noncanonical",
           reserve(XENMEM_decrease_reservation, (xen_pfn_t *)0x8000000000000000UL, 16, 0,
                   DOMID_SELF), 0);
    EXPECT("memory", "reservation_struct_unmapped",
           HYPERVISOR_memory_op(XENMEM_populate_physmap, (void *)HOLE_GVA), 0, -XEN_EFAULT);
}

/* Whether [addr, addr + len) is RAM in the memory map we booted with. */
static bool is_ram(const struct hvm_start_info *si, uint64_t addr, uint64_t len)
{
    const struct hvm_memmap_table_entry *map =
        (const struct hvm_memmap_table_entry *)(uintptr_t)si->memmap_paddr;

    for (unsigned int i = 0; si->version >= 1 && i < si->memmap_entries; i++) {
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && addr >= map[i].addr &&
            addr + len <= map[i].addr + map[i].size)
            return true;
    }
    return false;
}

/*
 * A 2 MiB extent populated over a region that still has pages in it must
 * not replace them (one large mapping over the small ones would drop them
 * from our map while the hypervisor still counts them). We give back a
 * spare 2 MiB for the quota, then one page of a second 2 MiB region that
 * keeps a marker in its next page, and populate that region whole.
 */
#define SPARE_GPA   0x1400000UL             /* 20 MiB: unused by this guest */
#define PARTIAL_GPA 0x1000000UL             /* 16 MiB: likewise */

static void probe_populate_over_partial(const struct hvm_start_info *si)
{
    if (!is_ram(si, PARTIAL_GPA, 2 << 20) || !is_ram(si, SPARE_GPA, 2 << 20)) {
        guest_printf("INFO memory: under 22 MiB of RAM, populate_over_partial skipped\n");
        return;
    }
    volatile uint64_t *marker = (volatile uint64_t *)(PARTIAL_GPA + PAGE_SIZE);
    *marker = 0x686f7374696c6521ULL;
    xen_pfn_t spare[1] = { SPARE_GPA >> 12 }, first[1] = { PARTIAL_GPA >> 12 };
    EXPECT("memory", "decrease_order_9", reserve(XENMEM_decrease_reservation, spare, 1, 9,
                                                 DOMID_SELF), 1);
    EXPECT("memory", "decrease_one_page", reserve(XENMEM_decrease_reservation, first, 1, 0,
                                                  DOMID_SELF), 1);
    EXPECT("memory", "populate_over_partial_extent",
           reserve(XENMEM_populate_physmap, first, 1, 9, DOMID_SELF), 0);
    CHECK(*marker == 0x686f7374696c6521ULL, "memory", "partial_extent_pages_kept",
          "marker %#lx", (unsigned long)*marker);
}

static long add_to_physmap(domid_t domid, unsigned int space, xen_ulong_t idx, xen_pfn_t gpfn)
{
    struct xen_add_to_physmap x = { .domid = domid, .space = space, .idx = idx, .gpfn = gpfn };

    return HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x);
}

/* A word of the mapped shared_info read with a plain load: all ones if the
 * page has gone from our physical map. */
static uint64_t shared_word(const struct shared_info *s)
{
    uint64_t v;
    const xen_ulong_t *p = &s->evtchn_pending[EVTCHN_2L_NR_CHANNELS / 64 - 1];

    __asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static void probe_memory(const struct hvm_start_info *si)
{
    probe_reservations();
    probe_populate_over_partial(si);

    struct shared_info *s = shared_info_map();
    if (!CHECK(s != NULL, "memory", "shared_info_map", "add_to_physmap refused it"))
        return;
    uint64_t before = shared_word(s);
    EXPECT("memory", "shared_info_gpfn_2_52",
           add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, 1ULL << 52), -XEN_EINVAL);
    EXPECT("memory", "shared_info_gpfn_all_ones",
           add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, ~0ULL), -XEN_EINVAL);
    uint64_t after = shared_word(s);
    CHECK(after == before && after != ~0ULL, "memory", "shared_info_kept_after_bad_gpfn",
          "word %#lx before, %#lx after", (unsigned long)before, (unsigned long)after);
    /* The shared_info page is the hypervisor's: it cannot be given back,
     * and nothing can be populated over it. */
    xen_pfn_t shared_gfn[1] = { (uint64_t)(uintptr_t)s >> 12 };
    EXPECT("memory", "decrease_shared_info_gfn",
           reserve(XENMEM_decrease_reservation, shared_gfn, 1, 0, DOMID_SELF), 0);
    EXPECT("memory", "populate_over_shared_info",
           reserve(XENMEM_populate_physmap, shared_gfn, 1, 0, DOMID_SELF), 0);
    CHECK(shared_word(s) == before, "memory", "shared_info_still_mapped", "word %#lx",
          (unsigned long)shared_word(s));
    EXPECT("memory", "shared_info_idx_1",
           add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1, HOLE_GVA >> 12), -XEN_EINVAL);
    EXPECT("memory", "grant_table_idx_huge",
           add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0x7fffffff, FREE_GPA >> 12),
           -XEN_EINVAL);
    EXPECT("memory", "grant_table_status_frame",
           add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, XENMAPIDX_grant_table_status,
                          FREE_GPA >> 12), -XEN_EINVAL);
    EXPECT("memory", "space_unknown",
           add_to_physmap(DOMID_SELF, 0xffff, 0, FREE_GPA >> 12), -XEN_EINVAL, -XEN_ENOSYS);
    EXPECT("memory", "add_to_physmap_dom0",
           add_to_physmap(0, XENMAPSPACE_shared_info, 0, FREE_GPA >> 12), -XEN_EPERM);
    /* Xen looks the domain up first (ESRCH); Mica checks privilege first. */
    EXPECT("memory", "add_to_physmap_domid_xen",
           add_to_physmap(DOMID_XEN, XENMAPSPACE_shared_info, 0, FREE_GPA >> 12),
           -XEN_EPERM, -XEN_ESRCH);
    EXPECT("memory", "add_to_physmap_domid_io",
           add_to_physmap(DOMID_IO, XENMAPSPACE_shared_info, 0, FREE_GPA >> 12),
           -XEN_EPERM, -XEN_ESRCH);
    EXPECT("memory", "add_to_physmap_struct_noncanonical",
           HYPERVISOR_memory_op(XENMEM_add_to_physmap, (void *)0x8000000000000000UL),
           -XEN_EFAULT);
    /* Mapping dom0's memory (privcmd's batch call) is the control
     * domain's right; the pages named here are all real. */
    xen_ulong_t idx = 0;
    xen_pfn_t gpfn = FREE_GPA >> 12;
    int err = 1;
    struct xen_add_to_physmap_batch batch = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign, .size = 1,
        .u.foreign_domid = 0, .idxs = (uint64_t)(uintptr_t)&idx,
        .gpfns = (uint64_t)(uintptr_t)&gpfn, .errs = (uint64_t)(uintptr_t)&err };
    EXPECT("memory", "map_foreign_dom0",
           HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &batch), -XEN_EPERM);
    CHECK(err == 1, "memory", "map_foreign_dom0_errs_untouched", "errs[0] = %d", err);
    struct xen_remove_from_physmap rm = { .domid = 0, .gpfn = 0x100 };
    EXPECT("memory", "remove_from_physmap_dom0",
           HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm), -XEN_EPERM);
    rm = (struct xen_remove_from_physmap){ .domid = DOMID_SELF, .gpfn = FREE_GPA >> 12 };
    EXPECT("memory", "remove_from_physmap_nothing_there",
           HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm), -XEN_EINVAL);
    rm.gpfn = ~0UL;
    EXPECT("memory", "remove_from_physmap_gfn_huge",
           HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm), -XEN_EINVAL);

    domid_t dom0 = 0, domid_invalid = DOMID_INVALID;
    EXPECT("memory", "current_reservation_dom0",
           HYPERVISOR_memory_op(XENMEM_current_reservation, &dom0), -XEN_EPERM);
    EXPECT("memory", "maximum_reservation_dom0",
           HYPERVISOR_memory_op(XENMEM_maximum_reservation, &dom0), -XEN_EPERM);
    EXPECT("memory", "current_reservation_domid_invalid",
           HYPERVISOR_memory_op(XENMEM_current_reservation, &domid_invalid),
           -XEN_EPERM, -XEN_ESRCH);
    EXPECT("memory", "current_reservation_unmapped",
           HYPERVISOR_memory_op(XENMEM_current_reservation, (void *)0x1), -XEN_EFAULT);

    struct xen_memory_map map = { .nr_entries = 16, .buffer = UNBACKED_GVA };
    EXPECT("memory", "memory_map_buffer_unbacked",
           HYPERVISOR_memory_op(XENMEM_memory_map, &map), -XEN_EFAULT);
    EXPECT("memory", "cmd_63", HYPERVISOR_memory_op(63, NULL), -XEN_ENOSYS);
}

static long hvm_param(unsigned int cmd, domid_t domid, uint32_t index, uint64_t value)
{
    struct xen_hvm_param p = { .domid = domid, .index = index, .value = value };

    return HYPERVISOR_hvm_op(cmd, &p);
}

static void probe_hvm(void)
{
    uint64_t vector_cb = (2ULL << 56) | 0xf3;

    EXPECT("hvm", "set_param_dom0",
           hvm_param(HVMOP_set_param, 0, HVM_PARAM_CALLBACK_IRQ, vector_cb), -XEN_EPERM);
    EXPECT("hvm", "get_param_dom0",
           hvm_param(HVMOP_get_param, 0, HVM_PARAM_STORE_PFN, 0), -XEN_EPERM);
    EXPECT("hvm", "set_param_domid_xen",
           hvm_param(HVMOP_set_param, DOMID_XEN, HVM_PARAM_CALLBACK_IRQ, vector_cb),
           -XEN_EPERM, -XEN_ESRCH);
    EXPECT("hvm", "set_param_index_nr",
           hvm_param(HVMOP_set_param, DOMID_SELF, HVM_NR_PARAMS, 0), -XEN_EINVAL);
    EXPECT("hvm", "get_param_index_all_ones",
           hvm_param(HVMOP_get_param, DOMID_SELF, ~0u, 0), -XEN_EINVAL);
    EXPECT("hvm", "set_own_store_pfn",
           hvm_param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, 0x1234), -XEN_EPERM);
    for (unsigned int i = 0; i < ARRAY_LEN(bad_pointers); i++)
        EXPECT("hvm", ptr_name("get_param", &bad_pointers[i]),
               HYPERVISOR_hvm_op(HVMOP_get_param, (void *)bad_pointers[i].addr), -XEN_EFAULT);

    struct xen_hvm_evtchn_upcall_vector u = { .vcpu = 32, .vector = 0xf3 };
    EXPECT("hvm", "upcall_vector_vcpu_32",
           HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), -XEN_ENOENT);
    u.vcpu = ~0u;
    EXPECT("hvm", "upcall_vector_vcpu_all_ones",
           HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), -XEN_ENOENT);
    u = (struct xen_hvm_evtchn_upcall_vector){ .vcpu = 0, .vector = 2 };
    EXPECT("hvm", "upcall_vector_nmi",
           HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), -XEN_EINVAL);
    EXPECT("hvm", "cmd_1000", HYPERVISOR_hvm_op(1000, NULL), -XEN_ENOSYS);
}

static const struct {
    const char *name;
    evtchn_port_t port;
} bad_ports[] = {
    { "port_0", 0 }, { "port_4096", 4096 }, { "port_all_ones", 0xffffffffu },
};

static void probe_evtchn(void)
{
    for (unsigned int i = 0; i < ARRAY_LEN(bad_ports); i++) {
        struct evtchn_send send = { .port = bad_ports[i].port };
        struct evtchn_close close = { .port = bad_ports[i].port };
        EXPECT("evtchn", join("send", bad_ports[i].name),
               HYPERVISOR_event_channel_op(EVTCHNOP_send, &send), -XEN_EINVAL);
        EXPECT("evtchn", join("close", bad_ports[i].name),
               HYPERVISOR_event_channel_op(EVTCHNOP_close, &close), -XEN_EINVAL);
    }
    /* Xen lets port 0 be unmasked (it is a valid, reserved port). */
    struct evtchn_unmask unmask = { .port = 4096 };
    EXPECT("evtchn", "unmask_port_4096",
           HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &unmask), -XEN_EINVAL);
    unmask.port = ~0u;
    EXPECT("evtchn", "unmask_port_all_ones",
           HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &unmask), -XEN_EINVAL);
    struct evtchn_bind_vcpu bv = { .port = 4096, .vcpu = 0 };
    EXPECT("evtchn", "bind_vcpu_port_4096",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL);
    bv = (struct evtchn_bind_vcpu){ .port = 1, .vcpu = 32 };
    EXPECT("evtchn", "bind_vcpu_vcpu_32",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv), -XEN_ENOENT);

    struct evtchn_status st = { .dom = DOMID_SELF, .port = 4096 };
    EXPECT("evtchn", "status_port_4096",
           HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), -XEN_EINVAL);
    st = (struct evtchn_status){ .dom = 0, .port = 1 };
    EXPECT("evtchn", "status_dom0", HYPERVISOR_event_channel_op(EVTCHNOP_status, &st),
           -XEN_EPERM);

    struct evtchn_alloc_unbound au = { .dom = 0, .remote_dom = DOMID_SELF };
    EXPECT("evtchn", "alloc_unbound_in_dom0",
           HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), -XEN_EPERM);
    static const domid_t special[] = { DOMID_XEN, DOMID_IO, DOMID_INVALID };
    static const char *const special_names[] = {
        "alloc_unbound_in_domid_xen", "alloc_unbound_in_domid_io",
        "alloc_unbound_in_domid_invalid",
    };
    for (unsigned int i = 0; i < ARRAY_LEN(special); i++) {
        au = (struct evtchn_alloc_unbound){ .dom = special[i], .remote_dom = DOMID_SELF };
        EXPECT("evtchn", special_names[i],
               HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au),
               -XEN_EPERM, -XEN_ESRCH);
    }

    struct evtchn_bind_interdomain bi = { .remote_dom = 0, .remote_port = 1 };
    EXPECT("evtchn", "bind_interdomain_dom0_not_offered",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi), -XEN_EINVAL);
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 0, .remote_port = ~0u };
    EXPECT("evtchn", "bind_interdomain_port_all_ones",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi), -XEN_EINVAL);
    bi = (struct evtchn_bind_interdomain){ .remote_dom = DOMID_XEN, .remote_port = 1 };
    EXPECT("evtchn", "bind_interdomain_domid_xen",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi), -XEN_ESRCH);
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 63, .remote_port = 1 };
    EXPECT("evtchn", "bind_interdomain_no_such_domain",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi), -XEN_ESRCH);

    struct evtchn_bind_virq virq = { .virq = ~0u, .vcpu = 0 };
    EXPECT("evtchn", "bind_virq_all_ones",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &virq), -XEN_EINVAL);
    virq = (struct evtchn_bind_virq){ .virq = NR_VIRQS, .vcpu = 0 };
    EXPECT("evtchn", "bind_virq_nr_virqs",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &virq), -XEN_EINVAL);
    virq = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 32 };
    EXPECT("evtchn", "bind_virq_timer_vcpu_32",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &virq), -XEN_ENOENT);
    virq = (struct evtchn_bind_virq){ .virq = VIRQ_CONSOLE, .vcpu = 1 };
    EXPECT("evtchn", "bind_virq_global_on_vcpu_1",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &virq), -XEN_EINVAL);

    struct evtchn_bind_ipi ipi = { .vcpu = 32 };
    EXPECT("evtchn", "bind_ipi_vcpu_32",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi), -XEN_ENOENT);
    ipi.vcpu = ~0u;
    EXPECT("evtchn", "bind_ipi_vcpu_all_ones",
           HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi), -XEN_ENOENT);

    /* Take every port there is, then give them all back. */
    unsigned int taken = 0;
    long rc;
    for (;;) {
        ipi = (struct evtchn_bind_ipi){ .vcpu = 0 };
        rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi);
        if (rc || taken == EVTCHN_2L_NR_CHANNELS)
            break;
        taken++;
    }
    EXPECT("evtchn", "exhaust_ports_enospc", rc, -XEN_ENOSPC);
    CHECK(taken == EVTCHN_2L_NR_CHANNELS - 1, "evtchn", "exhaust_ports_count",
          "%u ports, want %u", taken, EVTCHN_2L_NR_CHANNELS - 1);
    unsigned int closed = 0;
    for (evtchn_port_t port = 1; port < EVTCHN_2L_NR_CHANNELS; port++) {
        struct evtchn_close close = { .port = port };
        closed += HYPERVISOR_event_channel_op(EVTCHNOP_close, &close) == 0;
    }
    CHECK(closed == taken, "evtchn", "exhaust_ports_closed", "%u of %u", closed, taken);

    for (unsigned int i = 0; i < ARRAY_LEN(bad_pointers); i++)
        EXPECT("evtchn", ptr_name("status", &bad_pointers[i]),
               HYPERVISOR_event_channel_op(EVTCHNOP_status, (void *)bad_pointers[i].addr),
               -XEN_EFAULT);
    EXPECT("evtchn", "fifo_init_control",
           HYPERVISOR_event_channel_op(EVTCHNOP_init_control, NULL), -XEN_ENOSYS);
    EXPECT("evtchn", "cmd_1000", HYPERVISOR_event_channel_op(1000, NULL), -XEN_ENOSYS);
}

static long one_copy(struct gnttab_copy *op)
{
    op->status = 1;                 /* not a GNTST_* value: shows it was written */
    return HYPERVISOR_grant_table_op(GNTTABOP_copy, op, 1);
}

/* A copy's answer: the call's error, else the op's status. */
static long copy_result(struct gnttab_copy *op)
{
    long rc = one_copy(op);

    return rc ? rc : op->status;
}

static void probe_grant_copy(void)
{
    static uint8_t page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    xen_pfn_t own = (uint64_t)(uintptr_t)page >> 12;
    struct gnttab_copy op;

    EXPECT("grant", "copy_count_0x80000000",
           HYPERVISOR_grant_table_op(GNTTABOP_copy, &op, 0x80000000u), -XEN_EINVAL);
    op = (struct gnttab_copy){
        .source = { .u.gmfn = own, .domid = DOMID_SELF },
        .dest = { .u.gmfn = own, .domid = DOMID_SELF, .offset = 16 },
        .len = 0xffff,
    };
    EXPECT("grant", "copy_len_0xffff", copy_result(&op), GNTST_bad_copy_arg);
    op.len = 2;
    op.source.offset = 4095;
    EXPECT("grant", "copy_crosses_page", copy_result(&op), GNTST_bad_copy_arg);
    op.source.offset = 0;
    op.source.u.gmfn = 1ULL << 52;
    EXPECT("grant", "copy_source_gfn_2_52", copy_result(&op), GNTST_bad_page);
    op.source.u.gmfn = own;
    op.dest.u.gmfn = ~0ULL;
    EXPECT("grant", "copy_dest_gfn_all_ones", copy_result(&op), GNTST_bad_page);
    op.dest.u.gmfn = UNBACKED_GVA >> 12;
    EXPECT("grant", "copy_dest_gfn_unbacked", copy_result(&op), GNTST_bad_page);
    op.dest.u.gmfn = own;
    op.source.domid = 0;
    EXPECT("grant", "copy_from_dom0_by_frame", copy_result(&op), GNTST_permission_denied);

    op = (struct gnttab_copy){
        .source = { .u.ref = 0xffffffffu, .domid = DOMID_SELF },
        .dest = { .u.gmfn = own, .domid = DOMID_SELF },
        .len = 8,
        .flags = GNTCOPY_source_gref,
    };
    EXPECT("grant", "copy_own_gref_all_ones", copy_result(&op), GNTST_bad_gntref);
    op.source.domid = 0;
    op.source.u.ref = 0;
    /* dom0 never granted us anything: Xen says general_error for an
     * entry not meant for us, bad_gntref past the end of the table. */
    EXPECT("grant", "copy_dom0_gref_0", copy_result(&op), GNTST_bad_gntref,
           GNTST_permission_denied, GNTST_general_error);
    op.source.u.ref = 0xffffffffu;
    EXPECT("grant", "copy_dom0_gref_all_ones", copy_result(&op), GNTST_bad_gntref);
    op.source.domid = DOMID_XEN;
    EXPECT("grant", "copy_domid_xen_gref", copy_result(&op), GNTST_bad_domain);
    op.source.domid = DOMID_INVALID;
    EXPECT("grant", "copy_domid_invalid_gref", copy_result(&op), GNTST_bad_domain);
    EXPECT("grant", "copy_ops_unmapped",
           HYPERVISOR_grant_table_op(GNTTABOP_copy, (void *)HOLE_GVA, 1), -XEN_EFAULT);
}

static void probe_grant_map(void)
{
    /* A GFN with nothing mapped yet, so that only the reference is wrong. */
    struct gnttab_map_grant_ref map = {
        .host_addr = FREE_GPA, .flags = GNTMAP_host_map, .ref = 0xffffffffu, .dom = 0,
    };

    EXPECT("grant", "map_count_0x80000000",
           HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 0x80000000u), -XEN_EINVAL);
    EXPECT("grant", "map_call_dom0_ref_all_ones",
           HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 1), 0);
    EXPECT("grant", "map_dom0_ref_all_ones", map.status, GNTST_bad_gntref);
    map.ref = 0;
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 1);
    EXPECT("grant", "map_dom0_ref_0", map.status, GNTST_bad_gntref,
           GNTST_permission_denied, GNTST_general_error);
    map.dom = DOMID_XEN;
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 1);
    EXPECT("grant", "map_domid_xen", map.status, GNTST_bad_domain);
    map.dom = DOMID_IO;
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 1);
    EXPECT("grant", "map_domid_io", map.status, GNTST_bad_domain);
    map = (struct gnttab_map_grant_ref){
        .host_addr = 1ULL << 60, .flags = GNTMAP_host_map, .ref = 0xffffffffu, .dom = 0,
    };
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 1);
    /* Xen checks the reference first, Mica the address. */
    EXPECT("grant", "map_host_addr_2_60", map.status, GNTST_bad_gntref, GNTST_bad_virt_addr);
    EXPECT("grant", "map_ops_noncanonical",
           HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, (void *)0x8000000000000000UL, 1),
           -XEN_EFAULT);

    struct gnttab_unmap_grant_ref unmap = { .handle = 0xffffffffu };
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1);
    EXPECT("grant", "unmap_handle_all_ones", unmap.status, GNTST_bad_handle);
    unmap = (struct gnttab_unmap_grant_ref){ .handle = 0 };
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1);
    EXPECT("grant", "unmap_handle_never_mapped", unmap.status, GNTST_bad_handle);
    EXPECT("grant", "unmap_count_0x80000000",
           HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 0x80000000u),
           -XEN_EINVAL);
}

static void probe_grant_table(void)
{
    static xen_pfn_t frames[4];
    struct gnttab_setup_table s = { .dom = 0, .nr_frames = 1,
                                    .frame_list = (uint64_t)(uintptr_t)frames };

    EXPECT("grant", "setup_table_call_dom0", HYPERVISOR_grant_table_op(GNTTABOP_setup_table,
                                                                       &s, 1), 0);
    EXPECT("grant", "setup_table_dom0", s.status, GNTST_permission_denied);
    s = (struct gnttab_setup_table){ .dom = DOMID_XEN, .nr_frames = 1,
                                     .frame_list = (uint64_t)(uintptr_t)frames };
    HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 1);
    EXPECT("grant", "setup_table_domid_xen", s.status, GNTST_permission_denied,
           GNTST_bad_domain);
    s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 0xffffffffu,
                                     .frame_list = (uint64_t)(uintptr_t)frames };
    HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 1);
    EXPECT("grant", "setup_table_frames_all_ones", s.status, GNTST_general_error);
    s = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 1,
                                     .frame_list = 0x8000000000000000UL };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 1);
    /* Xen reports the bad list in status; Mica fails the call. */
    EXPECT("grant", "setup_table_list_noncanonical", rc ? rc : s.status,
           -XEN_EFAULT, GNTST_bad_virt_addr);
    EXPECT("grant", "setup_table_count_2",
           HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 2), -XEN_EINVAL);

    struct gnttab_query_size q = { .dom = 0 };
    EXPECT("grant", "query_size_call_dom0",
           HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0);
    EXPECT("grant", "query_size_dom0", q.status, GNTST_permission_denied);
    EXPECT("grant", "query_size_count_0",
           HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 0), -XEN_EINVAL);

    struct gnttab_get_version gv = { .dom = 0 };
    EXPECT("grant", "get_version_dom0",
           HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), -XEN_EPERM);
    struct gnttab_set_version sv = { .version = 0x12345 };
    EXPECT("grant", "set_version_0x12345",
           HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
    EXPECT("grant", "cmd_100", HYPERVISOR_grant_table_op(100, NULL, 1), -XEN_ENOSYS);
}

static void probe_sched(void)
{
    struct sched_remote_shutdown rs = { .domain_id = 0, .reason = SHUTDOWN_poweroff };
    EXPECT("sched", "remote_shutdown_dom0",
           HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_EPERM);
    rs.domain_id = DOMID_XEN;
    EXPECT("sched", "remote_shutdown_domid_xen",
           HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_EPERM, -XEN_ESRCH);
    rs.domain_id = DOMID_SELF;
    EXPECT("sched", "remote_shutdown_self",
           HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_EPERM, -XEN_ESRCH);
    EXPECT("sched", "shutdown_arg_unmapped",
           HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)HOLE_GVA), -XEN_EFAULT);
    EXPECT("sched", "shutdown_arg_noncanonical",
           HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)0x8000000000000000UL), -XEN_EFAULT);

    evtchn_port_t ports[1] = { 4096 };
    struct sched_poll poll = { .ports = (uint64_t)(uintptr_t)ports, .nr_ports = 1 };
    EXPECT("sched", "poll_port_4096", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL);
    ports[0] = ~0u;
    EXPECT("sched", "poll_port_all_ones", HYPERVISOR_sched_op(SCHEDOP_poll, &poll),
           -XEN_EINVAL);
    poll.nr_ports = 129;
    EXPECT("sched", "poll_129_ports", HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL);
    poll = (struct sched_poll){ .ports = UNBACKED_GVA, .nr_ports = 1 };
    EXPECT("sched", "poll_ports_unbacked", HYPERVISOR_sched_op(SCHEDOP_poll, &poll),
           -XEN_EFAULT);
    EXPECT("sched", "cmd_1000", HYPERVISOR_sched_op(1000, NULL), -XEN_ENOSYS);
}

static void probe_vcpu(void)
{
    static const struct {
        const char *name;
        uint64_t id;
    } bad_ids[] = { { "vcpu_32", 32 }, { "vcpu_all_ones", ~0ULL } };
    static const struct {
        const char *name;
        unsigned int cmd;
    } cmds[] = {
        { "is_up", VCPUOP_is_up }, { "up", VCPUOP_up }, { "down", VCPUOP_down },
        { "stop_periodic_timer", VCPUOP_stop_periodic_timer },
        { "register_vcpu_info", VCPUOP_register_vcpu_info },
    };
    static uint8_t info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

    for (unsigned int c = 0; c < ARRAY_LEN(cmds); c++) {
        for (unsigned int i = 0; i < ARRAY_LEN(bad_ids); i++)
            EXPECT("vcpu", join(cmds[c].name, bad_ids[i].name),
                   hypercall3(__HYPERVISOR_vcpu_op, cmds[c].cmd, bad_ids[i].id,
                              (unsigned long)info_page), -XEN_ENOENT);
    }

    struct vcpu_set_periodic_timer pt = { .period_ns = 0 };
    EXPECT("vcpu", "periodic_period_0",
           HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), -XEN_EINVAL);
    pt.period_ns = ~0ULL;
    EXPECT("vcpu", "periodic_period_all_ones",
           HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), -XEN_EINVAL);
    EXPECT("vcpu", "periodic_arg_unmapped",
           HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, (void *)HOLE_GVA), -XEN_EFAULT);
    EXPECT("vcpu", "cmd_1000", HYPERVISOR_vcpu_op(1000, 0, NULL), -XEN_ENOSYS);

    struct vcpu_register_vcpu_info ri = { .mfn = 0x10000, .offset = 0 };
    EXPECT("vcpu", "register_vcpu_info_beyond_ram",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &ri), -XEN_EINVAL);
    ri.mfn = 1ULL << 52;
    EXPECT("vcpu", "register_vcpu_info_gfn_2_52",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &ri), -XEN_EINVAL);
    ri.mfn = ~0ULL;
    EXPECT("vcpu", "register_vcpu_info_gfn_all_ones",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &ri), -XEN_EINVAL);
    EXPECT("vcpu", "register_vcpu_info_arg_edge",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, (void *)EDGE_GVA), -XEN_EFAULT);
    /* Xen 4.17 says ENXIO for an offset that does not fit or is not
     * aligned; the vcpu_info must never straddle a page or be misaligned. */
    ri = (struct vcpu_register_vcpu_info){ .mfn = (uintptr_t)info_page >> 12, .offset = 4095 };
    EXPECT("vcpu", "register_vcpu_info_offset_4095",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &ri), -XEN_ENXIO, -XEN_EINVAL);
    ri.offset = 0xffffffffu;
    EXPECT("vcpu", "register_vcpu_info_offset_all_ones",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &ri), -XEN_ENXIO, -XEN_EINVAL);
    ri.offset = 1;
    EXPECT("vcpu", "register_vcpu_info_offset_unaligned",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &ri), -XEN_ENXIO, -XEN_EINVAL);
    /* Xen ignores rsvd, and Linux leaves it as whatever was on its stack
     * (and panics if the call fails): garbage there must not matter. */
    ri = (struct vcpu_register_vcpu_info){ .mfn = (uintptr_t)info_page >> 12, .offset = 64,
                                           .rsvd = 0xdeadbeef };
    EXPECT("vcpu", "register_vcpu_info_rsvd_ignored",
           HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &ri), 0);
}

#define MSR_TSC             0x10
#define MSR_MTRRCAP         0xfe
#define MSR_EFER_NR         0xc0000080
#define MSR_VM_HSAVE_PA     0xc0010117
#define MSR_HYPERCALL       0x40000000
#define EFER_SVME           (1UL << 12)

static void expect_gp(const char *name, uint64_t vector)
{
    CHECK(vector == 13, "msr", name, vector == NO_FAULT ? "no fault" : "vector %lu, want #GP",
          (unsigned long)vector);
}

static void probe_msr(void)
{
    uint64_t value, efer;

    fault_catcher_init();
    expect_gp("write_unknown", try_wrmsr(0xdeadbeef, 1));
    expect_gp("read_unknown", try_rdmsr(0xdeadbeef, &value));
    expect_gp("write_mtrrcap_readonly", try_wrmsr(MSR_MTRRCAP, 0));
    expect_gp("write_vm_hsave_pa", try_wrmsr(MSR_VM_HSAVE_PA, 0x100000));
    expect_gp("hypercall_page_index_1", try_wrmsr(MSR_HYPERCALL, 0x6000 | 1));
    expect_gp("hypercall_page_unbacked", try_wrmsr(MSR_HYPERCALL, UNBACKED_GVA));
    expect_gp("hypercall_page_gpa_2_52", try_wrmsr(MSR_HYPERCALL, 1ULL << 52));
    if (CHECK(try_rdmsr(MSR_EFER_NR, &efer) == NO_FAULT, "msr", "read_efer", "faulted")) {
        expect_gp("efer_reserved_bit_63", try_wrmsr(MSR_EFER_NR, efer | (1ULL << 63)));
        expect_gp("efer_svme", try_wrmsr(MSR_EFER_NR, efer | EFER_SVME));
        uint64_t now;
        try_rdmsr(MSR_EFER_NR, &now);
        CHECK(now == efer, "msr", "efer_unchanged", "%#lx, was %#lx", (unsigned long)now,
              (unsigned long)efer);
    }
}

static uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint16_t inw(uint16_t port)
{
    uint16_t v;

    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint32_t inl(uint16_t port)
{
    uint32_t v;

    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static void probe_io(void)
{
    EXPECT("io", "inb_nothing", inb(0x1234), 0xff);
    EXPECT("io", "inw_nothing", inw(0x1234), 0xffff);
    EXPECT("io", "inl_nothing", inl(0x1234), 0xffffffffL);
    /* Each of these would end or reset the machine if it reached it. */
    outb(0xf4, 0x01);               /* QEMU's isa-debug-exit */
    outb(0x64, 0xfe);               /* keyboard controller: pulse reset */
    outb(0xcf9, 0x06);              /* reset control register: hard reset */
    outb(0x92, 0x01);               /* port 92: fast reset */
    CHECK(true, "io", "reset_ports_ignored", "%s", "");
    outl(0xcf8, 0x80000000u);       /* PCI config of 00:00.0 */
    EXPECT("io", "pci_config_hidden", inl(0xcfc), 0xffffffffL);

    uint8_t buf[4] = { 0, 0, 0, 0 };
    uint64_t vector = try_insb(0x1234, buf);
    /* Mica refuses string I/O with #GP; all ones would do as well. */
    CHECK(vector == 13 || (vector == NO_FAULT && buf[0] == 0xff && buf[3] == 0xff), "io",
          "rep_insb", "vector %#lx, bytes %#x %#x", (unsigned long)vector, buf[0], buf[3]);
}

static void probe_mmio(void)
{
    volatile uint32_t *p = (volatile uint32_t *)UNBACKED_GVA;

    EXPECT("mmio", "load_unbacked", *p, 0xffffffffL);
    *p = 0;
    EXPECT("mmio", "store_dropped", *p, 0xffffffffL);
}

/* Whatever happened above, this guest must still be served. */
static void probe_still_served(void)
{
    EXPECT("alive", "xen_version", HYPERVISOR_xen_version(XENVER_version, NULL),
           (4 << 16) | 17);
    struct xen_feature_info fi = { .submap_idx = 0 };
    EXPECT("alive", "get_features", HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
    EXPECT("alive", "yield", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
}

static void run_attack(const struct hvm_start_info *si)
{
    make_holes();
    probe_hypercall_numbers();
    probe_version();
    probe_console();
    probe_memory(si);
    probe_hvm();
    probe_evtchn();
    probe_grant_copy();
    probe_grant_map();
    probe_grant_table();
    probe_sched();
    probe_vcpu();
    probe_msr();
    probe_io();
    probe_mmio();
    probe_still_served();
}

/* --------------------------------------------------------------------- */
/* The peer: heartbeats while something else runs next to it.             */

#define PEER_PATTERN_WORDS 8192     /* 64 KiB */

static uint64_t peer_pattern[PEER_PATTERN_WORDS];

static uint64_t pattern_word(unsigned int i)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL * (i + 1);

    return x ^ (x >> 29);
}

static unsigned long param_uint(const struct hvm_start_info *si, const char *key,
                                unsigned long fallback)
{
    char buf[24];
    unsigned long v = 0;

    if (!cmdline_get(si, key, buf, sizeof(buf)) || !buf[0])
        return fallback;
    for (const char *c = buf; *c; c++) {
        if (*c < '0' || *c > '9')
            return fallback;
        v = v * 10 + (unsigned long)(*c - '0');
    }
    return v;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void run_peer(const struct hvm_start_info *si)
{
    unsigned long beats = param_uint(si, "beats", 40);
    unsigned long interval_ms = param_uint(si, "interval_ms", 100);
    uint32_t base = xen_cpuid_base();
    uint64_t khz = base ? cpuid(base + 3, 0).ecx : 0;
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);
    unsigned long bad_hypercalls = 0, bad_words = 0;

    if (!khz)
        khz = 1000000;              /* 1 GHz if the hypervisor does not say */
    for (unsigned int i = 0; i < PEER_PATTERN_WORDS; i++)
        peer_pattern[i] = pattern_word(i);
    guest_printf("INFO peer beats=%lu interval_ms=%lu tsc_khz=%lu\n", beats, interval_ms,
                 (unsigned long)khz);

    uint64_t next = rdtsc();
    for (unsigned long beat = 1; beat <= beats; beat++) {
        next += interval_ms * khz;
        while (rdtsc() < next) {
            if (HYPERVISOR_sched_op(SCHEDOP_yield, NULL) != 0)
                bad_hypercalls++;
        }
        if (HYPERVISOR_xen_version(XENVER_version, NULL) != version)
            bad_hypercalls++;
        for (unsigned int i = 0; i < PEER_PATTERN_WORDS; i++) {
            if (peer_pattern[i] != pattern_word(i))
                bad_words++;
        }
        guest_printf("INFO heartbeat %lu/%lu\n", beat, beats);
    }
    CHECK(bad_hypercalls == 0, "peer", "hypercalls_answered", "%lu wrong answers",
          bad_hypercalls);
    CHECK(bad_words == 0, "peer", "memory_intact", "%lu words changed", bad_words);
}

/* --------------------------------------------------------------------- */

static void run_triplefault(void)
{
    static const struct idt_desc empty = { 0, 0 };

    guest_printf("INFO triplefault: empty IDT, then ud2\n");
    console_flush();
    __asm__ volatile("lidt %0\n\tud2" : : "m"(empty));
    CHECK(false, "triplefault", "still_running", "the exception did not end the domain");
}

void guest_main(const struct hvm_start_info *si)
{
    char role[16] = "attack";

    cmdline_get(si, "role", role, sizeof(role));
    guest_printf("INFO hostile role=%s\n", role);
    if (strcmp(role, "attack") == 0)
        run_attack(si);
    else if (strcmp(role, "peer") == 0)
        run_peer(si);
    else if (strcmp(role, "triplefault") == 0)
        run_triplefault();
    else
        CHECK(false, "hostile", "role", "want role=attack|peer|triplefault, got \"%s\"", role);
}
