/*
 * grant_pair: grant tables between two guests, "role=granter peer=<id>"
 * and "role=grantee peer=<id>". The granter places grant frame 0 in its
 * physical map (XENMEM_add_to_physmap), grants one page read-write and one
 * read-only to the grantee, plus entries that must not work for it. The
 * grantee copies from and into the grants (GNTTABOP_copy), maps them at
 * free guest-physical addresses and works through the mappings, and tries
 * every error it can. The two step through stages over an event channel
 * (bound as in evtchn_pair); the granter checks GTF_reading/GTF_writing
 * while the pages are mapped, that it cannot end access meanwhile, and
 * that it can once they are unmapped.
 */
#include "guest.h"
#include "events.h"
#include "irq.h"
#include "pvclock.h"

const char guest_name[] = "grant_pair";

/* Grant references both sides know; 0-7 are left to the toolstack. */
#define REF_RW          8       /* page A, read-write, to the grantee */
#define REF_RO          9       /* page B, read-only, to the grantee */
#define REF_OTHER       10      /* page A, to some other domain */
#define REF_INVALID     11      /* no grant */
#define REF_TRANSFER    12      /* a transfer grant, not an access grant */
#define REF_SELF        13      /* page A, to the granter itself */
#define NO_SUCH_DOMAIN  77

/* The stages, as the number of notifications each side has had on its
 * port (the grantee's first comes from binding it). */
#define GRANTER_GOT_MAPPED      1   /* copies done, pages mapped */
#define GRANTER_GOT_UNMAPPED    2   /* mappings gone */
#define GRANTEE_GOT_REPLY       2   /* flags checked, reply written */
#define GRANTEE_GOT_REVOKED     3   /* access ended */

#define CANDIDATE_PORTS 16
#define BIND_TRIES      20000
#define WAIT_NS         (20 * NS_PER_SEC)
#define PAGE            4096

static uint8_t page_a[PAGE] __attribute__((aligned(PAGE)));
static uint8_t page_b[PAGE] __attribute__((aligned(PAGE)));
static uint8_t local[PAGE] __attribute__((aligned(PAGE)));
/* Guest RAM the granter gives up for grant frame 0. */
static struct grant_entry_v1 grant_table[PAGE / sizeof(struct grant_entry_v1)]
    __attribute__((aligned(PAGE)));

static const char grantee_note[] = "grantee-was-here";
static const char granter_note[] = "granter-replied";

static uint8_t pattern_a(unsigned int i)
{
    return (uint8_t)(i * 7 + 1);
}

static uint8_t pattern_b(unsigned int i)
{
    return (uint8_t)(i * 13 + 3);
}

static uint8_t pattern_copy(unsigned int i)
{
    return (uint8_t)(i * 3 + 5);
}

static uint64_t gfn_of(const void *p)
{
    return (uint64_t)(uintptr_t)p >> 12;
}

/* ---- the granter ---- */

static void grant(grant_ref_t ref, domid_t to, const void *page, uint16_t flags)
{
    grant_table[ref].domid = to;
    grant_table[ref].frame = (uint32_t)gfn_of(page);
    /* The flags last: the entry is live from that store on. */
    __atomic_store_n(&grant_table[ref].flags, flags, __ATOMIC_RELEASE);
}

/* Ends access the way guests do: only if the hypervisor has the entry
 * neither read- nor write-pinned. */
