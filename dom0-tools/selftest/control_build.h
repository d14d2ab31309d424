/* The builder path of the control self-test: a PVH test guest built into
 * a new domain from dom0 userspace, and foreign mappings that outlive the
 * domain they map. */
#ifndef CONTROL_BUILD_H
#define CONTROL_BUILD_H

#include <stdint.h>

#define BUILD_GUEST_PAGES 4096          /* 16 MiB */
/* A page the test guests leave alone, free for a console ring. */
#define BUILD_CONSOLE_GFN (BUILD_GUEST_PAGES - 2)

/* Builds the PVH ELF at path into a new domain, as a toolstack would, and
 * leaves it paused with vCPU 0 at its entry: memory, start info with the
 * command line "built-by=dom0 domid=N" and cmdline_extra, the xenstore
 * page and its reserved grant. 0 and *domid, or a negative errno. */
long build_paused_guest(const char *path, const char *cmdline_extra, uint16_t *domid);
/* Builds the PVH ELF at path into a new domain, runs it until it shuts
 * down (its output goes to the hypervisor console) and destroys it. */
void test_build_guest(const char *path, int evtchn, unsigned int dom_exc);
/* A page of a domain stays mapped, and its memory allocated, after the
 * domain is destroyed, until dom0 unmaps it. */
void test_foreign_outlives_domain(void);

#endif
