/*
 * grant_table_op(cmd, uops, count): sharing pages between domains. A
 * granting domain fills an entry of its grant table (version 1 entries
 * here); the grantee maps or copies the page by (domid, grant reference).
 * The batched operations report per-entry results in their status fields
 * (GNTST_*) and return 0 unless the call itself is malformed.
 */
#ifndef MICA_PUBLIC_XEN_GRANT_TABLE_H
#define MICA_PUBLIC_XEN_GRANT_TABLE_H

#include "xen.h"

#define GNTTABOP_map_grant_ref       0   /* struct gnttab_map_grant_ref[] */
#define GNTTABOP_unmap_grant_ref     1   /* struct gnttab_unmap_grant_ref[] */
#define GNTTABOP_setup_table         2   /* struct gnttab_setup_table */
#define GNTTABOP_dump_table          3   /* struct gnttab_dump_table */
#define GNTTABOP_transfer            4   /* struct gnttab_transfer[] */
#define GNTTABOP_copy                5   /* struct gnttab_copy[] */
#define GNTTABOP_query_size          6   /* struct gnttab_query_size */
#define GNTTABOP_unmap_and_replace   7   /* struct gnttab_unmap_and_replace[] */
#define GNTTABOP_set_version         8   /* struct gnttab_set_version */
#define GNTTABOP_get_status_frames   9   /* version 2 only */
#define GNTTABOP_get_version        10   /* struct gnttab_get_version */
#define GNTTABOP_swap_grant_ref     11   /* struct gnttab_swap_grant_ref[] */
#define GNTTABOP_cache_flush        12   /* Arm only */

/* Entries below this are kept for the toolstack (console, xenstore rings). */
#define GNTTAB_NR_RESERVED_ENTRIES  8
#define GNTTAB_RESERVED_CONSOLE     0
#define GNTTAB_RESERVED_XENSTORE    1

/* grant_entry_v1.flags: the type in bits 0-1, then modifiers and status. */
#define GTF_invalid             (0U << 0)
#define GTF_permit_access       (1U << 0)   /* domid may map/copy frame */
#define GTF_accept_transfer     (2U << 0)   /* domid may transfer a page into frame */
#define GTF_transitive          (3U << 0)   /* version 2 only */
#define GTF_type_mask           (3U << 0)
#define _GTF_readonly           2
#define GTF_readonly            (1U << _GTF_readonly)    /* grantee may only read */
#define _GTF_reading            3
#define GTF_reading             (1U << _GTF_reading)     /* set by the hypervisor while mapped/copied */
#define _GTF_writing            4
#define GTF_writing             (1U << _GTF_writing)     /* set by the hypervisor while mapped writable */
#define _GTF_PWT                5
#define GTF_PWT                 (1U << _GTF_PWT)
#define _GTF_PCD                6
#define GTF_PCD                 (1U << _GTF_PCD)
#define _GTF_PAT                7
#define GTF_PAT                 (1U << _GTF_PAT)
#define _GTF_sub_page           8
#define GTF_sub_page            (1U << _GTF_sub_page)
/* Status bits of an accept_transfer entry (same bit numbers, other meaning). */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
#define _GNTMAP_guest_avail0    16
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* gnttab_copy.flags: which side is named by grant reference, not by GFN. */
#define _GNTCOPY_source_gref    0
#define GNTCOPY_source_gref     (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref      1
#define GNTCOPY_dest_gref       (1 << _GNTCOPY_dest_gref)

/* Per-operation status codes. */
#define GNTST_okay               0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)   /* a copy crosses a page boundary */
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)   /* try again */
#define GNTST_no_space          (-13)   /* out of handles or similar */

#ifndef __ASSEMBLER__

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* A version 1 grant table is an array of these, 512 to a 4 KiB frame. */
struct grant_entry_v1 {
    uint16_t flags;             /* GTF_* */
    domid_t domid;              /* the grantee */
    uint32_t frame;             /* GFN of the granted page */
};
typedef struct grant_entry_v1 grant_entry_v1_t;
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 size");
_Static_assert(offsetof(struct grant_entry_v1, domid) == 2, "grant_entry_v1.domid");
_Static_assert(offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1.frame");

/*
 * Map dom's grant ref. For an auto-translated caller host_addr is the
 * guest-physical address where the page appears; handle identifies the
 * mapping for the unmap.
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;         /* in */
    uint32_t flags;             /* in: GNTMAP_* */
    grant_ref_t ref;            /* in */
    domid_t dom;                /* in */
    int16_t status;             /* out: GNTST_* */
    grant_handle_t handle;      /* out */
    uint64_t dev_bus_addr;      /* out */
};
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "gnttab_map_grant_ref size");
_Static_assert(offsetof(struct gnttab_map_grant_ref, flags) == 8, "gnttab_map_grant_ref.flags");
_Static_assert(offsetof(struct gnttab_map_grant_ref, ref) == 12, "gnttab_map_grant_ref.ref");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dom) == 16, "gnttab_map_grant_ref.dom");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18, "gnttab_map_grant_ref.status");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20, "gnttab_map_grant_ref.handle");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "gnttab_map_grant_ref.dev_bus_addr");

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;         /* in */
    uint64_t dev_bus_addr;      /* in */
    grant_handle_t handle;      /* in */
    int16_t status;             /* out: GNTST_* */
};
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "gnttab_unmap_grant_ref size");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, handle) == 16, "gnttab_unmap_grant_ref.handle");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20, "gnttab_unmap_grant_ref.status");

