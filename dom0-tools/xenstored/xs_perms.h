/* xs_perms: per-node permissions in Xen's model. The first entry names the
 * owner and the access everyone else gets by default; later entries grant a
 * named domain its own access. The owner and privileged callers may do
 * anything. */
#ifndef XS_PERMS_H
#define XS_PERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xs_access {
    XS_ACCESS_NONE = 0,
    XS_ACCESS_READ = 1,
    XS_ACCESS_WRITE = 2,
    XS_ACCESS_BOTH = 3,
};

struct xs_perm {
    uint32_t domid;
    uint32_t access;     /* enum xs_access */
};

/* Who is asking: a domain, whether it is privileged, and the domain it may
 * act for (a device model's target, XS_NO_TARGET for none). */
#define XS_NO_TARGET UINT32_MAX
struct xs_caller {
    uint32_t domid;
    bool privileged;
    uint32_t target;
};

/* Parse one entry such as "r5" or "b0" (letter n/r/w/b, then a domid).
 * Returns 0 or -EINVAL. */
int xs_perm_parse(const char *text, struct xs_perm *out);

/* Write an entry as text ("r5") into out, which has room for 16 bytes. */
void xs_perm_format(const struct xs_perm *perm, char *out);

/* Whether caller may have access want (READ or WRITE bits) to a node with
 * these n (>= 1) permission entries. */
bool xs_perms_allow(const struct xs_perm *perms, size_t n,
                    const struct xs_caller *caller, uint32_t want);

#endif
