/* cons_xs: a small xenstore client over the daemon's unix socket: the
 * requests the console daemon needs (read, write, directory, watch) and
 * the watch events that arrive between replies. */
#ifndef CONS_XS_H
#define CONS_XS_H

#include <stddef.h>

#define CONS_XS_MAX_PAYLOAD 4096u

struct cons_xs {
    int fd;
    unsigned next_req;
    unsigned events;              /* watch events not yet taken */
    size_t have;                  /* bytes in buf */
    char buf[16 + CONS_XS_MAX_PAYLOAD];
};

/* Connects to the store's socket; 0 or a negative errno (printed). */
int cons_xs_open(struct cons_xs *x, const char *socket_path);
void cons_xs_close(struct cons_xs *x);

/* The value of path as a NUL-terminated string in out; its length, or a
 * negative errno (-ENOENT when there is no such node). */
int cons_xs_read(struct cons_xs *x, const char *path, char *out, size_t size);
int cons_xs_write(struct cons_xs *x, const char *path, const char *value);
/* The children of path, each NUL-terminated, one after another in out;
 * the number of bytes used, or a negative errno. */
int cons_xs_directory(struct cons_xs *x, const char *path, char *out, size_t size);
/* Removes path and everything below it. */
int cons_xs_rm(struct cons_xs *x, const char *path);
int cons_xs_watch(struct cons_xs *x, const char *path, const char *token);

/* Reads whatever the socket has without blocking; returns the number of
 * watch events seen since the last call (counting those that came while
 * waiting for replies), or a negative errno when the store hung up. */
int cons_xs_take_events(struct cons_xs *x);

#endif
