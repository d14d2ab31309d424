/* Extends the boot identity map (first 4 GiB, 2 MiB pages) to the RAM
 * above 4 GiB, using 1 GiB pages where the CPU has them. MMIO windows
 * above 4 GiB are left unmapped until something needs them. */
#include <mica/log.h>
#include <mica/memory.h>
#include <x86/cpu.h>
#include <x86/paging.h>

#define PTE_PRESENT  0x1ULL
#define PTE_WRITE    0x2ULL
#define PTE_LARGE    0x80ULL
#define PTE_ADDR     0x000ffffffffff000ULL
#define GIB          (1ULL << 30)
#define MIB2         (1ULL << 21)
#define BOOT_MAPPED  (4 * GIB)

static uint64_t *table_below(uint64_t *entry)
{
    if (!(*entry & PTE_PRESENT)) {
        /* Tables must be reachable before they are mapped: take them
         * from the first 4 GiB, which head.S already maps. */
        uint64_t pa = page_alloc_below(1, BOOT_MAPPED);
        if (!pa)
            panic("paging: out of memory for page tables");
        *entry = pa | PTE_PRESENT | PTE_WRITE;
    }
    return phys_to_virt(*entry & PTE_ADDR);
}

static void map_range(uint64_t start, uint64_t end, bool gib_pages)
{
    uint64_t step = gib_pages ? GIB : MIB2;

    for (uint64_t va = start & ~(step - 1); va < end; va += step) {
        uint64_t *pdpt = table_below(&boot_pml4[(va >> 39) & 511]);
        uint64_t *pdpte = &pdpt[(va >> 30) & 511];
        if (gib_pages) {
            *pdpte = va | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
            continue;
        }
        uint64_t *pd = table_below(pdpte);
        pd[(va >> 21) & 511] = va | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
    }
}

void paging_map_ram(const struct boot_info *bi)
{
    bool gib_pages = (cpuid(0x80000001, 0).edx >> 26) & 1;

    for (uint32_t i = 0; i < bi->mem_range_count; i++) {
        const struct boot_mem_range *r = &bi->mem[i];
        uint64_t end = r->base + r->length;
        if (r->type == BOOT_MEM_RESERVED || end <= BOOT_MAPPED)
            continue;
        map_range(r->base > BOOT_MAPPED ? r->base : BOOT_MAPPED, end, gib_pages);
    }
    write_cr3(read_cr3());
}
