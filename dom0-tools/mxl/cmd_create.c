/* mxl create: a domain from a config file (docs/config.md), built by
 * libmica's PVH builder. Nothing is created when anything is wrong. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain_config.h"
#include "mica_build.h"
#include "mxl.h"
#include "mxl_console.h"
#include "mxl_monitor.h"

static bool name_taken(struct mxl *m, const char *name)
{
    uint16_t domid;

    if (!m->have_xs)
        return false;
    /* mxl_find_domain prints when it finds nothing: look quietly. */
    char *names = NULL;
    size_t n = 0;
    bool taken = false;
    if (mica_xs_directory(&m->xs, "/local/domain", &names, &n) == 0) {
        const char *child = names;
        for (size_t i = 0; i < n && !taken; i++, child += strlen(child) + 1) {
            char path[64], *value = NULL;
            struct mica_domain_info info;
            snprintf(path, sizeof(path), "/local/domain/%s/name", child);
            domid = (uint16_t)atoi(child);
            taken = mica_xs_read(&m->xs, path, &value) == 0 && strcmp(value, name) == 0 &&
                    mica_domain_info(&m->ctl, domid, &info) == 0;
            free(value);
        }
        free(names);
    }
    return taken || strcmp(name, "Domain-0") == 0;
}

int mxl_cmd_create(struct mxl *m, int argc, char **argv)
{
    bool console = false, paused = false;
    int i = 1;

    if (mxl_wants_help("create", argc, argv))
        return 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-c") == 0)
            console = true;
        else if (strcmp(argv[i], "-p") == 0)
            paused = true;
        else
            return mxl_usage("create");
    }
    if (i >= argc)
        return mxl_usage("create");
    const char *path = argv[i++];

    struct domain_config cfg;
    struct config_error err;
    if (domain_config_load(path, argv + i, (size_t)(argc - i), &cfg, &err))
        return mxl_error("%s", err.message);
    int status = 0;
    struct mica_ctl_physinfo phys;
    int rc = domain_config_check_files(&cfg, &err);
    if (rc)
        status = mxl_error("%s", err.message);
    if (!status && (rc = mxl_connect(m, true)) != 0)
        status = rc;
    if (!status && (rc = mica_physinfo(&m->ctl, &phys)) != 0)
        status = mxl_error("physinfo: %s", strerror(-rc));
    if (!status && domain_config_check_memory(&cfg, phys.free_pages / 256, &err))
        status = mxl_error("%s", err.message);
    if (!status && name_taken(m, cfg.name))
        status = mxl_error("a domain named '%s' already exists", cfg.name);
    struct mica_build_result r;
    char why[MICA_BUILD_ERR_MAX];
    if (!status && mica_build_domain(&m->ctl, &m->xs, &cfg, paused, &r, why, sizeof(why)))
        status = mxl_error("creating '%s' failed: %s", cfg.name, why);
    if (!status)
        printf("mxl: created domain %u (%s)%s\n", r.domid, cfg.name, paused ? ", paused" : "");
    fflush(stdout);
    /* The monitor applies on_poweroff, on_reboot and on_crash from here on
     * (paused domains too: they may be unpaused and then stop). It is
     * forked before the console is attached, and detached from it. */
    if (!status)
        mxl_monitor_start(&cfg, r.domid);
    domain_config_free(&cfg);
    if (!status && console)
        status = mxl_console_attach(m, r.domid);
    return status;
}
