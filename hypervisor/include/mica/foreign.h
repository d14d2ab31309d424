/* Foreign mappings: the control domain maps pages of another domain's RAM
 * into its own physical address space (XENMAPSPACE_gmfn_foreign), to
 * build and inspect that domain. Each mapping holds a reference on the
 * owner, so the owner's memory outlives every mapping of it, and the
 * owner may not give a mapped page back. */
#ifndef MICA_FOREIGN_H
#define MICA_FOREIGN_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

/* Maps owner's gfn `idx` at d's `gfn` (d privileged, owner another
 * domain); replaces a foreign mapping or RAM page already there. */
int foreign_map(struct domain *d, uint64_t gfn, struct domain *owner, uint64_t idx);
/* Removes the foreign mapping at d's gfn; -XEN_ENOENT if there is none. */
int foreign_unmap(struct domain *d, uint64_t gfn);
/* Drops every foreign mapping d holds (d is going away). */
void foreign_unmap_all(struct domain *d);
/* Whether some domain has owner's host frame mfn foreign-mapped. */
bool foreign_frame_mapped(const struct domain *owner, uint64_t mfn);

#endif
