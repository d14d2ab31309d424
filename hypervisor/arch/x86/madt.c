/* Parses the MADT's CPU and I/O APIC entries. Pure: works on a byte buffer. */
#include <x86/acpi.h>

#define MADT_HEADER_BYTES  44   /* ACPI header + local APIC address + flags */
#define MADT_LOCAL_APIC    0
#define MADT_IOAPIC        1
#define MADT_LOCAL_X2APIC  9
#define CPU_ENABLED        (1u << 0)
#define CPU_ONLINE_CAPABLE (1u << 1)

bool acpi_checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += b[i];
    return sum == 0;
}

static uint32_t read32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static bool already_listed(const struct madt_cpu *cpus, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        if (cpus[i].apic_id == id)
            return true;
    return false;
}

/* Walks the MADT's entries: each walk_next() gives the next one, NULL at
 * the end or at the first malformed one; the length is clipped to the
 * table's own first. */
struct madt_walk {
    const uint8_t *b;
    size_t len, off;
};

static bool walk_start(struct madt_walk *w, const void *madt, size_t len)
{
    w->b = madt;
    if (len < MADT_HEADER_BYTES)
        return false;
    uint32_t table_len = read32(w->b + 4);
    w->len = table_len < len ? table_len : len;
    w->off = MADT_HEADER_BYTES;
    return true;
}

static const uint8_t *walk_next(struct madt_walk *w)
{
    if (w->off + 2 > w->len)
        return NULL;
    const uint8_t *e = w->b + w->off;
    if (e[1] < 2 || w->off + e[1] > w->len)
        return NULL;
    w->off += e[1];
    return e;
}

size_t madt_parse_cpus(const void *madt, size_t len, struct madt_cpu *cpus,
                       size_t max)
{
    struct madt_walk w;
    const uint8_t *e;
    size_t n = 0;

    if (!walk_start(&w, madt, len))
        return 0;
    while (n < max && (e = walk_next(&w))) {
        uint32_t id, uid, flags;
        if (e[0] == MADT_LOCAL_APIC && e[1] >= 8) {
            uid = e[2];
            id = e[3];
            flags = read32(e + 4);
        } else if (e[0] == MADT_LOCAL_X2APIC && e[1] >= 16) {
            id = read32(e + 4);
            flags = read32(e + 8);
            uid = read32(e + 12);
        } else {
            continue;
        }
        if ((flags & (CPU_ENABLED | CPU_ONLINE_CAPABLE)) && !already_listed(cpus, n, id)) {
            cpus[n].apic_id = id;
            cpus[n].acpi_uid = uid;
            n++;
        }
    }
    return n;
}

size_t madt_parse_ioapics(const void *madt, size_t len, struct madt_ioapic *out,
                          size_t max)
{
    struct madt_walk w;
    const uint8_t *e;
    size_t n = 0;

    if (!walk_start(&w, madt, len))
        return 0;
    while (n < max && (e = walk_next(&w)))
        if (e[0] == MADT_IOAPIC && e[1] >= 12)
            out[n++] = (struct madt_ioapic){ e[2], read32(e + 4), read32(e + 8) };
    return n;
}
