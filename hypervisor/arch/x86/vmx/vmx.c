/*
 * The Intel VMX backend: VMXON per CPU, a VMCS per vCPU with controls
 * computed from the (TRUE) capability MSRs, EPT through the shared p2m,
 * unrestricted guest for the 32-bit PVH entry, and the exit loop feeding
 * the same handlers as SVM. Guest CR0.NE and CR4.VMXE are owned by us and
 * shown to the guest through read shadows.
 */
#include <mica/arch.h>
#include <mica/heap.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/sched.h>
#include <mica/string.h>
#include <x86/cpu.h>
#include <x86/fpu.h>
#include <x86/hvm.h>
#include <x86/lapic.h>
#include <x86/p2m_format.h>
#include <x86/percpu.h>
#include <x86/segments.h>
#include "vmcs.h"

#define CR0_PE   (1ULL << 0)
#define CR0_TS   (1ULL << 3)
#define CR0_PG   (1ULL << 31)
#define EFER_SCE (1ULL << 0)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)
#define RFLAGS_IF (1ULL << 9)
#define EPTP_WB_4LEVEL ((6ULL) | (3ULL << 3))
#define AR_UNUSABLE (1u << 16)
#define MSR_PAT 0x277

struct vmx_caps {
    uint32_t revision;
    uint32_t pin, proc, proc2, exit, entry;
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

struct vmx_cpu {
    uint64_t vmxon_pa;
    struct vcpu *loaded;            /* whose VMCS is current here */
    struct vcpu *msrs_of;           /* whose syscall MSRs are live here */
};

/* The MSRs VMX leaves to us to switch (they pass through to the guest). */
static const uint32_t switched_msrs[] = {
    0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000102,
};
#define NR_SWITCHED (sizeof(switched_msrs) / sizeof(switched_msrs[0]))

struct vmx_vcpu {
    uint64_t vmcs_pa;
    uint16_t vpid;
    bool launched;
    bool host_state_written;
    uint64_t p2m_generation;
    uint64_t cr0_shadow, cr4_shadow;
    uint8_t pending_irq;            /* a vector waiting for IF, or 0 */
    uint64_t msrs[NR_SWITCHED];
    struct fpu_state *fpu;
    /* A start state loaded by vcpu_load_state and not yet written into the
     * VMCS: that is done on the vCPU's own CPU, before its next entry. */
    bool start_pending;
    struct hvm_initial_state start;
    /* The mode state as the vCPU last left its CPU: what other CPUs read,
     * since its VMCS may still be current on its own. */
    struct hvm_cpu_state left;
};

struct vmx_domain {
    uint64_t io_bitmap_pa;          /* two pages: ports 0-0x7fff, 0x8000-0xffff */
    uint64_t msr_bitmap_pa;
};

static struct vmx_caps caps;
static struct vmx_cpu vmx_cpus[MAX_CPUS];
static uint32_t vpid_counter;
static uint64_t guest_efer_bits;    /* what a guest may set in EFER */
static uint32_t preemption_slice;   /* one tick in VMX-preemption timer units */

int vmx_enter_guest(struct guest_regs *regs, int launched);
extern const char vmx_exit_point[];

static const struct p2m_format ept_format = {
    .present_mask = 0x7,
    .table = 0x7,
    .leaf_rw = 0x7 | (6 << 3),      /* read, write, execute; write-back */
    .leaf_ro = 0x5 | (6 << 3),
    .memtype_mask = 0x38,
    .leaf_mmio = 0,                 /* uncacheable */
    .write_bit = 0x2,
};

/* Bits we must set, given what we want and what the MSR allows; false if
 * a wanted bit is not allowed. */
static bool adjust(uint32_t msr, uint32_t want, uint32_t *out)
{
    uint64_t v = rdmsr(msr);
    uint32_t must = (uint32_t)v, may = (uint32_t)(v >> 32);

    *out = (want | must) & may;
    return (*out & want) == want;
}

static bool read_caps(void)
{
    uint64_t basic = rdmsr(MSR_VMX_BASIC);
    bool true_msrs = basic & (1ULL << 55);

    caps.revision = basic & 0x7fffffff;
    caps.cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
    caps.cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
    caps.cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
    caps.cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
    uint32_t optional_pat;
    bool ok =
        adjust(true_msrs ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
               PIN_EXTERNAL_INTERRUPT | PIN_NMI_EXITING, &caps.pin) &&
        adjust(true_msrs ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
               PROC_HLT_EXITING | PROC_IO_BITMAPS | PROC_MSR_BITMAPS |
               PROC_MWAIT_EXITING | PROC_MONITOR_EXITING | PROC_SECONDARY,
               &caps.proc) &&
        adjust(MSR_VMX_PROCBASED2, PROC2_EPT | PROC2_UNRESTRICTED, &caps.proc2) &&
        adjust(true_msrs ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
               EXIT_HOST_64BIT | EXIT_SAVE_EFER | EXIT_LOAD_EFER, &caps.exit) &&
        adjust(true_msrs ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY,
               ENTRY_LOAD_EFER, &caps.entry);
    if (!ok)
        return false;
    /* VPIDs spare a TLB flush at every entry and exit; they need INVVPID
     * (single-context) to clean a tag before it is reused. */
    uint64_t ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
    uint32_t with_vpid;
    if ((ept_vpid & (1ULL << 32)) && (ept_vpid & (1ULL << 41)) &&
        adjust(MSR_VMX_PROCBASED2, caps.proc2 | PROC2_VPID, &with_vpid))
        caps.proc2 = with_vpid;
    /* Switching PAT with the guest is optional; without it PAT traps. */
    if (adjust(true_msrs ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
               caps.exit | EXIT_SAVE_PAT | EXIT_LOAD_PAT, &optional_pat))
        caps.exit = optional_pat;
    if (adjust(true_msrs ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY,
               caps.entry | ENTRY_LOAD_PAT, &optional_pat))
        caps.entry = optional_pat;
    /* The VMX-preemption timer bounds a guest's stay to one tick even when
     * the tick's interrupt does not make it exit: Bochs 2.7 re-evaluates
     * interrupt masking at VM entry before it counts itself in guest mode,
     * so a guest entered with IF=0 keeps the host's interrupts blocked
     * until it changes IF (a spinning guest had its CPU to itself). */
    uint32_t with_timer;
    if (adjust(true_msrs ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
               caps.pin | PIN_PREEMPTION_TIMER, &with_timer))
        caps.pin = with_timer;
    return true;
}

static int vmx_cpu_enable(void)
{
    struct vmx_cpu *c = &vmx_cpus[this_cpu()->cpu_id];

    if (this_cpu()->cpu_id == 0) {
        if (!read_caps()) {
            log_err("vmx: the CPU lacks a control Mica needs (EPT, "
                    "unrestricted guest, EFER switching)\n");
            return -XEN_ENODEV;
        }
        p2m_set_format(&ept_format);
        guest_efer_bits = EFER_SCE | EFER_LME | EFER_LMA |
                          ((cpuid(0x80000001, 0).edx >> 20) & 1 ? EFER_NXE : 0);
    }
    uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);
    if (!(fc & 1))
        wrmsr(MSR_FEATURE_CONTROL, fc | 5);     /* VMX outside SMX, lock */
    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 | caps.cr0_fixed0) & caps.cr0_fixed1;
    __asm__ volatile("mov %0, %%cr0" :: "r"(cr0));
    write_cr4((read_cr4() | caps.cr4_fixed0 | CR4_VMXE) & caps.cr4_fixed1);
    fpu_cpu_init();

    c->vmxon_pa = page_alloc(1);
    if (!c->vmxon_pa)
        return -XEN_ENOMEM;
    *(uint32_t *)phys_to_virt(c->vmxon_pa) = caps.revision;
    if (!vmxon(c->vmxon_pa)) {
        log_err("vmx: VMXON failed on CPU %u\n", this_cpu()->cpu_id);
        return -XEN_EIO;
    }
    return 0;
}

