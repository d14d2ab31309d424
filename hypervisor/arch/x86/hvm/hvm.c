/* The arch_* entry points common code uses for vCPUs and domains, routed
 * to whichever backend virt_probe() chose. */
#include <stddef.h>
#include <mica/log.h>
#include <mica/vcpu_arch.h>
#include <public/mica/control.h>
#include <x86/acpi_tables.h>
#include <x86/guest_regs_asm.h>
#include <x86/hvm.h>
#include <x86/hvm_vcpu.h>
#include <x86/hwdom.h>

const struct hvm_backend *hvm;

/* The entry stubs find registers by these offsets. */
_Static_assert(offsetof(struct guest_regs, rax) == R_RAX, "guest_regs");
_Static_assert(offsetof(struct guest_regs, rbx) == R_RBX, "guest_regs");
_Static_assert(offsetof(struct guest_regs, rcx) == R_RCX, "guest_regs");
_Static_assert(offsetof(struct guest_regs, rdx) == R_RDX, "guest_regs");
_Static_assert(offsetof(struct guest_regs, rsi) == R_RSI, "guest_regs");
_Static_assert(offsetof(struct guest_regs, rdi) == R_RDI, "guest_regs");
_Static_assert(offsetof(struct guest_regs, rbp) == R_RBP, "guest_regs");
_Static_assert(offsetof(struct guest_regs, r8) == R_R8, "guest_regs");
_Static_assert(offsetof(struct guest_regs, r15) == R_R15, "guest_regs");

int arch_virt_cpu_enable(void)
{
    return hvm ? hvm->cpu_enable() : -XEN_ENODEV;
}

int arch_domain_create(struct domain *d)
{
    if (!hvm)
        return -XEN_ENODEV;
    int rc = hvm->domain_create(d);
    /* The privileged domain is the one that drives the machine. */
    if (!rc && d->privileged && (rc = hwdom_init(d)))
        hvm->domain_destroy(d);
    return rc;
}

void arch_domain_destroy(struct domain *d)
{
    hwdom_destroy(d);
    if (hvm)
        hvm->domain_destroy(d);
}

int arch_vcpu_create(struct vcpu *v)
{
    if (!hvm)
        return -XEN_ENODEV;
    int rc = hvm_vcpu_init(v);
    if (!rc && (rc = hvm->vcpu_create(v)))
        hvm_vcpu_destroy(v);
    return rc;
}

void arch_vcpu_destroy(struct vcpu *v)
{
    if (hvm)
        hvm->vcpu_destroy(v);
    hvm_vcpu_destroy(v);
}


void arch_vcpu_run(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_vcpu(v);

    if (h->start_pending) {
        h->start_pending = false;
        hvm->vcpu_load_state(v, &h->start_state);
    }
    hvm->vcpu_run(v);
}

bool arch_virt_available(void)
{
    return hvm != NULL;
}

uint32_t arch_virt_caps(void)
{
    /* A backend is chosen only together with its nested paging. */
    if (!hvm)
        return 0;
    return MICA_PHYS_CAP_HAP |
           (hvm == &svm_backend ? MICA_PHYS_CAP_SVM : MICA_PHYS_CAP_VMX);
}

size_t arch_build_acpi_tables(struct domain *d, uint8_t *buf, size_t size,
                              uint64_t base_gpa, uint64_t *root_gpa)
{
    if (d->hw_domain)
        return hwdom_acpi_tables(d, buf, size, base_gpa, root_gpa);
    return acpi_build_guest_tables(buf, size, base_gpa, d->max_vcpus, root_gpa);
}
