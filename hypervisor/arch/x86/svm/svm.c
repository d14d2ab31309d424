/*
 * The AMD SVM backend: a VMCB per vCPU, nested paging through the shared
 * p2m in NPT format, and the exit loop. QEMU's TCG gives neither NRIP-save
 * nor decode assists, so instruction lengths come from the exit kind (or
 * our decoder) unless the CPU offers NRIP-save.
 */
#include <mica/log.h>
#include <mica/heap.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/sched.h>
#include <mica/string.h>
#include <x86/cpu.h>
#include <x86/fpu.h>
#include <x86/hvm.h>
#include <x86/p2m_format.h>
#include <x86/percpu.h>
#include "vmcb.h"

#define MSR_VM_HSAVE_PA 0xc0010117
#define EFER_SCE        (1ULL << 0)
#define EFER_LME        (1ULL << 8)
#define EFER_LMA        (1ULL << 10)
#define EFER_NXE        (1ULL << 11)
#define EFER_SVME       (1ULL << 12)
#define EFER_FFXSR      (1ULL << 14)
#define EFER_TCE        (1ULL << 15)
#define CR0_PG          (1ULL << 31)
#define IOPM_PAGES      3
#define MSRPM_PAGES     2
#define GUEST_ASID      1
#define RFLAGS_IF       (1ULL << 9)

struct svm_vcpu {
    struct vmcb *vmcb;
    uint64_t vmcb_pa;
    uint64_t p2m_generation;        /* last one this vCPU's TLB saw */
    uint64_t efer;                  /* the guest's view: no SVME */
    struct fpu_state *fpu;
};

struct svm_domain {
    uint64_t iopm_pa;
    uint64_t msrpm_pa;
};

struct svm_cpu {
    uint64_t hsave_pa;              /* VM_HSAVE_PA: VMRUN's host save */
    uint64_t host_vmcb_pa;          /* VMSAVE/VMLOAD of host state */
    struct vcpu *last;              /* whose TLB entries are in the ASID */
};

static struct svm_cpu svm_cpus[MAX_CPUS];
static bool has_nrips;
static uint64_t guest_efer_bits;    /* what a guest may set in EFER */

void svm_enter_guest(uint64_t vmcb_pa, struct guest_regs *regs,
                     uint64_t host_vmcb_pa);

static const struct p2m_format npt_format = {
    .present_mask = 0x1,
    .table = 0x7,               /* present, writable, user: NPT wants all */
    .leaf_rw = 0x7,
    .leaf_ro = 0x5,
    .memtype_mask = 0x18,
    .leaf_mmio = 0x18,          /* PCD | PWT: uncached */
    .write_bit = 0x2,
};

static int svm_cpu_enable(void)
{
    struct svm_cpu *c = &svm_cpus[this_cpu()->cpu_id];

    c->hsave_pa = page_alloc(1);
    c->host_vmcb_pa = page_alloc(1);
    if (!c->hsave_pa || !c->host_vmcb_pa)
        return -XEN_ENOMEM;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, c->hsave_pa);
    if (this_cpu()->cpu_id == 0) {
        has_nrips = (cpuid(0x8000000a, 0).edx >> 3) & 1;
        /* What CPUID shows guests; SVM stays hidden, so SVME is not
         * among them. */
        struct cpuid_regs ext = cpuid(0x80000001, 0);
        guest_efer_bits = EFER_SCE | EFER_LME | EFER_LMA |
                          ((ext.edx >> 20) & 1 ? EFER_NXE : 0) |
                          ((ext.edx >> 25) & 1 ? EFER_FFXSR : 0) |
                          ((ext.ecx >> 17) & 1 ? EFER_TCE : 0);
        p2m_set_format(&npt_format);
    }
    fpu_cpu_init();
    return 0;
}

static void msrpm_allow(uint8_t *msrpm, uint32_t msr, bool read, bool write)
{
    uint32_t base;

    if (msr < 0x2000)
        base = 0;
    else if (msr >= 0xc0000000 && msr < 0xc0002000)
        base = 0x800 * 8, msr -= 0xc0000000;
    else if (msr >= 0xc0010000 && msr < 0xc0012000)
        base = 0x1000 * 8, msr -= 0xc0010000;
    else
        return;
    uint32_t bit = base + msr * 2;
    if (read)
        msrpm[bit / 8] &= ~(1u << (bit % 8));
    if (write)
        msrpm[(bit + 1) / 8] &= ~(1u << ((bit + 1) % 8));
}

