/* The arch_* entry points common code uses for vCPUs and domains, routed
 * to whichever backend virt_probe() chose. */
#include <mica/log.h>
#include <mica/vcpu_arch.h>
#include <x86/hvm.h>

const struct hvm_backend *hvm;

int arch_virt_cpu_enable(void)
{
    return hvm ? hvm->cpu_enable() : -XEN_ENODEV;
}

int arch_domain_create(struct domain *d)
{
    return hvm ? hvm->domain_create(d) : -XEN_ENODEV;
}

void arch_domain_destroy(struct domain *d)
{
    if (hvm)
        hvm->domain_destroy(d);
}

int arch_vcpu_create(struct vcpu *v)
{
    return hvm ? hvm->vcpu_create(v) : -XEN_ENODEV;
}

void arch_vcpu_destroy(struct vcpu *v)
{
    if (hvm)
        hvm->vcpu_destroy(v);
}


void arch_vcpu_run(struct vcpu *v)
{
    hvm->vcpu_run(v);
}

bool arch_virt_available(void)
{
    return hvm != NULL;
}
