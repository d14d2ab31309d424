/* The builder path of the control self-test (control_build.h): what a
 * toolstack does to start a PVH guest, through the control interface and
 * privcmd's foreign mappings. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <elf.h>
#include "control_build.h"
#include "control_util.h"
#include <xen/elfnote.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <xen/start_info.h>
#include <xen/gntdev.h>         /* Linux's UAPI, after domid_t is defined */

/* Linux's privcmd foreign-mapping ioctl. */
struct privcmd_mmapbatch_v2 {
    unsigned int num;
    domid_t dom;
    uint64_t addr;
    const uint64_t *arr;        /* gfns of dom */
    int *err;                   /* one status per page */
};
#define IOCTL_PRIVCMD_MMAPBATCH_V2 \
    _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))

#define START_INFO_GPA  0x1000
#define MEMMAP_GPA      0x1800
#define CMDLINE_GPA     0x2000
#define PAGE            4096
#define GUEST_PAGES     BUILD_GUEST_PAGES
#define STORE_GFN       (GUEST_PAGES - 1)   /* a page the test guest leaves alone */
#define STORE_MARK      "xenstore page of the new domain"

/* Maps pages [0, n) of domid into our address space; NULL on failure. */
static uint8_t *map_foreign(uint16_t domid, unsigned int n)
{
    uint8_t *va = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
                       privcmd_fd, 0);
    if (va == MAP_FAILED)
        return NULL;
    uint64_t *gfns = calloc(n, sizeof(*gfns));
    int *errs = calloc(n, sizeof(*errs));
    for (unsigned int i = 0; gfns && i < n; i++)
        gfns[i] = i;
    struct privcmd_mmapbatch_v2 b = { n, domid, (uint64_t)(uintptr_t)va, gfns, errs };
    int rc = gfns && errs ? ioctl(privcmd_fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b) : -1;
    int bad = 0, first_bad = -1;
    for (unsigned int i = 0; rc == 0 && i < n; i++)
        if (errs[i] != 0 && bad++ == 0)
            first_bad = (int)i;
    check(rc == 0 && bad == 0, "mmapbatch_v2", "rc %d (%s), %d of %u pages failed (first: page %d, %d)",
          rc, rc ? strerror(errno) : "ok", bad, n, first_bad, first_bad >= 0 ? errs[first_bad] : 0);
    free(gfns);
    free(errs);
    if (rc || bad) {
        munmap(va, (size_t)n * PAGE);
        return NULL;
    }
    return va;
}

/* The PVH entry from the ELF notes, or 0. */
static uint32_t pvh_entry(const uint8_t *img, size_t size, const Elf64_Ehdr *eh)
{
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff);

    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_NOTE || ph[i].p_offset + ph[i].p_filesz > size)
            continue;
        for (uint64_t at = ph[i].p_offset; at + sizeof(Elf64_Nhdr) <= ph[i].p_offset + ph[i].p_filesz;) {
            const Elf64_Nhdr *n = (const Elf64_Nhdr *)(img + at);
            const uint8_t *name = (const uint8_t *)(n + 1);
            const uint8_t *desc = name + ((n->n_namesz + 3) & ~3u);
            if (n->n_type == XEN_ELFNOTE_PHYS32_ENTRY && n->n_namesz == 4 &&
                memcmp(name, "Xen", 4) == 0 && n->n_descsz >= 4) {
                uint32_t entry;
                memcpy(&entry, desc, 4);
                return entry;
            }
            at = (uint64_t)(desc - img) + ((n->n_descsz + 3) & ~3u);
        }
    }
    return 0;
}

/* Copies the ELF's loadable segments into guest memory; the entry or 0. */
static uint32_t load_elf(const char *path, uint8_t *mem, uint64_t mem_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        check(0, "read guest ELF", "%s: %s", path, strerror(errno));
        return 0;
    }
    uint8_t *img = malloc((size_t)st.st_size);
    ssize_t got = img ? read(fd, img, (size_t)st.st_size) : -1;
    close(fd);
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    uint32_t entry = 0;
    if (got == st.st_size && got >= (ssize_t)sizeof(*eh) && !memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
        eh->e_ident[EI_CLASS] == ELFCLASS64 &&
        eh->e_phoff + eh->e_phnum * sizeof(Elf64_Phdr) <= (uint64_t)got) {
        entry = pvh_entry(img, (size_t)got, eh);
        const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff);
        for (unsigned int i = 0; entry && i < eh->e_phnum; i++) {
            if (ph[i].p_type != PT_LOAD)
                continue;
            if (ph[i].p_paddr + ph[i].p_memsz > mem_size || ph[i].p_filesz > ph[i].p_memsz ||
                ph[i].p_offset + ph[i].p_filesz > (uint64_t)got)
                entry = 0;
            else
                memcpy(mem + ph[i].p_paddr, img + ph[i].p_offset, ph[i].p_filesz);
        }
    }
    free(img);
    check(entry != 0, "load guest ELF", "%s, PVH entry %#x", path, entry);
    return entry;
}

