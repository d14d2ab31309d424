/* Reading and writing guest memory through guest-virtual addresses, the
 * way hypercall arguments name it. Every access is checked: an address the
 * guest has not mapped, or mapped read-only for a write, gives -XEN_EFAULT. */
#ifndef MICA_GUEST_ACCESS_H
#define MICA_GUEST_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;
struct domain;

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);

/* The same for guest-physical addresses of a domain (no page walk). */
int copy_from_gpa(struct domain *d, void *dst, uint64_t gpa, size_t len);
int copy_to_gpa(struct domain *d, uint64_t gpa, const void *src, size_t len);

/* Host pointer to a whole guest frame of RAM, or NULL. */
void *gfn_to_host(struct domain *d, uint64_t gfn, uint64_t *mfn, bool write);

#endif
