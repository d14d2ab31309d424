/* What mxl's commands share (mxl.h). */
#include "mxl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/sched.h>

#include "mica_build.h"
#include "mica_vbd.h"

int mxl_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "mxl: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    return MXL_EXIT_FAIL;
}

static const struct mxl_command *command_named(const char *name)
{
    for (const struct mxl_command *c = mxl_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int mxl_usage(const char *command)
{
    const struct mxl_command *c = command_named(command);

    fprintf(stderr, "usage: mxl %s %s\n(mxl %s --help for more)\n", command,
            c ? c->usage : "", command);
    return MXL_EXIT_USAGE;
}

bool mxl_wants_help(const char *command, int argc, char **argv)
{
    const struct mxl_command *c = command_named(command);

    if (argc < 2 || (strcmp(argv[1], "--help") && strcmp(argv[1], "-h")))
        return false;
    printf("usage: mxl %s %s\n\n%s", command, c->usage, c->help);
    return true;
}

int mxl_connect(struct mxl *m, bool need_xs)
{
    int rc = mica_ctl_open(&m->ctl);

    if (rc)
        return mxl_error("cannot open /dev/xen/privcmd: %s (mxl runs in Mica's dom0, "
                         "with xen-privcmd loaded, as root)", strerror(-rc));
    rc = mica_xs_open(&m->xs, NULL);
    m->have_xs = rc == 0;
    if (rc && need_xs)
        return mxl_error("cannot connect to xenstored at %s: %s", MICA_XS_SOCKET,
                         strerror(-rc));
    return 0;
}

int mxl_find_domain(struct mxl *m, const char *arg, uint16_t *domid)
{
    struct mica_domain_info info;
    char *end;
    unsigned long id = strtoul(arg, &end, 10);

    if (*arg && *end == '\0' && id <= UINT16_MAX) {
        if (mica_domain_info(&m->ctl, (uint16_t)id, &info) == 0) {
            *domid = (uint16_t)id;
            return 0;
        }
        mxl_error("no domain with id %lu", id);
        return -1;
    }
    if (strcmp(arg, "Domain-0") == 0) {
        *domid = 0;
        return 0;
    }
    char *names = NULL;
    size_t n = 0;
    if (m->have_xs && mica_xs_directory(&m->xs, "/local/domain", &names, &n) == 0) {
        const char *child = names;
        for (size_t i = 0; i < n; i++, child += strlen(child) + 1) {
            char path[64], *name = NULL;
            snprintf(path, sizeof(path), "/local/domain/%s/name", child);
            int match = mica_xs_read(&m->xs, path, &name) == 0 && strcmp(name, arg) == 0;
            free(name);
            id = strtoul(child, &end, 10);
            if (match && mica_domain_info(&m->ctl, (uint16_t)id, &info) == 0) {
                *domid = (uint16_t)id;
                free(names);
                return 0;
            }
        }
        free(names);
    }
    mxl_error("no domain named '%s'%s", arg, m->have_xs ? "" : " (xenstored is not running)");
    return -1;
}

void mxl_domain_name(struct mxl *m, uint16_t domid, char *buf, size_t size)
{
    char path[64], *name = NULL;

    snprintf(buf, size, "%s", domid == 0 ? "Domain-0" : "-");
    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    if (m->have_xs && mica_xs_read(&m->xs, path, &name) == 0)
        snprintf(buf, size, "%s", name);
    free(name);
}

int mxl_destroy(struct mxl *m, uint16_t domid)
{
    /* The disk backends and xenstored let go of the domain's pages (grant
     * mappings) while the domain still exists; then the domain goes, then
     * its nodes. Paused first, so that it starts no more disk requests. */
    mica_domain_pause(&m->ctl, domid);
    if (m->have_xs) {
        mica_vbd_remove_all(&m->xs, domid);
        mica_xs_release(&m->xs, domid);
    }
    int rc = mica_domain_destroy(&m->ctl, domid);
    if (rc)
        return mxl_error("destroying domain %u: %s", domid, strerror(-rc));
    if (m->have_xs)
        mica_store_forget(&m->xs, domid);
    return 0;
}

void mxl_state(uint32_t flags, uint32_t reason, char out[7])
{
    bool down = flags & MICA_DOMINFO_SHUTDOWN;

    out[0] = (flags & MICA_DOMINFO_RUNNING) && !(flags & MICA_DOMINFO_BLOCKED) && !down ?
             'r' : '-';
    out[1] = (flags & MICA_DOMINFO_BLOCKED) && !down ? 'b' : '-';
    out[2] = (flags & MICA_DOMINFO_PAUSED) ? 'p' : '-';
    out[3] = down && reason != SHUTDOWN_crash ? 's' : '-';
    out[4] = down && reason == SHUTDOWN_crash ? 'c' : '-';
    out[5] = (flags & MICA_DOMINFO_DYING) ? 'd' : '-';
    out[6] = '\0';
}