static void msr_bitmap_allow(uint8_t *bm, uint32_t msr, bool read, bool write)
{
    uint32_t base;

    if (msr < 0x2000)
        base = 0;
    else if (msr >= 0xc0000000 && msr < 0xc0002000)
        base = 1024, msr -= 0xc0000000;
    else
        return;
    if (read)
        bm[base + msr / 8] &= ~(1u << (msr % 8));
    if (write)
        bm[base + 2048 + msr / 8] &= ~(1u << (msr % 8));
}

static int vmx_domain_create(struct domain *d)
{
    struct vmx_domain *x = kzalloc(sizeof(*x));

    if (!x)
        return -XEN_ENOMEM;
    x->io_bitmap_pa = page_alloc(2);
    x->msr_bitmap_pa = page_alloc(1);
    if (!x->io_bitmap_pa || !x->msr_bitmap_pa) {
        if (x->io_bitmap_pa)
            page_free(x->io_bitmap_pa, 2);
        if (x->msr_bitmap_pa)
            page_free(x->msr_bitmap_pa, 1);
        kfree(x);
        return -XEN_ENOMEM;
    }
    memset(phys_to_virt(x->io_bitmap_pa), 0xff, 2 * PAGE_SIZE);
    uint8_t *bm = phys_to_virt(x->msr_bitmap_pa);
    memset(bm, 0xff, PAGE_SIZE);
    static const uint32_t direct[] = {
        0x10, 0x174, 0x175, 0x176,
        0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,
        0xc0000100, 0xc0000101, 0xc0000102,
    };
    for (size_t i = 0; i < sizeof(direct) / sizeof(direct[0]); i++)
        msr_bitmap_allow(bm, direct[i], true, hvm_msr_passthrough(direct[i], true));
    if (caps.entry & ENTRY_LOAD_PAT)
        msr_bitmap_allow(bm, MSR_PAT, true, true);
    d->arch_backend = x;
    return 0;
}

