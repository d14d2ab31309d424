/* Detects Intel VMX and the features the VMX backend can use. */
#include <mica/format.h>
#include <x86/cpu.h>
#include <x86/virt_probe.h>

#define FEATURE_CONTROL_LOCKED        (1u << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1u << 2)
#define MSR_VMX_BASIC          0x480
#define MSR_VMX_PROCBASED      0x482
#define MSR_VMX_PROCBASED2     0x48b
#define PROCBASED_SECONDARY    (1ULL << 63)   /* allowed-1 half */
#define PROCBASED2_EPT         (1ULL << (32 + 1))
#define PROCBASED2_VPID        (1ULL << (32 + 5))
#define PROCBASED2_UNRESTRICTED (1ULL << (32 + 7))

bool vmx_probe(struct virt_caps *caps)
{
    if (!((cpuid(1, 0).ecx >> 5) & 1))
        return false;

    uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);
    if (!(fc & FEATURE_CONTROL_LOCKED)) {
        /* Unlocked: we may enable VMX ourselves, then lock the choice. */
        fc |= FEATURE_CONTROL_VMX_OUTSIDE_SMX | FEATURE_CONTROL_LOCKED;
        wrmsr(MSR_FEATURE_CONTROL, fc);
    } else if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
        snprintf(caps->problem, sizeof(caps->problem),
                 "VMX is disabled by the firmware (IA32_FEATURE_CONTROL)");
        return true;
    }

    uint64_t proc2 = 0;
    if (rdmsr(MSR_VMX_PROCBASED) & PROCBASED_SECONDARY)
        proc2 = rdmsr(MSR_VMX_PROCBASED2);
    caps->backend = "VMX";
    caps->nested_paging = (proc2 & PROCBASED2_EPT) ? "EPT" : NULL;
    snprintf(caps->details, sizeof(caps->details),
             "VMCS revision %llu, VPID %s, unrestricted guest %s",
             (unsigned long long)(rdmsr(MSR_VMX_BASIC) & 0x7fffffff),
             (proc2 & PROCBASED2_VPID) ? "yes" : "no",
             (proc2 & PROCBASED2_UNRESTRICTED) ? "yes" : "no");
    if (!caps->nested_paging)
        snprintf(caps->problem, sizeof(caps->problem),
                 "VMX without EPT is not supported");
    return true;
}
