/* The builder path of the control self-test: a PVH test guest built into
 * a new domain from dom0 userspace, and foreign mappings that outlive the
 * domain they map. */
#ifndef CONTROL_BUILD_H
#define CONTROL_BUILD_H

/* Builds the PVH ELF at path into a new domain, runs it until it shuts
 * down (its output goes to the hypervisor console) and destroys it. */
void test_build_guest(const char *path, int evtchn, unsigned int dom_exc);
/* A page of a domain stays mapped, and its memory allocated, after the
 * domain is destroyed, until dom0 unmaps it. */
void test_foreign_outlives_domain(void);

#endif
