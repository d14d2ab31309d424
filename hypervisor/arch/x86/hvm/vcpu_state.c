/* The register states a vCPU starts from: the PVH entry, and the
 * VCPUOP_initialise context a guest gives for its other vCPUs (checked
 * here so that a bad one is refused rather than failing VMRUN). */
#include <mica/vcpu_arch.h>
#include <public/mica/control.h>
#include <public/xen/hvm_vcpu.h>
#include <x86/cpu.h>
#include <x86/hvm.h>

#define CR0_PE   (1ULL << 0)
#define CR0_ET   (1ULL << 4)
#define CR0_NW   (1ULL << 29)
#define CR0_CD   (1ULL << 30)
#define CR0_PG   (1ULL << 31)
#define CR4_PAE  (1ULL << 5)
#define CR4_BASE 0x7ffULL       /* VME .. OSXMMEXCPT: every x86-64 CPU has them */
#define CR4_FSGSBASE (1ULL << 16)
#define CR4_PCIDE    (1ULL << 17)
#define CR4_SMEP     (1ULL << 20)
#define CR4_SMAP     (1ULL << 21)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)
#define EFER_SCE (1ULL << 0)
#define AR_CODE32 0xc9b         /* present, DPL 0, exec/read, 32-bit, 4K gran. */
#define AR_CODE64 0xa9b         /* the same with L set */
#define AR_DATA   0xc93
#define AR_TSS    0x8b
#define AR_LDT    0x82

static struct hvm_segment flat(uint16_t sel, uint16_t ar)
{
    return (struct hvm_segment){ sel, ar, 0xffffffff, 0 };
}

static void common_state(struct hvm_initial_state *s, uint16_t cs_ar)
{
    s->cs = flat(0x08, cs_ar);
    s->ds = s->es = s->ss = s->fs = s->gs = flat(0x10, AR_DATA);
    s->tr = (struct hvm_segment){ 0x18, AR_TSS, 0x67, 0 };
    s->ldtr = (struct hvm_segment){ 0, AR_LDT, 0, 0 };
    s->regs.rflags = 0x2;
}

void arch_vcpu_reset_pvh(struct vcpu *v, uint32_t entry, uint32_t ebx)
{
    struct hvm_initial_state s = { 0 };

    common_state(&s, AR_CODE32);
    s.cr0 = CR0_PE | CR0_ET;
    s.regs.rip = entry;
    s.regs.rbx = ebx;
    hvm->vcpu_load_state(v, &s);
}

static bool valid_efer(uint64_t efer)
{
    return !(efer & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE));
}

/* The CR4 bits whose features the host has and hvm/cpuid.c shows guests. */
static uint64_t cr4_valid_bits(void)
{
    uint64_t bits = CR4_BASE;

    if (cpuid(1, 0).ecx & (1u << 17))
        bits |= CR4_PCIDE;
    if (cpuid(0, 0).eax >= 7) {
        uint32_t ebx = cpuid(7, 0).ebx;
        bits |= (ebx & (1u << 0) ? CR4_FSGSBASE : 0) | (ebx & (1u << 7) ? CR4_SMEP : 0) |
                (ebx & (1u << 20) ? CR4_SMAP : 0);
    }
    return bits;
}

/* What VMRUN's consistency checks would refuse (a crash of the domain):
 * CR0 bits 63:32 or NW without CD, CR4 bits beyond its features, and a
 * long-mode CR3 beyond the physical address width. */
static bool valid_controls(uint64_t cr0, uint64_t cr3, uint64_t cr4, bool long_mode)
{
    unsigned int phys_bits = cpuid(0x80000008, 0).eax & 0xff;

    if ((cr0 >> 32) || ((cr0 & CR0_NW) && !(cr0 & CR0_CD)) || (cr4 & ~cr4_valid_bits()))
        return false;
    return !long_mode || !(cr3 >> phys_bits);
}