static uint8_t *vmx_io_bitmap(struct domain *d)
{
    return phys_to_virt(((struct vmx_domain *)d->arch_backend)->io_bitmap_pa);
}

static void vmx_domain_destroy(struct domain *d)
{
    struct vmx_domain *x = d->arch_backend;

    if (!x)
        return;
    page_free(x->io_bitmap_pa, 2);
    page_free(x->msr_bitmap_pa, 1);
    kfree(x);
    d->arch_backend = NULL;
}

static int vmx_vcpu_create(struct vcpu *v)
{
    struct vmx_vcpu *x = kzalloc(sizeof(*x));

    if (!x)
        return -XEN_ENOMEM;
    x->vmcs_pa = page_alloc(1);
    x->fpu = fpu_state_alloc();
    if (!x->vmcs_pa || !x->fpu) {
        if (x->vmcs_pa)
            page_free(x->vmcs_pa, 1);
        fpu_state_free(x->fpu);
        kfree(x);
        return -XEN_ENOMEM;
    }
    *(uint32_t *)phys_to_virt(x->vmcs_pa) = caps.revision;
    /* Tags 1..65535 in turn; a reused tag is cleaned when the vCPU starts. */
    x->vpid = (uint16_t)(__atomic_fetch_add(&vpid_counter, 1, __ATOMIC_RELAXED)
                         % 65535 + 1);
    v->arch = x;
    return 0;
}

static void vmx_vcpu_destroy(struct vcpu *v)
{
    struct vmx_vcpu *x = v->arch;

    if (!x)
        return;
    for (unsigned int i = 0; i < MAX_CPUS; i++) {
        if (vmx_cpus[i].loaded == v)
            vmx_cpus[i].loaded = NULL;
        if (vmx_cpus[i].msrs_of == v)
            vmx_cpus[i].msrs_of = NULL;
    }
    /* The vCPU is stopped, so its VMCS is not active on another CPU. */
    vmclear(x->vmcs_pa);
    fpu_forget(x->fpu);
    page_free(x->vmcs_pa, 1);
    fpu_state_free(x->fpu);
    kfree(x);
    v->arch = NULL;
}

/* Makes v's VMCS the current one on this CPU. */
static void load_vmcs(struct vcpu *v)
{
    struct vmx_cpu *c = &vmx_cpus[this_cpu()->cpu_id];
    struct vmx_vcpu *x = v->arch;

    if (c->loaded != v) {
        vmptrld(x->vmcs_pa);
        c->loaded = v;
    }
}

static uint32_t vmx_ar(uint16_t packed)
{
    if (!(packed & 0x80))
        return AR_UNUSABLE;         /* not present: a null selector */
    return (packed & 0xff) | ((uint32_t)(packed & 0xf00) << 4);
}

static void write_segment(enum vmcs_field sel, const struct hvm_segment *s)
{
    /* Selector, limit, AR and base fields are laid out at fixed strides. */
    unsigned int index = (sel - GUEST_ES_SELECTOR) / 2;
    vmwrite(sel, s->sel);
    vmwrite((enum vmcs_field)(GUEST_ES_LIMIT + 2 * index), s->limit);
    vmwrite((enum vmcs_field)(GUEST_ES_AR + 2 * index), vmx_ar(s->ar));
    vmwrite((enum vmcs_field)(GUEST_ES_BASE + 2 * index), s->base);
}

static uint64_t cr0_forced(void)
{
    /* Unrestricted guests may clear PE and PG; everything else fixed to 1
     * (NE in practice) stays set, behind the read shadow. */
    return caps.cr0_fixed0 & ~(CR0_PE | CR0_PG);
}

