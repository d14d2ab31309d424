/* mxl destroy, pause, unpause, shutdown, reboot and mem-set. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/sched.h>

#include "mxl.h"
#include "mxl_monitor.h"

#define SHUTDOWN_WAIT_S 120

/* Resolves argv[1] for a command taking exactly `args` arguments. */
static int one_domain(struct mxl *m, const char *cmd, int argc, char **argv, int args,
                      bool need_xs, uint16_t *domid)
{
    if (argc != args + 1)
        return mxl_usage(cmd);
    int rc = mxl_connect(m, need_xs);
    if (rc)
        return rc;
    if (mxl_find_domain(m, argv[1], domid))
        return MXL_EXIT_FAIL;
    if (*domid == 0)
        return mxl_error("%s: not for Domain-0", cmd);
    return 0;
}

int mxl_cmd_destroy(struct mxl *m, int argc, char **argv)
{
    uint16_t d;

    if (mxl_wants_help("destroy", argc, argv))
        return 0;
    int rc = one_domain(m, "destroy", argc, argv, 1, false, &d);
    return rc ? rc : mxl_destroy(m, d);
}

static int pause_or_unpause(struct mxl *m, const char *cmd, int argc, char **argv, bool pause)
{
    uint16_t d;

    if (mxl_wants_help(cmd, argc, argv))
        return 0;
    int rc = one_domain(m, cmd, argc, argv, 1, false, &d);
    if (rc)
        return rc;
    rc = pause ? mica_domain_pause(&m->ctl, d) : mica_domain_unpause(&m->ctl, d);
    if (rc == -EINVAL)
        return mxl_error("domain %u is %s", d, pause ? "not running" : "not paused");
    return rc ? mxl_error("%s domain %u: %s", cmd, d, strerror(-rc)) : 0;
}

int mxl_cmd_pause(struct mxl *m, int argc, char **argv)
{
    return pause_or_unpause(m, "pause", argc, argv, true);
}

int mxl_cmd_unpause(struct mxl *m, int argc, char **argv)
{
    return pause_or_unpause(m, "unpause", argc, argv, false);
}

/* What follows a requested shutdown, for -w: waits (SHUTDOWN_WAIT_S in
 * all) until it has happened. With a monitor (mxl_monitor.h) that is its
 * action for the reason the domain gives: gone for destroy, the domain
 * built again and running (its id may be the old one) for restart, shut
 * down for preserve. Without one
 * (a domain from an older mxl, or its monitor died) mxl destroys the domain
 * itself once it is down. `reason` is the one asked for: the guest may
 * give another (it crashes), which then counts. */
static int wait_for_action(struct mxl *m, uint16_t d, uint32_t reason)
{
    time_t until = time(NULL) + SHUTDOWN_WAIT_S;
    struct mxl_monitor_info mon, now;
    bool monitored = mxl_monitor_find(d, &mon), down = false;
    enum domain_action action = DOMAIN_ACTION_DESTROY;
    struct mica_domain_info info;
    uint16_t fresh;

    for (;;) {
        /* The new domain may have taken the old id before we saw it go. */
        if (monitored && mxl_monitor_restarted(&mon, &fresh))
            goto restarted;
        int rc = mica_domain_info(&m->ctl, d, &info);
        if (rc != 0 || (info.flags & MICA_DOMINFO_DYING))
            break;
        if ((info.flags & MICA_DOMINFO_SHUTDOWN) && info.shutdown_reason != SHUTDOWN_suspend) {
            if (!down)
                reason = info.shutdown_reason;
            down = true;
            if (!mxl_monitor_find(d, &now)) {
                rc = mxl_destroy(m, d);
                if (rc)
                    return rc;
                printf("mxl: domain %u shut down and destroyed (no monitor)\n", d);
                return 0;
            }
            if (!monitored)
                mon = now;
            monitored = true;
            mxl_action_for(now.on_poweroff, now.on_reboot, now.on_crash, reason, &action);
            if (action == DOMAIN_ACTION_PRESERVE) {
                printf("mxl: domain %u shut down; preserved (on_%s = \"preserve\"): "
                       "mxl destroy removes it\n", d,
                       reason == SHUTDOWN_poweroff ? "poweroff" :
                       reason == SHUTDOWN_reboot ? "reboot" : "crash");
                return 0;
            }
        }
        if (time(NULL) > until)
            return mxl_error("domain %u did not shut down within %d s", d, SHUTDOWN_WAIT_S);
        usleep(100000);
    }
    /* Gone: by the monitor's hand, or another's. */
    if (monitored)
        mxl_action_for(mon.on_poweroff, mon.on_reboot, mon.on_crash, reason, &action);
    if (action != DOMAIN_ACTION_RESTART) {
        printf("mxl: domain %u shut down and destroyed\n", d);
        return 0;
    }
    while (!mxl_monitor_restarted(&mon, &fresh)) {
        if (time(NULL) > until || kill(mon.pid, 0) != 0)
            return mxl_error("domain %u (%s) was destroyed but not restarted (see %s/mxl-%s.log)",
                             d, mon.name, MXL_MONITOR_LOG_DIR, mon.name);
        usleep(100000);
    }
restarted:
    printf("mxl: domain %u (%s) restarted as domain %u\n", d, mon.name, fresh);
    return 0;
}

/* Writes control/shutdown; with -w waits for what follows (above). */
static int request_shutdown(struct mxl *m, const char *cmd, int argc, char **argv,
                            const char *how, uint32_t reason)
{
    bool wait = false;
    uint16_t d;

    if (mxl_wants_help(cmd, argc, argv))
        return 0;
    if (argc > 1 && strcmp(argv[1], "-w") == 0) {
        wait = true;
        argc--;
        argv++;
    }
    int rc = one_domain(m, cmd, argc, argv, 1, true, &d);
    if (rc)
        return rc;
    char path[64];
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", d);
    rc = mica_xs_write(&m->xs, path, how);
    if (rc)
        return mxl_error("writing %s: %s", path, strerror(-rc));
    printf("mxl: asked domain %u to %s\n", d, how);
    fflush(stdout);
    return wait ? wait_for_action(m, d, reason) : 0;
}

int mxl_cmd_shutdown(struct mxl *m, int argc, char **argv)
{
    return request_shutdown(m, "shutdown", argc, argv, "poweroff", SHUTDOWN_poweroff);
}

int mxl_cmd_reboot(struct mxl *m, int argc, char **argv)
{
    return request_shutdown(m, "reboot", argc, argv, "reboot", SHUTDOWN_reboot);
}

int mxl_cmd_mem_set(struct mxl *m, int argc, char **argv)
{
    uint16_t d;
    char *end;

    if (mxl_wants_help("mem-set", argc, argv))
        return 0;
    int rc = one_domain(m, "mem-set", argc, argv, 2, true, &d);
    if (rc)
        return rc;
    unsigned long long mib = strtoull(argv[2], &end, 10);
    if (!*argv[2] || *end || mib == 0 || mib > (1ULL << 32))
        return mxl_error("mem-set: '%s' is not a size in MiB", argv[2]);
    char path[64], *max = NULL;
    snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", d);
    if (mica_xs_read(&m->xs, path, &max) == 0 && mib * 1024 > strtoull(max, NULL, 10)) {
        rc = mxl_error("mem-set: %llu MiB is above domain %u's maxmem (%s KiB)", mib, d, max);
        free(max);
        return rc;
    }
    free(max);
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", d);
    rc = mica_xs_writef(&m->xs, path, "%llu", mib * 1024);
    return rc ? mxl_error("writing %s: %s", path, strerror(-rc)) : 0;
}
