/*
 * The PVH domain builder. Guest memory layout:
 *   [0, 4 KiB)             RAM
 *   [4 KiB, 12 KiB)        start info, module list, memory map, command line
 *                          (reserved in the guest's memory map)
 *   [12 KiB, 16 KiB)       ACPI tables (ACPI type in the memory map)
 *   [16 KiB, lowmem)       RAM: the kernel at its physical load addresses,
 *                          then the modules, page aligned
 *   [4 GiB, ...)           the rest of RAM, when there is more than fits
 *                          below the 3 GiB line
 */
#include <mica/domain.h>
#include <mica/elf.h>
#include <mica/format.h>
#include <mica/guest_access.h>
#include <mica/p2m.h>
#include <mica/pvh.h>
#include <mica/string.h>
#include <mica/vcpu_arch.h>
#include <public/xen/elfnote.h>
#include <public/xen/start_info.h>

#define START_INFO_GPA  0x1000ULL
#define MODLIST_GPA     0x1400ULL
#define MEMMAP_GPA      0x1800ULL
#define CMDLINE_GPA     0x2000ULL
#define CMDLINE_MAX     4096
#define ACPI_GPA        0x3000ULL
#define INFO_END        0x4000ULL
#define LOWMEM_LIMIT    0xc0000000ULL
#define HIGHMEM_START   0x100000000ULL
#define MAX_MODULES     8

static int fail(char *err, size_t errsz, int rc, const char *why)
{
    snprintf(err, errsz, "%s", why);
    return rc;
}

static void add_e820(struct domain *d, uint64_t addr, uint64_t size, uint32_t type)
{
    if (size && d->e820_entries < sizeof(d->e820) / sizeof(d->e820[0]))
        d->e820[d->e820_entries++] =
            (struct hvm_memmap_table_entry){ addr, size, type, 0 };
}

static int give_memory(struct domain *d, uint64_t mem_bytes)
{
    uint64_t pages = mem_bytes >> 12;
    uint64_t low = pages < (LOWMEM_LIMIT >> 12) ? pages : LOWMEM_LIMIT >> 12;
    int rc = domain_populate(d, 0, low);

    if (!rc && pages > low)
        rc = domain_populate(d, HIGHMEM_START >> 12, pages - low);
    if (rc)
        return rc;
    add_e820(d, 0, START_INFO_GPA, XEN_HVM_MEMMAP_TYPE_RAM);
    add_e820(d, START_INFO_GPA, ACPI_GPA - START_INFO_GPA,
             XEN_HVM_MEMMAP_TYPE_RESERVED);
    add_e820(d, ACPI_GPA, INFO_END - ACPI_GPA, XEN_HVM_MEMMAP_TYPE_ACPI);
    add_e820(d, INFO_END, (low << 12) - INFO_END, XEN_HVM_MEMMAP_TYPE_RAM);
    add_e820(d, HIGHMEM_START, (pages - low) << 12, XEN_HVM_MEMMAP_TYPE_RAM);
    return 0;
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

/* A guest-physical range is RAM we gave and does not touch the info area. */
static bool in_guest_ram(const struct domain *d, uint64_t start, uint64_t len)
{
    if (start + len < start || (start < INFO_END && start + len > START_INFO_GPA))
        return false;
    for (unsigned int i = 0; i < d->e820_entries; i++) {
        const struct hvm_memmap_table_entry *e = &d->e820[i];
        if (e->type == XEN_HVM_MEMMAP_TYPE_RAM && start >= e->addr &&
            start + len <= e->addr + e->size)
            return true;
    }
    return false;
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
              const char *cmdline, uint64_t mem_bytes, char *err, size_t errsz)
{
    uint32_t entry;
    uint64_t end;
    int rc;

    if (nr_modules > MAX_MODULES)
        return fail(err, errsz, -XEN_EINVAL, "too many modules");
    if (mem_bytes < (2ULL << 20))
        return fail(err, errsz, -XEN_EINVAL, "less than 2 MiB of memory");
    if ((rc = give_memory(d, mem_bytes)))
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

    uint8_t acpi[INFO_END - ACPI_GPA];
    uint64_t rsdp;
    size_t acpi_len = arch_build_acpi_tables(d, acpi, sizeof(acpi), ACPI_GPA, &rsdp);
    if (!acpi_len || copy_to_gpa(d, ACPI_GPA, acpi, acpi_len))
        return fail(err, errsz, -XEN_EINVAL, "cannot build the ACPI tables");

    size_t len = cmdline ? strnlen(cmdline, CMDLINE_MAX - 1) : 0;
    char nul = '\0';
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,
        .flags = d->privileged ? SIF_INITDOMAIN | SIF_PRIVILEGED : 0,
        .nr_modules = nr_modules,
        .modlist_paddr = nr_modules ? MODLIST_GPA : 0,
        .cmdline_paddr = CMDLINE_GPA,
        .rsdp_paddr = rsdp,
        .memmap_paddr = MEMMAP_GPA,
        .memmap_entries = d->e820_entries,
    };
    if (copy_to_gpa(d, CMDLINE_GPA, cmdline ? cmdline : "", len) ||
        copy_to_gpa(d, CMDLINE_GPA + len, &nul, 1) ||
        copy_to_gpa(d, MODLIST_GPA, list, nr_modules * sizeof(list[0])) ||
        copy_to_gpa(d, MEMMAP_GPA, d->e820, d->e820_entries * sizeof(d->e820[0])) ||
        copy_to_gpa(d, START_INFO_GPA, &si, sizeof(si)))
        return fail(err, errsz, -XEN_EFAULT, "cannot write the start info");
    arch_vcpu_reset_pvh(d->vcpus[0], entry, START_INFO_GPA);
    d->vcpus[0]->initialised = true;
    return 0;
}
