/*
 * console-selftest: mica-consoled end to end, from dom0. It builds the
 * console_ring test guest into a new domain with a console page (its
 * reserved grant entry and HVM params) and an event channel to dom0, and
 * writes the xenstore nodes a toolstack writes (docs/consoled.md). Then,
 * as a user would, it finds the pty the daemon names in console/tty, reads
 * the guest's greeting there, types a line the guest must echo, finds both
 * in the domain's log file, and checks the daemon lets go of the console
 * once the domain is destroyed and its nodes removed. One line per check,
 * then "console-selftest: PASS" or "FAIL". With --hostile, the guest
 * first writes nonsense into its ring indices: the daemon must resync and
 * serve it all the same.
 *
 * usage: console-selftest [--hostile] GUEST_ELF [LOG_DIR] [SOCKET]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "control_build.h"
#include "control_util.h"
#include "cons_xs.h"
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/hvm_params.h>
#include <xen/sched.h>

#define GREETING   "hello from the guest's console ring"
#define TYPED      "ping from the pty"
#define ECHOED     "console_ring: got '" TYPED "'"
#define WAIT_S     120         /* the guest's own limit; TCG is slow */

static struct cons_xs xs;
static char path[128];

static const char *node(uint16_t d, const char *leaf)
{
    snprintf(path, sizeof(path), "/local/domain/%u%s%s", d, *leaf ? "/" : "", leaf);
    return path;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Reads from fd into text (kept NUL-terminated) until it holds want or
 * WAIT_S pass; 1 if it came. */
static int read_until(int fd, char *text, size_t size, const char *want)
{
    size_t len = strlen(text);
    double end = now() + WAIT_S;

    while (!strstr(text, want) && now() < end && len + 1 < size) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 500) <= 0)
            continue;
        ssize_t n = read(fd, text + len, size - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        text[len] = '\0';
    }
    return strstr(text, want) != NULL;
}

/* The console page, its channel and the grant, as a toolstack sets them
 * up before the guest runs; the guest's end of the channel or 0. */
static uint32_t console_setup(uint16_t d)
{
    struct evtchn_alloc_unbound au = { .dom = d, .remote_dom = 0 };
    long rc = hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
                        (uint64_t)(uintptr_t)&au);
    check(rc == 0, "alloc_unbound for the console", "rc %ld, port %u", rc, au.port);
    struct mica_control c = { .u.hvm_param = { HVM_PARAM_CONSOLE_PFN, 0, BUILD_CONSOLE_GFN } };
    long pfn = control(MICA_CONTROL_set_hvm_param, d, &c);
    c = (struct mica_control){ .u.hvm_param = { HVM_PARAM_CONSOLE_EVTCHN, 0, au.port } };
    long port = control(MICA_CONTROL_set_hvm_param, d, &c);
    c = (struct mica_control){ .u.grant_entry = { GNTTAB_RESERVED_CONSOLE, 0, 0,
                                                  BUILD_CONSOLE_GFN } };
    long grant = control(MICA_CONTROL_set_grant_entry, d, &c);
    check(pfn == 0 && port == 0 && grant == 0, "console params and grant",
          "pfn %ld, evtchn %ld, grant %ld", pfn, port, grant);
    return rc == 0 && pfn == 0 && port == 0 && grant == 0 ? au.port : 0;
}

/* The nodes a toolstack writes, name first: the daemon attaches once
 * ring-ref and port are both there. */
static int store_setup(uint16_t d, uint32_t port, const char *name)
{
    char value[32];
    int err = cons_xs_write(&xs, node(d, "name"), name);
    snprintf(value, sizeof(value), "%u", port);
    if (!err)
        err = cons_xs_write(&xs, node(d, "console/port"), value);
    snprintf(value, sizeof(value), "%u", BUILD_CONSOLE_GFN);
    if (!err)
        err = cons_xs_write(&xs, node(d, "console/ring-ref"), value);
    check(err == 0, "xenstore nodes", "%s", err ? strerror(-err) : "name, console/port, ring-ref");
    return err;
}

/* The pty the daemon wrote to console/tty, opened; -1 if none came. */
static int open_tty(uint16_t d, char *tty, size_t size)
{
    double end = now() + 30;
    int len = -1;

    while (now() < end && (len = cons_xs_read(&xs, node(d, "console/tty"), tty, size)) <= 0)
        usleep(100000);
    int fd = len > 0 ? open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    check(fd >= 0, "console/tty", "%s%s%s", len > 0 ? tty : "not written in 30 s",
          len > 0 && fd < 0 ? ": " : "", len > 0 && fd < 0 ? strerror(errno) : "");
    return fd;
}

