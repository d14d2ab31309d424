/*
 * The PVH domain builder. A domU's memory layout:
 *   [0, 4 KiB)             RAM
 *   [4 KiB, 12 KiB)        start info, module list, memory map, command line
 *                          (reserved in the guest's memory map)
 *   [12 KiB, 16 KiB)       ACPI tables (ACPI type in the memory map)
 *   [16 KiB, lowmem)       RAM: the kernel at its physical load addresses,
 *                          then the modules, page aligned
 *   [4 GiB, ...)           the rest of RAM, when there is more than fits
 *                          below the 3 GiB line
 * dom0's RAM is the host's, identity-mapped (dom0_memory.c); its info area
 * is laid out the same way, in the first RAM after the modules.
 */
#include <mica/dom0_memory.h>
#include <mica/domain.h>
#include <mica/elf.h>
#include <mica/format.h>
#include <mica/guest_access.h>
#include <mica/guest_memmap.h>
#include <mica/log.h>
#include <mica/p2m.h>
#include <mica/pvh.h>
#include <mica/string.h>
#include <mica/vcpu_arch.h>
#include <public/xen/elfnote.h>
#include <public/xen/start_info.h>

/* Offsets inside the info area. */
#define START_INFO_OFF  0x0000ULL
#define MODLIST_OFF     0x0400ULL
#define MEMMAP_OFF      0x0800ULL
#define CMDLINE_OFF     0x1000ULL
#define CMDLINE_MAX     4096
#define ACPI_OFF        0x2000ULL
#define INFO_SIZE       0x3000ULL
#define DOMU_INFO_GPA   0x1000ULL
#define LOWMEM_LIMIT    0xc0000000ULL
#define HIGHMEM_START   0x100000000ULL
#define MAX_MODULES     8

static int fail(char *err, size_t errsz, int rc, const char *why)
{
    snprintf(err, errsz, "%s", why);
    return rc;
}

static struct guest_memmap memmap_of(struct domain *d)
{
    return (struct guest_memmap){ d->e820, d->e820_entries, GUEST_MEMMAP_MAX };
}

/* Marks the info area: the start-of-day data reserved, the ACPI tables as
 * ACPI, so that the guest keeps both. */
static bool carve_info_area(struct domain *d, uint64_t info)
{
    struct guest_memmap m = memmap_of(d);
    bool ok = guest_memmap_carve(&m, info, ACPI_OFF, XEN_HVM_MEMMAP_TYPE_RESERVED) &&
              guest_memmap_carve(&m, info + ACPI_OFF, INFO_SIZE - ACPI_OFF,
                                 XEN_HVM_MEMMAP_TYPE_ACPI);
    d->e820_entries = m.count;
    return ok;
}

static int give_domu_memory(struct domain *d, uint64_t mem_bytes, uint64_t *info)
{
    uint64_t pages = mem_bytes >> 12;
    uint64_t low = pages < (LOWMEM_LIMIT >> 12) ? pages : LOWMEM_LIMIT >> 12;
    int rc = domain_populate(d, 0, low);

    if (!rc && pages > low)
        rc = domain_populate(d, HIGHMEM_START >> 12, pages - low);
    if (rc)
        return rc;
    struct guest_memmap m = memmap_of(d);
    guest_memmap_append(&m, 0, low << 12, XEN_HVM_MEMMAP_TYPE_RAM);
    guest_memmap_append(&m, HIGHMEM_START, (pages - low) << 12,
                        XEN_HVM_MEMMAP_TYPE_RAM);
    d->e820_entries = m.count;
    *info = DOMU_INFO_GPA;
    return carve_info_area(d, *info) ? 0 : -XEN_ENOMEM;
}

/* dom0's info area goes after its kernel and modules, wherever its
 * identity-mapped RAM continues. */
static int place_dom0_info(struct domain *d, uint64_t after, uint64_t *info)
{
    struct guest_memmap m = memmap_of(d);

    for (unsigned int i = 0; i < m.count; i++)
        log_debug("domain %u: [0x%016llx-0x%016llx) type %u\n", d->id,
                  (unsigned long long)m.entries[i].addr,
                  (unsigned long long)(m.entries[i].addr + m.entries[i].size),
                  m.entries[i].type);
    if (!guest_memmap_find_ram(&m, after, INFO_SIZE, info))
        return -XEN_ENOMEM;
    return carve_info_area(d, *info) ? 0 : -XEN_ENOMEM;
}

static bool find_entry(const struct elf_image *img, uint32_t *entry)
{
    struct elf_note_iter it;
    struct elf_note n;

    elf_notes_begin(&it, img);
    while (elf_note_next(&it, &n) == ELF_NOTE_FOUND) {
        if (n.type == XEN_ELFNOTE_PHYS32_ENTRY && elf_note_name_is(&n, "Xen") &&
            n.descsz >= 4) {
            memcpy(entry, n.desc, 4);
            return true;
        }
    }
    return false;
}

/* A guest-physical range is RAM we gave (the info area is not RAM). */
static bool in_guest_ram(struct domain *d, uint64_t start, uint64_t len)
{
    struct guest_memmap m = memmap_of(d);
    return guest_memmap_is_ram(&m, start, len);
}

