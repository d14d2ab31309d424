/*
 * memory_op(cmd, arg): a guest's physical memory. Populate and release
 * frames (ballooning), map special pages (shared_info, grant frames,
 * another domain's frames) at a chosen GFN, and read the memory map.
 */
#ifndef MICA_PUBLIC_XEN_MEMORY_H
#define MICA_PUBLIC_XEN_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation      0   /* struct xen_memory_reservation */
#define XENMEM_decrease_reservation      1   /* struct xen_memory_reservation */
#define XENMEM_maximum_ram_page          2   /* arg 0; returns the highest MFN */
#define XENMEM_current_reservation       3   /* arg: domid_t; returns pages */
#define XENMEM_maximum_reservation       4   /* arg: domid_t; returns pages */
#define XENMEM_machphys_mfn_list         5
#define XENMEM_populate_physmap          6   /* struct xen_memory_reservation */
#define XENMEM_add_to_physmap            7   /* struct xen_add_to_physmap */
#define XENMEM_memory_map                9   /* struct xen_memory_map */
#define XENMEM_machine_memory_map       10   /* struct xen_memory_map (host map) */
#define XENMEM_exchange                 11   /* struct xen_memory_exchange */
#define XENMEM_machphys_mapping         12
#define XENMEM_set_memory_map           13   /* struct xen_foreign_memory_map */
#define XENMEM_maximum_gpfn             14   /* arg: domid_t; returns the highest GFN */
#define XENMEM_remove_from_physmap      15   /* struct xen_remove_from_physmap */
#define XENMEM_set_pod_target           16
#define XENMEM_get_pod_target           17
#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_paging_op                20
#define XENMEM_access_op                21
#define XENMEM_sharing_op               22
#define XENMEM_add_to_physmap_batch     23   /* struct xen_add_to_physmap_batch */
#define XENMEM_claim_pages              24
#define XENMEM_machphys_compat_mfn_list 25
#define XENMEM_get_vnumainfo            26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource         28   /* struct xen_mem_acquire_resource */

/* Linux's older name for the batch call. */
#define XENMEM_add_to_physmap_range     XENMEM_add_to_physmap_batch

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)      (x)
#define XENMEMF_get_address_bits(x)  ((x) & 0xffu)
#define XENMEMF_node(x)              (((x) + 1) << 8)
#define XENMEMF_get_node(x)          ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand   (1 << 16)
#define XENMEMF_exact_node_request   (1 << 17)
#define XENMEMF_exact_node(n)        (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode                (1 << 18)

/* What xen_add_to_physmap.space names. */
#define XENMAPSPACE_shared_info   0   /* idx 0: the shared_info page */
#define XENMAPSPACE_grant_table   1   /* idx: grant-table frame number */
#define XENMAPSPACE_gmfn          2   /* idx: one of the domain's own GFNs */
#define XENMAPSPACE_gmfn_range    3   /* idx..idx+size-1 of its own GFNs */
#define XENMAPSPACE_gmfn_foreign  4   /* a GFN of foreign_domid (batch only) */
#define XENMAPSPACE_dev_mmio      5   /* Arm only */

/* Or'd into idx with XENMAPSPACE_grant_table: map a status frame instead. */
#define XENMAPIDX_grant_table_status  0x80000000U

/* xen_mem_acquire_resource.type and .id */
#define XENMEM_resource_ioreq_server            0
#define XENMEM_resource_grant_table             1
#define XENMEM_resource_vmtrace_buf             2
#define XENMEM_resource_grant_table_id_shared   0
#define XENMEM_resource_grant_table_id_status   1

#ifndef __ASSEMBLER__

/*
 * increase/decrease_reservation and populate_physmap: nr_extents extents
 * of 2^extent_order pages each. extent_start is the guest address of an
 * array of xen_pfn_t (GFNs in, and for increase/populate, frames out).
 * The call returns how many extents it completed.
 */
struct xen_memory_reservation {
    uint64_t extent_start;      /* guest handle: xen_pfn_t[] */
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;         /* XENMEMF_* */
    domid_t domid;
};
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "xen_memory_reservation size");
_Static_assert(offsetof(struct xen_memory_reservation, nr_extents) == 8, "xen_memory_reservation.nr_extents");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16, "xen_memory_reservation.extent_order");
_Static_assert(offsetof(struct xen_memory_reservation, mem_flags) == 20, "xen_memory_reservation.mem_flags");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "xen_memory_reservation.domid");

struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;   /* out; the caller must zero it */
};
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "xen_memory_exchange size");
_Static_assert(offsetof(struct xen_memory_exchange, nr_exchanged) == 64, "xen_memory_exchange.nr_exchanged");

/* Put the page named by (space, idx) at gpfn in domid's physical map. */
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;              /* pages, for XENMAPSPACE_gmfn_range */
    uint32_t space;             /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "xen_add_to_physmap size");
_Static_assert(offsetof(struct xen_add_to_physmap, size) == 2, "xen_add_to_physmap.size");
_Static_assert(offsetof(struct xen_add_to_physmap, space) == 4, "xen_add_to_physmap.space");
_Static_assert(offsetof(struct xen_add_to_physmap, idx) == 8, "xen_add_to_physmap.idx");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16, "xen_add_to_physmap.gpfn");

/*
 * The batched form: size entries of idxs[] (xen_ulong_t) mapped at gpfns[]
 * (xen_pfn_t), one error code per entry in errs[] (int32_t).
 */
struct xen_add_to_physmap_batch {
    domid_t domid;
    uint16_t space;             /* XENMAPSPACE_* */
    uint16_t size;
    union {
        domid_t foreign_domid;  /* XENMAPSPACE_gmfn_foreign */
        uint16_t res0;          /* zero for the other spaces */
    } u;
    uint64_t idxs;              /* guest handle: xen_ulong_t[] */
    uint64_t gpfns;             /* guest handle: xen_pfn_t[] */
    uint64_t errs;              /* guest handle: int32_t[] */
};
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "xen_add_to_physmap_batch size");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, u) == 6, "xen_add_to_physmap_batch.u");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, idxs) == 8, "xen_add_to_physmap_batch.idxs");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, gpfns) == 16, "xen_add_to_physmap_batch.gpfns");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, errs) == 24, "xen_add_to_physmap_batch.errs");

struct xen_remove_from_physmap {
    domid_t domid;
    xen_pfn_t gpfn;
};
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "xen_remove_from_physmap size");
_Static_assert(offsetof(struct xen_remove_from_physmap, gpfn) == 8, "xen_remove_from_physmap.gpfn");

/*
 * XENMEM_memory_map: nr_entries is the buffer's capacity in, the number
 * written out; buffer holds struct xen_e820_entry records.
 */
struct xen_memory_map {
    uint32_t nr_entries;
    uint64_t buffer;            /* guest handle: struct xen_e820_entry[] */
};
_Static_assert(sizeof(struct xen_memory_map) == 16, "xen_memory_map size");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8, "xen_memory_map.buffer");

/*
 * One record of that buffer, laid out like a BIOS E820 entry: 20 bytes,
 * unpadded. (The Xen headers leave this type unnamed; the name is ours.)
 * type takes the XEN_HVM_MEMMAP_TYPE_* values of start_info.h.
 */
struct __attribute__((packed)) xen_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
};
_Static_assert(sizeof(struct xen_e820_entry) == 20, "xen_e820_entry size");

struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "xen_foreign_memory_map size");
_Static_assert(offsetof(struct xen_foreign_memory_map, map) == 8, "xen_foreign_memory_map.map");

/*
 * Map frames of a domain's resource (its grant table, an ioreq server).
 * nr_frames 0 with frame_list 0 asks for the resource's size. An
 * auto-translated caller passes the GFNs to map at in frame_list.
 */
struct xen_mem_acquire_resource {
    domid_t domid;
    uint16_t type;              /* XENMEM_resource_* */
    uint32_t id;
    uint32_t nr_frames;
    uint32_t pad;
    uint64_t frame;             /* first frame of the resource */
    uint64_t frame_list;        /* guest handle: xen_pfn_t[] */
};
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "xen_mem_acquire_resource size");
_Static_assert(offsetof(struct xen_mem_acquire_resource, id) == 4, "xen_mem_acquire_resource.id");
_Static_assert(offsetof(struct xen_mem_acquire_resource, nr_frames) == 8, "xen_mem_acquire_resource.nr_frames");
_Static_assert(offsetof(struct xen_mem_acquire_resource, frame) == 16, "xen_mem_acquire_resource.frame");
_Static_assert(offsetof(struct xen_mem_acquire_resource, frame_list) == 24, "xen_mem_acquire_resource.frame_list");

#endif /* !__ASSEMBLER__ */

#endif
