/* The p2m as 4-level nested page tables (AMD NPT or Intel EPT; the backend
 * gives the entry format). 2 MiB leaves where the caller asks for them,
 * split on demand when a single 4 KiB frame inside changes. */
#include <mica/domain.h>
#include <mica/heap.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/sched.h>
#include <x86/p2m_format.h>

#define PTE_ADDR   0x000ffffffffff000ULL
#define PTE_LARGE  (1ULL << 7)
#define TYPE_SHIFT 52
#define TYPE_MASK  (0xfULL << TYPE_SHIFT)

struct x86_p2m {
    uint64_t *root;
    spinlock_t lock;
    uint64_t generation;
};

static const struct p2m_format *fmt;

void p2m_set_format(const struct p2m_format *f)
{
    fmt = f;
}

static struct x86_p2m *p2m_of(const struct domain *d)
{
    return d->p2m;
}

int p2m_init(struct domain *d)
{
    struct x86_p2m *p = kzalloc(sizeof(*p));
    uint64_t root = page_alloc(1);

    if (!p || !root || !fmt) {
        kfree(p);
        if (root)
            page_free(root, 1);
        return -XEN_ENOMEM;
    }
    p->root = phys_to_virt(root);
    p->lock = (spinlock_t)SPINLOCK_INIT;
    d->p2m = p;
    return 0;
}

uint64_t p2m_root(const struct domain *d)
{
    return virt_to_phys(p2m_of(d)->root);
}

uint64_t p2m_generation(const struct domain *d)
{
    return __atomic_load_n(&p2m_of(d)->generation, __ATOMIC_ACQUIRE);
}

static bool present(uint64_t pte)
{
    return pte & fmt->present_mask;
}

static uint64_t *table_of(uint64_t pte)
{
    return phys_to_virt(pte & PTE_ADDR);
}

static uint64_t make_leaf(uint64_t mfn, bool large, enum p2m_type type,
                          bool writable)
{
    uint64_t pte = (mfn << 12) | (writable ? fmt->leaf_rw : fmt->leaf_ro) |
                   ((uint64_t)type << TYPE_SHIFT);
    if (type == P2M_MMIO)
        pte = (pte & ~fmt->memtype_mask) | fmt->leaf_mmio;
    return large ? pte | PTE_LARGE : pte;
}

/* Splits a 2 MiB leaf into a table of 512 4 KiB leaves of the same kind. */
static int split(uint64_t *entry)
{
    uint64_t pa = page_alloc(1);

    if (!pa)
        return -XEN_ENOMEM;
    uint64_t *t = phys_to_virt(pa);
    uint64_t base = *entry & ~PTE_LARGE;
    for (int i = 0; i < 512; i++)
        t[i] = base + ((uint64_t)i << 12);
    *entry = pa | fmt->table;
    return 0;
}

/* Returns the entry for gfn at `level` (1 = 4 KiB, 2 = 2 MiB), creating
 * tables on the way when `create` is set. NULL if absent or out of memory. */
static uint64_t *walk(struct x86_p2m *p, uint64_t gfn, int level, bool create,
                      int *err)
{
    uint64_t *t = p->root;

    for (int l = 4; l > level; l--) {
        uint64_t *e = &t[(gfn >> (9 * (l - 1))) & 511];
        if (!present(*e)) {
            if (!create)
                return NULL;
            uint64_t pa = page_alloc(1);
            if (!pa) {
                *err = -XEN_ENOMEM;
                return NULL;
            }
            *e = pa | fmt->table;
        } else if (*e & PTE_LARGE) {
            if (!create)
                return e;       /* the caller sees a large leaf above it */
            if ((*err = split(e)))
                return NULL;
        }
        t = table_of(*e);
    }
    return &t[(gfn >> (9 * (level - 1))) & 511];
}

int p2m_set(struct domain *d, uint64_t gfn, uint64_t mfn, unsigned int order,
            enum p2m_type type, bool writable)
{
    struct x86_p2m *p = p2m_of(d);
    uint64_t old_table = 0;
    int err = 0;

    if ((order != P2M_ORDER_4K && order != P2M_ORDER_2M) ||
        gfn > P2M_MAX_GFN || ((gfn | mfn) & ((1ULL << order) - 1)))
        return -XEN_EINVAL;
    spin_lock(&p->lock);
    uint64_t *e = walk(p, gfn, order == P2M_ORDER_2M ? 2 : 1, true, &err);
    if (e) {
        if (present(*e))
            p->generation++;
        if (order == P2M_ORDER_2M && present(*e) && !(*e & PTE_LARGE))
            old_table = *e & PTE_ADDR;  /* replaced by one large leaf */
        *e = make_leaf(mfn, order == P2M_ORDER_2M, type, writable);
    }
    spin_unlock(&p->lock);
    if (old_table) {
        /* Other CPUs may still hold the old table in their paging-structure
         * caches: free it only once none can walk it any more. */
        sched_flush_domain_tlbs(d);
        page_free(old_table, 1);
    }
    return e ? 0 : err;
}

int p2m_clear(struct domain *d, uint64_t gfn)
{
    struct x86_p2m *p = p2m_of(d);
    int err = 0;

    if (gfn > P2M_MAX_GFN)
        return -XEN_EINVAL;
    spin_lock(&p->lock);
    uint64_t *e = NULL;
    uint64_t *probe = walk(p, gfn, 1, false, &err);
    if (probe && present(*probe))
        e = (*probe & PTE_LARGE) ? walk(p, gfn, 1, true, &err) : probe;
    if (e) {
        *e = 0;
        p->generation++;
    }
    spin_unlock(&p->lock);
    return e ? 0 : (err ? err : -XEN_ENOENT);
}

bool p2m_lookup(struct domain *d, uint64_t gfn, uint64_t *mfn,
                enum p2m_type *type, bool *writable)
{
    struct x86_p2m *p = p2m_of(d);
    int err = 0;
    bool found = false;

    if (gfn > P2M_MAX_GFN)
        return false;
    spin_lock(&p->lock);
    uint64_t *e = walk(p, gfn, 1, false, &err);
    if (e && present(*e)) {
        uint64_t base = (*e & PTE_ADDR) >> 12;
        /* A large leaf found above level 1 covers gfn at its offset. */
        *mfn = (*e & PTE_LARGE) ? base + (gfn & 511) : base;
        if (type)
            *type = (enum p2m_type)((*e & TYPE_MASK) >> TYPE_SHIFT);
        if (writable)
            *writable = *e & fmt->write_bit;
        found = true;
    }
    spin_unlock(&p->lock);
    return found;
}

static void free_ram_leaf(uint64_t pte, uint64_t frames)
{
    if (((pte & TYPE_MASK) >> TYPE_SHIFT) == P2M_RAM)
        page_free(pte & PTE_ADDR, frames);
}

static void teardown_table(uint64_t *t, int level)
{
    for (int i = 0; i < 512; i++) {
        if (!present(t[i]))
            continue;
        if (level == 1)
            free_ram_leaf(t[i], 1);
        else if (t[i] & PTE_LARGE)
            free_ram_leaf(t[i], 512);
        else
            teardown_table(table_of(t[i]), level - 1);
    }
    page_free(virt_to_phys(t), 1);
}

void p2m_teardown(struct domain *d)
{
    struct x86_p2m *p = p2m_of(d);

    teardown_table(p->root, 4);
    kfree(p);
    d->p2m = NULL;
}
