/* The foreign-mapping table: linear probing, at most half the slots in
 * use (removed ones count until the next rehash drops them). */
#include <mica/foreign_table.h>
#include <mica/heap.h>
#include <public/xen/errno.h>

#define MIN_SLOTS 64

static uint64_t hash(uint64_t gfn, uint64_t size)
{
    return (gfn * 0x9e3779b97f4a7c15ULL >> 20) & (size - 1);
}

/* The slot holding gfn, or (when absent and `insert`) the first free slot
 * on its probe path. */
static struct foreign_entry *slot_of(const struct foreign_table *t, uint64_t gfn,
                                     bool insert)
{
    struct foreign_entry *free = NULL;

    if (!t->size)
        return NULL;
    for (uint64_t i = hash(gfn, t->size), n = 0; n < t->size;
         i = (i + 1) & (t->size - 1), n++) {
        struct foreign_entry *e = &t->slots[i];
        if (e->gfn == gfn)
            return e;
        if (e->gfn == FOREIGN_REMOVED && !free)
            free = e;
        if (e->gfn == FOREIGN_EMPTY)
            return insert ? (free ? free : e) : NULL;
    }
    return insert ? free : NULL;
}

static int rehash(struct foreign_table *t, uint64_t size)
{
    struct foreign_entry *slots = kmalloc(size * sizeof(*slots));

    if (!slots)
        return -XEN_ENOMEM;
    for (uint64_t i = 0; i < size; i++)
        slots[i].gfn = FOREIGN_EMPTY;
    struct foreign_table n = { .slots = slots, .size = size };
    for (uint64_t i = 0; i < t->size; i++)
        if (t->slots[i].gfn < FOREIGN_REMOVED)
            *slot_of(&n, t->slots[i].gfn, true) = t->slots[i];
    kfree(t->slots);
    t->slots = slots;
    t->size = size;
    t->used = t->live;
    return 0;
}

int foreign_table_add(struct foreign_table *t, const struct foreign_entry *e)
{
    if ((t->used + 1) * 2 > t->size) {
        uint64_t size = MIN_SLOTS;
        while ((t->live + 1) * 4 > size)
            size *= 2;
        int rc = rehash(t, size);
        if (rc)
            return rc;
    }
    struct foreign_entry *s = slot_of(t, e->gfn, true);
    if (s->gfn == e->gfn)
        return -XEN_EBUSY;
    t->used += s->gfn == FOREIGN_EMPTY;
    t->live++;
    *s = *e;
    return 0;
}

bool foreign_table_take(struct foreign_table *t, uint64_t gfn, struct foreign_entry *out)
{
    struct foreign_entry *e = gfn < FOREIGN_REMOVED ? slot_of(t, gfn, false) : NULL;

    if (!e)
        return false;
    *out = *e;
    e->gfn = FOREIGN_REMOVED;
    t->live--;
    return true;
}

bool foreign_table_has_frame(const struct foreign_table *t, const struct domain *owner,
                             uint64_t mfn)
{
    for (uint64_t i = 0; i < t->size; i++)
        if (t->slots[i].gfn < FOREIGN_REMOVED && t->slots[i].owner == owner &&
            t->slots[i].mfn == mfn)
            return true;
    return false;
}

void foreign_table_clear(struct foreign_table *t)
{
    kfree(t->slots);
    *t = (struct foreign_table){ .lock = t->lock };
}
