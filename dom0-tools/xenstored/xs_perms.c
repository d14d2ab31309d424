/* xs_perms: parsing, printing and checking node permissions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "xs_perms.h"
#include "xs_proto.h"

int xs_perm_parse(const char *text, struct xs_perm *out)
{
    static const char letters[] = { 'n', 'r', 'w', 'b' };
    char *end;

    out->access = 4;
    for (uint32_t i = 0; i < 4; i++)
        if (text[0] == letters[i])
            out->access = i;
    if (out->access == 4 || text[1] < '0' || text[1] > '9')
        return -EINVAL;
    errno = 0;
    unsigned long id = strtoul(text + 1, &end, 10);
    if (errno || *end != '\0' || id > UINT16_MAX)
        return -EINVAL;
    out->domid = (uint32_t)id;
    return 0;
}

void xs_perm_format(const struct xs_perm *perm, char *out)
{
    static const char letters[] = { 'n', 'r', 'w', 'b' };
    snprintf(out, 16, "%c%u", letters[perm->access & 3], perm->domid);
}

bool xs_perms_allow(const struct xs_perm *perms, size_t n,
                    const struct xs_caller *caller, uint32_t want)
{
    if (caller->privileged)
        return true;
    uint32_t owner = perms[0].domid;
    if (caller->domid == owner ||
        (caller->target != XS_NO_TARGET && caller->target == owner))
        return true;
    uint32_t have = perms[0].access;
    for (size_t i = 1; i < n; i++) {
        if (perms[i].domid == caller->domid) {
            have = perms[i].access;
            break;
        }
    }
    return (have & want) == want;
}
