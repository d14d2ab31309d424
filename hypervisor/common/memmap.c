/* Pure helpers over the boot memory map (struct boot_mem_range). */
#include <mica/memmap.h>

static bool is_usable(uint32_t type)
{
    return type == BOOT_MEM_USABLE;
}

uint64_t memmap_bytes_of_type(const struct boot_mem_range *map, size_t n,
                              uint32_t type)
{
    uint64_t total = 0;

    for (size_t i = 0; i < n; i++)
        if (map[i].type == type)
            total += map[i].length;
    return total;
}

uint64_t memmap_usable_end(const struct boot_mem_range *map, size_t n)
{
    uint64_t end = 0;

    for (size_t i = 0; i < n; i++)
        if ((is_usable(map[i].type) || map[i].type == BOOT_MEM_LOADED) &&
            map[i].base + map[i].length > end)
            end = map[i].base + map[i].length;
    return end;
}

static bool overlaps(uint64_t a_start, uint64_t a_end, uint64_t b_start,
                     uint64_t b_end)
{
    return a_start < b_end && b_start < a_end;
}

/* If [start, end) collides with something, stores where the colliding
 * range begins (the next try must end there) and returns true. */
static bool collision_start(const struct boot_mem_range *map, size_t n,
                            const struct phys_range *exclude, size_t nexclude,
                            uint64_t start, uint64_t end, uint64_t *at)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_usable(map[i].type) &&
            overlaps(start, end, map[i].base, map[i].base + map[i].length)) {
            *at = map[i].base;
            return true;
        }
    }
    for (size_t i = 0; i < nexclude; i++) {
        if (overlaps(start, end, exclude[i].start, exclude[i].end)) {
            *at = exclude[i].start;
            return true;
        }
    }
    return false;
}

bool memmap_find_space_top(const struct boot_mem_range *map, size_t n,
                           const struct phys_range *exclude, size_t nexclude,
                           uint64_t size, uint64_t align, uint64_t max_end,
                           uint64_t *addr)
{
    bool found = false;

    if (size == 0 || align == 0 || (align & (align - 1)))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!is_usable(map[i].type))
            continue;
        uint64_t end = map[i].base + map[i].length;
        if (end > max_end)
            end = max_end;
        while (end > map[i].base && end - map[i].base >= size) {
            uint64_t start = (end - size) & ~(align - 1);
            uint64_t at;
            if (start < map[i].base)
                break;
            if (!collision_start(map, n, exclude, nexclude, start, start + size, &at)) {
                if (!found || start > *addr)
                    *addr = start;
                found = true;
                break;
            }
            end = at;
        }
    }
    return found;
}

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_USABLE:       return "usable";
    case BOOT_MEM_RESERVED:     return "reserved";
    case BOOT_MEM_ACPI_RECLAIM: return "ACPI data";
    case BOOT_MEM_ACPI_NVS:     return "ACPI NVS";
    case BOOT_MEM_UNUSABLE:     return "unusable";
    case BOOT_MEM_FW_RUNTIME:   return "firmware runtime";
    case BOOT_MEM_LOADED:       return "boot images";
    case BOOT_MEM_PERSISTENT:   return "persistent";
    default:                    return "unknown";
    }
}

void memmap_sort(struct boot_mem_range *map, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct boot_mem_range r = map[i];
        size_t j = i;
        while (j > 0 && map[j - 1].base > r.base) {
            map[j] = map[j - 1];
            j--;
        }
        map[j] = r;
    }
}
