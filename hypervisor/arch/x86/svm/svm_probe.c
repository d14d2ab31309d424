/* Detects AMD SVM and the features the SVM backend can use. */
#include <mica/format.h>
#include <x86/cpu.h>
#include <x86/virt_probe.h>

#define MSR_VM_CR        0xc0010114
#define VM_CR_SVMDIS     (1u << 4)
#define SVM_FEATURE_LEAF 0x8000000a
#define SVM_NPT          (1u << 0)
#define SVM_NRIPS        (1u << 3)
#define SVM_DECODE       (1u << 7)

bool svm_probe(struct virt_caps *caps)
{
    if (cpuid(0x80000000, 0).eax < SVM_FEATURE_LEAF ||
        !((cpuid(0x80000001, 0).ecx >> 2) & 1))
        return false;

    if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
        snprintf(caps->problem, sizeof(caps->problem),
                 "SVM is disabled by the firmware (VM_CR.SVMDIS)");
        return true;
    }
    struct cpuid_regs f = cpuid(SVM_FEATURE_LEAF, 0);
    caps->backend = "SVM";
    caps->nested_paging = (f.edx & SVM_NPT) ? "NPT" : NULL;
    snprintf(caps->details, sizeof(caps->details),
             "revision %u, %u ASIDs, NRIP-save %s, decode assists %s",
             f.eax & 0xff, f.ebx, (f.edx & SVM_NRIPS) ? "yes" : "no",
             (f.edx & SVM_DECODE) ? "yes" : "no");
    if (!caps->nested_paging)
        snprintf(caps->problem, sizeof(caps->problem),
                 "SVM without nested paging (NPT) is not supported");
    return true;
}