static bool end_access(grant_ref_t ref)
{
    uint16_t flags = __atomic_load_n(&grant_table[ref].flags, __ATOMIC_ACQUIRE);

    do {
        if (flags & (GTF_reading | GTF_writing))
            return false;
    } while (!__atomic_compare_exchange_n(&grant_table[ref].flags, &flags, 0, false,
                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
    return true;
}

static uint16_t flags_of(grant_ref_t ref)
{
    return __atomic_load_n(&grant_table[ref].flags, __ATOMIC_ACQUIRE);
}

static bool setup_table(domid_t peer, uint64_t free_gpa)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0,
        .gpfn = gfn_of(grant_table),
    };
    if (!test_check_eq("granter", "map_frame0", HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x),
                       0))
        return false;

    struct gnttab_query_size q = { .dom = DOMID_SELF };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
    CHECK(rc == 0 && q.status == GNTST_okay && q.nr_frames == 1 && q.max_nr_frames >= 1,
          "granter", "query_size", "rc %ld status %d frames %u max %u", rc, q.status,
          q.nr_frames, q.max_nr_frames);
    x = (struct xen_add_to_physmap){
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = q.max_nr_frames,
        .gpfn = (free_gpa >> 12) + 3,
    };
    test_check_eq("granter", "map_frame_beyond_max",
                  HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x), -XEN_EINVAL);
    test_check_eq("granter", "query_size_count2",
                  HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 2), -XEN_EINVAL);
    q = (struct gnttab_query_size){ .dom = peer };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
    CHECK(rc == 0 && q.status == (xen_own_domid() == 0 ? GNTST_okay : GNTST_permission_denied),
          "granter", "query_size_peer", "rc %ld status %d", rc, q.status);

    uint64_t frame = 0;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1,
                                     .frame_list = (uint64_t)(uintptr_t)&frame };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
    CHECK(rc == 0 && st.status == GNTST_okay && frame == gfn_of(grant_table), "granter",
          "setup_table", "rc %ld status %d frame %#lx, want %#lx", rc, st.status,
          (unsigned long)frame, (unsigned long)gfn_of(grant_table));

    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1);
    CHECK(rc == 0 && gv.version == 1, "granter", "get_version", "rc %ld version %u", rc,
          gv.version);
    struct gnttab_set_version sv = { .version = 1 };
    test_check_eq("granter", "set_version1", HYPERVISOR_grant_table_op(GNTTABOP_set_version,
                                                                       &sv, 1), 0);
    sv.version = 2;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1);
    CHECK(rc == -XEN_EINVAL && sv.version == 1, "granter", "set_version2_refused",
          "rc %ld version %u", rc, sv.version);
    test_check_eq("granter", "unknown_op", HYPERVISOR_grant_table_op(99, &sv, 1), -XEN_ENOSYS);

    for (unsigned int i = 0; i < PAGE; i++) {
        page_a[i] = pattern_a(i);
        page_b[i] = pattern_b(i);
    }
    grant(REF_RW, peer, page_a, GTF_permit_access);
    grant(REF_RO, peer, page_b, GTF_permit_access | GTF_readonly);
    grant(REF_OTHER, NO_SUCH_DOMAIN, page_a, GTF_permit_access);
    grant(REF_TRANSFER, peer, page_a, GTF_accept_transfer);
    grant(REF_SELF, xen_own_domid(), page_a, GTF_permit_access);
    return true;
}

/* Maps its own grant, which Xen allows (by domain id, not DOMID_SELF). */
static void check_self_map(uint64_t gpa)
{
    struct gnttab_map_grant_ref m = { .host_addr = gpa, .flags = GNTMAP_host_map,
                                      .ref = REF_SELF, .dom = xen_own_domid() };
    HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
    if (!test_check_eq("granter", "map_own_grant", m.status, GNTST_okay))
        return;
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)gpa;
    CHECK(p[100] == page_a[100] && (flags_of(REF_SELF) & (GTF_reading | GTF_writing)) ==
          (GTF_reading | GTF_writing), "granter", "own_grant_mapped",
          "byte %#x want %#x, flags %#x", p[100], page_a[100], flags_of(REF_SELF));
    struct gnttab_unmap_grant_ref u = { .host_addr = gpa, .handle = m.handle };
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    test_check_eq("granter", "unmap_own_grant", u.status, GNTST_okay);
    CHECK(flags_of(REF_SELF) == GTF_permit_access, "granter", "own_grant_unpinned",
          "flags %#x", flags_of(REF_SELF));
}

