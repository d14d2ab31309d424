/* xs_req_watch: registering and removing watches. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_path.h"
#include "xs_requests.h"
#include "xs_watch.h"

static void watch_free(struct xs_watch *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

void xs_watches_free(struct xs_conn *c)
{
    while (c->watches) {
        struct xs_watch *w = c->watches;
        c->watches = w->next;
        watch_free(w);
    }
    c->nr_watches = 0;
}

void xs_req_watch(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r)
{
    char path[XS_PATH_BUF];

    if (r->hdr->type == XS_RESET_WATCHES) {
        xs_watches_free(c);
        xs_transactions_free(c);
        return xs_reply_string(c, r, "OK");
    }
    if (r->nr_args < 2 || xs_path_canonical(c->domid, r->arg[0], true, path) < 0)
        return xs_reply_error(c, r, -EINVAL);

    struct xs_watch **pp = &c->watches;
    while (*pp && (strcmp((*pp)->path, path) != 0 || strcmp((*pp)->token, r->arg[1]) != 0))
        pp = &(*pp)->next;

    if (r->hdr->type == XS_UNWATCH) {
        if (!*pp)
            return xs_reply_error(c, r, -ENOENT);
        struct xs_watch *w = *pp;
        *pp = w->next;
        c->nr_watches--;
        watch_free(w);
        return xs_reply_string(c, r, "OK");
    }

    if (*pp)
        return xs_reply_error(c, r, -EEXIST);
    if (c->nr_watches >= e->limits.watches_per_conn)
        return xs_reply_error(c, r, -E2BIG);
    struct xs_watch *w = calloc(1, sizeof(*w));
    if (w) {
        w->path = strdup(path);
        w->token = strdup(r->arg[1]);
        w->relative = r->arg[0][0] != '/' && r->arg[0][0] != '@';
    }
    if (!w || !w->path || !w->token) {
        if (w)
            watch_free(w);
        return xs_reply_error(c, r, -ENOMEM);
    }
    w->next = c->watches;
    c->watches = w;
    c->nr_watches++;
    xs_reply_string(c, r, "OK");

    /* Every new watch fires once, so the watcher reads the current state. */
    size_t plen = strlen(r->arg[0]) + 1, tlen = strlen(w->token) + 1;
    char event[XS_PAYLOAD_MAX];
    if (plen + tlen <= sizeof(event)) {
        memcpy(event, r->arg[0], plen);
        memcpy(event + plen, w->token, tlen);
        xs_conn_queue(c, XS_WATCH_EVENT, 0, 0, event, plen + tlen);
    }
}
