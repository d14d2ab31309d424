/* cons_ring: copies through a guest's console ring page (cons_ring.h).
 * The guest can change its indices at any moment: each is read once per
 * call, checked, and only the masked value ever indexes the page. */
#include <errno.h>
#include <string.h>

#include "cons_ring.h"

static uint32_t load_index(const uint32_t *idx)
{
    return __atomic_load_n(idx, __ATOMIC_ACQUIRE);
}

static void store_index(uint32_t *idx, uint32_t v)
{
    __atomic_store_n(idx, v, __ATOMIC_RELEASE);
}

int cons_ring_take_output(struct cons_ring_page *p, char *buf, size_t size, size_t *got)
{
    uint32_t cons = load_index(&p->out_cons);
    uint32_t prod = load_index(&p->out_prod);   /* acquire: data after it is valid */
    uint32_t avail = prod - cons;               /* wraps as the indices do */

    *got = 0;
    if (avail > CONS_OUT_SIZE) {
        store_index(&p->out_cons, prod);
        return -EPROTO;
    }
    size_t n = avail < size ? avail : size;
    for (size_t done = 0; done < n;) {
        uint32_t at = (cons + (uint32_t)done) & (CONS_OUT_SIZE - 1);
        size_t chunk = CONS_OUT_SIZE - at;      /* up to the end of the ring */
        if (chunk > n - done)
            chunk = n - done;
        memcpy(buf + done, p->out + at, chunk);
        done += chunk;
    }
    store_index(&p->out_cons, cons + (uint32_t)n);   /* release: copied before freed */
    *got = n;
    return 0;
}

size_t cons_ring_input_space(const struct cons_ring_page *p)
{
    uint32_t queued = load_index(&p->in_prod) - load_index(&p->in_cons);
    return queued > CONS_IN_SIZE ? 0 : CONS_IN_SIZE - queued;
}

int cons_ring_put_input(struct cons_ring_page *p, const char *data, size_t len, size_t *put)
{
    uint32_t prod = load_index(&p->in_prod);
    uint32_t cons = load_index(&p->in_cons);
    uint32_t queued = prod - cons;

    *put = 0;
    if (queued > CONS_IN_SIZE) {
        store_index(&p->in_prod, cons);
        return -EPROTO;
    }
    size_t n = CONS_IN_SIZE - queued;
    if (n > len)
        n = len;
    for (size_t done = 0; done < n;) {
        uint32_t at = (prod + (uint32_t)done) & (CONS_IN_SIZE - 1);
        size_t chunk = CONS_IN_SIZE - at;
        if (chunk > n - done)
            chunk = n - done;
        memcpy(p->in + at, data + done, chunk);
        done += chunk;
    }
    store_index(&p->in_prod, prod + (uint32_t)n);    /* release: written before shown */
    *put = n;
    return 0;
}