static void run_granter(domid_t peer, uint64_t free_gpa)
{
    evtchn_port_t port;

    if (!test_check_eq("setup", "events_init", events_init(EVENTS_VCPU_VECTOR), 0))
        return;
    irq_enable();
    if (!setup_table(peer, free_gpa))
        return;
    check_self_map(free_gpa);
    if (!test_check_eq("granter", "alloc_unbound", evtchn_alloc_unbound(DOMID_SELF, peer,
                                                                        &port), 0))
        return;

    if (!CHECK(events_wait(port, GRANTER_GOT_MAPPED, WAIT_NS), "granter", "stage_mapped",
               "no word from the grantee"))
        return;
    CHECK(flags_of(REF_RW) == (GTF_permit_access | GTF_reading | GTF_writing), "granter",
          "rw_pinned", "flags %#x", flags_of(REF_RW));
    CHECK(flags_of(REF_RO) == (GTF_permit_access | GTF_readonly | GTF_reading), "granter",
          "ro_pinned_for_reading", "flags %#x", flags_of(REF_RO));
    CHECK(flags_of(REF_OTHER) == GTF_permit_access && flags_of(REF_TRANSFER) ==
          GTF_accept_transfer && flags_of(REF_INVALID) == 0, "granter", "refused_untouched",
          "flags %#x %#x %#x", flags_of(REF_OTHER), flags_of(REF_TRANSFER),
          flags_of(REF_INVALID));
    CHECK(!end_access(REF_RW), "granter", "end_access_while_mapped",
          "ended access to a mapped page");
    CHECK(memcmp(page_a, grantee_note, sizeof(grantee_note)) == 0, "granter",
          "sees_grantee_write", "page A starts \"%.16s\"", (const char *)page_a);
    bool copied = true;
    for (unsigned int i = 0; i < 1024; i++)
        copied &= page_a[2048 + i] == pattern_copy(i);
    CHECK(copied, "granter", "sees_grantee_copy", "bytes 2048.. of page A differ");
    memcpy(page_a + 64, granter_note, sizeof(granter_note));
    evtchn_send(port);

    if (!CHECK(events_wait(port, GRANTER_GOT_UNMAPPED, WAIT_NS), "granter", "stage_unmapped",
               "no word from the grantee"))
        return;
    CHECK(flags_of(REF_RW) == GTF_permit_access, "granter", "rw_unpinned", "flags %#x",
          flags_of(REF_RW));
    CHECK(flags_of(REF_RO) == (GTF_permit_access | GTF_readonly), "granter",
          "ro_unpinned", "flags %#x", flags_of(REF_RO));
    CHECK(end_access(REF_RW) && end_access(REF_RO), "granter", "end_access_after_unmap",
          "flags %#x %#x", flags_of(REF_RW), flags_of(REF_RO));
    evtchn_send(port);
}

/* ---- the grantee ---- */

static int16_t copy_op(struct gnttab_copy *op)
{
    op->status = 1;
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, op, 1);
    return rc ? (int16_t)-100 : op->status;
}

/* A copy between a grant of the granter and the grantee's own page. */
static int16_t copy_grant(domid_t granter, grant_ref_t ref, bool to_grant,
                          uint16_t grant_off, uint16_t local_off, uint16_t len)
{
    struct gnttab_copy_ptr g = { .u.ref = ref, .domid = granter, .offset = grant_off };
    struct gnttab_copy_ptr l = { .u.gmfn = gfn_of(local), .domid = DOMID_SELF,
                                 .offset = local_off };
    struct gnttab_copy op = {
        .source = to_grant ? l : g, .dest = to_grant ? g : l, .len = len,
        .flags = to_grant ? GNTCOPY_dest_gref : GNTCOPY_source_gref,
    };
    return copy_op(&op);
}

