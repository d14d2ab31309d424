/* Guest MSR accesses that trap: the hypercall-page MSR and the few
 * architectural MSRs a PVH guest reads; anything else raises #GP. */
#include <mica/guest_access.h>
#include <mica/log.h>
#include <public/xen/xen.h>
#include <x86/hvm.h>
#include <x86/hvm_vcpu.h>

#define MSR_XEN_HYPERCALL_PAGE 0x40000000
#define MSR_APIC_BASE          0x1b
#define APIC_BASE_DEFAULT      0xfee00000ULL
#define APIC_BASE_ENABLE       (1ULL << 11)
#define APIC_BASE_BSP          (1ULL << 8)
#define APIC_BASE_X2APIC       (1ULL << 10)
#define MSR_MTRR_CAP           0xfe
#define MSR_MTRR_DEF_TYPE      0x2ff
#define MSR_K8_INT_PENDING_MSG 0xc0010055   /* C1E on old AMD parts */
#define MTRR_DEF_TYPE_VALID    0xcffULL     /* type, FE, E */
#define HYPERCALL_STUB_SIZE    32

bool hvm_msr_passthrough(uint32_t msr, bool write)
{
    /* The TSC may be read directly but a write would skew every clock. */
    return !(write && msr == 0x10);
}

/* Fills the guest page at gpa with one stub per hypercall number:
 * mov $nr, %eax; <vmmcall or vmcall>; ret. */
static bool write_hypercall_page(struct vcpu *v, uint64_t gpa)
{
    uint8_t page[4096];

    for (unsigned int nr = 0; nr < sizeof(page) / HYPERCALL_STUB_SIZE; nr++) {
        uint8_t *stub = page + nr * HYPERCALL_STUB_SIZE;
        stub[0] = 0xb8;
        stub[1] = (uint8_t)nr;
        stub[2] = stub[3] = stub[4] = 0;
        stub[5] = 0x0f;
        stub[6] = 0x01;
        stub[7] = hvm->hypercall_insn_byte;
        stub[8] = 0xc3;
        for (unsigned int i = 9; i < HYPERCALL_STUB_SIZE; i++)
            stub[i] = 0xcc;     /* int3: nothing should run past ret */
    }
    return copy_to_gpa(v->domain, gpa & ~0xfffULL, page, sizeof(page)) == 0;
}

static uint64_t apic_base(const struct vcpu *v)
{
    /* The APIC comes up already in x2APIC mode. */
    return APIC_BASE_DEFAULT | APIC_BASE_ENABLE | APIC_BASE_X2APIC |
           (v->id == 0 ? APIC_BASE_BSP : 0);
}

bool hvm_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *value)
{
    if (msr >= VLAPIC_MSR_FIRST && msr <= VLAPIC_MSR_LAST)
        return hvm_apic_rdmsr(v, msr, value);
    switch (msr) {
    case MSR_APIC_BASE:
        *value = apic_base(v);
        return true;
    case MSR_MTRR_CAP:
        *value = 0;         /* no variable ranges, no fixed ones, no WC */
        return true;
    case MSR_K8_INT_PENDING_MSG:
        *value = 0;         /* no C1E: Linux keeps its plain idle routine */
        return true;
    case MSR_MTRR_DEF_TYPE:
        *value = hvm_vcpu(v)->mtrr_def_type;
        return true;
    default:
        return false;
    }
}

bool hvm_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value)
{
    if (msr >= VLAPIC_MSR_FIRST && msr <= VLAPIC_MSR_LAST)
        return hvm_apic_wrmsr(v, msr, value);
    switch (msr) {
    case MSR_XEN_HYPERCALL_PAGE:
        /* The low 12 bits select the page index; we offer one page. */
        if (value & 0xfff)
            return false;
        return write_hypercall_page(v, value);
    case MSR_APIC_BASE:
        /* Moving the APIC or leaving x2APIC mode is not offered. */
        return value == apic_base(v);
    case MSR_MTRR_DEF_TYPE:
        if (value & ~MTRR_DEF_TYPE_VALID)
            return false;
        hvm_vcpu(v)->mtrr_def_type = value;
        return true;
    default:
        return false;
    }
}
