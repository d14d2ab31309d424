/* cons_xs: the xenstore wire protocol from the client's side (cons_xs.h).
 * Every message is a 16-byte header (type, request id, transaction id,
 * payload length) and its payload; replies echo the request's id, watch
 * events (type 15) may come at any time in between. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cons_xs.h"

enum { XS_DIRECTORY = 1, XS_READ = 2, XS_WATCH = 4, XS_WRITE = 11, XS_RM = 13, XS_WATCH_EVENT = 15,
       XS_ERROR = 16 };

struct header {
    uint32_t type, req_id, tx_id, len;
};

int cons_xs_open(struct cons_xs *x, const char *socket_path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    memset(x, 0, sizeof(*x));
    x->fd = -1;
    if (strlen(socket_path) >= sizeof(addr.sun_path)) {
        fprintf(stderr, "mica-consoled: socket path too long: %s\n", socket_path);
        return -ENAMETOOLONG;
    }
    strcpy(addr.sun_path, socket_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int err = errno;
        fprintf(stderr, "mica-consoled: cannot connect to the xenstore socket %s: %s "
                "(is mica-xenstored running?)\n", socket_path, strerror(err));
        if (fd >= 0)
            close(fd);
        return -err;
    }
    x->fd = fd;
    return 0;
}

void cons_xs_close(struct cons_xs *x)
{
    if (x->fd >= 0)
        close(x->fd);
    x->fd = -1;
}

/* The errno an XS_ERROR reply names. */
static int error_number(const char *name)
{
    static const struct { const char *name; int err; } names[] = {
        { "ENOENT", ENOENT }, { "EACCES", EACCES }, { "EINVAL", EINVAL },
        { "EEXIST", EEXIST }, { "E2BIG", E2BIG }, { "EAGAIN", EAGAIN },
        { "ENOSPC", ENOSPC }, { "EPERM", EPERM }, { "EBUSY", EBUSY },
        { "ENOMEM", ENOMEM }, { "ENOSYS", ENOSYS }, { "EQUOTA", EDQUOT },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i].name) == 0)
            return names[i].err;
    return EIO;
}

/* Takes one complete message off the front of buf: its header in *h and
 * its payload (NUL-terminated) in payload. 1 if there was one, 0 if not
 * yet, -EPROTO when the store sent a length beyond the protocol's. */
static int next_message(struct cons_xs *x, struct header *h, char *payload)
{
    if (x->have < sizeof(*h))
        return 0;
    memcpy(h, x->buf, sizeof(*h));
    if (h->len > CONS_XS_MAX_PAYLOAD)
        return -EPROTO;
    if (x->have < sizeof(*h) + h->len)
        return 0;
    memcpy(payload, x->buf + sizeof(*h), h->len);
    payload[h->len] = '\0';
    x->have -= sizeof(*h) + h->len;
    memmove(x->buf, x->buf + sizeof(*h) + h->len, x->have);
    return 1;
}

/* Reads more bytes from the socket into buf; 0 or a negative errno. */
static int fill(struct cons_xs *x, int flags)
{
    ssize_t n = recv(x->fd, x->buf + x->have, sizeof(x->buf) - x->have, flags);
    if (n == 0)
        return -ECONNRESET;
    if (n < 0)
        return -errno;
    x->have += (size_t)n;
    return 0;
}

/* Sends a request whose payload is the strings given, each with its NUL
 * unless it is the last of a WRITE, and waits for the reply's payload.
 * Returns its length, or a negative errno. */
static int request(struct cons_xs *x, uint32_t type, const char *a, const char *b,
                   char *reply, size_t size)
{
    static char payload[CONS_XS_MAX_PAYLOAD + 1];
    size_t alen = strlen(a) + 1;
    size_t blen = b ? strlen(b) + (type == XS_WRITE ? 0 : 1) : 0;
    struct header h = { type, ++x->next_req, 0, (uint32_t)(alen + blen) };
    char msg[sizeof(h) + CONS_XS_MAX_PAYLOAD];

    if (x->fd < 0)
        return -ENOTCONN;
    if (alen + blen > CONS_XS_MAX_PAYLOAD)
        return -E2BIG;
    memcpy(msg, &h, sizeof(h));
    memcpy(msg + sizeof(h), a, alen);
    if (b)
        memcpy(msg + sizeof(h) + alen, b, blen);
    size_t total = sizeof(h) + h.len;
    for (size_t sent = 0; sent < total;) {
        ssize_t n = send(x->fd, msg + sent, total - sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EINTR)
            return -errno;
        sent += n > 0 ? (size_t)n : 0;
    }
    for (;;) {
        struct header r;
        int got = next_message(x, &r, payload);
        if (got < 0)
            return got;
        if (got == 0) {
            int err = fill(x, 0);
            if (err && err != -EINTR)
                return err;
            continue;
        }
        if (r.type == XS_WATCH_EVENT) {
            x->events++;
            continue;
        }
        if (r.req_id != h.req_id)
            continue;             /* not ours: a late reply to nothing we wait for */
        if (r.type == XS_ERROR)
            return -error_number(payload);
        if (r.len + 1 > size)
            return -E2BIG;
        memcpy(reply, payload, r.len + 1);
        return (int)r.len;
    }
}

int cons_xs_read(struct cons_xs *x, const char *path, char *out, size_t size)
{
    return request(x, XS_READ, path, NULL, out, size);
}

int cons_xs_write(struct cons_xs *x, const char *path, const char *value)
{
    char ok[8];
    int rc = request(x, XS_WRITE, path, value, ok, sizeof(ok));
    return rc < 0 ? rc : 0;
}

int cons_xs_directory(struct cons_xs *x, const char *path, char *out, size_t size)
{
    return request(x, XS_DIRECTORY, path, NULL, out, size);
}

int cons_xs_rm(struct cons_xs *x, const char *path)
{
    char ok[8];
    int rc = request(x, XS_RM, path, NULL, ok, sizeof(ok));
    return rc < 0 ? rc : 0;
}

int cons_xs_watch(struct cons_xs *x, const char *path, const char *token)
{
    char ok[8];
    int rc = request(x, XS_WATCH, path, token, ok, sizeof(ok));
    return rc < 0 ? rc : 0;
}

int cons_xs_take_events(struct cons_xs *x)
{
    static char payload[CONS_XS_MAX_PAYLOAD + 1];

    for (;;) {
        struct header h;
        int got = next_message(x, &h, payload);
        if (got < 0)
            return got;
        if (got) {
            x->events += h.type == XS_WATCH_EVENT;
            continue;
        }
        int err = fill(x, MSG_DONTWAIT);
        if (err == -EAGAIN || err == -EWOULDBLOCK)
            break;
        if (err)
            return err;
    }
    int n = (int)x->events;
    x->events = 0;
    return n;
}