static int svm_domain_create(struct domain *d)
{
    struct svm_domain *s = kzalloc(sizeof(*s));

    if (!s)
        return -XEN_ENOMEM;
    s->iopm_pa = page_alloc(IOPM_PAGES);
    s->msrpm_pa = page_alloc(MSRPM_PAGES);
    if (!s->iopm_pa || !s->msrpm_pa) {
        if (s->iopm_pa)
            page_free(s->iopm_pa, IOPM_PAGES);
        if (s->msrpm_pa)
            page_free(s->msrpm_pa, MSRPM_PAGES);
        kfree(s);
        return -XEN_ENOMEM;
    }
    /* Every port and MSR traps unless listed as safe to pass through. */
    memset(phys_to_virt(s->iopm_pa), 0xff, IOPM_PAGES * PAGE_SIZE);
    uint8_t *msrpm = phys_to_virt(s->msrpm_pa);
    memset(msrpm, 0xff, MSRPM_PAGES * PAGE_SIZE);
    static const uint32_t direct[] = {
        0x10 /* TSC */, 0x174, 0x175, 0x176 /* SYSENTER */, 0x277 /* PAT */,
        0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084 /* STAR..SFMASK */,
        0xc0000100, 0xc0000101, 0xc0000102 /* FS, GS, KERNEL_GS base */,
    };
    for (size_t i = 0; i < sizeof(direct) / sizeof(direct[0]); i++)
        msrpm_allow(msrpm, direct[i], true, hvm_msr_passthrough(direct[i], true));
    d->arch_backend = s;
    return 0;
}

static uint8_t *svm_io_bitmap(struct domain *d)
{
    return phys_to_virt(((struct svm_domain *)d->arch_backend)->iopm_pa);
}

static void svm_domain_destroy(struct domain *d)
{
    struct svm_domain *s = d->arch_backend;

    if (!s)
        return;
    page_free(s->iopm_pa, IOPM_PAGES);
    page_free(s->msrpm_pa, MSRPM_PAGES);
    kfree(s);
    d->arch_backend = NULL;
}

static int svm_vcpu_create(struct vcpu *v)
{
    struct svm_vcpu *s = kzalloc(sizeof(*s));

    if (!s)
        return -XEN_ENOMEM;
    s->vmcb_pa = page_alloc(1);
    s->fpu = fpu_state_alloc();
    if (!s->vmcb_pa || !s->fpu) {
        if (s->vmcb_pa)
            page_free(s->vmcb_pa, 1);
        fpu_state_free(s->fpu);
        kfree(s);
        return -XEN_ENOMEM;
    }
    s->vmcb = phys_to_virt(s->vmcb_pa);
    v->arch = s;
    return 0;
}

static void svm_vcpu_destroy(struct vcpu *v)
{
    struct svm_vcpu *s = v->arch;

    if (!s)
        return;
    for (unsigned int i = 0; i < MAX_CPUS; i++)
        if (svm_cpus[i].last == v)
            svm_cpus[i].last = NULL;
    fpu_forget(s->fpu);
    page_free(s->vmcb_pa, 1);
    fpu_state_free(s->fpu);
    kfree(s);
    v->arch = NULL;
}

static void sync_to_vmcb(struct vcpu *v, struct vmcb *vmcb);

static struct vmcb_segment seg(const struct hvm_segment *h)
{
    return (struct vmcb_segment){ h->sel, h->ar, h->limit, h->base };
}

