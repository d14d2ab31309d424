/* Sets up the frame allocator from the boot memory map, keeping out
 * firmware, ACPI, the hypervisor image and the boot modules. */
#include <mica/log.h>
#include <mica/memmap.h>
#include <mica/memory.h>
#include <mica/string.h>

#define BOOT_MAPPED_END (4ULL << 30)    /* head.S maps the first 4 GiB */

static struct frame_allocator frames;
static struct memory_stats stats;
static struct phys_range kept_image;
static const struct boot_mem_range *boot_map;
static size_t boot_map_count;

static uint64_t pfn_up(uint64_t addr) { return (addr + PAGE_SIZE - 1) >> PAGE_SHIFT; }
static uint64_t pfn_down(uint64_t addr) { return addr >> PAGE_SHIFT; }

static void reserve(uint64_t start, uint64_t end)
{
    if (end > start)
        frame_mark_used(&frames, pfn_down(start), pfn_up(end) - pfn_down(start));
}

void memory_init(const struct boot_info *bi, uint64_t image_start,
                 uint64_t image_end)
{
    const struct boot_mem_range *map = bi->mem;
    size_t n = bi->mem_range_count;
    boot_map = map;
    boot_map_count = n;
    struct phys_range keep[BOOT_MAX_MODULES + 2];
    size_t nkeep = 0;

    keep[nkeep++] = (struct phys_range){ 0, 0x100000 };  /* real-mode area */
    keep[nkeep++] = (struct phys_range){ image_start, image_end };
    for (uint32_t i = 0; i < bi->module_count; i++) {
        uint64_t base = bi->modules[i].base;
        keep[nkeep++] = (struct phys_range){ base, base + bi->modules[i].size };
        stats.module_bytes += bi->modules[i].size;
    }

    uint64_t end = memmap_usable_end(map, n);
    if (!end)
        panic("memory: the boot memory map has no usable RAM");
    uint64_t nframes = pfn_up(end);
    uint64_t bitmap_bytes = FRAME_BITMAP_BYTES(nframes);
    uint64_t bitmap_pa;
    /* High, but inside the first 4 GiB that boot paging maps: low memory
     * is for dom0, whose RAM is identity-mapped. */
    if (!memmap_find_space_top(map, n, keep, nkeep, bitmap_bytes, PAGE_SIZE,
                               BOOT_MAPPED_END, &bitmap_pa))
        panic("memory: no room for a %llu byte frame bitmap",
              (unsigned long long)bitmap_bytes);
    frame_allocator_init(&frames, phys_to_virt(bitmap_pa), nframes);

    /* Free whole pages of RAM first, then take back everything that is not
     * RAM for us: where maps overlap, the stricter type wins. */
    for (size_t i = 0; i < n; i++) {
        if (map[i].type != BOOT_MEM_USABLE && map[i].type != BOOT_MEM_LOADED)
            continue;
        uint64_t first = pfn_up(map[i].base);
        uint64_t last = pfn_down(map[i].base + map[i].length);
        if (last > first)
            frame_mark_free(&frames, first, last - first);
    }
    for (size_t i = 0; i < n; i++)
        if (map[i].type != BOOT_MEM_USABLE && map[i].type != BOOT_MEM_LOADED)
            reserve(map[i].base, map[i].base + map[i].length);
    /* Frame 0 stays unused so that a null physical address is never valid. */
    reserve(0, PAGE_SIZE);
    reserve(image_start, image_end);
    kept_image = (struct phys_range){ image_start, image_end };
    for (uint32_t i = 0; i < bi->module_count; i++)
        reserve(bi->modules[i].base, bi->modules[i].base + bi->modules[i].size);
    reserve(bitmap_pa, bitmap_pa + bitmap_bytes);

    stats.usable_bytes = memmap_bytes_of_type(map, n, BOOT_MEM_USABLE) +
                         memmap_bytes_of_type(map, n, BOOT_MEM_LOADED);
    stats.firmware_bytes = memmap_bytes_of_type(map, n, BOOT_MEM_ACPI_RECLAIM) +
                           memmap_bytes_of_type(map, n, BOOT_MEM_ACPI_NVS) +
                           memmap_bytes_of_type(map, n, BOOT_MEM_FW_RUNTIME);
    stats.hypervisor_bytes = image_end - image_start + bitmap_bytes;
    stats.total_frames = nframes;
}

const struct memory_stats *memory_stats(void)
{
    return &stats;
}

uint64_t memory_free_bytes(void)
{
    return frames.free_frames * PAGE_SIZE;
}

/* Everything but the low-memory requests comes from the top of RAM, so
 * that the low memory dom0 gets identity-mapped stays in one piece. */
static uint64_t alloc_zeroed(uint64_t count, uint64_t align, uint64_t below)
{
    uint64_t pfn;
    bool ok = below ? frame_alloc(&frames, count, align, below >> PAGE_SHIFT, &pfn)
                    : frame_alloc_top(&frames, count, align, &pfn);

    if (!ok)
        return 0;
    memset(phys_to_virt(pfn << PAGE_SHIFT), 0, count * PAGE_SIZE);
    return pfn << PAGE_SHIFT;
}

uint64_t page_alloc_below(uint64_t count, uint64_t below)
{
    return alloc_zeroed(count, 1, below);
}

uint64_t page_alloc(uint64_t count)
{
    return alloc_zeroed(count, 1, 0);
}

uint64_t page_alloc_aligned(uint64_t count, uint64_t align)
{
    return alloc_zeroed(count, align, 0);
}

bool memory_is_host_ram(uint64_t pa)
{
    uint64_t page = pa & ~(PAGE_SIZE - 1);

    for (size_t i = 0; i < boot_map_count; i++)
        if ((boot_map[i].type == BOOT_MEM_USABLE || boot_map[i].type == BOOT_MEM_LOADED) &&
            page >= boot_map[i].base &&
            page + PAGE_SIZE <= boot_map[i].base + boot_map[i].length)
            return true;
    return false;
}

bool page_claim(uint64_t pa, uint64_t count)
{
    if (!frame_claim(&frames, pa >> PAGE_SHIFT, count))
        return false;
    memset(phys_to_virt(pa), 0, count * PAGE_SIZE);
    return true;
}

void memory_move_modules_high(struct boot_info *bi)
{
    for (uint32_t i = 0; i < bi->module_count; i++) {
        struct boot_module *m = &bi->modules[i];
        uint64_t pages = pfn_up(m->size);
        uint64_t pfn;

        if (!pages || !frame_alloc_top(&frames, pages, 1, &pfn))
            continue;
        if (pfn << PAGE_SHIFT <= m->base) {
            frame_free(&frames, pfn, pages);    /* already as high as it gets */
            continue;
        }
        memcpy(phys_to_virt(pfn << PAGE_SHIFT), phys_to_virt(m->base), m->size);
        uint64_t old = m->base;
        m->base = pfn << PAGE_SHIFT;
        /* Give the old copy back, then keep again whatever shares its
         * first or last page: the image or another module. */
        frame_mark_free(&frames, pfn_down(old), pfn_up(old + m->size) - pfn_down(old));
        reserve(kept_image.start, kept_image.end);
        for (uint32_t j = 0; j < bi->module_count; j++)
            reserve(bi->modules[j].base, bi->modules[j].base + bi->modules[j].size);
    }
}

void page_free(uint64_t pa, uint64_t count)
{
    if (!frame_free(&frames, pa >> PAGE_SHIFT, count))
        panic("page_free: 0x%llx (+%llu pages) was not allocated",
              (unsigned long long)pa, (unsigned long long)count);
}