static int from_32(const struct vcpu_hvm_x86_32 *c, struct hvm_initial_state *s)
{
    if (!valid_efer(c->efer) || (c->efer & (EFER_LME | EFER_LMA)) ||
        !(c->cr0 & CR0_PE) || !(c->cs_ar & 0x80) ||
        !valid_controls(c->cr0, c->cr3, c->cr4, false))
        return -XEN_EINVAL;
    common_state(s, AR_CODE32);
    s->regs.rax = c->eax; s->regs.rcx = c->ecx; s->regs.rdx = c->edx;
    s->regs.rbx = c->ebx; s->regs.rsp = c->esp; s->regs.rbp = c->ebp;
    s->regs.rsi = c->esi; s->regs.rdi = c->edi; s->regs.rip = c->eip;
    s->regs.rflags = (c->eflags & 0x3fd7) | 0x2;
    s->cr0 = c->cr0 | CR0_ET;
    s->cr3 = c->cr3;
    s->cr4 = c->cr4;
    s->efer = c->efer;
    s->cs = (struct hvm_segment){ 0x08, c->cs_ar, c->cs_limit, c->cs_base };
    s->ds = (struct hvm_segment){ 0x10, c->ds_ar, c->ds_limit, c->ds_base };
    s->ss = (struct hvm_segment){ 0x10, c->ss_ar, c->ss_limit, c->ss_base };
    s->es = (struct hvm_segment){ 0x10, c->es_ar, c->es_limit, c->es_base };
    if (c->tr_ar)
        s->tr = (struct hvm_segment){ 0x18, c->tr_ar, c->tr_limit, c->tr_base };
    return 0;
}

static int from_64(const struct vcpu_hvm_x86_64 *c, struct hvm_initial_state *s)
{
    /* Long mode needs paging, PAE and LME together. */
    if (!valid_efer(c->efer) || !(c->efer & EFER_LME) ||
        !(c->cr0 & CR0_PG) || !(c->cr0 & CR0_PE) || !(c->cr4 & CR4_PAE) ||
        !valid_controls(c->cr0, c->cr3, c->cr4, true))
        return -XEN_EINVAL;
    common_state(s, AR_CODE64);
    s->regs.rax = c->rax; s->regs.rcx = c->rcx; s->regs.rdx = c->rdx;
    s->regs.rbx = c->rbx; s->regs.rsp = c->rsp; s->regs.rbp = c->rbp;
    s->regs.rsi = c->rsi; s->regs.rdi = c->rdi; s->regs.rip = c->rip;
    s->regs.rflags = (c->rflags & 0x3fd7) | 0x2;
    s->cr0 = c->cr0 | CR0_ET;
    s->cr3 = c->cr3;
    s->cr4 = c->cr4;
    s->efer = c->efer | EFER_LMA;
    return 0;
}

int arch_vcpu_initialise(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    struct hvm_initial_state s = { 0 };
    int rc;

    if (ctx->mode == VCPU_HVM_MODE_32B)
        rc = from_32(&ctx->cpu_regs.x86_32, &s);
    else if (ctx->mode == VCPU_HVM_MODE_64B)
        rc = from_64(&ctx->cpu_regs.x86_64, &s);
    else
        rc = -XEN_EINVAL;
    if (!rc)
        hvm->vcpu_load_state(v, &s);
    return rc;
}

void arch_vcpu_get_context(struct vcpu *v, struct mica_vcpu_context *out)
{
    const struct guest_regs *r = &v->regs;
    struct hvm_cpu_state s;

    hvm->get_cpu_state(v, &s);
    out->rax = r->rax; out->rbx = r->rbx; out->rcx = r->rcx; out->rdx = r->rdx;
    out->rsi = r->rsi; out->rdi = r->rdi; out->rbp = r->rbp; out->rsp = r->rsp;
    out->r8 = r->r8; out->r9 = r->r9; out->r10 = r->r10; out->r11 = r->r11;
    out->r12 = r->r12; out->r13 = r->r13; out->r14 = r->r14; out->r15 = r->r15;
    out->rip = r->rip;
    out->rflags = r->rflags;
    out->cr0 = s.cr0;
    out->cr3 = s.cr3;
    out->cr4 = s.cr4;
    out->efer = s.efer;
    out->cs_base = s.cs_base;
    out->cpl = s.cpl;
    out->mode = s.long_mode ? VCPU_HVM_MODE_64B : VCPU_HVM_MODE_32B;
}
