/* The PVH domain builder (mica_build.h): what the hypervisor's own builder
 * does for boot-time domains (pvh_build.c), from dom0 through the control
 * interface and foreign mappings. */
#include "mica_build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <x86/acpi_tables.h>
#include <xen/grant_table.h>
#include <xen/hvm_params.h>
#include <xen/start_info.h>

#include "mica_elf.h"
#include "mica_foreign.h"
#include "mica_kernel.h"
#include "mica_vbd.h"

#define PAGE            4096ULL
#define INFO_GPA        0x1000ULL
#define START_INFO_OFF  0x0000ULL
#define MODLIST_OFF     0x0400ULL
#define MEMMAP_OFF      0x0800ULL
#define CMDLINE_OFF     0x1000ULL
#define ACPI_OFF        0x2000ULL
#define INFO_SIZE       0x3000ULL
#define RAM_START       (INFO_GPA + INFO_SIZE)
#define SPECIAL_PAGES   2ULL        /* console, xenstore */
#define DOM0            0

struct build {
    struct mica_ctl *h;
    const struct domain_config *cfg;
    struct mica_file kernel, ramdisk;
    struct mica_elf elf;
    uint64_t pages, ramdisk_gpa;
    struct mica_build_result r;
    char *err;
    size_t errsz;
};

static int fail(struct build *b, int rc, const char *fmt, const char *what)
{
    snprintf(b->err, b->errsz, fmt, what, strerror(rc < 0 ? -rc : rc));
    return rc;
}

/* The images, and where everything goes; nothing is created yet. */
static int plan(struct build *b)
{
    const char *why = NULL;

    if (b->cfg->vif_count) {
        /* Better refused than a guest without the devices it was promised
         * (network interfaces: docs/mxl.md, "Known limits"). */
        snprintf(b->err, b->errsz, "network interfaces are not supported yet: remove the "
                 "vif setting");
        return -EOPNOTSUPP;
    }
    int rc = mica_kernel_open(b->cfg->kernel, &b->kernel, &why);

    if (!rc)
        rc = mica_elf_parse(&b->kernel, &b->elf, &why);
    if (rc) {
        snprintf(b->err, b->errsz, "kernel %s: %s", b->cfg->kernel, why);
        return rc;
    }
    if (b->cfg->ramdisk) {
        rc = mica_file_map(b->cfg->ramdisk, &b->ramdisk);
        if (rc)
            return fail(b, rc, "ramdisk %s: %s", b->cfg->ramdisk);
    }
    if (b->cfg->memory_mib > MICA_BUILD_MAX_MIB) {
        snprintf(b->err, b->errsz, "memory %llu MiB: the builder places RAM below 3 GiB "
                 "only, at most %u MiB", (unsigned long long)b->cfg->memory_mib,
                 MICA_BUILD_MAX_MIB);
        return -EINVAL;
    }
    b->pages = b->cfg->memory_mib * 256;
    uint64_t usable_end = (b->pages - SPECIAL_PAGES) * PAGE;
    b->ramdisk_gpa = (b->elf.paddr_hi + PAGE - 1) & ~(PAGE - 1);
    if (b->elf.paddr_lo < RAM_START || b->ramdisk_gpa + b->ramdisk.size > usable_end) {
        snprintf(b->err, b->errsz, "kernel at [%#llx, %#llx) and a %zu-byte ramdisk do not "
                 "fit in %llu MiB", (unsigned long long)b->elf.paddr_lo,
                 (unsigned long long)b->elf.paddr_hi, b->ramdisk.size,
                 (unsigned long long)b->cfg->memory_mib);
        return -ENOMEM;
    }
    b->r.console_gfn = b->pages - SPECIAL_PAGES;
    b->r.store_gfn = b->pages - SPECIAL_PAGES + 1;
    b->r.entry = b->elf.entry;
    return 0;
}

