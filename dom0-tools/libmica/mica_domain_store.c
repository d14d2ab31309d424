/* A new domain's xenstore nodes and its introduction to xenstored
 * (mica_build.h). The guest owns its home and the directories it writes
 * (control, data, device...); name and domid are dom0's, readable by it. */
#include "mica_build.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define HOME_MAX 64

static int put(struct mica_xs *xs, const char *home, const char *key, const char *value,
               char *err, size_t errsz)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", home, key);
    int rc = mica_xs_write(xs, path, value);
    if (rc)
        snprintf(err, errsz, "xenstore: writing %s: %s", path, strerror(-rc));
    return rc;
}

/* Perms for a node: owned by owner, readable by reader (if != owner). */
static int perms(struct mica_xs *xs, const char *path, unsigned owner, unsigned reader,
                 char *err, size_t errsz)
{
    char o[16], r[16];
    const char *p[] = { o, r };

    snprintf(o, sizeof(o), "n%u", owner);
    snprintf(r, sizeof(r), "r%u", reader);
    int rc = mica_xs_set_perms(xs, path, p, owner == reader ? 1 : 2);
    if (rc)
        snprintf(err, errsz, "xenstore: permissions of %s: %s", path, strerror(-rc));
    return rc;
}

int mica_store_domain(struct mica_xs *xs, const struct domain_config *cfg,
                      const struct mica_build_result *r, char *err, size_t errsz)
{
    static const char *const guest_dirs[] = { "control", "data", "device", "memory",
                                              "console", "error", "drivers", "attr" };
    char home[HOME_MAX], path[128], v[32];
    unsigned d = r->domid;
    int rc;

    snprintf(home, sizeof(home), "/local/domain/%u", d);
    mica_xs_rm(xs, home);       /* whatever an earlier domain with this id left */
    rc = mica_xs_mkdir(xs, home);
    if (rc) {
        snprintf(err, errsz, "xenstore: creating %s: %s", home, strerror(-rc));
        return rc;
    }
    rc = perms(xs, home, d, d, err, errsz);
    for (size_t i = 0; !rc && i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", home, guest_dirs[i]);
        rc = mica_xs_mkdir(xs, path);
        if (rc)
            snprintf(err, errsz, "xenstore: creating %s: %s", path, strerror(-rc));
        else
            rc = perms(xs, path, d, d, err, errsz);
    }
    if (!rc)
        rc = put(xs, home, "name", cfg->name, err, errsz);
    if (!rc) {
        snprintf(path, sizeof(path), "%s/name", home);
        rc = perms(xs, path, 0, d, err, errsz);
    }
    snprintf(v, sizeof(v), "%u", d);
    if (!rc)
        rc = put(xs, home, "domid", v, err, errsz);
    if (!rc) {
        snprintf(path, sizeof(path), "%s/domid", home);
        rc = perms(xs, path, 0, d, err, errsz);
    }
    snprintf(v, sizeof(v), "%llu", (unsigned long long)cfg->maxmem_mib * 1024);
    if (!rc)
        rc = put(xs, home, "memory/static-max", v, err, errsz);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)cfg->memory_mib * 1024);
    if (!rc)
        rc = put(xs, home, "memory/target", v, err, errsz);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)r->console_gfn);
    if (!rc)
        rc = put(xs, home, "console/ring-ref", v, err, errsz);
    snprintf(v, sizeof(v), "%u", r->console_port);
    if (!rc)
        rc = put(xs, home, "console/port", v, err, errsz);
    if (!rc)
        rc = put(xs, home, "console/type", "xenconsoled", err, errsz);
    snprintf(v, sizeof(v), "%llu", (unsigned long long)r->store_gfn);
    if (!rc)
        rc = put(xs, home, "store/ring-ref", v, err, errsz);
    snprintf(v, sizeof(v), "%u", r->store_port);
    if (!rc)
        rc = put(xs, home, "store/port", v, err, errsz);
    if (!rc) {
        rc = mica_xs_introduce(xs, (uint16_t)d, r->store_gfn, r->store_port);
        if (rc)
            snprintf(err, errsz, "xenstore: INTRODUCE of domain %u: %s", d, strerror(-rc));
    }
    if (rc)
        mica_xs_rm(xs, home);
    return rc;
}

void mica_store_forget(struct mica_xs *xs, uint16_t domid)
{
    char home[HOME_MAX];

    mica_xs_release(xs, domid);
    snprintf(home, sizeof(home), "/local/domain/%u", domid);
    mica_xs_rm(xs, home);
}
