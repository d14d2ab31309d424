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

size_t madt_parse_cpus(const void *madt, size_t len, struct madt_cpu *cpus,
                       size_t max)
{
    const uint8_t *b = madt;
    size_t n = 0;

    if (len < MADT_HEADER_BYTES)
        return 0;
    uint32_t table_len = read32(b + 4);
    if (table_len < len)
        len = table_len;

    for (size_t off = MADT_HEADER_BYTES; off + 2 <= len && n < max;) {
        uint8_t type = b[off], entry_len = b[off + 1];
        if (entry_len < 2 || off + entry_len > len)
            break;
        uint32_t id, uid, flags;
        bool is_cpu = false;
        if (type == MADT_LOCAL_APIC && entry_len >= 8) {
            uid = b[off + 2];
            id = b[off + 3];
            flags = read32(b + off + 4);
            is_cpu = true;
        } else if (type == MADT_LOCAL_X2APIC && entry_len >= 16) {
            id = read32(b + off + 4);
            flags = read32(b + off + 8);
            uid = read32(b + off + 12);
            is_cpu = true;
        }
        if (is_cpu && (flags & (CPU_ENABLED | CPU_ONLINE_CAPABLE)) &&
            !already_listed(cpus, n, id)) {
            cpus[n].apic_id = id;
            cpus[n].acpi_uid = uid;
            n++;
        }
        off += entry_len;
    }
    return n;
}

size_t madt_parse_ioapics(const void *madt, size_t len, struct madt_ioapic *out,
                          size_t max)
{
    const uint8_t *b = madt;
    size_t n = 0;

    if (len < MADT_HEADER_BYTES)
        return 0;
    uint32_t table_len = read32(b + 4);
    if (table_len < len)
        len = table_len;
    for (size_t off = MADT_HEADER_BYTES; off + 2 <= len && n < max;) {
        uint8_t type = b[off], entry_len = b[off + 1];
        if (entry_len < 2 || off + entry_len > len)
            break;
        if (type == MADT_IOAPIC && entry_len >= 12)
            out[n++] = (struct madt_ioapic){ b[off + 2], read32(b + off + 4),
                                             read32(b + off + 8) };
        off += entry_len;
    }
    return n;
}
