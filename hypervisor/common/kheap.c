/* The hypervisor's heap instance, growing from the frame allocator. */
#include <mica/heap.h>
#include <mica/memory.h>
#include <mica/string.h>

static struct heap kheap;

static void *kheap_pages(size_t pages)
{
    uint64_t pa = page_alloc(pages);
    return pa ? phys_to_virt(pa) : NULL;
}

void kheap_init(void)
{
    heap_init(&kheap, kheap_pages);
}

void *kmalloc(size_t size)
{
    return heap_alloc(&kheap, size);
}

void *kzalloc(size_t size)
{
    void *p = heap_alloc(&kheap, size);
    if (p)
        memset(p, 0, size);
    return p;
}

void kfree(void *p)
{
    heap_free(&kheap, p);
}

void kheap_usage(uint64_t *pages, uint64_t *bytes_in_use)
{
    spin_lock(&kheap.lock);
    *pages = kheap.bytes_total / 4096;
    *bytes_in_use = kheap.bytes_in_use;
    spin_unlock(&kheap.lock);
}
