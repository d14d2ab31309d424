/* xs_ring: moving bytes through the request and response rings. The
 * indices are the other side's to write too, so each is read once and
 * checked before use; a ring whose indices make no sense is broken. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ring.h"

static uint32_t load_index(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void store_index(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static ssize_t ring_broken(struct xs_ring *r)
{
    store_index(&r->page->error, XS_RING_ERROR_RINGIDX);
    return -1;
}

static ssize_t ring_read(void *ctx, void *buf, size_t len)
{
    struct xs_ring *r = ctx;
    struct xs_ring_page *pg = r->page;
    uint32_t cons = load_index(&pg->req_cons);
    uint32_t prod = load_index(&pg->req_prod);
    size_t done = 0;

    if (prod - cons > XS_RING_SIZE)
        return ring_broken(r);
    /* See the producer's bytes only after its index. */
    atomic_thread_fence(memory_order_acquire);
    while (done < len && cons != prod) {
        size_t off = XS_RING_MASK(cons);
        size_t n = XS_RING_SIZE - off;
        if (n > prod - cons)
            n = prod - cons;
        if (n > len - done)
            n = len - done;
        memcpy((char *)buf + done, pg->req + off, n);
        done += n;
        cons += (uint32_t)n;
    }
    if (done) {
        /* Finish reading before handing the space back. */
        atomic_thread_fence(memory_order_seq_cst);
        store_index(&pg->req_cons, cons);
        r->notify(r->ctx);
    }
    return (ssize_t)done;
}

static ssize_t ring_write(void *ctx, const void *buf, size_t len)
{
    struct xs_ring *r = ctx;
    struct xs_ring_page *pg = r->page;
    uint32_t cons = load_index(&pg->rsp_cons);
    uint32_t prod = load_index(&pg->rsp_prod);
    size_t done = 0;

    if (prod - cons > XS_RING_SIZE)
        return ring_broken(r);
    atomic_thread_fence(memory_order_seq_cst);
    while (done < len && prod - cons < XS_RING_SIZE) {
        size_t off = XS_RING_MASK(prod);
        size_t n = XS_RING_SIZE - off;
        size_t space = XS_RING_SIZE - (prod - cons);
        if (n > space)
            n = space;
        if (n > len - done)
            n = len - done;
        memcpy(pg->rsp + off, (const char *)buf + done, n);
        done += n;
        prod += (uint32_t)n;
    }
    if (done) {
        /* The bytes must be visible before the index that covers them. */
        atomic_thread_fence(memory_order_release);
        store_index(&pg->rsp_prod, prod);
        r->notify(r->ctx);
    }
    return (ssize_t)done;
}

static void ring_destroy(void *ctx)
{
    struct xs_ring *r = ctx;
    if (r->release)
        r->release(r->ctx);
    free(r);
}

const struct xs_transport xs_ring_transport = {
    .read = ring_read,
    .write = ring_write,
    .destroy = ring_destroy,
};

void xs_ring_init_page(struct xs_ring_page *page)
{
    store_index(&page->server_features, XS_SERVER_FEATURE_ERROR);
    store_index(&page->error, XS_RING_ERROR_NONE);
    store_index(&page->connection, XS_RING_CONNECTED);
}
