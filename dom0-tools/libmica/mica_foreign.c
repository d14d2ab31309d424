/* Foreign mappings through privcmd (mica_foreign.h). */
#include "mica_foreign.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define PAGE_SIZE 4096u
#define WINDOW_PAGES 1024u          /* 4 MiB mapped at a time for copies */

/* Linux's privcmd foreign-mapping ioctl. */
struct privcmd_mmapbatch_v2 {
    unsigned int num;
    uint16_t dom;
    uint64_t addr;
    const uint64_t *arr;            /* gfns of dom */
    int *err;                       /* one status per page */
};
#define IOCTL_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))

void *mica_foreign_map(struct mica_ctl *h, uint16_t domid, uint64_t gfn, size_t n)
{
    uint64_t *gfns = calloc(n, sizeof(*gfns));
    int *errs = calloc(n, sizeof(*errs));
    void *va = MAP_FAILED;
    int saved = ENOMEM;

    if (gfns && errs)
        va = mmap(NULL, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, h->privcmd, 0);
    if (va != MAP_FAILED) {
        for (size_t i = 0; i < n; i++)
            gfns[i] = gfn + i;
        struct privcmd_mmapbatch_v2 b = { (unsigned int)n, domid, (uint64_t)(uintptr_t)va,
                                          gfns, errs };
        int rc = ioctl(h->privcmd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b);
        saved = errno;
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (errs[i]) {
                rc = -1;
                saved = errs[i] < 0 ? -errs[i] : EFAULT;
            }
        if (rc) {
            munmap(va, n * PAGE_SIZE);
            va = MAP_FAILED;
        }
    } else if (gfns && errs) {
        saved = errno;
    }
    free(gfns);
    free(errs);
    errno = saved;
    return va == MAP_FAILED ? NULL : va;
}

void mica_foreign_unmap(void *va, size_t n)
{
    if (va)
        munmap(va, n * PAGE_SIZE);
}

int mica_foreign_write(struct mica_ctl *h, uint16_t domid, uint64_t gpa, const void *data,
                       size_t len)
{
    const uint8_t *src = data;

    while (len) {
        uint64_t first = gpa / PAGE_SIZE;
        size_t off = gpa % PAGE_SIZE;
        size_t pages = (off + len + PAGE_SIZE - 1) / PAGE_SIZE;
        if (pages > WINDOW_PAGES)
            pages = WINDOW_PAGES;
        size_t chunk = pages * PAGE_SIZE - off;
        if (chunk > len)
            chunk = len;
        uint8_t *va = mica_foreign_map(h, domid, first, pages);
        if (!va)
            return -errno;
        memcpy(va + off, src, chunk);
        mica_foreign_unmap(va, pages);
        src += chunk;
        gpa += chunk;
        len -= chunk;
    }
    return 0;
}
