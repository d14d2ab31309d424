/*
 * A first-fit heap. Blocks carry a header and sit on one address-ordered
 * list, so freeing merges a block with free neighbours that touch it.
 * It grows by whole page runs and never gives pages back; the hypervisor
 * heap holds long-lived bookkeeping, not guest memory.
 */
#include <mica/heap.h>
#include <stdbool.h>

#define HEAP_ALIGN     16
#define HEAP_MIN_GROW  16   /* pages */
#define HEAP_PAGE      4096

struct heap_block {
    struct heap_block *next;
    struct heap_block *prev;
    size_t size;            /* payload bytes after the header */
    size_t free;
};

_Static_assert(sizeof(struct heap_block) % HEAP_ALIGN == 0,
               "block headers keep payloads aligned");

void heap_init(struct heap *h, heap_page_source grow)
{
    h->head = NULL;
    h->grow = grow;
    h->bytes_in_use = 0;
    h->bytes_total = 0;
    h->lock = (spinlock_t)SPINLOCK_INIT;
}

static bool touches(const struct heap_block *a, const struct heap_block *b)
{
    return (const char *)(a + 1) + a->size == (const char *)b;
}

/* Merges b into a; a directly precedes b in memory and on the list. */
static void merge(struct heap_block *a, struct heap_block *b)
{
    a->size += sizeof(*b) + b->size;
    a->next = b->next;
    if (b->next)
        b->next->prev = a;
}

static void insert_sorted(struct heap *h, struct heap_block *b)
{
    struct heap_block *prev = NULL, *cur = h->head;

    while (cur && cur < b) {
        prev = cur;
        cur = cur->next;
    }
    b->prev = prev;
    b->next = cur;
    if (cur)
        cur->prev = b;
    if (prev)
        prev->next = b;
    else
        h->head = b;
    if (cur && cur->free && touches(b, cur))
        merge(b, cur);
    if (prev && prev->free && touches(prev, b))
        merge(prev, b);
}

static bool grow(struct heap *h, size_t need)
{
    size_t pages = (need + sizeof(struct heap_block) + HEAP_PAGE - 1) / HEAP_PAGE;

    if (pages < HEAP_MIN_GROW)
        pages = HEAP_MIN_GROW;
    struct heap_block *b = h->grow ? h->grow(pages) : NULL;
    if (!b)
        return false;
    b->size = pages * HEAP_PAGE - sizeof(*b);
    b->free = 1;
    h->bytes_total += pages * HEAP_PAGE;
    insert_sorted(h, b);
    return true;
}

static struct heap_block *find_fit(struct heap *h, size_t size)
{
    for (struct heap_block *b = h->head; b; b = b->next)
        if (b->free && b->size >= size)
            return b;
    return NULL;
}

void *heap_alloc(struct heap *h, size_t size)
{
    if (size == 0 || size > ((size_t)1 << 40))
        return NULL;
    size = (size + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);

    spin_lock(&h->lock);
    struct heap_block *b = find_fit(h, size);
    if (!b && grow(h, size))
        b = find_fit(h, size);
    if (b) {
        /* Split when the rest can hold a header and a minimal payload. */
        if (b->size >= size + sizeof(*b) + HEAP_ALIGN) {
            struct heap_block *rest =
                (struct heap_block *)((char *)(b + 1) + size);
            rest->size = b->size - size - sizeof(*rest);
            rest->free = 1;
            rest->prev = b;
            rest->next = b->next;
            if (b->next)
                b->next->prev = rest;
            b->next = rest;
            b->size = size;
        }
        b->free = 0;
        h->bytes_in_use += b->size;
    }
    spin_unlock(&h->lock);
    return b ? b + 1 : NULL;
}

void heap_free(struct heap *h, void *p)
{
    if (!p)
        return;
    struct heap_block *b = (struct heap_block *)p - 1;

    spin_lock(&h->lock);
    b->free = 1;
    h->bytes_in_use -= b->size;
    if (b->next && b->next->free && touches(b, b->next))
        merge(b, b->next);
    if (b->prev && b->prev->free && touches(b->prev, b))
        merge(b->prev, b);
    spin_unlock(&h->lock);
}
