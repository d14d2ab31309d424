/*
 * hvm_op(cmd, arg): operations of HVM and PVH guests. HVM parameters,
 * the per-vCPU event-channel upcall vector, and a few hints and queries.
 */
#ifndef MICA_PUBLIC_XEN_HVM_OP_H
#define MICA_PUBLIC_XEN_HVM_OP_H

#include "xen.h"
#include "hvm_params.h"

#define HVMOP_set_param                 0   /* struct xen_hvm_param */
#define HVMOP_get_param                 1   /* struct xen_hvm_param */
#define HVMOP_set_pci_intx_level        2   /* retired (now dm_op) */
#define HVMOP_set_isa_irq_level         3   /* retired (now dm_op) */
#define HVMOP_set_pci_link_route        4   /* retired (now dm_op) */
#define HVMOP_flush_tlbs                5   /* arg 0 */
#define HVMOP_pagetable_dying           9   /* struct xen_hvm_pagetable_dying */
#define HVMOP_get_time                 10   /* struct xen_hvm_get_time */
#define HVMOP_xentrace                 11
#define HVMOP_set_mem_access           12   /* retired */
#define HVMOP_get_mem_access           13   /* retired */
#define HVMOP_get_mem_type             15   /* struct xen_hvm_get_mem_type */
#define HVMOP_set_evtchn_upcall_vector 23   /* struct xen_hvm_evtchn_upcall_vector */
#define HVMOP_guest_request_vm_event   24
#define HVMOP_altp2m                   25

/* xen_hvm_get_mem_type.mem_type */
#define HVMMEM_ram_rw         0
#define HVMMEM_ram_ro         1
#define HVMMEM_mmio_dm        2
#define HVMMEM_unused         3
#define HVMMEM_ioreq_server   4

#ifndef __ASSEMBLER__

struct xen_hvm_param {
    domid_t domid;              /* in */
    uint16_t pad;
    uint32_t index;             /* in: HVM_PARAM_* */
    uint64_t value;             /* in (set) or out (get) */
};
_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param size");
_Static_assert(offsetof(struct xen_hvm_param, index) == 4, "xen_hvm_param.index");
_Static_assert(offsetof(struct xen_hvm_param, value) == 8, "xen_hvm_param.value");

/* Deliver this vCPU's upcalls as vector through its local APIC (edge). */
struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;
    uint8_t vector;
};
_Static_assert(sizeof(struct xen_hvm_evtchn_upcall_vector) == 8, "xen_hvm_evtchn_upcall_vector size");
_Static_assert(offsetof(struct xen_hvm_evtchn_upcall_vector, vector) == 4, "xen_hvm_evtchn_upcall_vector.vector");

/* Hint: the page table rooted at gpa is about to be torn down. */
struct xen_hvm_pagetable_dying {
    domid_t domid;
    uint16_t pad[3];
    uint64_t gpa;
};
_Static_assert(sizeof(struct xen_hvm_pagetable_dying) == 16, "xen_hvm_pagetable_dying size");
_Static_assert(offsetof(struct xen_hvm_pagetable_dying, gpa) == 8, "xen_hvm_pagetable_dying.gpa");

/* Current system time in ns. */
struct xen_hvm_get_time {
    uint64_t now;
};
_Static_assert(sizeof(struct xen_hvm_get_time) == 8, "xen_hvm_get_time size");

struct xen_hvm_get_mem_type {
    domid_t domid;              /* in */
    uint16_t mem_type;          /* out: HVMMEM_* */
    uint16_t pad[2];
    uint64_t pfn;               /* in */
};
_Static_assert(sizeof(struct xen_hvm_get_mem_type) == 16, "xen_hvm_get_mem_type size");
_Static_assert(offsetof(struct xen_hvm_get_mem_type, mem_type) == 2, "xen_hvm_get_mem_type.mem_type");
_Static_assert(offsetof(struct xen_hvm_get_mem_type, pfn) == 8, "xen_hvm_get_mem_type.pfn");

#endif /* !__ASSEMBLER__ */

#endif