static void write_host_state(void)
{
    struct percpu *p = this_cpu();
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr, idtr;

    __asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    vmwrite(HOST_CR0, cr0);
    vmwrite(HOST_CR3, read_cr3());
    vmwrite(HOST_CR4, read_cr4());
    vmwrite(HOST_CS_SELECTOR, SEL_CODE64);
    vmwrite(HOST_SS_SELECTOR, SEL_DATA);
    vmwrite(HOST_DS_SELECTOR, SEL_DATA);
    vmwrite(HOST_ES_SELECTOR, SEL_DATA);
    vmwrite(HOST_FS_SELECTOR, 0);
    vmwrite(HOST_GS_SELECTOR, 0);
    vmwrite(HOST_TR_SELECTOR, SEL_TSS + 16 * p->cpu_id);
    vmwrite(HOST_FS_BASE, 0);
    vmwrite(HOST_GS_BASE, (uint64_t)(uintptr_t)p);
    vmwrite(HOST_TR_BASE, (uint64_t)(uintptr_t)&p->tss);
    vmwrite(HOST_GDTR_BASE, gdtr.base);
    vmwrite(HOST_IDTR_BASE, idtr.base);
    vmwrite(HOST_SYSENTER_CS, 0);
    vmwrite(HOST_SYSENTER_ESP, 0);
    vmwrite(HOST_SYSENTER_EIP, 0);
    vmwrite(HOST_IA32_EFER, rdmsr(MSR_EFER));
    if (caps.exit & EXIT_LOAD_PAT)
        vmwrite(HOST_IA32_PAT, rdmsr(MSR_PAT));
    vmwrite(HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_point);
}

/* Writes the start state saved by vmx_vcpu_load_state into a fresh VMCS.
 * Runs on the vCPU's own CPU: a VMCS must be active on one CPU only, and
 * loading it where VCPUOP_initialise or INIT/SIPI runs (another vCPU's CPU)
 * left that vCPU's own VMCS no longer current: its next VMRESUME hit this
 * non-launched one (VM-instruction error 5). */
static void write_start_state(struct vcpu *v)
{
    struct vmx_vcpu *x = v->arch;
    struct vmx_domain *xd = v->domain->arch_backend;
    struct vmx_cpu *c = &vmx_cpus[this_cpu()->cpu_id];
    const struct hvm_initial_state *st = &x->start;

    /* A fresh start: clear the VMCS so the next entry is a VMLAUNCH. */
    vmclear(x->vmcs_pa);
    for (unsigned int i = 0; i < MAX_CPUS; i++)
        if (vmx_cpus[i].loaded == v)
            vmx_cpus[i].loaded = NULL;
    /* The syscall MSRs start at zero: load them even if this CPU holds
     * this vCPU's older ones. */
    if (c->msrs_of == v)
        c->msrs_of = NULL;
    x->launched = false;
    x->host_state_written = false;
    /* Force an INVEPT before the first entry, as SVM flushes the ASID: the
     * p2m root may be a page an earlier domain used as its own, and
     * translations cached under that EPTP would outlive it. */
    x->p2m_generation = ~0ULL;
    load_vmcs(v);

    vmwrite(PIN_BASED_CONTROLS, caps.pin);
    vmwrite(PROC_BASED_CONTROLS, caps.proc);
    vmwrite(SECONDARY_CONTROLS, caps.proc2);
    if (caps.proc2 & PROC2_VPID)
        vmwrite(VIRTUAL_PROCESSOR_ID, x->vpid);
    vmwrite(EXIT_CONTROLS, caps.exit);
    bool long_mode = st->efer & EFER_LMA;
    vmwrite(ENTRY_CONTROLS, caps.entry | (long_mode ? ENTRY_IA32E_GUEST : 0));
    vmwrite(EXCEPTION_BITMAP, 0);
    vmwrite(CR3_TARGET_COUNT, 0);
    vmwrite(EXIT_MSR_STORE_COUNT, 0);
    vmwrite(EXIT_MSR_LOAD_COUNT, 0);
    vmwrite(ENTRY_MSR_LOAD_COUNT, 0);
    vmwrite(ENTRY_INTERRUPTION_INFO, 0);
    vmwrite(IO_BITMAP_A, xd->io_bitmap_pa);
    vmwrite(IO_BITMAP_B, xd->io_bitmap_pa + PAGE_SIZE);
    vmwrite(MSR_BITMAP, xd->msr_bitmap_pa);
    vmwrite(TSC_OFFSET, 0);
    vmwrite(EPT_POINTER, p2m_root(v->domain) | EPTP_WB_4LEVEL);
    vmwrite(VMCS_LINK_POINTER, ~0ULL);

    vmwrite(CR0_GUEST_HOST_MASK, cr0_forced());
    vmwrite(CR4_GUEST_HOST_MASK, caps.cr4_fixed0);
    vmwrite(CR0_READ_SHADOW, st->cr0);
    vmwrite(CR4_READ_SHADOW, st->cr4);
    vmwrite(GUEST_CR0, (st->cr0 | cr0_forced()) & caps.cr0_fixed1);
    vmwrite(GUEST_CR3, st->cr3);
    vmwrite(GUEST_CR4, (st->cr4 | caps.cr4_fixed0) & caps.cr4_fixed1);
    vmwrite(GUEST_IA32_EFER, st->efer);
    if (caps.entry & ENTRY_LOAD_PAT)
        vmwrite(GUEST_IA32_PAT, 0x0007040600070406ULL);

    write_segment(GUEST_ES_SELECTOR, &st->es);
    write_segment(GUEST_CS_SELECTOR, &st->cs);
    write_segment(GUEST_SS_SELECTOR, &st->ss);
    write_segment(GUEST_DS_SELECTOR, &st->ds);
    write_segment(GUEST_FS_SELECTOR, &st->fs);
    write_segment(GUEST_GS_SELECTOR, &st->gs);
    write_segment(GUEST_LDTR_SELECTOR, &st->ldtr);
    write_segment(GUEST_TR_SELECTOR, &st->tr);
    vmwrite(GUEST_GDTR_BASE, 0);
    vmwrite(GUEST_GDTR_LIMIT, 0xffff);
    vmwrite(GUEST_IDTR_BASE, 0);
    vmwrite(GUEST_IDTR_LIMIT, 0xffff);
    vmwrite(GUEST_DR7, 0x400);
    vmwrite(GUEST_PENDING_DBG, 0);
    vmwrite(GUEST_INTERRUPTIBILITY, 0);
    vmwrite(GUEST_ACTIVITY_STATE, 0);
    vmwrite(GUEST_SYSENTER_CS, 0);
    vmwrite(GUEST_SYSENTER_ESP, 0);
    vmwrite(GUEST_SYSENTER_EIP, 0);
    /* Again, in case the vCPU's last run stored its registers after
     * vmx_vcpu_load_state (an INIT does not wait for it to stop). */
    v->regs = st->regs;
    x->start_pending = false;
}

