/* cons_ring: the console ring page shared with a guest, and the two copies
 * the daemon makes through it (guest output out of the page, typed input
 * into it), checking every index the guest can write. */
#ifndef CONS_RING_H
#define CONS_RING_H

#include <stddef.h>
#include <stdint.h>

/* The page's layout is fixed by the protocol (Xen's public io/console.h):
 * two byte rings with free-running 32-bit indices, masked on use. The
 * guest produces into out and consumes from in; the daemon the reverse. */
#define CONS_IN_SIZE  1024u
#define CONS_OUT_SIZE 2048u

struct cons_ring_page {
    char in[CONS_IN_SIZE];           /* daemon -> guest */
    char out[CONS_OUT_SIZE];         /* guest -> daemon */
    uint32_t in_cons, in_prod;
    uint32_t out_cons, out_prod;
};

/* Copies up to size bytes of the guest's output into buf and advances
 * out_cons past them; *got says how many. Returns 0, or -EPROTO when the
 * guest's indices claim more than a ring's worth of output: nothing is
 * copied and out_cons is moved to out_prod, so that the next output the
 * guest writes is read from where it says it wrote it. */
int cons_ring_take_output(struct cons_ring_page *p, char *buf, size_t size, size_t *got);

/* Bytes the daemon may still put into in; 0 when the ring is full or the
 * guest's in_cons is inconsistent (cons_ring_put_input repairs that). */
size_t cons_ring_input_space(const struct cons_ring_page *p);

/* Copies up to len bytes of input into in and advances in_prod; *put says
 * how many (fewer when the ring fills). Returns 0, or -EPROTO when in_cons
 * is more than a ring's worth behind in_prod or ahead of it: then the
 * pending input is dropped (in_prod is set to in_cons) and nothing is
 * written this time. With len 0 it only checks (and repairs) the indices. */
int cons_ring_put_input(struct cons_ring_page *p, const char *data, size_t len, size_t *put);

#endif