static void svm_vcpu_load_state(struct vcpu *v, const struct hvm_initial_state *st)
{
    struct svm_vcpu *s = v->arch;
    struct svm_domain *sd = v->domain->arch_backend;
    struct vmcb *vmcb = s->vmcb;

    memset(vmcb, 0, sizeof(*vmcb));
    struct vmcb_control *c = &vmcb->control;
    c->intercept_misc1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_SMI |
                         INTERCEPT_INIT | INTERCEPT_CPUID | INTERCEPT_INVD |
                         INTERCEPT_HLT | INTERCEPT_IOIO | INTERCEPT_MSR |
                         INTERCEPT_TASKSW | INTERCEPT_SHUTDOWN;
    c->intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
                         INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI |
                         INTERCEPT_SKINIT | INTERCEPT_XSETBV;
    /* Intel guests use VMCALL: on AMD it raises #UD, which we look at. */
    c->intercept_exceptions = 1u << 6;
    c->iopm_base_pa = sd->iopm_pa;
    c->msrpm_base_pa = sd->msrpm_pa;
    c->asid = GUEST_ASID;
    c->tlb_control = TLB_CONTROL_FLUSH_ASID;
    c->vintr = VINTR_MASKING;
    c->np_enable = 1;
    c->n_cr3 = p2m_root(v->domain);

    struct vmcb_save *g = &vmcb->save;
    g->cs = seg(&st->cs);
    g->ds = seg(&st->ds);
    g->es = seg(&st->es);
    g->ss = seg(&st->ss);
    g->fs = seg(&st->fs);
    g->gs = seg(&st->gs);
    g->tr = seg(&st->tr);
    g->ldtr = seg(&st->ldtr);
    g->gdtr = (struct vmcb_segment){ 0, 0, 0xffff, 0 };
    g->idtr = (struct vmcb_segment){ 0, 0, 0xffff, 0 };
    g->cpl = 0;
    g->cr0 = st->cr0;
    g->cr3 = st->cr3;
    g->cr4 = st->cr4;
    g->efer = st->efer | EFER_SVME;
    g->dr6 = 0xffff0ff0;
    g->dr7 = 0x400;
    g->g_pat = 0x0007040600070406ULL;
    s->efer = st->efer;
    v->regs = st->regs;
    sync_to_vmcb(v, vmcb);
    fpu_state_reset(s->fpu);
}

static void svm_get_cpu_state(struct vcpu *v, struct hvm_cpu_state *st)
{
    struct vmcb_save *g = &((struct svm_vcpu *)v->arch)->vmcb->save;

    st->cr0 = g->cr0;
    st->cr3 = g->cr3;
    st->cr4 = g->cr4;
    st->efer = g->efer & ~EFER_SVME;
    st->long_mode = g->efer & EFER_LMA;
    st->cs_64bit = st->long_mode && (g->cs.attrib & (1u << 9));
    st->cs_32bit = g->cs.attrib & (1u << 10);
    st->cs_base = g->cs.base;
    st->cpl = g->cpl;
}

static void svm_inject_exception(struct vcpu *v, uint8_t vector, bool has_error,
                                 uint32_t error_code)
{
    struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->vmcb;

    vmcb->control.event_inject = EVENT_VALID | EVENT_TYPE_EXCEPTION | vector |
        (has_error ? EVENT_ERROR_VALID | ((uint64_t)error_code << 32) : 0);
}

/* Moves the registers VMRUN keeps in the VMCB to and from v->regs. */
static void sync_to_vmcb(struct vcpu *v, struct vmcb *vmcb)
{
    vmcb->save.rax = v->regs.rax;
    vmcb->save.rsp = v->regs.rsp;
    vmcb->save.rip = v->regs.rip;
    vmcb->save.rflags = v->regs.rflags;
}

static void sync_from_vmcb(struct vcpu *v, const struct vmcb *vmcb)
{
    v->regs.rax = vmcb->save.rax;
    v->regs.rsp = vmcb->save.rsp;
    v->regs.rip = vmcb->save.rip;
    v->regs.rflags = vmcb->save.rflags;
}

/* The length of the instruction that exited, for the kinds we know. */
static void skip(struct vcpu *v, struct vmcb *vmcb, unsigned int len)
{
    if (has_nrips && vmcb->control.next_rip)
        v->regs.rip = vmcb->control.next_rip;
    else
        v->regs.rip += len;
    /* The instruction is done, so an STI shadow over it is over: after
     * "sti; hlt" the upcall must not wait one more instruction. */
    vmcb->control.interrupt_shadow = 0;
}

static void handle_msr(struct vcpu *v, struct svm_vcpu *s, struct vmcb *vmcb)
{
    uint32_t msr = (uint32_t)v->regs.rcx;
    bool write = vmcb->control.exit_info1 & 1;
    uint64_t value = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;
    bool ok = true;

    if (msr == MSR_EFER && !write) {
        value = vmcb->save.efer & ~EFER_SVME;
    } else if (msr == MSR_EFER) {
        uint64_t old = vmcb->save.efer;
        /* Reserved bits, or LME flipped under paging, get the #GP the CPU
         * would raise: let through, they would make VMRUN fail. */
        ok = !(value & ~guest_efer_bits) &&
             !((value ^ old) & EFER_LME && vmcb->save.cr0 & CR0_PG);
        /* LMA is the CPU's to set; VMRUN refuses a guest without
         * EFER.SVME, which the guest never sees. */
        if (ok)
            vmcb->save.efer = (s->efer = (value & ~EFER_LMA) | (old & EFER_LMA)) |
                              EFER_SVME;
    } else if (write) {
        ok = hvm_wrmsr(v, msr, value);
    } else {
        ok = hvm_rdmsr(v, msr, &value);
    }
    if (!ok) {
        svm_inject_exception(v, 13, true, 0);
        return;
    }
    if (!write) {
        v->regs.rax = (uint32_t)value;
        v->regs.rdx = value >> 32;
    }
    skip(v, vmcb, 2);
}