/* The start info, its memory map and command line, at fixed low pages. */
static void write_start_info(uint8_t *mem, uint64_t mem_size, const char *cmdline)
{
    struct hvm_memmap_table_entry map[2] = {
        { 0, START_INFO_GPA, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { CMDLINE_GPA + PAGE, mem_size - CMDLINE_GPA - PAGE, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
    };
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE, .version = 1,
        .cmdline_paddr = CMDLINE_GPA, .memmap_paddr = MEMMAP_GPA, .memmap_entries = 2,
    };
    memcpy(mem + START_INFO_GPA, &si, sizeof(si));
    memcpy(mem + MEMMAP_GPA, map, sizeof(map));
    snprintf((char *)mem + CMDLINE_GPA, PAGE, "%s", cmdline);
}

/* Waits for a state flag of domid; 1 once it shows. */
static int wait_flag(uint16_t domid, uint32_t flag, int evtchn, unsigned int port,
                     struct mica_domain_info *info)
{
    for (int tries = 0; tries < 30; tries++) {
        if (find_domain(domid, info) == 0 && (info->flags & flag))
            return 1;
        wait_event(evtchn, port);
    }
    return 0;
}

/* The reserved xenstore grant entry, written by set_grant_entry, lets dom0
 * map the page through gntdev as xenstored would. */
static void check_store_grant(uint16_t d)
{
    int fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
    struct ioctl_gntdev_map_grant_ref map = {
        .count = 1, .refs[0] = { .domid = d, .ref = GNTTAB_RESERVED_XENSTORE } };
    int rc = fd < 0 ? -1 : ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map);
    char *page = rc ? MAP_FAILED : mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                                        (off_t)map.index);
    int same = page != MAP_FAILED && strcmp(page, STORE_MARK) == 0;
    check(same, "build: xenstore grant maps", "ioctl %d (%s), %s", rc,
          rc ? strerror(errno) : "ok", same ? "page content matches" : "content differs");
    if (page != MAP_FAILED)
        munmap(page, PAGE);
    if (rc == 0) {
        struct ioctl_gntdev_unmap_grant_ref unmap = { .index = map.index, .count = 1 };
        ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap);
    }
    if (fd >= 0)
        close(fd);
}

long build_paused_guest(const char *path, const char *cmdline_extra, uint16_t *domid)
{
    uint16_t d;

    long rc = create_domain(0, 1, GUEST_PAGES, &d);
    check(rc == 0, "build: create_domain", "rc %ld, domid %u", rc, d);
    if (rc)
        return rc;
    rc = populate(d, GUEST_PAGES);
    check(rc == GUEST_PAGES / 512, "build: populate", "%ld extents", rc);
    uint8_t *mem = map_foreign(d, GUEST_PAGES);
    uint32_t entry = 0;
    if (mem) {
        entry = load_elf(path, mem, (uint64_t)GUEST_PAGES * PAGE);
        char cmdline[256];
        snprintf(cmdline, sizeof(cmdline), "built-by=dom0 domid=%u%s%s", d,
                 cmdline_extra ? " " : "", cmdline_extra ? cmdline_extra : "");
        write_start_info(mem, (uint64_t)GUEST_PAGES * PAGE, cmdline);
        strcpy((char *)mem + (size_t)STORE_GFN * PAGE, STORE_MARK);
        munmap(mem, (size_t)GUEST_PAGES * PAGE);
    }
    struct mica_control g = { .u.grant_entry = { GNTTAB_RESERVED_XENSTORE, 0, 0, STORE_GFN } };
    check(control(MICA_CONTROL_set_grant_entry, d, &g) == 0, "build: set_grant_entry", NULL);
    check_store_grant(d);
    struct mica_control c = { .u.set_vcpu_context = { .vcpu = 0,
        .ctx = start_state(entry, START_INFO_GPA) } };
    rc = entry ? control(MICA_CONTROL_set_vcpu_context, d, &c) : -EINVAL;
    check(rc == 0, "build: set_vcpu_context", "rc %ld", rc);
    if (rc) {
        control_simple(MICA_CONTROL_destroy_domain, d);
        return rc;
    }
    printf("%s: build: domain %u ready at %#x\n", check_prefix, d, entry);
    *domid = d;
    return 0;
}

void test_build_guest(const char *path, int evtchn, unsigned int dom_exc)
{
    uint16_t d;
    struct mica_domain_info info;

    if (build_paused_guest(path, NULL, &d))
        return;
    printf("control-selftest: build: starting domain %u\n", d);
    fflush(stdout);
    control_simple(MICA_CONTROL_unpause, d);
    int done = wait_flag(d, MICA_DOMINFO_SHUTDOWN, evtchn, dom_exc, &info);
    check(done && info.shutdown_reason == SHUTDOWN_poweroff, "build: guest ran",
          "%s, reason %u, cpu %" PRIu64 " ns", done ? "shut down" : "still running",
          info.shutdown_reason, info.cpu_time_ns);
    check(control_simple(MICA_CONTROL_destroy_domain, d) == 0, "build: destroy", NULL);
}

void test_foreign_outlives_domain(void)
{
    uint16_t d;
    struct mica_domain_info info;

    uint64_t before = free_pages();
    if (create_domain(0, 1, 512, &d) || populate(d, 512) != 1) {
        check(0, "foreign: create and populate", NULL);
        return;
    }
    uint8_t *mem = map_foreign(d, 4);
    if (!mem) {
        control_simple(MICA_CONTROL_destroy_domain, d);
        return;
    }
    memcpy(mem + PAGE, "still here", 11);
    long rc = control_simple(MICA_CONTROL_destroy_domain, d);
    int listed = find_domain(d, &info) == 0;
    check(rc == 0 && listed && (info.flags & MICA_DOMINFO_DYING) &&
          memcmp(mem + PAGE, "still here", 11) == 0, "foreign: mapping outlives destroy",
          "rc %ld, %s, flags %#x", rc, listed ? "listed" : "gone", listed ? info.flags : 0);
    uint16_t other;
    check(create_domain(d, 1, 16, &other) == -EEXIST, "foreign: id kept while mapped", NULL);
    munmap(mem, 4 * PAGE);
    uint64_t after = free_pages();
    check(find_domain(d, &info) != 0 && after == before, "foreign: freed at unmap",
          "%" PRIu64 " pages free before, %" PRIu64 " after", before, after);
}
