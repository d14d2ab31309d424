/* The per-domain monitor (mxl_monitor.h, docs/mxl.md). */
#include "mxl_monitor.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/sched.h>

#include "mica_build.h"

#define READY_WAIT_MS 10000
/* More restarts than this within RESTART_WINDOW_S: the guest is looping
 * (a kernel that crashes at boot with on_crash = "restart"); give up. */
#define RESTART_BURST 5
#define RESTART_WINDOW_S 60
#define BUILD_ATTEMPTS 10

bool mxl_action_for(enum domain_action on_poweroff, enum domain_action on_reboot,
                    enum domain_action on_crash, uint32_t reason, enum domain_action *out)
{
    switch (reason) {
    case SHUTDOWN_suspend:
        return false;
    case SHUTDOWN_poweroff:
        *out = on_poweroff;
        return true;
    case SHUTDOWN_reboot:
        *out = on_reboot;
        return true;
    default:
        *out = on_crash;
        return true;
    }
}

static const char *reason_name(uint32_t reason)
{
    static const char *const names[] = {
        [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
        [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
        [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
    };
    return reason <= SHUTDOWN_MAX ? names[reason] : "unknown";
}

static void state_path(char *buf, size_t size, uint16_t domid)
{
    snprintf(buf, size, "%s/%u", MXL_MONITOR_DIR, domid);
}

static bool parse_action(const char *text, enum domain_action *out)
{
    for (int a = DOMAIN_ACTION_DESTROY; a <= DOMAIN_ACTION_PRESERVE; a++)
        if (strcmp(text, domain_action_name((enum domain_action)a)) == 0) {
            *out = (enum domain_action)a;
            return true;
        }
    return false;
}

bool mxl_monitor_find(uint16_t domid, struct mxl_monitor_info *out)
{
    char path[64];
    struct mxl_monitor_info info = { 0 };

    state_path(path, sizeof(path), domid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    /* A monitor holds LOCK_EX for as long as it watches the domain. */
    if (flock(fd, LOCK_SH | LOCK_NB) == 0 || errno != EWOULDBLOCK) {
        close(fd);
        return false;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        return false;
    }
    char key[16], value[DOMAIN_NAME_MAX + 1];
    int found = 0;
    while (fscanf(f, "%15s %64s", key, value) == 2) {
        if (strcmp(key, "pid") == 0)
            info.pid = (pid_t)atoi(value), found |= 1;
        else if (strcmp(key, "name") == 0)
            snprintf(info.name, sizeof(info.name), "%s", value), found |= 2;
        else if (strcmp(key, "on_poweroff") == 0 && parse_action(value, &info.on_poweroff))
            found |= 4;
        else if (strcmp(key, "on_reboot") == 0 && parse_action(value, &info.on_reboot))
            found |= 8;
        else if (strcmp(key, "on_crash") == 0 && parse_action(value, &info.on_crash))
            found |= 16;
        else if (strcmp(key, "restarts") == 0)
            info.restarts = (unsigned)strtoul(value, NULL, 10), found |= 32;
    }
    fclose(f);
    if (found != 63)
        return false;
    if (out)
        *out = info;
    return true;
}

bool mxl_monitor_restarted(const struct mxl_monitor_info *before, uint16_t *domid)
{
    DIR *dir = opendir(MXL_MONITOR_DIR);
    struct dirent *e;
    bool found = false;

    if (!dir)
        return false;
    while (!found && (e = readdir(dir)) != NULL) {
        char *end;
        unsigned long id = strtoul(e->d_name, &end, 10);
        struct mxl_monitor_info now;
        if (e->d_name[0] < '0' || e->d_name[0] > '9' || *end || id > UINT16_MAX)
            continue;
        if (mxl_monitor_find((uint16_t)id, &now) && now.pid == before->pid &&
            now.restarts > before->restarts) {
            *domid = (uint16_t)id;
            found = true;
        }
    }
    closedir(dir);
    return found;
}

/* ---- the monitor process ---- */

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    va_list ap;

    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", gmtime_r(&now, &tm));
    fprintf(stderr, "%s mxl-monitor[%d]: ", stamp, (int)getpid());
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

static int make_dir(const char *path)
{
    char buf[128];

    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    return mkdir(buf, 0755) == 0 || errno == EEXIST ? 0 : -errno;
}

/* Writes and locks the state file of domid; the locked fd, or -1. The
 * file is complete and locked before it appears under its name. */
static int claim(const struct domain_config *cfg, uint16_t domid, unsigned restarts)
{
    char path[64], tmp[80];

    if (make_dir(MXL_MONITOR_DIR)) {
        logf_("cannot make %s: %s", MXL_MONITOR_DIR, strerror(errno));
        return -1;
    }
    state_path(path, sizeof(path), domid);
    snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        logf_("cannot write %s: %s", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    dprintf(fd, "pid %d\nname %s\non_poweroff %s\non_reboot %s\non_crash %s\nrestarts %u\n",
            (int)getpid(), cfg->name, domain_action_name(cfg->on_poweroff),
            domain_action_name(cfg->on_reboot), domain_action_name(cfg->on_crash), restarts);
    if (rename(tmp, path) != 0) {
        logf_("cannot rename %s: %s", tmp, strerror(errno));
        unlink(tmp);
        close(fd);
        return -1;
    }
    return fd;
}

/* Whether MXL_MONITOR_DIR/ID is still the file locked by fd: a monitor
 * for a new domain that took the id over renames its own there. */
static bool still_ours(int fd, uint16_t domid)
{
    char path[64];
    struct stat a, b;

    state_path(path, sizeof(path), domid);
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

static void unclaim(int fd, uint16_t domid)
{
    char path[64];

    if (fd < 0)
        return;
    state_path(path, sizeof(path), domid);
    if (still_ours(fd, domid))
        unlink(path);
    close(fd);
}

/* stdin on /dev/null, stdout and stderr to the log; every other fd but
 * `keep` closed, so nothing of the creating terminal or pipe stays open. */
static void detach_stdio(const char *name, int keep)
{
    struct rlimit rl;
    int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
              rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;

    for (int fd = 0; fd < max; fd++)
        if (fd != keep)
            close(fd);
    int null = open("/dev/null", O_RDWR);       /* fd 0 */
    char path[128];
    make_dir(MXL_MONITOR_LOG_DIR);
    snprintf(path, sizeof(path), "%s/mxl-%s.log", MXL_MONITOR_LOG_DIR, name);
    int log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY, 0640);
    if (null != 0)
        return;
    if (log < 0)
        log = dup(0);
    if (log != 1)
        dup2(log, 1), close(log);
    dup2(1, 2);
}

/* The xenstore connection is opened for each action and closed after:
 * the monitor holds nothing of xenstored while it only polls. */
static bool xs_connect(struct mxl *m)
{
    int rc = mica_xs_open(&m->xs, NULL);

    m->have_xs = rc == 0;
    if (rc)
        logf_("cannot connect to xenstored: %s (going on without it)", strerror(-rc));
    return m->have_xs;
}

static void xs_disconnect(struct mxl *m)
{
    mica_xs_close(&m->xs);
    m->have_xs = false;
}

/* Builds cfg again; the new domid or -1. The old domain's memory comes
 * back once nothing maps it any more (consoled, xenstored let go when they
 * see it gone): retry for a while if the build finds too little. */
static int rebuild(struct mxl *m, const struct domain_config *cfg)
{
    struct mica_build_result r;
    char why[MICA_BUILD_ERR_MAX];

    for (int attempt = 1; attempt <= BUILD_ATTEMPTS; attempt++) {
        if (mica_build_domain(&m->ctl, m->have_xs ? &m->xs : NULL, cfg, 0, &r, why,
                              sizeof(why)) == 0)
            return r.domid;
        logf_("restarting '%s' failed (attempt %d of %d): %s", cfg->name, attempt,
              BUILD_ATTEMPTS, why);
        sleep(1);
    }
    return -1;
}

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

static void monitor_main(const struct domain_config *cfg, uint16_t domid, int ready_fd)
{
    struct mxl m = { .ctl = { -1 }, .xs = { -1, 0 } };
    time_t restarts[RESTART_BURST] = { 0 };
    unsigned restart_count = 0;

    detach_stdio(cfg->name, ready_fd);
    prctl(PR_SET_NAME, "mxl-monitor", 0, 0, 0);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    /* `kill` of a monitor: it lets go of its file and leaves the domain be. */
    struct sigaction sa = { .sa_handler = on_stop_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    umask(022);
    if (chdir("/") != 0)
        logf_("chdir /: %s", strerror(errno));

    int rc = mica_ctl_open(&m.ctl);
    int lock = rc ? -1 : claim(cfg, domid, 0);
    if (rc)
        logf_("cannot open /dev/xen/privcmd: %s", strerror(-rc));
    /* Tell mxl create we are (or are not) in charge, then let go of it. */
    if (write(ready_fd, lock >= 0 ? "1" : "0", 1) != 1)
        logf_("mxl create did not wait for the monitor");
    close(ready_fd);
    if (lock < 0)
        _exit(1);
    logf_("watching domain %u (%s): on_poweroff %s, on_reboot %s, on_crash %s; "
          "polling every %d ms", domid, cfg->name, domain_action_name(cfg->on_poweroff),
          domain_action_name(cfg->on_reboot), domain_action_name(cfg->on_crash),
          MXL_MONITOR_POLL_MS);

    bool preserved = false;
    uint64_t cpu_time_ns = 0;
    for (;;) {
        struct mica_domain_info info;
        if (stop_signal) {
            logf_("stopped by signal %d; domain %u is not monitored any more", (int)stop_signal,
                  domid);
            break;
        }
        rc = mica_domain_info(&m.ctl, domid, &info);
        if (rc == -ESRCH || (rc == 0 && (info.flags & MICA_DOMINFO_DYING))) {
            logf_("domain %u is gone (destroyed); exiting", domid);
            break;
        }
        if (rc) {
            logf_("domain info of %u: %s; exiting", domid, strerror(-rc));
            break;
        }
        /* Ids are reused: between two polls our domain may have been
         * destroyed and another built with its id. Its CPU time starts
         * again from 0, and if mxl created it its monitor took the file. */
        if (info.cpu_time_ns < cpu_time_ns || !still_ours(lock, domid)) {
            logf_("domain %u is gone (destroyed; the id is another domain's now); exiting",
                  domid);
            break;
        }
        cpu_time_ns = info.cpu_time_ns;
        enum domain_action action;
        if (!preserved && (info.flags & MICA_DOMINFO_SHUTDOWN) &&
            mxl_action_for(cfg->on_poweroff, cfg->on_reboot, cfg->on_crash,
                           info.shutdown_reason, &action)) {
            logf_("domain %u shut down (%s): %s", domid, reason_name(info.shutdown_reason),
                  domain_action_name(action));
            if (action == DOMAIN_ACTION_PRESERVE) {
                /* Stays listed as shut down until mxl destroy. */
                preserved = true;
            } else {
                xs_connect(&m);
                /* If that fails (someone destroyed it first), no restart:
                 * never two domains of one name. */
                bool destroyed = mxl_destroy(&m, domid) == 0;
                logf_(destroyed ? "destroyed domain %u" : "destroying domain %u failed", domid);
                if (action == DOMAIN_ACTION_DESTROY || !destroyed) {
                    xs_disconnect(&m);
                    break;
                }
                time_t now = time(NULL);
                if (restart_count >= RESTART_BURST &&
                    now - restarts[restart_count % RESTART_BURST] < RESTART_WINDOW_S) {
                    logf_("'%s' restarted %d times within %d s; not restarting it again",
                          cfg->name, RESTART_BURST, RESTART_WINDOW_S);
                    xs_disconnect(&m);
                    break;
                }
                restarts[restart_count++ % RESTART_BURST] = now;
                int fresh = rebuild(&m, cfg);
                xs_disconnect(&m);
                if (fresh < 0) {
                    logf_("giving up restarting '%s'", cfg->name);
                    break;
                }
                /* The old file goes first: the new id may be the old one. */
                unclaim(lock, domid);
                logf_("restarted '%s' as domain %d", cfg->name, fresh);
                domid = (uint16_t)fresh;
                lock = claim(cfg, domid, restart_count);
                cpu_time_ns = 0;
                if (lock < 0) {
                    logf_("cannot claim domain %u; it is not monitored any more", domid);
                    break;
                }
                continue;
            }
        }
        usleep(MXL_MONITOR_POLL_MS * 1000);
    }
    unclaim(lock, domid);
    mica_ctl_close(&m.ctl);
    _exit(0);
}

int mxl_monitor_start(const struct domain_config *cfg, uint16_t domid)
{
    int ready[2];

    if (pipe(ready) != 0) {
        fprintf(stderr, "mxl: warning: no monitor for domain %u: pipe: %s\n", domid,
                strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        setsid();
        pid_t monitor = fork();
        if (monitor == 0)
            monitor_main(cfg, domid, ready[1]);
        _exit(monitor < 0 ? 1 : 0);
    }
    close(ready[1]);
    if (child > 0)
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
            ;
    char answer = '0';
    struct pollfd p = { .fd = ready[0], .events = POLLIN };
    if (child > 0 && poll(&p, 1, READY_WAIT_MS) == 1 && read(ready[0], &answer, 1) != 1)
        answer = '0';
    close(ready[0]);
    if (answer != '1') {
        fprintf(stderr, "mxl: warning: no monitor for domain %u (see %s/mxl-%s.log): "
                "on_poweroff, on_reboot and on_crash will not be acted on\n", domid,
                MXL_MONITOR_LOG_DIR, cfg->name);
        return -1;
    }
    return 0;
}
