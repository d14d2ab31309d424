/* The PVH domain builder: a domain_config made into a running domain.
 * The guest's memory layout (the in-hypervisor builder's, pvh_build.c):
 *   [0, 4 KiB)            RAM
 *   [4 KiB, 12 KiB)       start info, module list, memory map, command line
 *                         (reserved in the guest's memory map)
 *   [12 KiB, 16 KiB)      ACPI tables (ACPI in the memory map)
 *   [16 KiB, top - 8 KiB) RAM: the kernel at its physical addresses, then
 *                         the ramdisk, page aligned
 *   [top - 8 KiB, top)    the console page, then the xenstore page
 *                         (reserved in the memory map)
 * where top is the domain's memory; at most MICA_BUILD_MAX_MIB, below the
 * 3 GiB line, so RAM is one range. */
#ifndef MICA_BUILD_H
#define MICA_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "domain_config.h"
#include "mica_ctl.h"
#include "mica_xs.h"

#define MICA_BUILD_MAX_MIB 3072u
#define MICA_BUILD_ERR_MAX 512

struct mica_build_result {
    uint16_t domid;
    uint32_t entry;
    uint64_t console_gfn, store_gfn;
    uint32_t console_port, store_port;
};

/* Builds cfg into a new domain, writes its xenstore nodes, introduces it
 * to xenstored (xs may be NULL: no xenstore) and, unless `paused`, runs
 * it. On failure nothing is left behind (the half-built domain is
 * destroyed, its nodes removed) and err says what failed. -errno. */
int mica_build_domain(struct mica_ctl *h, struct mica_xs *xs, const struct domain_config *cfg,
                      int paused, struct mica_build_result *out, char *err, size_t errsz);

/* What the toolstack writes for a domain in xenstore (mica_domain_store.c):
 * /local/domain/ID/{name,domid,memory/static-max,memory/target,
 * console/{ring-ref,port,type},control,data,device}, then INTRODUCE. */
int mica_store_domain(struct mica_xs *xs, const struct domain_config *cfg,
                      const struct mica_build_result *r, char *err, size_t errsz);
/* Forgets a domain: RELEASE (if introduced) and its nodes removed. Call it
 * before destroying the domain, so that xenstored unmaps the store page
 * while its granter exists (RELEASE of an unknown domain is harmless). */
void mica_store_forget(struct mica_xs *xs, uint16_t domid);

#endif
