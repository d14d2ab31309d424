/* A guest's memory map, built in address order. */
#include <mica/guest_memmap.h>

#define RAM XEN_HVM_MEMMAP_TYPE_RAM

bool guest_memmap_append(struct guest_memmap *m, uint64_t addr, uint64_t size,
                         uint32_t type)
{
    if (!size)
        return true;
    if (addr + size < addr)
        return false;
    if (m->count) {
        struct hvm_memmap_table_entry *last = &m->entries[m->count - 1];
        uint64_t end = last->addr + last->size;
        if (addr < end)
            return false;
        if (addr == end && last->type == type) {
            last->size += size;
            return true;
        }
    }
    if (m->count == m->max)
        return false;
    m->entries[m->count++] = (struct hvm_memmap_table_entry){ addr, size, type, 0 };
    return true;
}

static bool inside(const struct hvm_memmap_table_entry *e, uint64_t addr,
                   uint64_t size)
{
    return e->type == RAM && addr >= e->addr && addr + size >= addr &&
           addr + size <= e->addr + e->size;
}

bool guest_memmap_carve(struct guest_memmap *m, uint64_t addr, uint64_t size,
                        uint32_t type)
{
    unsigned int i;

    for (i = 0; i < m->count && !inside(&m->entries[i], addr, size); i++)
        ;
    if (i == m->count || !size)
        return false;
    struct hvm_memmap_table_entry e = m->entries[i];
    uint64_t head = addr - e.addr, tail = e.addr + e.size - (addr + size);
    unsigned int pieces = 1 + (head != 0) + (tail != 0);
    if (m->count + pieces - 1 > m->max)
        return false;
    /* Open a gap of pieces - 1 entries after entry i. */
    for (unsigned int j = m->count; j-- > i + 1;)
        m->entries[j + pieces - 1] = m->entries[j];
    m->count += pieces - 1;
    unsigned int at = i;
    if (head)
        m->entries[at++] = (struct hvm_memmap_table_entry){ e.addr, head, RAM, 0 };
    m->entries[at++] = (struct hvm_memmap_table_entry){ addr, size, type, 0 };
    if (tail)
        m->entries[at] = (struct hvm_memmap_table_entry){ addr + size, tail, RAM, 0 };
    return true;
}

bool guest_memmap_find_ram(const struct guest_memmap *m, uint64_t min_addr,
                           uint64_t size, uint64_t *addr)
{
    for (unsigned int i = 0; i < m->count; i++) {
        const struct hvm_memmap_table_entry *e = &m->entries[i];
        uint64_t start = e->addr > min_addr ? e->addr : min_addr;
        start = (start + 0xfff) & ~0xfffULL;
        if (inside(e, start, size)) {
            *addr = start;
            return true;
        }
    }
    return false;
}

bool guest_memmap_is_ram(const struct guest_memmap *m, uint64_t addr,
                         uint64_t size)
{
    for (unsigned int i = 0; i < m->count; i++)
        if (inside(&m->entries[i], addr, size))
            return true;
    return false;
}
