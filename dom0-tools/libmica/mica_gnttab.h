/* Other domains' granted pages in our address space through Linux's
 * /dev/xen/gntdev (module xen-gntdev). Every call returns 0 or a negative
 * errno; none prints. Needs only the C library. */
#ifndef MICA_GNTTAB_H
#define MICA_GNTTAB_H

#include <stdint.h>

#define MICA_GNTTAB_DEVICE "/dev/xen/gntdev"
#define MICA_GNTTAB_PAGE_SIZE 4096u     /* what one grant reference maps */
#define MICA_GNTTAB_MAX_REFS 1024u      /* per mapping */

/* One open of the device. fd is -1 while closed: a handle set to
 * { .fd = -1 } or left by a failed open is closed, and maps on it fail
 * with -EBADF. */
struct mica_gnttab {
    int fd;
};

/* Pages mapped by mica_gnttab_map; all zero when nothing is mapped. */
struct mica_grant_map {
    void *addr;         /* count pages, in the order of the refs */
    uint32_t count;
    uint64_t index;     /* gntdev's handle of the mapping */
};

/* Opens the device, close-on-exec; 0 or -errno (-ENOENT: not in a Xen dom0
 * or xen-gntdev not loaded). */
int mica_gnttab_open(struct mica_gnttab *g);
/* Closes the device; mappings still in place stay until unmapped (munmap
 * by mica_gnttab_unmap, which then skips the device). fd is -1 after. */
void mica_gnttab_close(struct mica_gnttab *g);

/* Maps the pages domid granted us as refs[0..count) read-write, one after
 * the other at m->addr. count is 1 to MICA_GNTTAB_MAX_REFS (else -EINVAL).
 * Fails as a whole: on error nothing stays mapped and *m is zeroed. */
int mica_gnttab_map(struct mica_gnttab *g, uint16_t domid, const uint32_t *refs,
                    uint32_t count, struct mica_grant_map *m);
/* Unmaps what mica_gnttab_map mapped and zeroes *m; an all-zero *m is left
 * alone (0). 0 or -errno from giving the grants back to the device. */
int mica_gnttab_unmap(struct mica_gnttab *g, struct mica_grant_map *m);

#endif
