/*
 * Hypercalls from a test guest: RAX = number, arguments in RDI, RSI, RDX,
 * R10, R8, result in RAX (negative XEN_E* on error). Either issued
 * directly (VMMCALL on AMD/Hygon, VMCALL elsewhere) or through the
 * hypercall page the hypervisor writes when asked through its MSR.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>

/* Pick VMMCALL or VMCALL from the CPU vendor; call before any hypercall. */
void hypercall_init(void);

long hypercall5(unsigned long nr, unsigned long a1, unsigned long a2,
                unsigned long a3, unsigned long a4, unsigned long a5);

static inline long hypercall0(unsigned long nr)
{
    return hypercall5(nr, 0, 0, 0, 0, 0);
}

static inline long hypercall1(unsigned long nr, unsigned long a1)
{
    return hypercall5(nr, a1, 0, 0, 0, 0);
}

static inline long hypercall2(unsigned long nr, unsigned long a1, unsigned long a2)
{
    return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long hypercall3(unsigned long nr, unsigned long a1, unsigned long a2,
                              unsigned long a3)
{
    return hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline long hypercall4(unsigned long nr, unsigned long a1, unsigned long a2,
                              unsigned long a3, unsigned long a4)
{
    return hypercall5(nr, a1, a2, a3, a4, 0);
}

/* The page the hypervisor fills: entry i (32 bytes) makes hypercall i. */
#define HYPERCALL_PAGE_ENTRY_SIZE 32
extern uint8_t hypercall_page[];

/*
 * Ask the hypervisor to fill hypercall_page: write its address to the MSR
 * that CPUID leaf base+2 EBX names. Returns that MSR, or 0 if there are no
 * Xen leaves.
 */
uint32_t hypercall_page_install(void);

/* Make hypercall nr through its hypercall-page entry (-XEN_ENOSYS if nr >= 128). */
long hypercall_page_call5(unsigned long nr, unsigned long a1, unsigned long a2,
                          unsigned long a3, unsigned long a4, unsigned long a5);

/* Typed wrappers, one per hypercall the guests use. */
static inline long HYPERVISOR_console_io(unsigned int cmd, unsigned int count,
                                         const char *buf)
{
    return hypercall3(__HYPERVISOR_console_io, cmd, count, (unsigned long)buf);
}

static inline long HYPERVISOR_xen_version(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, cmd, (unsigned long)arg);
}

static inline long HYPERVISOR_sched_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, cmd, (unsigned long)arg);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_memory_op, cmd, (unsigned long)arg);
}

static inline long HYPERVISOR_event_channel_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg);
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uops,
                                             unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uops, count);
}

static inline long HYPERVISOR_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg);
}

static inline long HYPERVISOR_hvm_op(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_hvm_op, cmd, (unsigned long)arg);
}

#endif
