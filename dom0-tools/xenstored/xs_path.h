/* xs_path: checking client paths and making them absolute. */
#ifndef XS_PATH_H
#define XS_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for any canonical path plus its terminator. */
#define XS_PATH_BUF 3200u

/* Turn a client's path into an absolute one in out (XS_PATH_BUF bytes):
 * a relative path is taken under /local/domain/<domid>/. With allow_special,
 * a path starting with '@' (a watch on @introduceDomain...) passes as is.
 * Returns 0, or -EINVAL for a bad character, an empty component, a
 * trailing '/' or a path over the protocol's length limits. */
int xs_path_canonical(uint32_t domid, const char *in, bool allow_special, char *out);

/* Whether path (absolute, canonical) is ancestor itself or lies below it. */
bool xs_path_is_within(const char *path, const char *ancestor);

/* The parent of an absolute path in out (XS_PATH_BUF bytes); "/" for a
 * top-level node. Must not be called for "/". */
void xs_path_parent(const char *path, char *out);

/* The last component of an absolute path ("" for "/"). */
const char *xs_path_basename(const char *path);

/* The home of a domain: "/local/domain/<domid>" into out (XS_PATH_BUF). */
void xs_path_domain_home(uint32_t domid, char *out);

#endif
