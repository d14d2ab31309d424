/* xs_socket: local clients over unix stream sockets. */
#define _GNU_SOURCE    /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xs_socket.h"

struct sock {
    int fd;
};

static ssize_t sock_read(void *ctx, void *buf, size_t len)
{
    struct sock *s = ctx;
    ssize_t n = recv(s->fd, buf, len, MSG_DONTWAIT);
    if (n > 0)
        return n;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    return -1;      /* closed, or a real error */
}

static ssize_t sock_write(void *ctx, const void *buf, size_t len)
{
    struct sock *s = ctx;
    ssize_t n = send(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0)
        return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return 0;
    return -1;
}

static void sock_destroy(void *ctx)
{
    struct sock *s = ctx;
    close(s->fd);
    free(s);
}

const struct xs_transport xs_socket_transport = {
    .read = sock_read,
    .write = sock_write,
    .destroy = sock_destroy,
};

static void make_parent_dir(const char *path)
{
    char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0755);
            *p = '/';
        }
    }
    mkdir(dir, 0755);
}

int xs_socket_listen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int err;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        fprintf(stderr, "mica-xenstored: socket path too long: %s\n", path);
        return -ENAMETOOLONG;
    }
    strcpy(addr.sun_path, path);
    make_parent_dir(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        goto fail;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 64) < 0)
        goto fail;
    return fd;
fail:
    err = errno;
    fprintf(stderr, "mica-xenstored: cannot listen on %s: %s\n", path, strerror(err));
    if (fd >= 0)
        close(fd);
    return -err;
}

struct xs_conn *xs_socket_accept(int listen_fd, uint32_t domid, bool privileged)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct sock *s = malloc(sizeof(*s));
    struct xs_conn *c = s ? xs_conn_new(domid, privileged, &xs_socket_transport, s) : NULL;
    if (!c) {
        free(s);
        close(fd);
        return NULL;
    }
    s->fd = fd;
    return c;
}

int xs_socket_fd(const struct xs_conn *c)
{
    return c->tp == &xs_socket_transport ? ((const struct sock *)c->tp_ctx)->fd : -1;
}