/* Grow dom's table to nr_frames and list its frames (PV style). */
struct gnttab_setup_table {
    domid_t dom;                /* in */
    uint32_t nr_frames;         /* in */
    int16_t status;             /* out: GNTST_* */
    uint64_t frame_list;        /* guest handle: xen_pfn_t[nr_frames], out */
};
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "gnttab_setup_table size");
_Static_assert(offsetof(struct gnttab_setup_table, nr_frames) == 4, "gnttab_setup_table.nr_frames");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8, "gnttab_setup_table.status");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16, "gnttab_setup_table.frame_list");

struct gnttab_dump_table {
    domid_t dom;                /* in */
    int16_t status;             /* out */
};
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "gnttab_dump_table size");

struct gnttab_transfer {
    xen_pfn_t mfn;              /* in: the page given away */
    domid_t domid;              /* in */
    grant_ref_t ref;            /* in */
    int16_t status;             /* out */
};
_Static_assert(sizeof(struct gnttab_transfer) == 24, "gnttab_transfer size");
_Static_assert(offsetof(struct gnttab_transfer, domid) == 8, "gnttab_transfer.domid");
_Static_assert(offsetof(struct gnttab_transfer, ref) == 12, "gnttab_transfer.ref");
_Static_assert(offsetof(struct gnttab_transfer, status) == 16, "gnttab_transfer.status");

/*
 * Copy len bytes between two pages, each named either by (domid, grant
 * ref) or, for the caller's own memory, by GFN (see GNTCOPY_*). Neither
 * side may cross its page boundary.
 */
struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        xen_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
};
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "gnttab_copy_ptr size");
_Static_assert(offsetof(struct gnttab_copy_ptr, domid) == 8, "gnttab_copy_ptr.domid");
_Static_assert(offsetof(struct gnttab_copy_ptr, offset) == 10, "gnttab_copy_ptr.offset");

struct gnttab_copy {
    struct gnttab_copy_ptr source;  /* in */
    struct gnttab_copy_ptr dest;    /* in */
    uint16_t len;               /* in */
    uint16_t flags;             /* in: GNTCOPY_* */
    int16_t status;             /* out: GNTST_* */
};
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy size");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "gnttab_copy.dest");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "gnttab_copy.len");
_Static_assert(offsetof(struct gnttab_copy, flags) == 34, "gnttab_copy.flags");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "gnttab_copy.status");

struct gnttab_query_size {
    domid_t dom;                /* in */
    uint32_t nr_frames;         /* out: current size */
    uint32_t max_nr_frames;     /* out: limit */
    int16_t status;             /* out */
};
_Static_assert(sizeof(struct gnttab_query_size) == 16, "gnttab_query_size size");
_Static_assert(offsetof(struct gnttab_query_size, nr_frames) == 4, "gnttab_query_size.nr_frames");
_Static_assert(offsetof(struct gnttab_query_size, max_nr_frames) == 8, "gnttab_query_size.max_nr_frames");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12, "gnttab_query_size.status");

struct gnttab_unmap_and_replace {
    uint64_t host_addr;         /* in */
    uint64_t new_addr;          /* in */
    grant_handle_t handle;      /* in */
    int16_t status;             /* out */
};
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "gnttab_unmap_and_replace size");
_Static_assert(offsetof(struct gnttab_unmap_and_replace, handle) == 16, "gnttab_unmap_and_replace.handle");
_Static_assert(offsetof(struct gnttab_unmap_and_replace, status) == 20, "gnttab_unmap_and_replace.status");

/* Ask for a table version (1 or 2); the version in force comes back. */
struct gnttab_set_version {
    uint32_t version;
};
_Static_assert(sizeof(struct gnttab_set_version) == 4, "gnttab_set_version size");

struct gnttab_get_version {
    domid_t dom;                /* in */
    uint16_t pad;
    uint32_t version;           /* out */
};
_Static_assert(sizeof(struct gnttab_get_version) == 8, "gnttab_get_version size");
_Static_assert(offsetof(struct gnttab_get_version, version) == 4, "gnttab_get_version.version");

struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;          /* in */
    grant_ref_t ref_b;          /* in */
    int16_t status;             /* out */
};
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "gnttab_swap_grant_ref size");
_Static_assert(offsetof(struct gnttab_swap_grant_ref, status) == 8, "gnttab_swap_grant_ref.status");

#endif /* !__ASSEMBLER__ */

#endif
