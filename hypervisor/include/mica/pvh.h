/* Building a PVH domain: load an ELF kernel with the PHYS32_ENTRY note,
 * its modules and command line into guest memory, and point vCPU 0 at the
 * entry with a struct hvm_start_info, as Xen's PVH boot protocol says. */
#ifndef MICA_PVH_H
#define MICA_PVH_H

#include <stddef.h>
#include <stdint.h>

struct domain;
struct boot_info;

struct pvh_blob {
    const uint8_t *data;
    size_t size;
    const char *cmdline;        /* for modules; NULL for none */
};

/* Gives d `mem_bytes` of RAM, loads kernel and modules, writes the start
 * info and readies vCPU 0 (still down). With `identity_host` (dom0), the
 * RAM is the host's own, gfn == mfn, and the memory map follows the
 * host's. On failure returns a negative Xen errno and a reason in err. */
int pvh_build(struct domain *d, const struct pvh_blob *kernel,
              const struct pvh_blob *modules, unsigned int nr_modules,
              const char *cmdline, uint64_t mem_bytes,
              const struct boot_info *identity_host, char *err, size_t errsz);

#endif
