/* cons_domain: one guest's console: ring, event channel, pty and log
 * (cons_domain.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cons_domain.h"
#include "cons_ring.h"

#define BAD_INDEX_REPORTS 5       /* said on stderr, then only counted */

static void say(const struct cons_domain *d, const char *what, int err)
{
    fprintf(stderr, "mica-consoled: domain %u: %s%s%s\n", d->domid, what,
            err ? ": " : "", err ? strerror(err) : "");
}

static int open_log(struct cons_domain *d, const char *log_dir)
{
    char path[PATH_MAX];
    char safe[sizeof(d->name)];
    size_t i;

    for (i = 0; d->name[i] && i + 1 < sizeof(safe); i++) {
        char c = d->name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || (c == '.' && i > 0);
        safe[i] = ok ? c : '_';
    }
    safe[i] = '\0';
    if (snprintf(path, sizeof(path), "%s/guest-%s.log", log_dir, safe) >= (int)sizeof(path)) {
        say(d, "log path too long", 0);
        return -ENAMETOOLONG;
    }
    d->log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0640);
    if (d->log_fd < 0) {
        int err = errno;
        fprintf(stderr, "mica-consoled: domain %u: cannot open its log %s: %s\n", d->domid,
                path, strerror(err));
        return -err;
    }
    return 0;
}

/* A pty in raw mode: the guest does its own echo and line editing. */
static int open_pty(struct cons_domain *d)
{
    d->pty_fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (d->pty_fd < 0 || grantpt(d->pty_fd) || unlockpt(d->pty_fd)) {
        say(d, "cannot open a pty", errno);
        return -1;
    }
    const char *name = ptsname(d->pty_fd);
    if (!name || strlen(name) >= sizeof(d->tty)) {
        say(d, "no name for its pty", errno);
        return -1;
    }
    strcpy(d->tty, name);
    d->pty_slave_fd = open(d->tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios t;
    if (d->pty_slave_fd < 0 || tcgetattr(d->pty_slave_fd, &t)) {
        say(d, "cannot open its pty's terminal side", errno);
        return -1;
    }
    cfmakeraw(&t);
    if (tcsetattr(d->pty_slave_fd, TCSANOW, &t) ||
        fcntl(d->pty_fd, F_SETFL, fcntl(d->pty_fd, F_GETFL) | O_NONBLOCK)) {
        say(d, "cannot set its pty raw and non-blocking", errno);
        return -1;
    }
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void release(struct cons_domain *d, struct cons_xen *x, bool bound)
{
    if (bound)
        mica_evtchn_unbind(&x->evtchn, d->local_port);
    cons_xen_unmap(x, &d->map);
    close_fd(&d->pty_fd);
    close_fd(&d->pty_slave_fd);
    close_fd(&d->log_fd);
    d->tty[0] = '\0';
    d->attached = false;
}

void cons_domain_attach(struct cons_domain *d, struct cons_xen *x, const char *log_dir)
{
    d->pty_fd = d->pty_slave_fd = d->log_fd = -1;
    d->map.page = NULL;
    d->attached = false;
    if (cons_xen_map(x, d->domid, d->ring_ref, &d->map))
        return;
    int port = cons_xen_bind(x, d->domid, d->remote_port);
    if (port < 0) {
        release(d, x, false);
        return;
    }
    d->local_port = (uint32_t)port;
    if (open_pty(d) || open_log(d, log_dir)) {
        release(d, x, true);
        return;
    }
    d->attached = true;
    fprintf(stderr, "mica-consoled: domain %u (%s): console on %s\n", d->domid, d->name, d->tty);
    /* Output written before we came is in the ring already. */
    cons_domain_output(d, x);
}

bool cons_domain_alive(struct cons_domain *d, struct cons_xen *x)
{
    return cons_xen_domain_alive(x, d->domid) &&
           (!d->attached || cons_xen_port_joined(x, d->local_port, d->domid));
}

void cons_domain_detach(struct cons_domain *d, struct cons_xen *x)
{
    if (!d->attached)
        return;
    if (cons_domain_alive(d, x))
        cons_domain_output(d, x);
    release(d, x, true);
    fprintf(stderr, "mica-consoled: domain %u (%s): console closed\n", d->domid, d->name);
}

/* Writes all of buf to the log; a failing log is said once per call. */
static void to_log(struct cons_domain *d, const char *buf, size_t n)
{
    while (n && d->log_fd >= 0) {
        ssize_t w = write(d->log_fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            say(d, "writing its log", errno);
            return;
        }
        buf += w;
        n -= (size_t)w;
    }
}

/* The pty gets what fits: with nobody reading it, output is dropped
 * there rather than holding up the guest (the log has everything). */
static void to_pty(struct cons_domain *d, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(d->pty_fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        buf += w;
        n -= (size_t)w;
    }
}

void cons_domain_output(struct cons_domain *d, struct cons_xen *x)
{
    char buf[CONS_OUT_SIZE];
    bool took = false;

    if (!d->attached)
        return;
    /* At most a few rings' worth per call, so that one chatty guest
     * cannot keep the daemon from its other domains. */
    for (int round = 0; round < 4; round++) {
        size_t got;
        if (cons_ring_take_output(d->map.page, buf, sizeof(buf), &got)) {
            if (d->bad_indices++ < BAD_INDEX_REPORTS)
                say(d, "output ring indices out of range; skipped to the producer's", 0);
            took = true;
            continue;
        }
        if (!got)
            break;
        took = true;
        to_log(d, buf, got);
        to_pty(d, buf, got);
    }
    /* The guest's in_cons is checked here too: with it out of range the
     * ring shows no room, and typed input would never be read. */
    size_t put;
    if (cons_ring_put_input(d->map.page, "", 0, &put)) {
        if (d->bad_indices++ < BAD_INDEX_REPORTS)
            say(d, "input ring indices out of range; pending input dropped", 0);
        took = true;
    }
    if (took)
        mica_evtchn_notify(&x->evtchn, d->local_port);
}

bool cons_domain_wants_input(const struct cons_domain *d)
{
    return d->attached && cons_ring_input_space(d->map.page) > 0;
}

void cons_domain_input(struct cons_domain *d, struct cons_xen *x)
{
    char buf[CONS_IN_SIZE];
    size_t space = d->attached ? cons_ring_input_space(d->map.page) : 0;
    size_t put;

    if (!space)
        return;
    ssize_t n = read(d->pty_fd, buf, space < sizeof(buf) ? space : sizeof(buf));
    if (n <= 0)
        return;
    if (cons_ring_put_input(d->map.page, buf, (size_t)n, &put)) {
        if (d->bad_indices++ < BAD_INDEX_REPORTS)
            say(d, "input ring indices out of range; pending input dropped", 0);
        cons_ring_put_input(d->map.page, buf, (size_t)n, &put);
    }
    mica_evtchn_notify(&x->evtchn, d->local_port);
}

void cons_domain_reopen_log(struct cons_domain *d, const char *log_dir)
{
    if (!d->attached)
        return;
    close_fd(&d->log_fd);
    open_log(d, log_dir);
}