static void check_copies(domid_t granter)
{
    memset(local, 0, PAGE);
    test_check_eq("copy", "from_grant", copy_grant(granter, REF_RW, false, 0, 0, PAGE),
                  GNTST_okay);
    bool same = true;
    for (unsigned int i = 0; i < PAGE; i++)
        same &= local[i] == pattern_a(i);
    CHECK(same, "copy", "from_grant_data", "page A's pattern not copied");

    for (unsigned int i = 0; i < 1024; i++)
        local[i] = pattern_copy(i);
    test_check_eq("copy", "to_grant", copy_grant(granter, REF_RW, true, 2048, 0, 1024),
                  GNTST_okay);
    memset(local, 0, PAGE);
    test_check_eq("copy", "back_from_grant", copy_grant(granter, REF_RW, false, 2048, 100,
                                                        1024), GNTST_okay);
    same = true;
    for (unsigned int i = 0; i < 1024; i++)
        same &= local[100 + i] == pattern_copy(i);
    CHECK(same && local[99] == 0 && local[1124] == 0, "copy", "round_trip_data",
          "bytes differ");

    test_check_eq("copy", "from_readonly", copy_grant(granter, REF_RO, false, 8, 0, 8),
                  GNTST_okay);
    CHECK(local[0] == pattern_b(8), "copy", "from_readonly_data", "got %#x want %#x",
          local[0], pattern_b(8));
    test_check_eq("copy", "to_readonly", copy_grant(granter, REF_RO, true, 0, 0, 8),
                  GNTST_general_error);
    test_check_eq("copy", "wrong_domid", copy_grant(granter, REF_OTHER, false, 0, 0, 8),
                  GNTST_general_error);
    test_check_eq("copy", "invalid_entry", copy_grant(granter, REF_INVALID, false, 0, 0, 8),
                  GNTST_general_error);
    test_check_eq("copy", "transfer_entry", copy_grant(granter, REF_TRANSFER, false, 0, 0, 8),
                  GNTST_general_error);
    test_check_eq("copy", "bad_ref", copy_grant(granter, PAGE / 8, false, 0, 0, 8),
                  GNTST_bad_gntref);
    test_check_eq("copy", "bad_ref_all_ones", copy_grant(granter, ~0u, false, 0, 0, 8),
                  GNTST_bad_gntref);
    test_check_eq("copy", "bad_domain", copy_grant(NO_SUCH_DOMAIN, REF_RW, false, 0, 0, 8),
                  GNTST_bad_domain);
    test_check_eq("copy", "crosses_source_page", copy_grant(granter, REF_RW, false, 4000, 0,
                                                            200), GNTST_bad_copy_arg);
    test_check_eq("copy", "crosses_dest_page", copy_grant(granter, REF_RW, true, 4095, 0, 2),
                  GNTST_bad_copy_arg);

    struct gnttab_copy op = {
        .source = { .u.gmfn = gfn_of(page_a), .domid = granter },
        .dest = { .u.gmfn = gfn_of(local), .domid = DOMID_SELF }, .len = 8,
    };
    if (xen_own_domid() != 0)
        test_check_eq("copy", "foreign_gmfn_refused", copy_op(&op), GNTST_permission_denied);
    op.source = (struct gnttab_copy_ptr){ .u.gmfn = gfn_of(local), .domid = DOMID_SELF,
                                          .offset = 512 };
    local[512] = 0x5a;
    test_check_eq("copy", "own_gmfn", copy_op(&op), GNTST_okay);
    CHECK(local[0] == 0x5a, "copy", "own_gmfn_data", "got %#x", local[0]);

    /* A batch: each op has its own status, a bad one stops nothing. */
    struct gnttab_copy batch[3];
    for (unsigned int i = 0; i < 3; i++)
        batch[i] = (struct gnttab_copy){
            .source = { .u.ref = i == 1 ? REF_INVALID : REF_RW, .domid = granter,
                        .offset = (uint16_t)(i * 16) },
            .dest = { .u.gmfn = gfn_of(local), .domid = DOMID_SELF,
                      .offset = (uint16_t)(i * 16) },
            .len = 16, .flags = GNTCOPY_source_gref, .status = 1,
        };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, batch, 3);
    CHECK(rc == 0 && batch[0].status == GNTST_okay && batch[1].status == GNTST_general_error &&
          batch[2].status == GNTST_okay && local[32] == pattern_a(32), "copy", "batch",
          "rc %ld statuses %d %d %d", rc, batch[0].status, batch[1].status, batch[2].status);
}

static int16_t map(domid_t granter, grant_ref_t ref, uint64_t gpa, uint32_t flags,
                   grant_handle_t *handle)
{
    struct gnttab_map_grant_ref m = { .host_addr = gpa, .flags = flags, .ref = ref,
                                      .dom = granter, .status = 1 };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
    *handle = m.handle;
    return rc ? (int16_t)-100 : m.status;
}

static int16_t unmap(uint64_t gpa, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref u = { .host_addr = gpa, .handle = handle, .status = 1 };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    return rc ? (int16_t)-100 : u.status;
}