static int load_kernel(struct domain *d, const struct pvh_blob *k,
                       uint32_t *entry, uint64_t *end, char *err, size_t errsz)
{
    struct elf_image img;
    struct elf_segment seg;
    enum elf_status st = elf_parse(&img, k->data, k->size);

    if (st != ELF_OK)
        return fail(err, errsz, -XEN_EINVAL, elf_status_text(st));
    if (!find_entry(&img, entry))
        return fail(err, errsz, -XEN_EINVAL,
                    "kernel has no XEN_ELFNOTE_PHYS32_ENTRY note (not a PVH kernel)");
    *end = 0;
    for (unsigned int cursor = 0; elf_next_load(&img, &cursor, &seg);) {
        if (!in_guest_ram(d, seg.paddr, seg.memsz))
            return fail(err, errsz, -XEN_EINVAL,
                        "a kernel segment lies outside the domain's memory");
        if (copy_to_gpa(d, seg.paddr, elf_segment_bytes(&img, &seg), seg.filesz))
            return fail(err, errsz, -XEN_EFAULT, "cannot write kernel segment");
        /* The rest of memsz is already zero: domain memory starts zeroed. */
        if (seg.paddr + seg.memsz > *end)
            *end = seg.paddr + seg.memsz;
    }
    if (!in_guest_ram(d, *entry, 1))
        return fail(err, errsz, -XEN_EINVAL, "entry point outside the domain's memory");
    return 0;
}

int pvh_build(struct domain *d, const struct pvh_blob *kernel,
              const struct pvh_blob *modules, unsigned int nr_modules,
              const char *cmdline, uint64_t mem_bytes,
              const struct boot_info *identity_host, char *err, size_t errsz)
{
    uint32_t entry;
    uint64_t end, info;
    int rc;

    if (nr_modules > MAX_MODULES)
        return fail(err, errsz, -XEN_EINVAL, "too many modules");
    if (mem_bytes < (2ULL << 20))
        return fail(err, errsz, -XEN_EINVAL, "less than 2 MiB of memory");
    rc = identity_host ? dom0_identity_memory(d, identity_host, mem_bytes >> 12)
                       : give_domu_memory(d, mem_bytes, &info);
    if (rc)
        return fail(err, errsz, rc, "not enough free memory for the domain");
    if ((rc = load_kernel(d, kernel, &entry, &end, err, errsz)))
        return rc;

    struct hvm_modlist_entry list[MAX_MODULES];
    uint64_t at = (end + 0xfff) & ~0xfffULL;
    for (unsigned int i = 0; i < nr_modules; i++) {
        if (!in_guest_ram(d, at, modules[i].size ? modules[i].size : 1))
            return fail(err, errsz, -XEN_ENOMEM, "modules do not fit in the domain's memory");
        if (copy_to_gpa(d, at, modules[i].data, modules[i].size))
            return fail(err, errsz, -XEN_EFAULT, "cannot write a module");
        list[i] = (struct hvm_modlist_entry){ at, modules[i].size, 0, 0 };
        at = (at + modules[i].size + 0xfff) & ~0xfffULL;
    }
    if (identity_host && place_dom0_info(d, at, &info))
        return fail(err, errsz, -XEN_ENOMEM, "no room for the start info after the modules");

    uint8_t acpi[INFO_SIZE - ACPI_OFF];
    uint64_t rsdp;
    size_t acpi_len = arch_build_acpi_tables(d, acpi, sizeof(acpi), info + ACPI_OFF,
                                             &rsdp);
    if (!acpi_len || copy_to_gpa(d, info + ACPI_OFF, acpi, acpi_len))
        return fail(err, errsz, -XEN_EINVAL, "cannot build the ACPI tables");

    size_t len = cmdline ? strnlen(cmdline, CMDLINE_MAX - 1) : 0;
    char nul = '\0';
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,
        .flags = d->privileged ? SIF_INITDOMAIN | SIF_PRIVILEGED : 0,
        .nr_modules = nr_modules,
        .modlist_paddr = nr_modules ? info + MODLIST_OFF : 0,
        .cmdline_paddr = info + CMDLINE_OFF,
        .rsdp_paddr = rsdp,
        .memmap_paddr = info + MEMMAP_OFF,
        .memmap_entries = d->e820_entries,
    };
    _Static_assert(GUEST_MEMMAP_MAX * sizeof(d->e820[0]) <= CMDLINE_OFF - MEMMAP_OFF,
                   "the memory map fits its slot in the info area");
    if (copy_to_gpa(d, info + CMDLINE_OFF, cmdline ? cmdline : "", len) ||
        copy_to_gpa(d, info + CMDLINE_OFF + len, &nul, 1) ||
        copy_to_gpa(d, info + MODLIST_OFF, list, nr_modules * sizeof(list[0])) ||
        copy_to_gpa(d, info + MEMMAP_OFF, d->e820, d->e820_entries * sizeof(d->e820[0])) ||
        copy_to_gpa(d, info + START_INFO_OFF, &si, sizeof(si)))
        return fail(err, errsz, -XEN_EFAULT, "cannot write the start info");
    arch_vcpu_reset_pvh(d->vcpus[0], entry, (uint32_t)(info + START_INFO_OFF));
    d->vcpus[0]->initialised = true;
    return 0;
}
