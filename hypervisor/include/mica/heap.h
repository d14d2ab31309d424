/* The hypervisor heap: variable-sized allocations carved from pages. */
#ifndef MICA_HEAP_H
#define MICA_HEAP_H

#include <stddef.h>
#include <stdint.h>
#include <mica/spinlock.h>

struct heap_block;

/* Supplies `pages` contiguous pages (4 KiB each); NULL when out of memory. */
typedef void *(*heap_page_source)(size_t pages);

struct heap {
    struct heap_block *head;    /* every block, in address order */
    heap_page_source grow;
    size_t bytes_in_use;
    size_t bytes_total;
    spinlock_t lock;
};

void heap_init(struct heap *h, heap_page_source grow);
void *heap_alloc(struct heap *h, size_t size);
void heap_free(struct heap *h, void *p);

/* The hypervisor's own heap, fed by the frame allocator. */
void kheap_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
/* What the hypervisor heap holds: pages taken from the frame allocator
 * (never given back) and bytes handed out now. */
void kheap_usage(uint64_t *pages, uint64_t *bytes_in_use);

#endif
