/* xs_engine: connections, request dispatch and watch events. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_engine.h"
#include "xs_requests.h"
#include "xs_watch.h"

const struct xs_limits xs_default_limits = {
    .store = { .nodes_per_domain = 1000, .value_max = 2048, .perms_max = 5 },
    .watches_per_conn = 128,
    .txns_per_conn = 10,
    .txn_entries_max = 1024,
    .output_max = 1u << 20,
};

struct xs_engine *xs_engine_new(const struct xs_limits *limits,
                                xs_connect_domain_fn *connect_domain, void *connect_ctx)
{
    struct xs_engine *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->limits = *limits;
    e->store = xs_store_new(&limits->store);
    if (!e->store) {
        free(e);
        return NULL;
    }
    e->connect_domain = connect_domain;
    e->connect_ctx = connect_ctx;
    return e;
}

void xs_engine_free(struct xs_engine *e)
{
    if (!e)
        return;
    while (e->conns)
        xs_engine_remove_conn(e, e->conns);
    while (e->domains) {
        struct xs_domain *d = e->domains;
        e->domains = d->next;
        free(d);
    }
    xs_store_free(e->store);
    free(e);
}

void xs_engine_add_conn(struct xs_engine *e, struct xs_conn *c)
{
    c->next = e->conns;
    e->conns = c;
}

void xs_engine_remove_conn(struct xs_engine *e, struct xs_conn *c)
{
    for (struct xs_conn **pp = &e->conns; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    for (struct xs_domain *d = e->domains; d; d = d->next)
        if (d->conn == c)
            d->conn = NULL;
    xs_watches_free(c);
    xs_transactions_free(c);
    xs_conn_free(c);
}

struct xs_caller xs_conn_caller(const struct xs_conn *c)
{
    return (struct xs_caller){ c->domid, c->privileged, c->target };
}

void xs_reply(struct xs_conn *c, const struct xs_request *r, const void *data, size_t len)
{
    xs_conn_queue(c, r->hdr->type, r->hdr->req_id, r->hdr->tx_id, data, len);
}

void xs_reply_string(struct xs_conn *c, const struct xs_request *r, const char *s)
{
    xs_reply(c, r, s, strlen(s) + 1);
}

void xs_reply_error(struct xs_conn *c, const struct xs_request *r, int err)
{
    xs_conn_queue_error(c, r->hdr->req_id, r->hdr->tx_id, err);
}

void xs_engine_fire(struct xs_engine *e, const char *path, bool removal,
                    const struct xs_perm *perms, size_t nr_perms)
{
    char event[XS_PAYLOAD_MAX];

    for (struct xs_conn *c = e->conns; c; c = c->next) {
        struct xs_caller who = xs_conn_caller(c);
        if (!xs_perms_allow(perms, nr_perms, &who, XS_ACCESS_READ))
            continue;
        for (struct xs_watch *w = c->watches; w; w = w->next) {
            const char *hit = xs_watch_match(w->path, path, removal);
            if (!hit)
                continue;
            hit = xs_watch_visible_path(w, c->domid, hit);
            size_t plen = strlen(hit) + 1, tlen = strlen(w->token) + 1;
            if (plen + tlen > sizeof(event))
                continue;
            /* A client that reads nothing must not make the daemon grow. */
            if (c->out_bytes > e->limits.output_max) {
                e->dropped_events++;
                continue;
            }
            memcpy(event, hit, plen);
            memcpy(event + plen, w->token, tlen);
            xs_conn_queue(c, XS_WATCH_EVENT, 0, 0, event, plen + tlen);
        }
    }
}

static void split_args(struct xs_request *r)
{
    const char *p = r->payload;
    const char *end = r->payload + r->hdr->len;

    r->nr_args = 0;
    while (p < end && r->nr_args < sizeof(r->arg) / sizeof(r->arg[0])) {
        r->arg[r->nr_args++] = p;
        p += strlen(p) + 1;
    }
}

void xs_engine_handle(struct xs_engine *e, struct xs_conn *c,
                      const struct xs_msg_header *hdr, char *payload)
{
    struct xs_request r = { .hdr = hdr, .payload = payload };

    split_args(&r);
    switch (hdr->type) {
    case XS_READ:
    case XS_WRITE:
    case XS_MKDIR:
    case XS_RM:
    case XS_DIRECTORY:
    case XS_DIRECTORY_PART:
    case XS_GET_PERMS:
    case XS_SET_PERMS:
        return xs_req_node(e, c, &r);
    case XS_TRANSACTION_START:
    case XS_TRANSACTION_END:
        return xs_req_transaction(e, c, &r);
    case XS_WATCH:
    case XS_UNWATCH:
    case XS_RESET_WATCHES:
        return xs_req_watch(e, c, &r);
    case XS_INTRODUCE:
    case XS_RELEASE:
    case XS_GET_DOMAIN_PATH:
    case XS_IS_DOMAIN_INTRODUCED:
    case XS_RESUME:
    case XS_SET_TARGET:
    case XS_CONTROL:
        return xs_req_domain(e, c, &r);
    default:
        /* Replies and events are the daemon's to send, not a client's. */
        return xs_reply_error(c, &r, -EINVAL);
    }
}

int xs_engine_serve(struct xs_engine *e, struct xs_conn *c)
{
    struct xs_msg_header hdr;
    char *payload;

    /* Make room first: a client that reads no replies gets no more served. */
    if (xs_conn_flush(c) < 0)
        return -EPIPE;
    while (!c->broken && c->out_bytes <= e->limits.output_max) {
        int got = xs_conn_receive(c, &hdr, &payload);
        if (got == 0)
            break;
        if (got == -E2BIG) {
            /* The stream cannot be resynchronised: answer, then hang up. */
            xs_conn_queue_error(c, c->hdr.req_id, c->hdr.tx_id, -E2BIG);
            c->broken = true;
            break;
        }
        if (got < 0)
            return -EPIPE;
        xs_engine_handle(e, c, &hdr, payload);
        xs_conn_consume(c);
    }
    if (xs_conn_flush(c) < 0)
        return -EPIPE;
    return c->broken && !c->out_head ? -EPIPE : 0;
}

void xs_engine_flush_all(struct xs_engine *e)
{
    struct xs_conn *c = e->conns;
    while (c) {
        struct xs_conn *next = c->next;
        if (xs_conn_flush(c) < 0 || (c->broken && !c->out_head))
            xs_engine_remove_conn(e, c);
        c = next;
    }
}
