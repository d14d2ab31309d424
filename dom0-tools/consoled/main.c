/* mica-consoled: the console daemon of Mica's dom0. It finds guests'
 * consoles in xenstore (docs/consoled.md), copies each guest's output to a
 * pty and a log file per domain, and what is typed on the pty back to the
 * guest. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cons_domain.h"
#include "cons_xen.h"
#include "cons_xs.h"

#define DEFAULT_SOCKET  "/var/run/xenstored/socket"
#define DEFAULT_LOG_DIR "/var/log/mica/console"
#define DOMAINS_PATH    "/local/domain"
#define MAX_DOMAINS     256
#define LIVENESS_MS     1000      /* how often attached domains are checked */

struct daemon {
    struct cons_xen xen;
    struct cons_xs xs;
    const char *log_dir;
    struct cons_domain *domains;
};

static volatile sig_atomic_t stop, reopen;

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

static void on_hup(int sig)
{
    (void)sig;
    reopen = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: mica-consoled [options]\n"
        "  -l, --log-dir DIR   where guest-NAME.log files go (default " DEFAULT_LOG_DIR ")\n"
        "  -s, --socket PATH   the xenstore daemon's socket (default " DEFAULT_SOCKET ")\n"
        "  -f, --foreground    stay in the foreground (otherwise it detaches once ready)\n"
        "  -h, --help          this text\n"
        "Messages go to stderr. SIGHUP reopens the log files; SIGTERM stops it.\n");
}

/* mkdir -p: 0 or a negative errno (printed). */
static int make_dirs(const char *dir)
{
    char path[PATH_MAX];

    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char was = *p;
        *p = '\0';
        if (mkdir(path, 0755) && errno != EEXIST) {
            int err = errno;
            fprintf(stderr, "mica-consoled: cannot create %s: %s\n", path, strerror(err));
            return -err;
        }
        *p = was;
        if (!was)
            return 0;
    }
}

static int parse_number(const char *text, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || v > max || text[0] == '-' || text[0] == '+')
        return -1;
    *out = v;
    return 0;
}

/* Reads DOMAINS_PATH/<domid>/<leaf> as a number; 0 if there is one. */
static int read_number(struct daemon *dm, uint32_t domid, const char *leaf, uint64_t max,
                       uint64_t *out)
{
    char path[96], value[32];
    snprintf(path, sizeof(path), DOMAINS_PATH "/%u/%s", domid, leaf);
    if (cons_xs_read(&dm->xs, path, value, sizeof(value)) < 0)
        return -1;
    return parse_number(value, max, out);
}

static struct cons_domain *find(struct daemon *dm, uint32_t domid)
{
    for (struct cons_domain *d = dm->domains; d; d = d->next)
        if (d->domid == domid)
            return d;
    return NULL;
}

static void forget(struct daemon *dm, struct cons_domain *gone)
{
    for (struct cons_domain **p = &dm->domains; *p; p = &(*p)->next)
        if (*p == gone) {
            *p = gone->next;
            cons_domain_detach(gone, &dm->xen);
            free(gone);
            return;
        }
}

/* A domain the store lists: attach its console once its nodes are there,
 * again if the toolstack changed them after a failure. */
static void consider(struct daemon *dm, uint32_t domid)
{
    uint64_t ring_ref, port;
    struct cons_domain *d = find(dm, domid);

    if (d && d->attached) {
        d->seen = true;
        return;
    }
    if (read_number(dm, domid, "console/ring-ref", UINT64_MAX, &ring_ref) ||
        read_number(dm, domid, "console/port", UINT32_MAX, &port) ||
        !cons_xen_domain_alive(&dm->xen, domid))
        return;
    if (d) {
        d->seen = true;
        if (d->ring_ref == ring_ref && d->remote_port == port)
            return;               /* failed with these; said so then */
    } else {
        d = calloc(1, sizeof(*d));
        if (!d)
            return;
        d->domid = domid;
        d->seen = true;
        d->next = dm->domains;
        dm->domains = d;
    }
    d->ring_ref = ring_ref;
    d->remote_port = (uint32_t)port;
    char path[96];
    snprintf(path, sizeof(path), DOMAINS_PATH "/%u/name", domid);
    if (cons_xs_read(&dm->xs, path, d->name, sizeof(d->name)) <= 0)
        snprintf(d->name, sizeof(d->name), "%u", domid);
    cons_domain_attach(d, &dm->xen, dm->log_dir);
    if (d->attached) {
        snprintf(path, sizeof(path), DOMAINS_PATH "/%u/console/tty", domid);
        int err = cons_xs_write(&dm->xs, path, d->tty);
        if (err)
            fprintf(stderr, "mica-consoled: domain %u: writing %s: %s\n", domid, path,
                    strerror(-err));
    }
}

/* Brings the attached set in line with the store and the hypervisor. */
static void scan(struct daemon *dm)
{
    static char list[CONS_XS_MAX_PAYLOAD + 1];
    /* Consoles of domains that are gone go first, so that a new domain
     * that took the id is attached below. */
    for (struct cons_domain *d = dm->domains, *next; d; d = next) {
        next = d->next;
        if (d->attached && !cons_domain_alive(d, &dm->xen))
            forget(dm, d);
    }
    int len = cons_xs_directory(&dm->xs, DOMAINS_PATH, list, sizeof(list));
    for (struct cons_domain *d = dm->domains; d; d = d->next)
        d->seen = false;
    for (int at = 0; len > 0 && at < len; at += (int)strlen(list + at) + 1) {
        uint64_t domid;
        /* dom0's own console is the hypervisor's, not a ring. */
        if (parse_number(list + at, MAX_DOMAINS * 128, &domid) == 0 && domid != 0)
            consider(dm, (uint32_t)domid);
    }
    if (len < 0 && len != -ENOENT)
        return;                   /* the store failed us: keep what we have */
    for (struct cons_domain *d = dm->domains, *next; d; d = next) {
        next = d->next;
        if (!d->seen)
            forget(dm, d);
    }
}

