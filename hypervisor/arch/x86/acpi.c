/* Walks the firmware's ACPI tables (RSDP -> XSDT or RSDT) in place; the
 * hypervisor maps all physical memory, so table addresses are pointers. */
#include <mica/memory.h>
#include <mica/string.h>
#include <x86/acpi.h>

struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    uint32_t length;            /* revision 2+ from here on */
    uint64_t xsdt_address;
    uint8_t extended_checksum;
    uint8_t reserved[3];
} __attribute__((packed));

#define ACPI_TABLE_MAX (1u << 20)   /* refuse absurd lengths */

const struct acpi_header *acpi_table_at(uint64_t pa)
{
    if (!pa)
        return NULL;
    const struct acpi_header *h = phys_to_virt(pa);
    if (h->length < sizeof(*h) || h->length > ACPI_TABLE_MAX ||
        !acpi_checksum_ok(h, h->length))
        return NULL;
    return h;
}

/* The root table (XSDT, else RSDT) behind a validated RSDP copy, and the
 * size of its entries. */
static const struct acpi_header *root_table(const uint8_t *rsdp_bytes,
                                            size_t rsdp_len, size_t *entry_size)
{
    struct rsdp r;

    if (rsdp_len < 20)
        return NULL;
    memset(&r, 0, sizeof(r));
    memcpy(&r, rsdp_bytes, rsdp_len < sizeof(r) ? rsdp_len : sizeof(r));
    if (memcmp(r.signature, "RSD PTR ", 8) || !acpi_checksum_ok(&r, 20))
        return NULL;

    bool use_xsdt = r.revision >= 2 && rsdp_len >= sizeof(r) &&
                    acpi_checksum_ok(&r, sizeof(r)) && r.xsdt_address;
    *entry_size = use_xsdt ? 8 : 4;
    return acpi_table_at(use_xsdt ? r.xsdt_address : r.rsdt_address);
}

size_t acpi_root_tables(const uint8_t *rsdp_bytes, size_t rsdp_len,
                        uint64_t *pa, char (*sig)[4], size_t max)
{
    size_t entry_size, n = 0;
    const struct acpi_header *root = root_table(rsdp_bytes, rsdp_len, &entry_size);

    if (!root)
        return 0;
    size_t count = (root->length - sizeof(*root)) / entry_size;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (size_t i = 0; i < count && n < max; i++) {
        uint64_t addr = 0;
        memcpy(&addr, entries + i * entry_size, entry_size);
        const struct acpi_header *t = acpi_table_at(addr);
        if (!t)
            continue;           /* a broken table is not passed on */
        pa[n] = addr;
        memcpy(sig[n], t->signature, 4);
        n++;
    }
    return n;
}

const struct acpi_header *acpi_find_table(const uint8_t *rsdp_bytes,
                                          size_t rsdp_len,
                                          const char signature[4])
{
    size_t entry_size;
    const struct acpi_header *root = root_table(rsdp_bytes, rsdp_len, &entry_size);

    if (!root)
        return NULL;
    size_t count = (root->length - sizeof(*root)) / entry_size;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    for (size_t i = 0; i < count; i++) {
        uint64_t pa = 0;
        memcpy(&pa, entries + i * entry_size, entry_size);
        const struct acpi_header *t = acpi_table_at(pa);
        if (t && !memcmp(t->signature, signature, 4))
            return t;
    }
    return NULL;
}

static uint8_t host_rsdp[64];
static size_t host_rsdp_len;

void acpi_init(const uint8_t *rsdp, size_t len)
{
    host_rsdp_len = len < sizeof(host_rsdp) ? len : sizeof(host_rsdp);
    memcpy(host_rsdp, rsdp, host_rsdp_len);
}

const uint8_t *acpi_host_rsdp(size_t *len)
{
    *len = host_rsdp_len;
    return host_rsdp;
}
