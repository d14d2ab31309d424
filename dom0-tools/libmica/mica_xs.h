/* A xenstore client over the daemon's unix socket, in the wire protocol
 * of docs/xenstore.md: a 16-byte header (type, req_id, tx_id, len) and the
 * payload. Errors come back as -errno from the daemon's error name. */
#ifndef MICA_XS_H
#define MICA_XS_H

#include <stddef.h>
#include <stdint.h>

#define MICA_XS_SOCKET "/var/run/xenstored/socket"

struct mica_xs {
    int fd;
    uint32_t req_id;
};

/* Connects to path (NULL: MICA_XS_SOCKET); -errno. */
int mica_xs_open(struct mica_xs *xs, const char *path);
void mica_xs_close(struct mica_xs *xs);

/* A node's value, malloc'd and NUL-terminated; -ENOENT if missing. */
int mica_xs_read(struct mica_xs *xs, const char *path, char **value);
int mica_xs_write(struct mica_xs *xs, const char *path, const char *value);
int mica_xs_writef(struct mica_xs *xs, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int mica_xs_mkdir(struct mica_xs *xs, const char *path);
int mica_xs_rm(struct mica_xs *xs, const char *path);
/* Permissions as the protocol spells them: "n0" (owner 0, others none),
 * "r5" (domain 5 may read)...; the first is the owner and the default. */
int mica_xs_set_perms(struct mica_xs *xs, const char *path, const char *const *perms,
                      size_t count);
/* The names of a node's children: *names is one malloc'd block of n
 * NUL-terminated strings back to back (free it); -ENOENT if missing. */
int mica_xs_directory(struct mica_xs *xs, const char *path, char **names, size_t *n);
int mica_xs_introduce(struct mica_xs *xs, uint16_t domid, uint64_t gfn, uint32_t port);
int mica_xs_release(struct mica_xs *xs, uint16_t domid);

#endif