/* Scans until no watch event came in meanwhile: the scan's own requests
 * may read events off the socket, and poll() would not report those.
 * Returns 0, or a negative errno when the store connection failed. */
static int scan_until_settled(struct daemon *dm)
{
    int events;

    do {
        scan(dm);
        events = cons_xs_take_events(&dm->xs);
    } while (events > 0);
    return events;
}

/* Between store events: when a console's domain went away, the scan lets
 * it go and attaches a new domain that may have taken the id. */
static int check_alive(struct daemon *dm)
{
    for (struct cons_domain *d = dm->domains; d; d = d->next)
        if (d->attached && !cons_domain_alive(d, &dm->xen))
            return scan_until_settled(dm);
    return 0;
}

static void on_events(struct daemon *dm)
{
    int port;
    while ((port = cons_xen_pending(&dm->xen)) >= 0)
        for (struct cons_domain *d = dm->domains; d; d = d->next)
            if (d->attached && d->local_port == (uint32_t)port)
                cons_domain_output(d, &dm->xen);
}

static int serve(struct daemon *dm)
{
    static struct pollfd fds[2 + MAX_DOMAINS];
    static struct cons_domain *owner[2 + MAX_DOMAINS];

    while (!stop) {
        if (reopen) {
            reopen = 0;
            for (struct cons_domain *d = dm->domains; d; d = d->next)
                cons_domain_reopen_log(d, dm->log_dir);
        }
        nfds_t n = 0;
        fds[n++] = (struct pollfd){ .fd = dm->xs.fd, .events = POLLIN };
        fds[n++] = (struct pollfd){ .fd = dm->xen.evtchn_fd, .events = POLLIN };
        for (struct cons_domain *d = dm->domains; d && n < 2 + MAX_DOMAINS; d = d->next)
            if (cons_domain_wants_input(d)) {
                owner[n] = d;
                fds[n++] = (struct pollfd){ .fd = d->pty_fd, .events = POLLIN };
            }
        int ready = poll(fds, n, LIVENESS_MS);
        if (ready < 0 && errno != EINTR) {
            perror("mica-consoled: poll");
            return 1;
        }
        if (ready > 0) {
            if (fds[1].revents & POLLIN)
                on_events(dm);
            for (nfds_t i = 2; i < n; i++)
                if (fds[i].revents & POLLIN)
                    cons_domain_input(owner[i], &dm->xen);
        }
        /* The store last: a scan may forget a domain that owner[] names. */
        int events = 0;
        if (ready <= 0)
            events = check_alive(dm);
        else if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
            events = cons_xs_take_events(&dm->xs);
        if (events > 0)
            events = scan_until_settled(dm);
        if (events < 0) {
            fprintf(stderr, "mica-consoled: lost the xenstore connection: %s\n",
                    strerror(-events));
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "log-dir", required_argument, NULL, 'l' },
        { "socket", required_argument, NULL, 's' },
        { "foreground", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { 0 },
    };
    struct daemon dm = { .log_dir = DEFAULT_LOG_DIR };
    const char *socket_path = DEFAULT_SOCKET;
    bool foreground = false;
    int opt;

    while ((opt = getopt_long(argc, argv, "l:s:fh", options, NULL)) != -1) {
        switch (opt) {
        case 'l': dm.log_dir = optarg; break;
        case 's': socket_path = optarg; break;
        case 'f': foreground = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (make_dirs(dm.log_dir) || cons_xen_open(&dm.xen) || cons_xs_open(&dm.xs, socket_path))
        return 1;
    /* The hypervisor reads our buffers through our page tables and does
     * not fault pages in. */
    if (mlockall(MCL_CURRENT | MCL_FUTURE))
        fprintf(stderr, "mica-consoled: mlockall: %s (going on)\n", strerror(errno));
    const char *watches[] = { "@introduceDomain", "@releaseDomain", DOMAINS_PATH };
    for (size_t i = 0; i < sizeof(watches) / sizeof(watches[0]); i++) {
        int err = cons_xs_watch(&dm.xs, watches[i], "mica-consoled");
        if (err) {
            fprintf(stderr, "mica-consoled: cannot watch %s: %s\n", watches[i], strerror(-err));
            return 1;
        }
    }
    struct sigaction sa = { .sa_handler = on_stop };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (!foreground && daemon(0, 1)) {
        perror("mica-consoled: daemon");
        return 1;
    }
    fprintf(stderr, "mica-consoled: ready; logs in %s\n", dm.log_dir);
    int rc = scan_until_settled(&dm);
    if (rc < 0)
        fprintf(stderr, "mica-consoled: lost the xenstore connection: %s\n", strerror(-rc));
    rc = rc < 0 ? 1 : serve(&dm);
    while (dm.domains)
        forget(&dm, dm.domains);
    cons_xs_close(&dm.xs);
    cons_xen_close(&dm.xen);
    return rc;
}
