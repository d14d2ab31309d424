/* xs_watch: which watches a change concerns, and with which path. */
#ifndef XS_WATCH_H
#define XS_WATCH_H

#include <stdbool.h>
#include <stdint.h>

struct xs_watch {
    struct xs_watch *next;
    char *path;          /* absolute, or a special "@..." name */
    char *token;
    bool relative;       /* registered relative: events drop the home prefix */
};

/* The path to report to a watch on watched for a change at changed, or
 * NULL when the change does not concern it. A change concerns watches on
 * the node and its ancestors; a removal also concerns watches below the
 * removed node (reported with their own path). Special names match only
 * themselves. */
const char *xs_watch_match(const char *watched, const char *changed, bool removal);

/* The path as the watcher sees it: relative to its domain's home when it
 * registered a relative path. */
const char *xs_watch_visible_path(const struct xs_watch *w, uint32_t domid, const char *path);

#endif
