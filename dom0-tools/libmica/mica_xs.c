/* The xenstore wire protocol over the daemon's socket (mica_xs.h). */
#include "mica_xs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define XS_PAYLOAD_MAX 4096u

enum {
    XS_DIRECTORY = 1, XS_READ = 2, XS_INTRODUCE = 8, XS_RELEASE = 9, XS_WRITE = 11,
    XS_MKDIR = 12, XS_RM = 13, XS_SET_PERMS = 14, XS_WATCH_EVENT = 15, XS_ERROR = 16,
};

struct xs_header {
    uint32_t type, req_id, tx_id, len;
};

static const struct { const char *name; int err; } xs_errors[] = {
    { "EINVAL", EINVAL }, { "EACCES", EACCES }, { "EEXIST", EEXIST }, { "EISDIR", EISDIR },
    { "ENOENT", ENOENT }, { "ENOMEM", ENOMEM }, { "ENOSPC", ENOSPC }, { "EIO", EIO },
    { "ENOTEMPTY", ENOTEMPTY }, { "ENOSYS", ENOSYS }, { "EROFS", EROFS }, { "EBUSY", EBUSY },
    { "EAGAIN", EAGAIN }, { "EISCONN", EISCONN }, { "E2BIG", E2BIG }, { "EPERM", EPERM },
};

int mica_xs_open(struct mica_xs *xs, const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    xs->req_id = 0;
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path ? path : MICA_XS_SOCKET);
    xs->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (xs->fd < 0)
        return -errno;
    if (connect(xs->fd, (struct sockaddr *)&addr, sizeof(addr))) {
        int e = errno;
        close(xs->fd);
        xs->fd = -1;
        return -e;
    }
    return 0;
}

void mica_xs_close(struct mica_xs *xs)
{
    if (xs->fd >= 0)
        close(xs->fd);
    xs->fd = -1;
}

static int io_all(int fd, void *buf, size_t len, int writing)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EPIPE;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Sends one request of parts back to back and reads its reply (skipping
 * watch events); *reply is malloc'd with a NUL after its len bytes. */
static int request(struct mica_xs *xs, uint32_t type, const void *payload, size_t len,
                   char **reply, size_t *reply_len)
{
    struct xs_header h = { type, ++xs->req_id, 0, (uint32_t)len };
    int rc;

    if (len > XS_PAYLOAD_MAX)
        return -E2BIG;
    rc = io_all(xs->fd, &h, sizeof(h), 1);
    if (!rc)
        rc = io_all(xs->fd, (void *)payload, len, 1);
    for (;;) {
        if (rc)
            return rc;
        rc = io_all(xs->fd, &h, sizeof(h), 0);
        if (rc)
            return rc;
        if (h.len > XS_PAYLOAD_MAX)
            return -EPROTO;
        char *body = malloc(h.len + 1);
        if (!body)
            return -ENOMEM;
        rc = io_all(xs->fd, body, h.len, 0);
        body[h.len] = '\0';
        if (rc || h.type == XS_WATCH_EVENT || h.req_id != xs->req_id) {
            free(body);
            continue;
        }
        if (h.type == XS_ERROR) {
            rc = -EIO;
            for (size_t i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++)
                if (strcmp(body, xs_errors[i].name) == 0)
                    rc = -xs_errors[i].err;
            free(body);
            return rc;
        }
        if (h.type != type) {
            free(body);
            return -EPROTO;
        }
        if (reply) {
            *reply = body;
            if (reply_len)
                *reply_len = h.len;
        } else {
            free(body);
        }
        return 0;
    }
}

/* A request whose payload is the given strings, each with its NUL but the
 * last when last_nul is 0 (a WRITE's value). */
static int request_strings(struct mica_xs *xs, uint32_t type, const char *const *parts,
                           size_t n, int last_nul, char **reply, size_t *reply_len)
{
    char buf[XS_PAYLOAD_MAX];
    size_t len = 0;

    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(parts[i]) + (i + 1 < n || last_nul);
        if (len + l > sizeof(buf))
            return -E2BIG;
        memcpy(buf + len, parts[i], l);
        len += l;
    }
    return request(xs, type, buf, len, reply, reply_len);
}

int mica_xs_read(struct mica_xs *xs, const char *path, char **value)
{
    return request_strings(xs, XS_READ, &path, 1, 1, value, NULL);
}

int mica_xs_write(struct mica_xs *xs, const char *path, const char *value)
{
    const char *parts[] = { path, value };

    return request_strings(xs, XS_WRITE, parts, 2, 0, NULL, NULL);
}

int mica_xs_writef(struct mica_xs *xs, const char *path, const char *fmt, ...)
{
    char value[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    return mica_xs_write(xs, path, value);
}

int mica_xs_mkdir(struct mica_xs *xs, const char *path)
{
    return request_strings(xs, XS_MKDIR, &path, 1, 1, NULL, NULL);
}

int mica_xs_rm(struct mica_xs *xs, const char *path)
{
    return request_strings(xs, XS_RM, &path, 1, 1, NULL, NULL);
}

int mica_xs_set_perms(struct mica_xs *xs, const char *path, const char *const *perms,
                      size_t count)
{
    const char *parts[8];

    if (count + 1 > sizeof(parts) / sizeof(parts[0]))
        return -E2BIG;
    parts[0] = path;
    for (size_t i = 0; i < count; i++)
        parts[i + 1] = perms[i];
    return request_strings(xs, XS_SET_PERMS, parts, count + 1, 1, NULL, NULL);
}

int mica_xs_directory(struct mica_xs *xs, const char *path, char **names, size_t *n)
{
    size_t len = 0;
    int rc = request_strings(xs, XS_DIRECTORY, &path, 1, 1, names, &len);

    *n = 0;
    for (size_t i = 0; rc == 0 && i < len; i++)
        *n += (*names)[i] == '\0';
    return rc;
}

int mica_xs_introduce(struct mica_xs *xs, uint16_t domid, uint64_t gfn, uint32_t port)
{
    char d[8], g[24], p[12];
    const char *parts[] = { d, g, p };

    snprintf(d, sizeof(d), "%u", domid);
    snprintf(g, sizeof(g), "%llu", (unsigned long long)gfn);
    snprintf(p, sizeof(p), "%u", port);
    return request_strings(xs, XS_INTRODUCE, parts, 3, 1, NULL, NULL);
}

int mica_xs_release(struct mica_xs *xs, uint16_t domid)
{
    char d[8];
    const char *parts[] = { d };

    snprintf(d, sizeof(d), "%u", domid);
    return request_strings(xs, XS_RELEASE, parts, 1, 1, NULL, NULL);
}
