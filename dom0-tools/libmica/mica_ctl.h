/* Mica's control hypercall and the Xen calls a toolstack needs, from dom0
 * userspace through /dev/xen/privcmd. Every call returns 0 (or a count
 * where it says so) or a negative errno. The hypervisor reads our buffers
 * through our page tables without faulting them in: callers mlockall()
 * first (mica_ctl_open does). */
#ifndef MICA_CTL_H
#define MICA_CTL_H

#include <stdint.h>
#include <mica/control.h>

struct mica_ctl {
    int privcmd;                /* /dev/xen/privcmd */
};

/* Opens privcmd and locks our memory; -errno (-ENOENT: not in a Xen dom0). */
int mica_ctl_open(struct mica_ctl *h);
void mica_ctl_close(struct mica_ctl *h);

long mica_hypercall(struct mica_ctl *h, uint64_t op, uint64_t a0, uint64_t a1);
/* One control command; c's union holds the arguments and gets the answer. */
long mica_control(struct mica_ctl *h, uint32_t cmd, uint16_t domid, struct mica_control *c);

int mica_physinfo(struct mica_ctl *h, struct mica_ctl_physinfo *out);
/* A new paused domain with the lowest free id. */
int mica_domain_create(struct mica_ctl *h, unsigned vcpus, uint64_t max_pages,
                       uint16_t *domid);
int mica_domain_destroy(struct mica_ctl *h, uint16_t domid);
int mica_domain_pause(struct mica_ctl *h, uint16_t domid);
int mica_domain_unpause(struct mica_ctl *h, uint16_t domid);
int mica_domain_set_max_mem(struct mica_ctl *h, uint16_t domid, uint64_t max_pages);
/* Up to max records of domains with id >= first, in id order; the count. */
int mica_domain_list(struct mica_ctl *h, uint16_t first, struct mica_domain_info *out,
                     unsigned max);
/* The record of one domain; -ESRCH if there is none. */
int mica_domain_info(struct mica_ctl *h, uint16_t domid, struct mica_domain_info *out);
int mica_vcpu_context(struct mica_ctl *h, uint16_t domid, unsigned vcpu,
                      struct mica_vcpu_context *out);
/* Brings vCPU `vcpu` up at a PVH entry: flat 32-bit protected mode, paging
 * off, EIP = entry, EBX = the start info's address. */
int mica_vcpu_start_pvh(struct mica_ctl *h, uint16_t domid, unsigned vcpu, uint32_t entry,
                        uint32_t start_info);
int mica_hvm_param_set(struct mica_ctl *h, uint16_t domid, uint32_t index, uint64_t value);
int mica_hvm_param_get(struct mica_ctl *h, uint16_t domid, uint32_t index, uint64_t *value);
/* Reserved grant entry ref (0 console, 1 xenstore) of domid: gfn to backend. */
int mica_grant_entry_set(struct mica_ctl *h, uint16_t domid, uint32_t ref,
                         uint16_t backend, uint64_t gfn);
/* Bytes of the hypervisor's log from *pos (moved on); the count. */
long mica_console_read(struct mica_ctl *h, char *buf, uint32_t size, uint64_t *pos);
/* XENMEM_populate_physmap: gfns [gfn, gfn + pages) of domid, in 2 MiB
 * extents where aligned, 4 KiB ones elsewhere. */
int mica_populate(struct mica_ctl *h, uint16_t domid, uint64_t gfn, uint64_t pages);
/* EVTCHNOP_alloc_unbound: a port of domid that `remote` may bind. */
int mica_evtchn_alloc_unbound(struct mica_ctl *h, uint16_t domid, uint16_t remote,
                              uint32_t *port);

#endif
