/* How a backend's nested page-table entries look (NPT or EPT). The walk
 * itself is shared; only these bits differ. */
#ifndef X86_P2M_FORMAT_H
#define X86_P2M_FORMAT_H

#include <stdint.h>

struct p2m_format {
    uint64_t present_mask;  /* any of these bits set: the entry is present */
    uint64_t table;         /* flags for an entry pointing at a table */
    uint64_t leaf_rw;       /* flags for a writable RAM leaf */
    uint64_t leaf_ro;       /* flags for a read-only RAM leaf */
    uint64_t memtype_mask;  /* leaf bits that say the memory type */
    uint64_t leaf_mmio;     /* the memory-type bits for device memory */
    uint64_t write_bit;
};

/* The backend in use tells the p2m which format to build. */
void p2m_set_format(const struct p2m_format *fmt);

/* Set when a mapping is removed or loses write access: every vCPU of the
 * domain must flush its guest TLB before it runs again. */
uint64_t p2m_generation(const struct domain *d);

#endif
