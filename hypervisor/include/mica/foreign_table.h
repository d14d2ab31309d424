/* The table behind foreign mappings (foreign.c): the mapper's gfn -> the
 * owner's frame and domain, an open-addressing hash table that grows as
 * needed. Pure (no locking of its own, heap only): unit-tested. */
#ifndef MICA_FOREIGN_TABLE_H
#define MICA_FOREIGN_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/spinlock.h>

struct domain;

struct foreign_entry {
    uint64_t gfn;               /* the mapper's; FOREIGN_EMPTY / _REMOVED mark free slots */
    uint64_t mfn;
    struct domain *owner;
};

#define FOREIGN_EMPTY   (~0ULL)
#define FOREIGN_REMOVED (~1ULL)

struct foreign_table {
    spinlock_t lock;            /* for the caller: the table takes none */
    struct foreign_entry *slots;
    uint64_t size;              /* 0 or a power of two */
    uint64_t used;              /* slots not empty: live and removed */
    uint64_t live;
};

/* Adds e; -XEN_EBUSY if its gfn is in already, -XEN_ENOMEM. */
int foreign_table_add(struct foreign_table *t, const struct foreign_entry *e);
/* Takes gfn's entry out into *out; false if there is none. */
bool foreign_table_take(struct foreign_table *t, uint64_t gfn, struct foreign_entry *out);
/* Whether an entry maps owner's frame mfn. */
bool foreign_table_has_frame(const struct foreign_table *t, const struct domain *owner,
                             uint64_t mfn);
/* Frees the slots (the entries must have been dealt with). */
void foreign_table_clear(struct foreign_table *t);

#endif
