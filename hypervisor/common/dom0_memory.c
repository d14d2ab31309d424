/* dom0's identity-mapped RAM and the memory map that describes it. */
#include <mica/boot_info.h>
#include <mica/dom0_memory.h>
#include <mica/domain.h>
#include <mica/guest_memmap.h>
#include <mica/memmap.h>
#include <mica/memory.h>
#include <mica/p2m.h>

#define FRAMES_2M 512ULL

struct claim {
    struct domain *d;
    struct guest_memmap map;
    uint64_t left;              /* frames dom0 may still get */
};

static uint32_t guest_type(uint32_t boot_type)
{
    switch (boot_type) {
    case BOOT_MEM_ACPI_RECLAIM: return XEN_HVM_MEMMAP_TYPE_ACPI;
    case BOOT_MEM_ACPI_NVS:     return XEN_HVM_MEMMAP_TYPE_NVS;
    case BOOT_MEM_UNUSABLE:     return XEN_HVM_MEMMAP_TYPE_UNUSABLE;
    case BOOT_MEM_PERSISTENT:   return XEN_HVM_MEMMAP_TYPE_PMEM;
    default:                    return XEN_HVM_MEMMAP_TYPE_RESERVED;
    }
}

/* Takes 2 MiB at once where alignment and the frames allow, else 4 KiB;
 * returns how many frames were taken at pfn (0: none, it is Mica's). */
static uint64_t claim_at(struct claim *c, uint64_t pfn, uint64_t end_pfn, int *rc)
{
    if (pfn % FRAMES_2M == 0 && end_pfn - pfn >= FRAMES_2M && c->left >= FRAMES_2M &&
        page_claim(pfn << PAGE_SHIFT, FRAMES_2M)) {
        if ((*rc = p2m_set(c->d, pfn, pfn, P2M_ORDER_2M, P2M_RAM, true)))
            page_free(pfn << PAGE_SHIFT, FRAMES_2M);
        return *rc ? 0 : FRAMES_2M;
    }
    if (pfn == 0 || !page_claim(pfn << PAGE_SHIFT, 1))
        return 0;   /* frame 0 stays unused: no valid pointer is 0 */
    if ((*rc = p2m_set(c->d, pfn, pfn, P2M_ORDER_4K, P2M_RAM, true)))
        page_free(pfn << PAGE_SHIFT, 1);
    return *rc ? 0 : 1;
}

static int claim_ram(struct claim *c, uint64_t base, uint64_t end)
{
    uint64_t first = (base + PAGE_SIZE - 1) >> PAGE_SHIFT, last = end >> PAGE_SHIFT;
    int rc = 0;

    if (first >= last) {
        guest_memmap_append(&c->map, base, end - base, XEN_HVM_MEMMAP_TYPE_RESERVED);
        return 0;
    }
    /* Partial pages at the edges are no use to anyone. */
    guest_memmap_append(&c->map, base, (first << PAGE_SHIFT) - base,
                        XEN_HVM_MEMMAP_TYPE_RESERVED);
    for (uint64_t pfn = first; pfn < last;) {
        uint64_t got = c->left ? claim_at(c, pfn, last, &rc) : 0;
        if (rc)
            return rc;
        uint64_t n = got ? got : 1;
        uint32_t type = got ? XEN_HVM_MEMMAP_TYPE_RAM :
                        c->left ? XEN_HVM_MEMMAP_TYPE_RESERVED :
                                  XEN_HVM_MEMMAP_TYPE_UNUSABLE;
        if (!guest_memmap_append(&c->map, pfn << PAGE_SHIFT, n << PAGE_SHIFT, type))
            return -XEN_ENOSPC;
        c->d->tot_pages += got;
        c->left -= got;
        pfn += n;
    }
    guest_memmap_append(&c->map, last << PAGE_SHIFT, end - (last << PAGE_SHIFT),
                        XEN_HVM_MEMMAP_TYPE_RESERVED);
    return 0;
}

int dom0_identity_memory(struct domain *d, const struct boot_info *host,
                         uint64_t pages)
{
    static struct boot_mem_range map[BOOT_MAX_MEM_RANGES];  /* boot CPU only */
    size_t n = host->mem_range_count;
    struct claim c = { d, { d->e820, 0, GUEST_MEMMAP_MAX }, pages };
    uint64_t covered = 0;       /* ranges may overlap: the first one wins */

    if (pages > d->max_pages - d->tot_pages)
        return -XEN_ENOMEM;
    for (size_t i = 0; i < n; i++)
        map[i] = host->mem[i];
    memmap_sort(map, n);
    for (size_t i = 0; i < n; i++) {
        uint64_t base = map[i].base > covered ? map[i].base : covered;
        uint64_t end = map[i].base + map[i].length;
        if (end <= base)
            continue;
        int rc = 0;
        if (map[i].type == BOOT_MEM_USABLE || map[i].type == BOOT_MEM_LOADED)
            rc = claim_ram(&c, base, end);
        else if (!guest_memmap_append(&c.map, base, end - base, guest_type(map[i].type)))
            rc = -XEN_ENOSPC;
        d->e820_entries = c.map.count;
        if (rc)
            return rc;
        covered = end;
    }
    return c.left == pages ? -XEN_ENOMEM : 0;
}