/* Keeps the state for write_start_state: this may run on any CPU. */
static void vmx_vcpu_load_state(struct vcpu *v, const struct hvm_initial_state *st)
{
    struct vmx_vcpu *x = v->arch;

    x->start = *st;
    x->start_pending = true;
    x->pending_irq = 0;
    x->cr0_shadow = st->cr0;
    x->cr4_shadow = st->cr4;
    v->regs = st->regs;
    memset(x->msrs, 0, sizeof(x->msrs));
    fpu_state_reset(x->fpu);
}

static void vmx_get_cpu_state(struct vcpu *v, struct hvm_cpu_state *s)
{
    struct vmx_vcpu *x = v->arch;

    if (!x->start_pending && v->cpu != this_cpu()->cpu_id) {
        *s = x->left;
        return;
    }
    if (x->start_pending) {
        /* Not in the VMCS yet (a runstate copy before the first entry). */
        const struct hvm_initial_state *st = &x->start;
        s->cr0 = st->cr0;
        s->cr3 = st->cr3;
        s->cr4 = st->cr4;
        s->efer = st->efer;
        s->long_mode = st->efer & EFER_LMA;
        s->cs_64bit = s->long_mode && (st->cs.ar & (1u << 9));
        s->cs_32bit = st->cs.ar & (1u << 10);
        s->cs_base = st->cs.base;
        s->cpl = (st->cs.ar >> 5) & 3;
        return;
    }
    load_vmcs(v);
    uint32_t cs_ar = (uint32_t)vmread(GUEST_CS_AR);
    s->cr0 = (vmread(GUEST_CR0) & ~cr0_forced()) | (x->cr0_shadow & cr0_forced());
    s->cr3 = vmread(GUEST_CR3);
    s->cr4 = (vmread(GUEST_CR4) & ~caps.cr4_fixed0) | (x->cr4_shadow & caps.cr4_fixed0);
    s->efer = vmread(GUEST_IA32_EFER);
    s->long_mode = s->efer & EFER_LMA;
    s->cs_64bit = s->long_mode && (cs_ar & (1u << 13));
    s->cs_32bit = cs_ar & (1u << 14);
    s->cs_base = vmread(GUEST_CS_BASE);
    s->cpl = (cs_ar >> 5) & 3;
}

static void vmx_inject_exception(struct vcpu *v, uint8_t vector, bool has_error,
                                 uint32_t error_code)
{
    load_vmcs(v);
    vmwrite(ENTRY_INTERRUPTION_INFO, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION |
            vector | (has_error ? INTR_INFO_ERROR_VALID : 0));
    if (has_error)
        vmwrite(ENTRY_EXCEPTION_ERROR_CODE, error_code);
}

