/* mxl console (mxl_console.h): copies between our terminal and the guest's
 * pty until Ctrl-] or until the domain is gone. */
#include "mxl_console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define TTY_WAIT_TRIES 30    /* 3 s */

static int copy(int from, int to, bool escape, bool *detach)
{
    char buf[1024];
    ssize_t n = read(from, buf, sizeof(buf));

    if (n <= 0)
        return n < 0 && (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    if (escape) {
        char *esc = memchr(buf, MXL_CONSOLE_ESCAPE, (size_t)n);
        if (esc) {
            n = esc - buf;
            *detach = true;
        }
    }
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w < 0 && errno != EINTR && errno != EAGAIN)
            return -1;
        off += w > 0 ? w : 0;
    }
    return 0;
}

int mxl_console_attach(struct mxl *m, uint16_t domid)
{
    char path[64], name[128], *tty = NULL;

    mxl_domain_name(m, domid, name, sizeof(name));
    snprintf(path, sizeof(path), "/local/domain/%u/console/tty", domid);
    /* The daemon writes the node just after the domain appears. */
    for (int tries = 0; m->have_xs && tries < TTY_WAIT_TRIES; tries++) {
        if (mica_xs_read(&m->xs, path, &tty) == 0)
            break;
        usleep(100000);
    }
    if (!tty)
        return mxl_error("domain %u has no console tty (%s is missing): is mica-consoled "
                         "running? Its log of this guest would be "
                         "/var/log/mica/console/guest-%s.log", domid, path, name);
    int fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        mxl_error("opening domain %u's console %s: %s", domid, tty, strerror(e));
        free(tty);
        return MXL_EXIT_FAIL;
    }
    struct termios saved, raw;
    bool is_tty = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (is_tty) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    fprintf(stderr, "mxl: connected to domain %u's console %s (Ctrl-] detaches)\r\n", domid,
            tty);
    free(tty);
    bool detach = false;
    struct mica_domain_info info;
    while (!detach && mica_domain_info(&m->ctl, domid, &info) == 0) {
        struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { fd, POLLIN, 0 } };
        if (poll(p, 2, 1000) < 0 && errno != EINTR)
            break;
        if ((p[1].revents & POLLIN) && copy(fd, STDOUT_FILENO, false, &detach))
            break;
        if ((p[0].revents & POLLIN) && copy(STDIN_FILENO, fd, true, &detach))
            break;
        if (p[0].revents & (POLLHUP | POLLERR))
            break;
    }
    if (is_tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    close(fd);
    fprintf(stderr, "\nmxl: detached from domain %u's console\n", domid);
    return 0;
}