static int wait_shutdown(uint16_t d, struct mica_domain_info *info)
{
    double end = now() + WAIT_S;
    while (now() < end) {
        if (find_domain(d, info) == 0 && (info->flags & MICA_DOMINFO_SHUTDOWN))
            return 1;
        usleep(100000);
    }
    return 0;
}

static void check_log(const char *log_dir, const char *name)
{
    char file[256], text[8192] = "";
    snprintf(file, sizeof(file), "%s/guest-%s.log", log_dir, name);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
    if (n > 0)
        text[n] = '\0';
    if (fd >= 0)
        close(fd);
    check(strstr(text, GREETING) && strstr(text, ECHOED), "log file", "%s: %s", file,
          fd < 0 ? strerror(errno) : strstr(text, ECHOED) ? "greeting and echo" :
          "lines missing");
}

/* The daemon closes its side of the pty: our reads end. */
static void check_detached(int tty_fd)
{
    double end = now() + 30;
    int gone = 0;
    char buf[256];

    while (!gone && now() < end) {
        struct pollfd p = { .fd = tty_fd, .events = POLLIN };
        if (poll(&p, 1, 500) <= 0)
            continue;
        ssize_t n = read(tty_fd, buf, sizeof(buf));
        gone = n == 0 || (n < 0 && errno == EIO) || (p.revents & POLLHUP);
    }
    check(gone, "daemon lets go", "%s", gone ? "pty hung up" : "pty still open after 30 s");
}

static void run(const char *elf, const char *log_dir, bool hostile)
{
    uint16_t d;
    char name[32], tty[64], text[8192] = "";
    struct mica_domain_info info;

    if (build_paused_guest(elf, hostile ? "hostile" : NULL, &d))
        return;
    snprintf(name, sizeof(name), "console-%s-%u", hostile ? "hostile" : "test", d);
    uint32_t port = console_setup(d);
    int tty_fd = -1;
    if (port && store_setup(d, port, name) == 0 && (tty_fd = open_tty(d, tty, sizeof(tty))) >= 0) {
        printf("console-selftest: starting domain %u (%s) on %s\n", d, name, tty);
        fflush(stdout);
        control_simple(MICA_CONTROL_unpause, d);
        check(read_until(tty_fd, text, sizeof(text), GREETING), "guest output on the pty",
              "%s", strstr(text, GREETING) ? GREETING : text);
        ssize_t w = write(tty_fd, TYPED "\r", strlen(TYPED) + 1);
        check(w == (ssize_t)strlen(TYPED) + 1, "typed on the pty", "%zd bytes", w);
        check(read_until(tty_fd, text, sizeof(text), ECHOED), "guest got the input",
              "%s", strstr(text, ECHOED) ? ECHOED : text);
        int done = wait_shutdown(d, &info);
        check(done && info.shutdown_reason == SHUTDOWN_poweroff, "guest finished",
              "%s, reason %u", done ? "shut down" : "still running", info.shutdown_reason);
        check_log(log_dir, name);
    }
    check(control_simple(MICA_CONTROL_destroy_domain, d) == 0, "destroy", NULL);
    int err = cons_xs_rm(&xs, node(d, ""));
    check(err == 0, "xenstore rm", "%s", err ? strerror(-err) : node(d, ""));
    if (tty_fd >= 0) {
        check_detached(tty_fd);
        close(tty_fd);
    }
}

int main(int argc, char **argv)
{
    bool hostile = argc > 1 && strcmp(argv[1], "--hostile") == 0;
    argc -= hostile;
    argv += hostile;
    const char *log_dir = argc > 2 ? argv[2] : "/var/log/mica/console";
    const char *socket_path = argc > 3 ? argv[3] : "/var/run/xenstored/socket";

    check_prefix = "console-selftest";
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: console-selftest [--hostile] GUEST_ELF [LOG_DIR] [SOCKET]\n");
        return 2;
    }
    /* The hypervisor does not fault our hypercall buffers in. */
    if (mlockall(MCL_CURRENT | MCL_FUTURE))
        printf("console-selftest: mlockall: %s\n", strerror(errno));
    privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (privcmd_fd < 0 || cons_xs_open(&xs, socket_path)) {
        printf("console-selftest: cannot open /dev/xen/privcmd or the xenstore socket: %s\n",
               strerror(errno));
        printf("console-selftest: FAIL\n");
        return 1;
    }
    run(argv[1], log_dir, hostile);
    printf("console-selftest: %s\n", check_failures ? "FAIL" : "PASS");
    return check_failures != 0;
}
