/* Maps the shared_info page over a page-aligned buffer of guest RAM. */
#include <xen/memory.h>

#include "hypercall.h"
#include "shared.h"

static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static struct shared_info *mapped;

struct shared_info *shared_info_map(void)
{
    if (mapped)
        return mapped;
    /* The guest runs identity-mapped, so the buffer's address is its GPA. */
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .idx = 0,
        .gpfn = (uint64_t)(uintptr_t)shared_page >> 12,
    };
    if (HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x) != 0)
        return NULL;
    mapped = (struct shared_info *)shared_page;
    return mapped;
}
