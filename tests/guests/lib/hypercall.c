/* Issuing hypercalls: the VMCALL/VMMCALL choice and the hypercall page. */
#include <stdbool.h>
#include <xen/cpuid.h>

#include "cpuid.h"
#include "hypercall.h"
#include "string.h"
#include "x86.h"

static bool use_vmmcall;

uint8_t hypercall_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

void hypercall_init(void)
{
    struct cpuid_regs r = cpuid(0, 0);
    char vendor[12];

    memcpy(vendor, &r.ebx, 4);
    memcpy(vendor + 4, &r.edx, 4);
    memcpy(vendor + 8, &r.ecx, 4);
    use_vmmcall = memcmp(vendor, "AuthenticAMD", 12) == 0 ||
                  memcmp(vendor, "HygonGenuine", 12) == 0;
}

long hypercall5(unsigned long nr, unsigned long a1, unsigned long a2,
                unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8 __asm__("r8") = a5;
    unsigned long rax = nr;

    /* Every argument register counts as clobbered: the ABI does not keep them. */
    if (use_vmmcall)
        __asm__ volatile("vmmcall"
                         : "+a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                         :
                         : "memory");
    else
        __asm__ volatile("vmcall"
                         : "+a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                         :
                         : "memory");
    return (long)rax;
}

uint32_t hypercall_page_install(void)
{
    uint32_t base = xen_cpuid_base();
    uint64_t gpa = (uint64_t)(uintptr_t)hypercall_page;
    uint32_t msr;

    if (!base)
        return 0;
    msr = cpuid(base + 2, 0).ebx;
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)gpa), "d"((uint32_t)(gpa >> 32))
                     : "memory");
    return msr;
}

long hypercall_page_call5(unsigned long nr, unsigned long a1, unsigned long a2,
                          unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 __asm__("r10") = a4;
    register unsigned long r8 __asm__("r8") = a5;
    unsigned long entry = (unsigned long)hypercall_page + nr * HYPERCALL_PAGE_ENTRY_SIZE;
    unsigned long rax = nr;

    if (nr >= PAGE_SIZE / HYPERCALL_PAGE_ENTRY_SIZE)
        return -XEN_ENOSYS;     /* the page has no entry for it */
    __asm__ volatile("call *%[entry]"
                     : "+a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : [entry] "r"(entry)
                     : "memory");
    return (long)rax;
}
