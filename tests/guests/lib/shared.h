/* The shared_info page: mapped once, over a page of the guest's own RAM,
 * the way Linux does it. */
#ifndef GUEST_SHARED_H
#define GUEST_SHARED_H

#include <xen/xen.h>

/* Maps shared_info (XENMEM_add_to_physmap) on first use; NULL on failure. */
struct shared_info *shared_info_map(void);

#endif
