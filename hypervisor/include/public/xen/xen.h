/*
 * The core of the Xen-compatible guest ABI on x86-64: hypercall numbers,
 * domain ids, VIRQs, console_io, vm_assist, and the shared_info page with
 * its per-vCPU vcpu_info and pvclock time records.
 *
 * Guest handles are plain 64-bit guest addresses (uint64_t), never host
 * pointers, so the hypervisor cannot dereference one by accident.
 */
#ifndef MICA_PUBLIC_XEN_XEN_H
#define MICA_PUBLIC_XEN_XEN_H

#include "errno.h"

/* Hypercall numbers: RAX on VMCALL/VMMCALL, index into the hypercall page. */
#define __HYPERVISOR_set_trap_table                  0
#define __HYPERVISOR_mmu_update                      1
#define __HYPERVISOR_set_gdt                         2
#define __HYPERVISOR_stack_switch                    3
#define __HYPERVISOR_set_callbacks                   4
#define __HYPERVISOR_fpu_taskswitch                  5
#define __HYPERVISOR_sched_op_compat                 6
#define __HYPERVISOR_platform_op                     7
#define __HYPERVISOR_set_debugreg                    8
#define __HYPERVISOR_get_debugreg                    9
#define __HYPERVISOR_update_descriptor              10
#define __HYPERVISOR_memory_op                      12
#define __HYPERVISOR_multicall                      13
#define __HYPERVISOR_update_va_mapping              14
#define __HYPERVISOR_set_timer_op                   15
#define __HYPERVISOR_event_channel_op_compat        16
#define __HYPERVISOR_xen_version                    17
#define __HYPERVISOR_console_io                     18
#define __HYPERVISOR_physdev_op_compat              19
#define __HYPERVISOR_grant_table_op                 20
#define __HYPERVISOR_vm_assist                      21
#define __HYPERVISOR_update_va_mapping_otherdomain  22
#define __HYPERVISOR_iret                           23
#define __HYPERVISOR_vcpu_op                        24
#define __HYPERVISOR_set_segment_base               25
#define __HYPERVISOR_mmuext_op                      26
#define __HYPERVISOR_xsm_op                         27
#define __HYPERVISOR_nmi_op                         28
#define __HYPERVISOR_sched_op                       29
#define __HYPERVISOR_callback_op                    30
#define __HYPERVISOR_xenoprof_op                    31
#define __HYPERVISOR_event_channel_op               32
#define __HYPERVISOR_physdev_op                     33
#define __HYPERVISOR_hvm_op                         34
#define __HYPERVISOR_sysctl                         35
#define __HYPERVISOR_domctl                         36
#define __HYPERVISOR_kexec_op                       37
#define __HYPERVISOR_tmem_op                        38
#define __HYPERVISOR_argo_op                        39
#define __HYPERVISOR_xenpmu_op                      40
#define __HYPERVISOR_dm_op                          41
#define __HYPERVISOR_hypfs_op                       42
/* Numbers left to each architecture; on x86, arch_0 is machine-check. */
#define __HYPERVISOR_arch_0                         48
#define __HYPERVISOR_arch_1                         49
#define __HYPERVISOR_arch_2                         50
#define __HYPERVISOR_arch_3                         51
#define __HYPERVISOR_arch_4                         52
#define __HYPERVISOR_arch_5                         53
#define __HYPERVISOR_arch_6                         54
#define __HYPERVISOR_arch_7                         55
#define __HYPERVISOR_mca                            __HYPERVISOR_arch_0

/* Virtual interrupts a guest can bind an event channel to. */
#define VIRQ_TIMER       0   /* per vCPU: singleshot or periodic timer */
#define VIRQ_DEBUG       1   /* per vCPU: dump debug state */
#define VIRQ_CONSOLE     2   /* global: hypervisor console input */
#define VIRQ_DOM_EXC     3   /* global: some domain changed state */
#define VIRQ_TBUF        4   /* global: trace records ready */
#define VIRQ_DEBUGGER    6   /* global: a domain paused for a debugger */
#define VIRQ_XENOPROF    7   /* per vCPU: profiling sample */
#define VIRQ_CON_RING    8   /* global: console ring has new bytes */
#define VIRQ_PCPU_STATE  9   /* global: a physical CPU changed state */
#define VIRQ_MEM_EVENT  10   /* global: memory event */
#define VIRQ_ARGO       11   /* per domain: Argo message */
#define VIRQ_ENOMEM     12   /* global: hypervisor heap is low */
#define VIRQ_XENPMU     13   /* per vCPU: PMU interrupt */
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/* console_io(cmd, count, buffer): write to / read from the hypervisor console. */
#define CONSOLEIO_write  0
#define CONSOLEIO_read   1

