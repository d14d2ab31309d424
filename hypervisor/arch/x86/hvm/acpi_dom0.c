/*
 * dom0's ACPI root: a new RSDP and XSDT over the firmware's own tables
 * (which stay where they are, identity-mapped into dom0), and a MADT of
 * dom0's vCPUs. vCPU i is local APIC id i with processor UID i, as in a
 * domU's MADT; the I/O APIC and override entries are the host's, since
 * dom0's emulated I/O APICs mirror the real ones pin for pin.
 */
#include <x86/acpi_build.h>
#include <x86/acpi_tables.h>

#define MADT_IOAPIC    1
#define MADT_OVERRIDE  2

static bool hidden(const char sig[4])
{
    static const char *const kept_by_mica[] = {
        "APIC", "DMAR", "IVRS", "HPET", "SRAT", "SLIT", "MCFG",
    };
    for (size_t i = 0; i < sizeof(kept_by_mica) / sizeof(kept_by_mica[0]); i++)
        if (!memcmp(sig, kept_by_mica[i], 4))
            return true;
    return false;
}

/* The host MADT's I/O APIC and override entries, copied to out (if not
 * NULL); returns their total length. */
static size_t copy_host_entries(const struct acpi_host_view *host, uint8_t *out)
{
    size_t len = host->madt_len, total = 0;

    if (!host->madt || len < ACPI_MADT_FIXED)
        return 0;
    uint32_t table_len;
    memcpy(&table_len, host->madt + 4, 4);
    if (table_len < len)
        len = table_len;
    for (size_t off = ACPI_MADT_FIXED; off + 2 <= len;) {
        uint8_t type = host->madt[off], elen = host->madt[off + 1];
        if (elen < 2 || off + elen > len)
            break;
        if ((type == MADT_IOAPIC && elen == 12) || (type == MADT_OVERRIDE && elen == 10)) {
            if (out)
                memcpy(out + total, host->madt + off, elen);
            total += elen;
        }
        off += elen;
    }
    return total;
}

size_t acpi_build_dom0_tables(uint8_t *buf, size_t size, uint64_t base,
                              unsigned int nr_vcpus,
                              const struct acpi_host_view *host, uint64_t *rsdp_gpa)
{
    size_t kept = 0;
    for (size_t i = 0; i < host->count; i++)
        kept += !hidden(host->table_sig[i]) && host->table_pa[i];
    size_t xsdt_off = 48;                       /* after the 36-byte RSDP */
    size_t xsdt_len = sizeof(struct acpi_header) + 8 * (kept + 1);
    size_t madt_off = (xsdt_off + xsdt_len + 15) & ~(size_t)15;
    size_t host_entries = copy_host_entries(host, NULL);
    size_t madt_len = ACPI_MADT_FIXED + ACPI_MADT_LAPIC_BYTES * (size_t)nr_vcpus +
                      host_entries;
    size_t total = madt_off + madt_len;

    if (total > size || nr_vcpus == 0 || nr_vcpus > 255)
        return 0;
    memset(buf, 0, total);

    struct acpi_header *madt = (struct acpi_header *)(buf + madt_off);
    copy_host_entries(host, acpi_madt_start(madt, (uint32_t)madt_len, nr_vcpus));
    acpi_seal(madt);

    struct acpi_header *xsdt = (struct acpi_header *)(buf + xsdt_off);
    acpi_header(xsdt, "XSDT", (uint32_t)xsdt_len, 1);
    uint8_t *x = buf + xsdt_off + sizeof(*xsdt);
    for (size_t i = 0; i < host->count; i++) {
        if (hidden(host->table_sig[i]) || !host->table_pa[i])
            continue;
        acpi_put64(x, host->table_pa[i]);
        x += 8;
    }
    acpi_put64(x, base + madt_off);
    acpi_seal(xsdt);

    acpi_rsdp((struct acpi_rsdp *)buf, base + xsdt_off);
    *rsdp_gpa = base;
    return total;
}
