/* A domain's guest-physical memory: which host frame backs each guest
 * frame (gfn -> mfn), kept in the nested page tables the CPU walks. */
#ifndef MICA_P2M_H
#define MICA_P2M_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

enum p2m_type {
    P2M_INVALID = 0,
    P2M_RAM = 1,        /* the domain's own RAM: freed with the domain */
    P2M_SPECIAL = 2,    /* a hypervisor page shown to the guest (shared_info) */
    P2M_GRANT = 3,      /* another domain's page, mapped through a grant */
    P2M_FOREIGN = 4,    /* another domain's page, mapped by privilege */
    P2M_MMIO = 5,       /* device memory passed through */
};

#define P2M_ORDER_4K 0
#define P2M_ORDER_2M 9

int p2m_init(struct domain *d);
/* Frees the tables and every P2M_RAM frame still mapped. */
void p2m_teardown(struct domain *d);
/* Maps 2^order frames; replaces whatever was there (the caller has
 * already released it). Returns 0 or -XEN_ENOMEM / -XEN_EINVAL. */
int p2m_set(struct domain *d, uint64_t gfn, uint64_t mfn, unsigned int order,
            enum p2m_type type, bool writable);
/* Removes one 4 KiB mapping (splitting a large one if needed). */
int p2m_clear(struct domain *d, uint64_t gfn);
/* Looks one frame up; false if nothing is mapped there. */
bool p2m_lookup(struct domain *d, uint64_t gfn, uint64_t *mfn,
                enum p2m_type *type, bool *writable);
/* Root table address for the CPU's nested paging pointer. */
uint64_t p2m_root(const struct domain *d);
/* Highest guest frame number a domain may use (address-width limit). */
#define P2M_MAX_GFN ((1ULL << (48 - 12)) - 1)

#endif