/* vm_assist(cmd, type). */
#define VMASST_CMD_enable                 0
#define VMASST_CMD_disable                1
#define VMASST_TYPE_4gb_segments          0
#define VMASST_TYPE_4gb_segments_notify   1
#define VMASST_TYPE_writable_pagetables   2
#define VMASST_TYPE_pae_extended_cr3      3
#define VMASST_TYPE_architectural_iopl    4
#define VMASST_TYPE_runstate_update_flag  5
#define VMASST_TYPE_m2p_strict           32

/* Domain ids: ordinary domains are below DOMID_FIRST_RESERVED. */
#define DOMID_FIRST_RESERVED  0x7FF0
#define DOMID_SELF            0x7FF0
#define DOMID_IO              0x7FF1
#define DOMID_XEN             0x7FF2
#define DOMID_COW             0x7FF3
#define DOMID_INVALID         0x7FF4
#define DOMID_ANY             0x7FF5
#define DOMID_IDLE            0x7FFF
#define DOMID_MASK            0x7FFF

/* hvm_start_info.flags (and the PV start_info's). */
#define SIF_PRIVILEGED       (1 << 0)
#define SIF_INITDOMAIN       (1 << 1)
#define SIF_MULTIBOOT_MOD    (1 << 2)
#define SIF_MOD_START_PFN    (1 << 3)
#define SIF_VIRT_P2M_4TOOLS  (1 << 4)
#define SIF_PM_MASK          (0xFF << 8)

/* Number of vcpu_info slots in shared_info; later vCPUs must register one. */
#define XEN_LEGACY_MAX_VCPUS  32

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT  (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED   (1 << 1)

/* I/O port whose writes an HVM/PVH guest may use as a debug console. */
#define XEN_HVM_DEBUGCONS_IOPORT  0xe9

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

typedef uint16_t domid_t;
typedef uint64_t xen_pfn_t;     /* a guest frame number */
typedef uint64_t xen_ulong_t;   /* an x86-64 "unsigned long" in the ABI */
typedef uint8_t xen_domain_handle_t[16];

typedef struct {
    uint8_t a[16];
} xen_uuid_t;

/* One entry of a multicall batch: op and up to six arguments in, result out. */
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry size");
_Static_assert(offsetof(struct multicall_entry, args) == 16, "multicall_entry.args");

/*
 * pvclock: system time (ns since the domain's time base) is
 *   system_time + (((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32)
 * with a negative tsc_shift meaning a right shift. version is odd while the
 * hypervisor rewrites the record; readers retry until they see the same even
 * value before and after.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;              /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info size");
_Static_assert(offsetof(struct vcpu_time_info, tsc_timestamp) == 8, "vcpu_time_info.tsc_timestamp");
_Static_assert(offsetof(struct vcpu_time_info, system_time) == 16, "vcpu_time_info.system_time");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "vcpu_time_info.mul");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "vcpu_time_info.tsc_shift");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29, "vcpu_time_info.flags");

struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info size");

/*
 * Per-vCPU event state. The hypervisor sets evtchn_upcall_pending (and the
 * bit for the word of evtchn_pending that changed in evtchn_pending_sel)
 * before it raises the upcall; the guest clears it before scanning.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t _pad[6];
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info size");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "vcpu_info.evtchn_upcall_mask");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "vcpu_info.evtchn_pending_sel");
_Static_assert(offsetof(struct vcpu_info, arch) == 16, "vcpu_info.arch");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info.time");

/* Left over from PV p2m bookkeeping; an auto-translated guest ignores it. */
struct arch_shared_info {
    xen_ulong_t max_pfn;
    xen_pfn_t pfn_to_mfn_frame_list_list;
    xen_ulong_t nmi_reason;
    xen_ulong_t p2m_cr3;
    xen_ulong_t p2m_vaddr;
    xen_ulong_t p2m_generation;
};
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info size");

/*
 * The page a guest maps with XENMEM_add_to_physmap(XENMAPSPACE_shared_info).
 * 2-level event channels: port p is pending when bit p of evtchn_pending is
 * set and masked when bit p of evtchn_mask is set. The wall clock (wc_*) is
 * the UTC time at system time 0, versioned like vcpu_time_info.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[64];
    xen_ulong_t evtchn_mask[64];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
_Static_assert(sizeof(struct shared_info) == 0xc40, "shared_info size");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 0x800, "shared_info.evtchn_pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 0xa00, "shared_info.evtchn_mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 0xc00, "shared_info.wc_version");
_Static_assert(offsetof(struct shared_info, wc_sec) == 0xc04, "shared_info.wc_sec");
_Static_assert(offsetof(struct shared_info, wc_nsec) == 0xc08, "shared_info.wc_nsec");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 0xc0c, "shared_info.wc_sec_hi");
_Static_assert(offsetof(struct shared_info, arch) == 0xc10, "shared_info.arch");

#endif /* !__ASSEMBLER__ */

#endif