static void handle_io(struct vcpu *v, struct vmcb *vmcb)
{
    uint64_t info = vmcb->control.exit_info1;
    bool in = info & 1;
    unsigned int size = (info >> 4) & 7;    /* SZ8, SZ16, SZ32 one-hot */
    uint16_t port = (uint16_t)(info >> 16);

    if (info & (1u << 2)) {
        /* String I/O (INS/OUTS) is not emulated: the guest gets #GP. */
        svm_inject_exception(v, 13, true, 0);
        return;
    }
    size = size == 1 ? 1 : size == 2 ? 2 : 4;
    uint32_t value = (uint32_t)v->regs.rax;
    hvm_io(v, port, size, in, &value);
    if (in) {
        uint64_t mask = size == 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;
        /* A 32-bit IN zero-extends into RAX; narrower ones merge. */
        v->regs.rax = size == 4 ? value : (v->regs.rax & ~mask) | (value & mask);
    }
    v->regs.rip = vmcb->control.exit_info2;   /* IOIO always gives next RIP */
}

static bool is_vmcall(struct vcpu *v)
{
    uint8_t insn[3];

    return hvm_fetch_insn(v, v->regs.rip, insn, 3) == 3 &&
           insn[0] == 0x0f && insn[1] == 0x01 && insn[2] == 0xc1;
}

/* Handles one exit. Returns false when the vCPU must leave the CPU. */
static bool handle_exit(struct vcpu *v, struct svm_vcpu *s, struct vmcb *vmcb)
{
    uint64_t code = vmcb->control.exit_code;

    /* QEMU's TCG stores VMEXIT_INVALID as a 32-bit -1. */
    if (code == 0xffffffffULL)
        code = VMEXIT_INVALID;

    switch (code) {
    case VMEXIT_INTR:
    case VMEXIT_NMI:
    case VMEXIT_SMI:
        /* Let the host take the interrupt; then it is a preemption point. */
        __asm__ volatile("sti; nop; cli" ::: "memory");
        return false;
    case VMEXIT_CPUID:
        hvm_cpuid(v);
        skip(v, vmcb, 2);
        return true;
    case VMEXIT_VMMCALL:
        skip(v, vmcb, 3);
        hvm_hypercall(v);
        return true;
    case VMEXIT_EXCP_BASE + 6:
        if (is_vmcall(v)) {
            v->regs.rip += 3;
            hvm_hypercall(v);
        } else {
            svm_inject_exception(v, 6, false, 0);
        }
        return true;
    case VMEXIT_HLT:
        skip(v, vmcb, 1);
        hvm_hlt(v);
        return true;
    case VMEXIT_MSR:
        handle_msr(v, s, vmcb);
        return true;
    case VMEXIT_IOIO:
        handle_io(v, vmcb);
        return true;
    case VMEXIT_NPF: {
        if (hvm_npf_fixup(v, vmcb->control.exit_info2))
            return true;
        unsigned int len = hvm_mmio(v, vmcb->control.exit_info2,
                                    vmcb->control.exit_info1 & 2);
        if (!len) {
            log_warn("d%u v%u: unhandled access to 0x%llx at rip 0x%llx\n",
                     v->domain->id, v->id,
                     (unsigned long long)vmcb->control.exit_info2,
                     (unsigned long long)v->regs.rip);
            domain_shutdown(v->domain, SHUTDOWN_crash);
            return false;
        }
        v->regs.rip += len;
        return true;
    }
    case VMEXIT_XSETBV:
    case VMEXIT_VMRUN:
    case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: /* VMLOAD..SKINIT */
        svm_inject_exception(v, 6, false, 0);
        return true;
    case VMEXIT_SHUTDOWN:
        log_warn("d%u v%u: triple fault at rip 0x%llx\n", v->domain->id, v->id,
                 (unsigned long long)v->regs.rip);
        domain_shutdown(v->domain, SHUTDOWN_crash);
        return false;
    case VMEXIT_INVALID:
        log_err("d%u v%u: VMRUN refused the VMCB state\n", v->domain->id, v->id);
        domain_shutdown(v->domain, SHUTDOWN_crash);
        return false;
    default:
        log_warn("d%u v%u: unexpected exit 0x%llx (info 0x%llx 0x%llx)\n",
                 v->domain->id, v->id, (unsigned long long)code,
                 (unsigned long long)vmcb->control.exit_info1,
                 (unsigned long long)vmcb->control.exit_info2);
        domain_shutdown(v->domain, SHUTDOWN_crash);
        return false;
    }
}