/* Swaps the syscall MSRs VMX does not switch when another vCPU comes in. */
static void switch_msrs(struct vcpu *v)
{
    struct vmx_cpu *c = &vmx_cpus[this_cpu()->cpu_id];

    if (c->msrs_of == v)
        return;
    if (c->msrs_of) {
        struct vmx_vcpu *old = c->msrs_of->arch;
        for (unsigned int i = 0; i < NR_SWITCHED; i++)
            old->msrs[i] = rdmsr(switched_msrs[i]);
    }
    struct vmx_vcpu *x = v->arch;
    for (unsigned int i = 0; i < NR_SWITCHED; i++)
        wrmsr(switched_msrs[i], x->msrs[i]);
    c->msrs_of = v;
}

static void handle_cr_access(struct vcpu *v, struct vmx_vcpu *x, uint64_t q)
{
    unsigned int cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
    uint64_t *gprs = &v->regs.rax;
    /* Instruction encoding (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..)
     * to the order of struct guest_regs. */
    static const unsigned int order[16] = { 0, 2, 3, 1, 7, 6, 4, 5,
                                            8, 9, 10, 11, 12, 13, 14, 15 };
    uint64_t value = gprs[order[reg]];

    if (type == 0 && cr == 0) {
        x->cr0_shadow = value;
        uint64_t efer = vmread(GUEST_IA32_EFER);
        /* Paging on with LME set enters long mode: what the CPU would do. */
        if ((value & CR0_PG) && (efer & EFER_LME))
            efer |= EFER_LMA;
        else if (!(value & CR0_PG))
            efer &= ~EFER_LMA;
        vmwrite(GUEST_IA32_EFER, efer);
        vmwrite(ENTRY_CONTROLS, (vmread(ENTRY_CONTROLS) & ~ENTRY_IA32E_GUEST) |
                ((efer & EFER_LMA) ? ENTRY_IA32E_GUEST : 0));
        vmwrite(CR0_READ_SHADOW, value);
        vmwrite(GUEST_CR0, (value | cr0_forced()) & caps.cr0_fixed1);
    } else if (type == 0 && cr == 4) {
        if (value & CR4_VMXE) {
            vmx_inject_exception(v, 13, true, 0);   /* no nested VMX */
            return;
        }
        x->cr4_shadow = value;
        vmwrite(CR4_READ_SHADOW, value);
        vmwrite(GUEST_CR4, (value | caps.cr4_fixed0) & caps.cr4_fixed1);
    } else if (type == 2) {                         /* CLTS */
        x->cr0_shadow &= ~CR0_TS;
        vmwrite(CR0_READ_SHADOW, x->cr0_shadow);
        vmwrite(GUEST_CR0, vmread(GUEST_CR0) & ~CR0_TS);
    } else {
        vmx_inject_exception(v, 13, true, 0);
        return;
    }
    v->regs.rip += vmread(EXIT_INSTRUCTION_LENGTH);
}

static void handle_msr(struct vcpu *v, bool write)
{
    uint32_t msr = (uint32_t)v->regs.rcx;
    uint64_t value = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;
    bool ok;

    if (msr == MSR_EFER) {
        ok = true;
        if (write) {
            uint64_t cur = vmread(GUEST_IA32_EFER);
            /* Reserved bits (SVME among them on Intel), or LME flipped
             * under paging, get the #GP the CPU would raise: let through,
             * they would make the next VM entry fail and crash the guest. */
            ok = !(value & ~guest_efer_bits) &&
                 !(((value ^ cur) & EFER_LME) && (vmread(GUEST_CR0) & CR0_PG));
            if (ok)
                vmwrite(GUEST_IA32_EFER, (value & ~EFER_LMA) | (cur & EFER_LMA));
        } else {
            value = vmread(GUEST_IA32_EFER);
        }
    } else {
        ok = write ? hvm_wrmsr(v, msr, value) : hvm_rdmsr(v, msr, &value);
    }
    if (!ok) {
        vmx_inject_exception(v, 13, true, 0);
        return;
    }
    if (!write) {
        v->regs.rax = (uint32_t)value;
        v->regs.rdx = value >> 32;
    }
    v->regs.rip += vmread(EXIT_INSTRUCTION_LENGTH);
}

static void handle_io(struct vcpu *v, uint64_t q)
{
    unsigned int size = (q & 7) + 1;
    bool in = q & 8;
    uint16_t port = (uint16_t)(q >> 16);

    if (q & 16) {
        vmx_inject_exception(v, 13, true, 0);   /* string I/O: not emulated */
        return;
    }
    uint32_t value = (uint32_t)v->regs.rax;
    hvm_io(v, port, size, in, &value);
    if (in) {
        uint64_t mask = size == 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;
        v->regs.rax = size == 4 ? value : (v->regs.rax & ~mask) | (value & mask);
    }
    v->regs.rip += vmread(EXIT_INSTRUCTION_LENGTH);
}

