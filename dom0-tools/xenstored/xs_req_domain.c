/* xs_req_domain: introducing and releasing domains, domain paths, device
 * model targets, and the daemon's control requests. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_path.h"
#include "xs_requests.h"
#include "xs_store.h"

static int parse_domid(const char *text, uint32_t *out)
{
    char *end;
    if (!text || text[0] < '0' || text[0] > '9')
        return -EINVAL;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || *end || v > XS_DOMID_MAX)
        return -EINVAL;
    *out = (uint32_t)v;
    return 0;
}

static int parse_u64(const char *text, uint64_t *out)
{
    char *end;
    if (!text || text[0] < '0' || text[0] > '9')
        return -EINVAL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return -EINVAL;
    *out = v;
    return 0;
}

static struct xs_domain *find_domain(struct xs_engine *e, uint32_t domid)
{
    for (struct xs_domain *d = e->domains; d; d = d->next)
        if (d->domid == domid)
            return d;
    return NULL;
}

static const struct xs_perm anyone_reads = { 0, XS_ACCESS_READ };

static void introduce(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r)
{
    uint32_t domid;
    uint64_t mfn, port;

    if (r->nr_args < 3 || parse_domid(r->arg[0], &domid) < 0 ||
        parse_u64(r->arg[1], &mfn) < 0 || parse_u64(r->arg[2], &port) < 0 ||
        port > UINT32_MAX || domid == XS_DOMID_PRIV)
        return xs_reply_error(c, r, -EINVAL);
    if (find_domain(e, domid))
        return xs_reply_string(c, r, "OK");   /* already served */
    if (!e->connect_domain)
        return xs_reply_error(c, r, -ENOSYS);

    struct xs_domain *d = calloc(1, sizeof(*d));
    if (!d)
        return xs_reply_error(c, r, -ENOMEM);
    int err = e->connect_domain(e->connect_ctx, domid, mfn, (uint32_t)port, &d->conn);
    if (err) {
        free(d);
        return xs_reply_error(c, r, err);
    }
    d->domid = domid;
    d->mfn = mfn;
    d->port = (uint32_t)port;
    d->next = e->domains;
    e->domains = d;
    xs_engine_add_conn(e, d->conn);
    xs_reply_string(c, r, "OK");
    xs_engine_fire(e, "@introduceDomain", false, &anyone_reads, 1);
}

static void release(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r)
{
    uint32_t domid;

    if (r->nr_args < 1 || parse_domid(r->arg[0], &domid) < 0)
        return xs_reply_error(c, r, -EINVAL);
    struct xs_domain **pp = &e->domains;
    while (*pp && (*pp)->domid != domid)
        pp = &(*pp)->next;
    if (!*pp)
        return xs_reply_error(c, r, -ENOENT);
    struct xs_domain *d = *pp;
    *pp = d->next;
    if (d->conn && d->conn != c)
        xs_engine_remove_conn(e, d->conn);
    else if (d->conn)
        d->conn->broken = true;
    free(d);
    xs_reply_string(c, r, "OK");
    xs_engine_fire(e, "@releaseDomain", false, &anyone_reads, 1);
}

static void control(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r)
{
    char out[XS_PAYLOAD_MAX];

    if (r->nr_args < 1)
        return xs_reply_error(c, r, -EINVAL);
    if (strcmp(r->arg[0], "print") == 0) {
        /* Into the log, with anything unprintable made harmless. */
        snprintf(out, sizeof(out), "%s", r->nr_args > 1 ? r->arg[1] : "");
        for (char *p = out; *p; p++)
            if (*p < 0x20 || *p > 0x7e)
                *p = '?';
        fprintf(stderr, "mica-xenstored: %s\n", out);
        return xs_reply_string(c, r, "OK");
    }
    if (strcmp(r->arg[0], "quota") == 0) {
        const struct xs_limits *l = &e->limits;
        snprintf(out, sizeof(out),
                 "nodes per domain %u\nvalue size %u\npermission entries %u\n"
                 "watches per connection %u\ntransactions per connection %u\n"
                 "entries per transaction %u\ndropped watch events %lu\n",
                 l->store.nodes_per_domain, l->store.value_max, l->store.perms_max,
                 l->watches_per_conn, l->txns_per_conn, l->txn_entries_max,
                 e->dropped_events);
        return xs_reply_string(c, r, out);
    }
    xs_reply_error(c, r, -EINVAL);
}

void xs_req_domain(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r)
{
    char text[XS_PATH_BUF];
    uint32_t domid, target;
    struct xs_domain *d;

    switch (r->hdr->type) {
    case XS_GET_DOMAIN_PATH:
        if (r->nr_args < 1 || parse_domid(r->arg[0], &domid) < 0)
            return xs_reply_error(c, r, -EINVAL);
        xs_path_domain_home(domid, text);
        return xs_reply_string(c, r, text);
    case XS_IS_DOMAIN_INTRODUCED:
        if (!c->privileged)
            return xs_reply_error(c, r, -EACCES);
        if (r->nr_args < 1 || parse_domid(r->arg[0], &domid) < 0)
            return xs_reply_error(c, r, -EINVAL);
        return xs_reply_string(c, r, domid == 0 || find_domain(e, domid) ? "T" : "F");
    default:
        break;
    }
    if (!c->privileged)
        return xs_reply_error(c, r, -EACCES);
    switch (r->hdr->type) {
    case XS_INTRODUCE:
        return introduce(e, c, r);
    case XS_RELEASE:
        return release(e, c, r);
    case XS_RESUME:
        if (r->nr_args < 1 || parse_domid(r->arg[0], &domid) < 0)
            return xs_reply_error(c, r, -EINVAL);
        return find_domain(e, domid) ? xs_reply_string(c, r, "OK")
                                     : xs_reply_error(c, r, -ENOENT);
    case XS_SET_TARGET:
        if (r->nr_args < 2 || parse_domid(r->arg[0], &domid) < 0 ||
            parse_domid(r->arg[1], &target) < 0)
            return xs_reply_error(c, r, -EINVAL);
        d = find_domain(e, domid);
        if (!d || !d->conn)
            return xs_reply_error(c, r, -ENOENT);
        d->conn->target = target;
        return xs_reply_string(c, r, "OK");
    case XS_CONTROL:
        return control(e, c, r);
    default:
        return xs_reply_error(c, r, -EINVAL);
    }
}