/* Raises a due upcall as a virtual interrupt, and delivers a pending one
 * with this VMRUN once the guest can take it: a V_IRQ alone may be
 * recognized an instruction late, which "sti; hlt; cli" never survives. */
static void deliver_upcall(struct vcpu *v, struct vmcb *vmcb)
{
    uint8_t vector;

    if (!(vmcb->control.vintr & VINTR_IRQ) &&
        !(vmcb->control.event_inject & EVENT_VALID) &&
        hvm_next_interrupt(v, &vector))
        vmcb->control.vintr = VINTR_MASKING | VINTR_IRQ | VINTR_IGN_TPR | (0xfULL << 16) |
                              ((uint64_t)vector << VINTR_VECTOR_SHIFT);
    if ((vmcb->control.vintr & VINTR_IRQ) && (v->regs.rflags & RFLAGS_IF) &&
        !(vmcb->control.interrupt_shadow & 1) &&
        !(vmcb->control.event_inject & EVENT_VALID)) {
        vmcb->control.event_inject = EVENT_VALID | EVENT_TYPE_INTR |
                                     ((vmcb->control.vintr >> VINTR_VECTOR_SHIFT) & 0xff);
        vmcb->control.vintr &= ~VINTR_IRQ;
    }
}

static void svm_vcpu_run(struct vcpu *v)
{
    struct svm_vcpu *s = v->arch;
    struct vmcb *vmcb = s->vmcb;
    struct svm_cpu *c = &svm_cpus[this_cpu()->cpu_id];

    fpu_switch_to(s->fpu);
    while (v->state == VCPU_RUNNING && !v->yield &&
           v->domain->state == DOMAIN_RUNNING) {
        /* Announce guest mode before reading the p2m generation, so that
         * sched_flush_domain_tlbs() either sees us or we see its change. */
        __atomic_store_n(&v->in_guest, true, __ATOMIC_SEQ_CST);
        uint64_t gen = p2m_generation(v->domain);
        if (c->last != v || s->p2m_generation != gen) {
            vmcb->control.tlb_control = TLB_CONTROL_FLUSH_ASID;
            s->p2m_generation = gen;
            c->last = v;
        }
        hvm_update_time(v);
        deliver_upcall(v, vmcb);
        sync_to_vmcb(v, vmcb);
        uint64_t start = rdtsc();
        svm_enter_guest(s->vmcb_pa, &v->regs, c->host_vmcb_pa);
        v->run_tsc += rdtsc() - start;
        __atomic_fetch_add(&v->exits, 1, __ATOMIC_RELEASE);
        __atomic_store_n(&v->in_guest, false, __ATOMIC_RELEASE);
        sync_from_vmcb(v, vmcb);
        vmcb->control.tlb_control = 0;
        /* An event cut short by the exit is delivered again. */
        vmcb->control.event_inject = (vmcb->control.exit_int_info & EVENT_VALID) ?
                                     vmcb->control.exit_int_info : 0;
        if (!handle_exit(v, s, vmcb))
            break;
    }
}

const struct hvm_backend svm_backend = {
    .name = "SVM",
    .hypercall_insn_byte = 0xd9,
    .cpu_enable = svm_cpu_enable,
    .domain_create = svm_domain_create,
    .domain_destroy = svm_domain_destroy,
    .vcpu_create = svm_vcpu_create,
    .vcpu_destroy = svm_vcpu_destroy,
    .vcpu_load_state = svm_vcpu_load_state,
    .vcpu_run = svm_vcpu_run,
    .get_cpu_state = svm_get_cpu_state,
    .inject_exception = svm_inject_exception,
    .io_bitmap = svm_io_bitmap,
};