static bool crash(struct vcpu *v, const char *what, uint64_t detail)
{
    log_warn("d%u v%u: %s (0x%llx) at rip 0x%llx\n", v->domain->id, v->id, what,
             (unsigned long long)detail, (unsigned long long)v->regs.rip);
    domain_shutdown(v->domain, SHUTDOWN_crash);
    return false;
}

/* Handles one exit; false when the vCPU must leave the CPU. */
static bool handle_exit(struct vcpu *v, struct vmx_vcpu *x)
{
    uint32_t reason = (uint32_t)vmread(EXIT_REASON) & 0xffff;
    uint64_t q = vmread(EXIT_QUALIFICATION);

    switch (reason) {
    case EXIT_REASON_EXTERNAL_INTR:
    case EXIT_REASON_PREEMPTION_TIMER:
        __asm__ volatile("sti; nop; cli" ::: "memory");
        return false;
    case EXIT_REASON_INTR_WINDOW:
        vmwrite(PROC_BASED_CONTROLS, vmread(PROC_BASED_CONTROLS) & ~PROC_INTERRUPT_WINDOW);
        return true;
    case EXIT_REASON_CPUID:
        hvm_cpuid(v);
        v->regs.rip += vmread(EXIT_INSTRUCTION_LENGTH);
        return true;
    case EXIT_REASON_VMCALL:
        v->regs.rip += vmread(EXIT_INSTRUCTION_LENGTH);
        hvm_hypercall(v);
        return true;
    case EXIT_REASON_HLT:
        v->regs.rip += vmread(EXIT_INSTRUCTION_LENGTH);
        /* The HLT is done, so an STI shadow it sat in is over: after
         * "sti; hlt" the upcall must not wait one more instruction. */
        vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) & ~3ULL);
        hvm_hlt(v);
        return true;
    case EXIT_REASON_INVD:
        v->regs.rip += vmread(EXIT_INSTRUCTION_LENGTH);
        return true;
    case EXIT_REASON_CR_ACCESS:
        handle_cr_access(v, x, q);
        return true;
    case EXIT_REASON_IO:
        handle_io(v, q);
        return true;
    case EXIT_REASON_RDMSR:
    case EXIT_REASON_WRMSR:
        handle_msr(v, reason == EXIT_REASON_WRMSR);
        return true;
    case EXIT_REASON_EPT_VIOLATION: {
        uint64_t gpa = vmread(GUEST_PHYSICAL_ADDRESS);
        if (hvm_npf_fixup(v, gpa))
            return true;
        unsigned int len = hvm_mmio(v, gpa, q & 2);
        if (!len) {
            /* The same words as SVM's NPF path: tests and readers look
             * for them. */
            log_warn("d%u v%u: unhandled access to 0x%llx at rip 0x%llx\n",
                     v->domain->id, v->id, (unsigned long long)gpa,
                     (unsigned long long)v->regs.rip);
            domain_shutdown(v->domain, SHUTDOWN_crash);
            return false;
        }
        v->regs.rip += len;
        return true;
    }
    case EXIT_REASON_XSETBV:
    case EXIT_REASON_MWAIT:
    case EXIT_REASON_MONITOR:
    case EXIT_REASON_INVEPT:
    case EXIT_REASON_INVVPID:
        vmx_inject_exception(v, 6, false, 0);
        return true;
    case EXIT_REASON_TRIPLE_FAULT:
        /* Worded as SVM's shutdown exit, without a detail that means nothing. */
        log_warn("d%u v%u: triple fault at rip 0x%llx\n", v->domain->id, v->id,
                 (unsigned long long)v->regs.rip);
        domain_shutdown(v->domain, SHUTDOWN_crash);
        return false;
    case EXIT_REASON_INVALID_STATE:
        return crash(v, "VM entry refused the guest state", reason);
    default:
        if (reason >= EXIT_REASON_VMX_FIRST && reason <= EXIT_REASON_VMX_LAST) {
            vmx_inject_exception(v, 6, false, 0);
            return true;
        }
        return crash(v, "unexpected VM exit", reason);
    }
}

/* Puts the pending upcall in when the guest can take it, else asks for an
 * exit as soon as it can. */
static void deliver_pending_irq(struct vmx_vcpu *x)
{
    if (!x->pending_irq)
        return;
    /* With the injection slot taken (an event being redelivered, an
     * exception) the interrupt-window exit comes once that is delivered,
     * not at some later exit. */
    if (!(vmread(ENTRY_INTERRUPTION_INFO) & INTR_INFO_VALID) &&
        (vmread(GUEST_RFLAGS) & RFLAGS_IF) && !(vmread(GUEST_INTERRUPTIBILITY) & 3)) {
        vmwrite(ENTRY_INTERRUPTION_INFO, INTR_INFO_VALID | INTR_TYPE_EXTERNAL |
                x->pending_irq);
        x->pending_irq = 0;
    } else {
        vmwrite(PROC_BASED_CONTROLS, vmread(PROC_BASED_CONTROLS) | PROC_INTERRUPT_WINDOW);
    }
}

