/* CPUID for the test guests, and the search for the hypervisor's leaves. */
#ifndef GUEST_CPUID_H
#define GUEST_CPUID_H

#include <stdint.h>

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf);

/*
 * The first leaf in 0x40000000..0x4000ff00 (step 0x100) whose EBX, ECX,
 * EDX spell "XenVMMXenVMM", or 0 if there is none.
 */
uint32_t xen_cpuid_base(void);

/* This domain's id, from the hypervisor leaf base+4 (ECX). */
uint16_t xen_own_domid(void);

#endif