/* The info area: start info, module list, memory map, command line, ACPI. */
static int write_info(struct build *b)
{
    static uint8_t info[INFO_SIZE];
    uint64_t top = b->pages * PAGE, special = b->r.console_gfn * PAGE;
    struct hvm_memmap_table_entry map[] = {
        { 0, INFO_GPA, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { INFO_GPA, ACPI_OFF, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
        { INFO_GPA + ACPI_OFF, INFO_SIZE - ACPI_OFF, XEN_HVM_MEMMAP_TYPE_ACPI, 0 },
        { RAM_START, special - RAM_START, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { special, top - special, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
    };
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE, .version = 1,
        .cmdline_paddr = INFO_GPA + CMDLINE_OFF,
        .memmap_paddr = INFO_GPA + MEMMAP_OFF,
        .memmap_entries = sizeof(map) / sizeof(map[0]),
    };
    const char *cmdline = b->cfg->cmdline ? b->cfg->cmdline : "";

    memset(info, 0, sizeof(info));
    if (strlen(cmdline) >= ACPI_OFF - CMDLINE_OFF) {
        snprintf(b->err, b->errsz, "command line longer than %llu bytes",
                 ACPI_OFF - CMDLINE_OFF - 1);
        return -E2BIG;
    }
    memcpy(info + CMDLINE_OFF, cmdline, strlen(cmdline));
    if (b->ramdisk.size) {
        struct hvm_modlist_entry mod = { b->ramdisk_gpa, b->ramdisk.size, 0, 0 };
        memcpy(info + MODLIST_OFF, &mod, sizeof(mod));
        si.nr_modules = 1;
        si.modlist_paddr = INFO_GPA + MODLIST_OFF;
    }
    if (!acpi_build_guest_tables(info + ACPI_OFF, INFO_SIZE - ACPI_OFF, INFO_GPA + ACPI_OFF,
                                 b->cfg->vcpus, &si.rsdp_paddr)) {
        snprintf(b->err, b->errsz, "ACPI tables for %u vCPUs do not fit in a page",
                 b->cfg->vcpus);
        return -E2BIG;
    }
    memcpy(info + START_INFO_OFF, &si, sizeof(si));
    memcpy(info + MEMMAP_OFF, map, sizeof(map));
    int rc = mica_foreign_write(b->h, b->r.domid, INFO_GPA, info, sizeof(info));
    return rc ? fail(b, rc, "writing the %s: %s", "start info") : 0;
}

/* Memory, images, info area, channels, params, grants and vCPU 0. */
static int fill(struct build *b)
{
    uint16_t d = b->r.domid;
    int rc = mica_populate(b->h, d, 0, b->pages);

    if (rc)
        return fail(b, rc, "populating %s: %s", "memory");
    rc = mica_elf_load(b->h, d, &b->elf);
    if (rc)
        return fail(b, rc, "loading the %s: %s", "kernel");
    if (b->ramdisk.size) {
        rc = mica_foreign_write(b->h, d, b->ramdisk_gpa, b->ramdisk.data, b->ramdisk.size);
        if (rc)
            return fail(b, rc, "loading the %s: %s", "ramdisk");
    }
    rc = write_info(b);
    if (rc)
        return rc;
    rc = mica_evtchn_alloc_unbound(b->h, d, DOM0, &b->r.console_port);
    if (!rc)
        rc = mica_evtchn_alloc_unbound(b->h, d, DOM0, &b->r.store_port);
    if (rc)
        return fail(b, rc, "allocating %s: %s", "event channels");
    rc = mica_hvm_param_set(b->h, d, HVM_PARAM_STORE_PFN, b->r.store_gfn);
    if (!rc)
        rc = mica_hvm_param_set(b->h, d, HVM_PARAM_STORE_EVTCHN, b->r.store_port);
    if (!rc)
        rc = mica_hvm_param_set(b->h, d, HVM_PARAM_CONSOLE_PFN, b->r.console_gfn);
    if (!rc)
        rc = mica_hvm_param_set(b->h, d, HVM_PARAM_CONSOLE_EVTCHN, b->r.console_port);
    if (rc)
        return fail(b, rc, "setting %s: %s", "HVM params");
    rc = mica_grant_entry_set(b->h, d, GNTTAB_RESERVED_CONSOLE, DOM0, b->r.console_gfn);
    if (!rc)
        rc = mica_grant_entry_set(b->h, d, GNTTAB_RESERVED_XENSTORE, DOM0, b->r.store_gfn);
    if (rc)
        return fail(b, rc, "writing %s: %s", "grant entries");
    rc = mica_vcpu_start_pvh(b->h, d, 0, b->elf.entry, (uint32_t)(INFO_GPA + START_INFO_OFF));
    return rc ? fail(b, rc, "setting %s: %s", "vCPU 0's start state") : 0;
}

int mica_build_domain(struct mica_ctl *h, struct mica_xs *xs, const struct domain_config *cfg,
                      int paused, struct mica_build_result *out, char *err, size_t errsz)
{
    struct build b = { .h = h, .cfg = cfg, .err = err, .errsz = errsz };
    int created = 0, stored = 0;
    int rc = plan(&b);

    if (!rc && cfg->disk_count && !xs) {
        snprintf(err, errsz, "virtual disks need xenstored (the backend finds them there)");
        rc = -ENOTCONN;
    }
    if (!rc) {
        rc = mica_domain_create(h, cfg->vcpus, cfg->maxmem_mib * 256, &b.r.domid);
        if (rc)
            fail(&b, rc, "creating the %s: %s", "domain");
        created = rc == 0;
    }
    if (!rc)
        rc = fill(&b);
    if (!rc && xs) {
        rc = mica_store_domain(xs, cfg, &b.r, err, errsz);
        stored = rc == 0;
    }
    for (size_t i = 0; !rc && i < cfg->disk_count; i++)
        rc = mica_vbd_add(xs, b.r.domid, &cfg->disks[i], err, errsz);
    if (!rc && !paused) {
        rc = mica_domain_unpause(h, b.r.domid);
        if (rc)
            fail(&b, rc, "starting the %s: %s", "domain");
    }
    if (rc && stored) {
        mica_vbd_remove_all(xs, b.r.domid);
        mica_store_forget(xs, b.r.domid);
    }
    if (rc && created)
        mica_domain_destroy(h, b.r.domid);
    mica_file_unmap(&b.kernel);
    mica_file_unmap(&b.ramdisk);
    if (!rc)
        *out = b.r;
    return rc;
}