static void vmx_vcpu_run(struct vcpu *v)
{
    struct vmx_vcpu *x = v->arch;

    if (x->start_pending)
        write_start_state(v);
    load_vmcs(v);
    if (!x->host_state_written) {
        write_host_state();
        x->host_state_written = true;
    }
    fpu_switch_to(x->fpu);
    switch_msrs(v);
    /* Before a (re)started vCPU's first entry, on the CPU it runs on:
     * its tag may have been used before (they wrap after 65535). */
    if (!x->launched && (caps.proc2 & PROC2_VPID))
        invvpid_single(x->vpid);
    if ((caps.pin & PIN_PREEMPTION_TIMER) && !preemption_slice) {
        /* It counts down at the TSC rate divided by 2^IA32_VMX_MISC[4:0]. */
        uint64_t slice = (tsc_frequency() / ARCH_TICK_HZ) >> (rdmsr(MSR_VMX_MISC) & 31);
        preemption_slice = slice > 0xffffffffu ? 0xffffffffu : slice ? (uint32_t)slice : 1;
    }
    while (v->state == VCPU_RUNNING && !v->yield &&
           v->domain->state == DOMAIN_RUNNING) {
        __atomic_store_n(&v->in_guest, true, __ATOMIC_SEQ_CST);
        uint64_t gen = p2m_generation(v->domain);
        if (x->p2m_generation != gen) {
            invept_single(p2m_root(v->domain) | EPTP_WB_4LEVEL);
            x->p2m_generation = gen;
        }
        uint8_t vector;
        hvm_update_time(v);
        vmwrite(GUEST_RSP, v->regs.rsp);
        vmwrite(GUEST_RIP, v->regs.rip);
        vmwrite(GUEST_RFLAGS, v->regs.rflags);
        if (caps.pin & PIN_PREEMPTION_TIMER)
            vmwrite(GUEST_PREEMPTION_TIMER, preemption_slice);
        if (!x->pending_irq && hvm_next_interrupt(v, &vector))
            x->pending_irq = vector;
        deliver_pending_irq(x);

        uint64_t start = rdtsc();
        int failed = vmx_enter_guest(&v->regs, x->launched);
        v->run_tsc += rdtsc() - start;
        __atomic_fetch_add(&v->exits, 1, __ATOMIC_RELEASE);
        __atomic_store_n(&v->in_guest, false, __ATOMIC_RELEASE);
        if (failed) {
            crash(v, "VM entry failed, VM-instruction error",
                  vmread(VM_INSTRUCTION_ERROR));
            break;
        }
        x->launched = true;
        v->regs.rsp = vmread(GUEST_RSP);
        v->regs.rip = vmread(GUEST_RIP);
        v->regs.rflags = vmread(GUEST_RFLAGS);

        /* An event cut short by the exit is delivered again. */
        uint32_t idt = (uint32_t)vmread(IDT_VECTORING_INFO);
        vmwrite(ENTRY_INTERRUPTION_INFO, (idt & INTR_INFO_VALID) ? idt & ~0x1000u : 0);
        if ((idt & INTR_INFO_VALID) && (idt & INTR_INFO_ERROR_VALID))
            vmwrite(ENTRY_EXCEPTION_ERROR_CODE, vmread(IDT_VECTORING_ERROR_CODE));
        /* A software interrupt or exception (INT n, INT3, INTO, types 4-6)
         * is injected with its instruction's length, else VM entry fails. */
        if ((idt & INTR_INFO_VALID) && ((idt >> 8) & 7) >= 4)
            vmwrite(ENTRY_INSTRUCTION_LENGTH, vmread(EXIT_INSTRUCTION_LENGTH));
        if (!handle_exit(v, x))
            break;
    }
    if (!x->start_pending)
        vmx_get_cpu_state(v, &x->left);
}

const struct hvm_backend vmx_backend = {
    .name = "VMX",
    .hypercall_insn_byte = 0xc1,
    .cpu_enable = vmx_cpu_enable,
    .domain_create = vmx_domain_create,
    .domain_destroy = vmx_domain_destroy,
    .vcpu_create = vmx_vcpu_create,
    .vcpu_destroy = vmx_vcpu_destroy,
    .vcpu_load_state = vmx_vcpu_load_state,
    .vcpu_run = vmx_vcpu_run,
    .get_cpu_state = vmx_get_cpu_state,
    .inject_exception = vmx_inject_exception,
    .io_bitmap = vmx_io_bitmap,
};