static void check_map_errors(domid_t granter, uint64_t gpa, uint64_t mapped_gpa)
{
    grant_handle_t h;

    test_check_eq("map", "readonly_grant_writable",
                  map(granter, REF_RO, gpa, GNTMAP_host_map, &h), GNTST_general_error);
    test_check_eq("map", "wrong_domid", map(granter, REF_OTHER, gpa, GNTMAP_host_map, &h),
                  GNTST_general_error);
    test_check_eq("map", "invalid_entry", map(granter, REF_INVALID, gpa, GNTMAP_host_map, &h),
                  GNTST_general_error);
    test_check_eq("map", "transfer_entry",
                  map(granter, REF_TRANSFER, gpa, GNTMAP_host_map, &h), GNTST_general_error);
    test_check_eq("map", "bad_ref", map(granter, PAGE / 8, gpa, GNTMAP_host_map, &h),
                  GNTST_bad_gntref);
    test_check_eq("map", "bad_ref_all_ones", map(granter, ~0u, gpa, GNTMAP_host_map, &h),
                  GNTST_bad_gntref);
    test_check_eq("map", "bad_domain", map(NO_SUCH_DOMAIN, REF_RW, gpa, GNTMAP_host_map, &h),
                  GNTST_bad_domain);
    test_check_eq("map", "domid_self", map(DOMID_SELF, REF_RW, gpa, GNTMAP_host_map, &h),
                  GNTST_bad_domain);
    test_check_eq("map", "unaligned_addr",
                  map(granter, REF_RW, gpa + 8, GNTMAP_host_map, &h), GNTST_bad_virt_addr);
    test_check_eq("map", "addr_in_use",
                  map(granter, REF_RW, mapped_gpa, GNTMAP_host_map, &h), GNTST_bad_virt_addr);
    test_check_eq("map", "addr_is_ram",
                  map(granter, REF_RW, (uint64_t)(uintptr_t)local, GNTMAP_host_map, &h),
                  GNTST_bad_virt_addr);
    test_check_eq("map", "no_map_flags", map(granter, REF_RW, gpa, 0, &h), GNTST_bad_gntref);
    test_check_eq("map", "contains_pte",
                  map(granter, REF_RW, gpa, GNTMAP_host_map | GNTMAP_contains_pte, &h),
                  GNTST_general_error);
    test_check_eq("map", "device_map",
                  map(granter, REF_RW, gpa, GNTMAP_host_map | GNTMAP_device_map, &h),
                  GNTST_general_error);
}

/* Maps both grants and works through them; returns the handles. */
static bool check_maps(domid_t granter, uint64_t gpa, grant_handle_t *rw, grant_handle_t *ro)
{
    if (!test_check_eq("map", "rw", map(granter, REF_RW, gpa, GNTMAP_host_map, rw),
                       GNTST_okay))
        return false;
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)gpa;
    bool same = true;
    for (unsigned int i = 0; i < 2048; i++)
        same &= p[i] == pattern_a(i);
    for (unsigned int i = 0; i < 1024; i++)
        same &= p[2048 + i] == pattern_copy(i);
    CHECK(same, "map", "rw_reads_page", "the mapping shows other data");
    for (unsigned int i = 0; i < sizeof(grantee_note); i++)
        p[i] = (uint8_t)grantee_note[i];

    if (!test_check_eq("map", "ro", map(granter, REF_RO, gpa + PAGE,
                                        GNTMAP_host_map | GNTMAP_readonly, ro), GNTST_okay))
        return false;
    const volatile uint8_t *q = p + PAGE;
    same = true;
    for (unsigned int i = 0; i < PAGE; i++)
        same &= q[i] == pattern_b(i);
    CHECK(same, "map", "ro_reads_page", "the mapping shows other data");
    CHECK(*rw != *ro, "map", "distinct_handles", "both handles are %u", *rw);
    check_map_errors(granter, gpa + 2 * PAGE, gpa);
    return true;
}

static void check_unmaps(domid_t granter, uint64_t gpa, grant_handle_t rw, grant_handle_t ro)
{
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)gpa;

    CHECK(memcmp((const void *)(p + 64), granter_note, sizeof(granter_note)) == 0, "map",
          "sees_granter_reply", "no reply at offset 64");
    test_check_eq("unmap", "wrong_addr", unmap(gpa + PAGE, rw), GNTST_bad_virt_addr);
    test_check_eq("unmap", "rw", unmap(gpa, rw), GNTST_okay);
    test_check_eq("unmap", "ro", unmap(gpa + PAGE, ro), GNTST_okay);
    test_check_eq("unmap", "twice", unmap(gpa, rw), GNTST_bad_handle);
    test_check_eq("unmap", "bad_handle", unmap(gpa, 9999), GNTST_bad_handle);
    test_check_eq("unmap", "bad_handle_all_ones", unmap(gpa, ~0u), GNTST_bad_handle);

    /* The address is free again, and one batch may hold good and bad maps. */
    struct gnttab_map_grant_ref m[2] = {
        { .host_addr = gpa, .flags = GNTMAP_host_map, .ref = REF_RW, .dom = granter,
          .status = 1 },
        { .host_addr = gpa + PAGE, .flags = GNTMAP_host_map, .ref = REF_INVALID,
          .dom = granter, .status = 1 },
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, m, 2);
    CHECK(rc == 0 && m[0].status == GNTST_okay && m[1].status == GNTST_general_error,
          "map", "batch", "rc %ld statuses %d %d", rc, m[0].status, m[1].status);
    if (m[0].status == GNTST_okay)
        test_check_eq("unmap", "batch_map", unmap(gpa, m[0].handle), GNTST_okay);
}

