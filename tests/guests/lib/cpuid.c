/* CPUID and the scan for the Xen-compatible leaves. */
#include <xen/cpuid.h>

#include "cpuid.h"

struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_regs r;

    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

uint32_t xen_cpuid_base(void)
{
    for (uint32_t leaf = XEN_CPUID_FIRST_LEAF; leaf < XEN_CPUID_FIRST_LEAF + 0x10000;
         leaf += 0x100) {
        struct cpuid_regs r = cpuid(leaf, 0);

        if (r.ebx == XEN_CPUID_SIGNATURE_EBX && r.ecx == XEN_CPUID_SIGNATURE_ECX &&
            r.edx == XEN_CPUID_SIGNATURE_EDX)
            return leaf;
    }
    return 0;
}

uint16_t xen_own_domid(void)
{
    return (uint16_t)cpuid(xen_cpuid_base() + 4, 0).ecx;
}
