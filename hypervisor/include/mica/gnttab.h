/* Grant tables, version 1: the frames a domain fills with grant entries,
 * and the operations other domains use on them. */
#ifndef MICA_GNTTAB_H
#define MICA_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/spinlock.h>
#include <public/xen/grant_table.h>

struct domain;

#define GNTTAB_MAX_FRAMES 32
#define GNTTAB_ENTRIES_PER_FRAME (4096 / sizeof(struct grant_entry_v1))

/* How many maps and copies use one grant entry right now. */
struct grant_active {
    uint32_t pins;
    uint32_t write_pins;                     /* those that may write */
};

struct grant_table {
    spinlock_t lock;
    unsigned int nr_frames;
    uint64_t frames[GNTTAB_MAX_FRAMES];      /* host addresses of the frames */
    uint64_t gfns[GNTTAB_MAX_FRAMES];        /* where the guest placed them */
    struct grant_active *active[GNTTAB_MAX_FRAMES];  /* one page per frame */
    struct grant_maptrack *maptrack;         /* this domain's active maps */
};

int gnttab_domain_init(struct domain *d);
/* Unmaps what the domain still has mapped from others, frees its frames. */
void gnttab_domain_destroy(struct domain *d);
/* The host frame number of grant-table frame idx, growing the table to
 * include it; -XEN_EINVAL beyond GNTTAB_MAX_FRAMES. */
int gnttab_frame(struct domain *d, uint64_t idx, uint64_t *mfn);

/* One lock over every domain's grant mappings and pins. Map, unmap, copy
 * and teardown run under it, so a domain an operation found cannot go
 * away during it. Taken after domain_frames_lock(), never before. */
void gnttab_ops_lock(void);
void gnttab_ops_unlock(void);

/*
 * Checks grant `ref` of granter for use by `grantee` (an access grant to
 * that domain, not read-only when `write`) and pins it: GTF_reading (and
 * GTF_writing) go into the granter's entry in the same atomic update that
 * checked it, so the granter cannot end the access while the pin lasts.
 * Returns a GNTST_* code and, on GNTST_okay, the granted host frame.
 */
int gnttab_pin(struct domain *granter, grant_ref_t ref, domid_t grantee,
               bool write, uint64_t *mfn);
/* Drops a pin gnttab_pin() took; the last one clears the entry's flags. */
void gnttab_unpin(struct domain *granter, grant_ref_t ref, bool write);

/* GNTTABOP_copy / map_grant_ref / unmap_grant_ref on `count` ops at the
 * guest address arg; each op gets its own status. */
struct vcpu;
long gnttab_copy(struct vcpu *v, uint64_t arg, uint64_t count);
long gnttab_map(struct vcpu *v, uint64_t arg, uint64_t count);
long gnttab_unmap(struct vcpu *v, uint64_t arg, uint64_t count);
/* Drops every mapping d holds of other domains' grants, and every mapping
 * others hold of d's pages (before d's memory is freed). */
void gnttab_release_mappings(struct domain *d);
/* Whether another domain has this frame of granter mapped. */
bool gnttab_frame_mapped(const struct domain *granter, uint64_t mfn);

#endif