/* Tries the granter's low ports until one was left unbound for us. */
static long bind_to_granter(domid_t peer, evtchn_port_t *port)
{
    long rc = -XEN_EINVAL;

    for (unsigned int i = 0; i < BIND_TRIES; i++) {
        for (evtchn_port_t p = 1; p < CANDIDATE_PORTS; p++) {
            rc = evtchn_bind_interdomain(peer, p, port);
            if (rc != -XEN_EINVAL && rc != -XEN_ESRCH)
                return rc;
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return rc;
}

static void run_grantee(domid_t granter, uint64_t free_gpa)
{
    evtchn_port_t port;
    grant_handle_t rw, ro;

    if (!test_check_eq("setup", "events_init", events_init(EVENTS_VCPU_VECTOR), 0))
        return;
    irq_enable();
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
    CHECK(rc == 0 && q.status == GNTST_okay && q.nr_frames == 0, "grantee",
          "own_table_empty", "rc %ld status %d frames %u", rc, q.status, q.nr_frames);
    /* The granter's port exists once its grants do. */
    if (!test_check_eq("grantee", "bind_interdomain", bind_to_granter(granter, &port), 0))
        return;

    check_copies(granter);
    if (!check_maps(granter, free_gpa, &rw, &ro))
        return;
    evtchn_send(port);
    if (!CHECK(events_wait(port, GRANTEE_GOT_REPLY, WAIT_NS), "grantee",
               "stage_replied", "no word from the granter"))
        return;
    check_unmaps(granter, free_gpa, rw, ro);
    evtchn_send(port);
    if (!CHECK(events_wait(port, GRANTEE_GOT_REVOKED, WAIT_NS), "grantee",
               "stage_revoked", "no word from the granter"))
        return;
    grant_handle_t h;
    test_check_eq("revoked", "map", map(granter, REF_RW, free_gpa, GNTMAP_host_map, &h),
                  GNTST_general_error);
    test_check_eq("revoked", "copy", copy_grant(granter, REF_RW, false, 0, 0, 8),
                  GNTST_general_error);
}

/* A page-aligned guest-physical address above all of our RAM, with room
 * for a few mappings, inside the 4 GiB the runtime maps. */
static uint64_t free_gpa_above_ram(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *e =
        (const struct hvm_memmap_table_entry *)(uintptr_t)si->memmap_paddr;
    uint64_t top = 0;

    for (uint32_t i = 0; i < si->memmap_entries; i++)
        if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM && e[i].addr + e[i].size > top &&
            e[i].addr + e[i].size <= 0xc0000000ULL)
            top = e[i].addr + e[i].size;
    return (top + 0x400000) & ~0x1fffffULL;
}

void guest_main(const struct hvm_start_info *si)
{
    char role[16] = "", peer_text[8] = "";
    domid_t peer = 0;

    cmdline_get(si, "role", role, sizeof(role));
    cmdline_get(si, "peer", peer_text, sizeof(peer_text));
    bool ok = parse_domid(peer_text, &peer);
    if (!CHECK(ok && peer != xen_own_domid(), "setup", "peer_param",
               "want peer=<the other domain's id>, got \"%s\"", peer_text))
        return;
    uint64_t gpa = free_gpa_above_ram(si);
    guest_printf("INFO maps go to %#lx\n", (unsigned long)gpa);
    if (strcmp(role, "granter") == 0)
        run_granter(peer, gpa);
    else if (strcmp(role, "grantee") == 0)
        run_grantee(peer, gpa);
    else
        CHECK(false, "setup", "role_param", "want role=granter|grantee, got \"%s\"", role);
}
