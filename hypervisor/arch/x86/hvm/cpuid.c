/* What CPUID tells a guest: the Xen leaves at 0x40000000, and the host's
 * own leaves with what guests must not use (virtualization, XSAVE state we
 * do not switch, monitoring) taken out. */
#include <public/xen/cpuid.h>
#include <x86/cpu.h>
#include <x86/hvm.h>
#include <x86/lapic.h>

#define XEN_LEAVES        6             /* 0x40000000 .. 0x40000005 */
#define XEN_ABI_MAJOR     4
#define XEN_ABI_MINOR     17
#define HYPERCALL_MSR     0x40000000

/* Leaf 1 ECX bits hidden: MONITOR, VMX, SMX, EST, TM2, TSC-deadline,
 * XSAVE, OSXSAVE, AVX. */
#define LEAF1_ECX_HIDDEN  ((1u << 3) | (1u << 5) | (1u << 6) | (1u << 7) | \
                           (1u << 8) | (1u << 24) | (1u << 26) | (1u << 27) | \
                           (1u << 28))
#define LEAF1_ECX_X2APIC     (1u << 21)   /* the virtual APIC is an x2APIC */
#define LEAF1_ECX_HYPERVISOR (1u << 31)
/* Leaf 1 EDX bits hidden: MCE and MCA (no machine-check banks are
 * emulated), ACPI thermal, TM. */
#define LEAF1_EDX_HIDDEN  ((1u << 7) | (1u << 14) | (1u << 22) | (1u << 29))
/* Leaf 7 EBX bits kept: FSGSBASE, BMI1, SMEP, BMI2, ERMS, RDSEED, ADX,
 * SMAP, CLFLUSHOPT, CLWB, SHA. */
#define LEAF7_EBX_KEPT    ((1u << 0) | (1u << 3) | (1u << 7) | (1u << 8) | \
                           (1u << 9) | (1u << 18) | (1u << 19) | (1u << 20) | \
                           (1u << 23) | (1u << 24) | (1u << 29))
/* Extended leaf 1: ECX without SVM, EDX without RDTSCP (TSC_AUX is not
 * switched per vCPU). */
#define EXT1_ECX_HIDDEN   (1u << 2)
#define EXT1_EDX_HIDDEN   (1u << 27)

static void xen_leaf(struct vcpu *v, uint32_t index, uint32_t sub,
                     struct cpuid_regs *r)
{
    *r = (struct cpuid_regs){ 0 };
    switch (index) {
    case 0:
        r->eax = XEN_CPUID_LEAF(XEN_LEAVES - 1);
        r->ebx = XEN_CPUID_SIGNATURE_EBX;
        r->ecx = XEN_CPUID_SIGNATURE_ECX;
        r->edx = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        r->eax = (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
        break;
    case 2:
        r->eax = 1;                     /* one hypercall page */
        r->ebx = HYPERCALL_MSR;
        break;
    case 3:
        /* TSC: never emulated, the host's rate in kHz. */
        if (sub == 0) {
            r->ebx = XEN_CPUID_TSC_MODE_NEVER_EMULATE;
            r->ecx = (uint32_t)(tsc_frequency() / 1000);
        } else if (sub == 2) {
            r->ecx = (uint32_t)(tsc_frequency() / 1000);
        }
        break;
    case 4:
        r->eax = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT |
                 XEN_HVM_CPUID_UPCALL_VECTOR;
        r->ebx = v->id;
        r->ecx = v->domain->id;
        break;
    default:
        break;
    }
}

void hvm_cpuid(struct vcpu *v)
{
    uint32_t leaf = (uint32_t)v->regs.rax, sub = (uint32_t)v->regs.rcx;
    struct cpuid_regs r;

    if (leaf >= XEN_CPUID_FIRST_LEAF && leaf < XEN_CPUID_FIRST_LEAF + 0x10000) {
        if (leaf - XEN_CPUID_FIRST_LEAF < XEN_LEAVES)
            xen_leaf(v, leaf - XEN_CPUID_FIRST_LEAF, sub, &r);
        else
            r = (struct cpuid_regs){ 0 };
    } else {
        r = cpuid(leaf, sub);
        switch (leaf) {
        case 1:
            r.ecx = (r.ecx & ~LEAF1_ECX_HIDDEN) | LEAF1_ECX_X2APIC |
                    LEAF1_ECX_HYPERVISOR;
            r.edx &= ~LEAF1_EDX_HIDDEN;
            /* Initial APIC id = vCPU id; logical processor count. */
            r.ebx = (r.ebx & 0x0000ffff) | (v->id << 24) |
                    ((v->domain->max_vcpus & 0xff) << 16);
            break;
        case 7:
            if (sub == 0) {
                r.eax = 0;
                r.ebx &= LEAF7_EBX_KEPT;
                r.ecx = 0;
                r.edx = 0;
            } else {
                r = (struct cpuid_regs){ 0 };
            }
            break;
        case 0xb:   /* topology and XSAVE leaves: nothing to offer */
        case 0xd:
        case 0x1f:
        case 0x8000000a:
            r = (struct cpuid_regs){ 0 };
            break;
        case 0x80000001:
            r.ecx &= ~EXT1_ECX_HIDDEN;
            r.edx &= ~EXT1_EDX_HIDDEN;
            break;
        default:
            break;
        }
    }
    v->regs.rax = r.eax;
    v->regs.rbx = r.ebx;
    v->regs.rcx = r.ecx;
    v->regs.rdx = r.edx;
}
