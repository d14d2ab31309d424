/* Chooses the virtualization backend the boot CPU supports. */
#include <mica/format.h>
#include <mica/virt.h>
#include <x86/hvm.h>
#include <x86/virt_probe.h>

bool virt_probe(struct virt_caps *caps)
{
    *caps = (struct virt_caps){ 0 };
    if (!svm_probe(caps) && !vmx_probe(caps))
        snprintf(caps->problem, sizeof(caps->problem),
                 "the CPU has neither AMD SVM nor Intel VMX");
    if (!caps->backend || !caps->nested_paging)
        return false;
    hvm = caps->backend[0] == 'S' ? &svm_backend : &vmx_backend;
    return true;
}
