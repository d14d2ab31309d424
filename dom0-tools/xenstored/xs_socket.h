/* xs_socket: unix-socket listeners and the socket connection transport. */
#ifndef XS_SOCKET_H
#define XS_SOCKET_H

#include <stdbool.h>
#include <stdint.h>

#include "xs_conn.h"

extern const struct xs_transport xs_socket_transport;

/* Listen on path (its directory is created; a stale socket is replaced).
 * Returns the listening descriptor or -errno (printed). */
int xs_socket_listen(const char *path);

/* Accept one client as a connection for domid. NULL if none was waiting
 * or memory ran out. */
struct xs_conn *xs_socket_accept(int listen_fd, uint32_t domid, bool privileged);

/* The descriptor behind a socket connection, -1 for other transports. */
int xs_socket_fd(const struct xs_conn *c);

#endif
