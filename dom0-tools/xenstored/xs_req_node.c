/* xs_req_node: requests on nodes, inside or outside a transaction, and
 * ending transactions (a commit replays the log on a copy of the store). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_path.h"
#include "xs_requests.h"
#include "xs_txn.h"

/* A change to report to watchers once it is in the main store. */
struct change {
    char *path;
    bool removal;
    struct xs_perm *perms;
    size_t nr_perms;
};

struct changes {
    struct change *v;
    size_t n, cap;
};

static void changes_free(struct changes *ch)
{
    for (size_t i = 0; i < ch->n; i++) {
        free(ch->v[i].path);
        free(ch->v[i].perms);
    }
    free(ch->v);
    ch->v = NULL;
    ch->n = ch->cap = 0;
}

static int changes_add(struct changes *ch, const char *path, bool removal,
                       const struct xs_node *node)
{
    if (!ch)
        return 0;
    if (ch->n == ch->cap) {
        size_t cap = ch->cap ? ch->cap * 2 : 8;
        struct change *v = realloc(ch->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        ch->v = v;
        ch->cap = cap;
    }
    struct change c = { strdup(path), removal, NULL, node->nr_perms };
    c.perms = malloc(node->nr_perms * sizeof(*c.perms));
    if (!c.path || !c.perms) {
        free(c.path);
        free(c.perms);
        return -ENOMEM;
    }
    memcpy(c.perms, node->perms, node->nr_perms * sizeof(*c.perms));
    ch->v[ch->n++] = c;
    return 0;
}

static void changes_fire(struct xs_engine *e, const struct changes *ch)
{
    for (size_t i = 0; i < ch->n; i++)
        xs_engine_fire(e, ch->v[i].path, ch->v[i].removal, ch->v[i].perms, ch->v[i].nr_perms);
}

/* One change to st, its events (if ch) collected. */
static int mutate(struct xs_store *st, const struct xs_caller *who, const struct xs_txn_op *op,
                  struct changes *ch)
{
    const struct xs_node *node;
    int err;

    switch (op->kind) {
    case XS_TXN_WRITE:
        err = xs_store_write(st, who, op->path, op->value, op->len);
        break;
    case XS_TXN_MKDIR:
        if (xs_store_lookup(st, op->path))
            return 0;
        err = xs_store_mkdir(st, who, op->path);
        break;
    case XS_TXN_SET_PERMS:
        err = xs_store_set_perms(st, who, op->path, op->perms, op->nr_perms);
        break;
    case XS_TXN_RM:
        node = xs_store_lookup(st, op->path);
        if (node && ch) {
            /* Noted before it goes: watchers see the permissions it had. */
            err = changes_add(ch, op->path, true, node);
            if (err)
                return err;
        }
        err = xs_store_rm(st, who, op->path);
        if (err && ch && node) {
            free(ch->v[ch->n - 1].path);
            free(ch->v[ch->n - 1].perms);
            ch->n--;
        }
        return err;
    default:
        return -EINVAL;
    }
    if (err)
        return err;
    node = xs_store_lookup(st, op->path);
    return node ? changes_add(ch, op->path, false, node) : 0;
}

static struct xs_txn *find_txn(struct xs_conn *c, uint32_t id)
{
    for (struct xs_txn *t = c->txns; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

/* Record what op depends on inside transaction t. */
static int depend(struct xs_txn *t, const struct xs_txn_op *op)
{
    switch (op->kind) {
    case XS_TXN_WRITE:
    case XS_TXN_MKDIR:
        return xs_txn_depend_create(t, op->path);
    case XS_TXN_RM:
        return xs_txn_depend_subtree(t, op->path);
    default:
        return xs_txn_depend(t, op->path);
    }
}

/* Whether t may grow by one more change or dependency. */
static bool txn_full(const struct xs_engine *e, const struct xs_txn *t)
{
    return t->nr_ops + t->nr_deps >= e->limits.txn_entries_max;
}

/* A change, straight to the main store or into a transaction. */
static void change(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r,
                   struct xs_txn *t, const struct xs_txn_op *op)
{
    struct xs_caller who = xs_conn_caller(c);
    struct changes ch = { 0 };
    int err;

    if (t && txn_full(e, t)) {
        err = -ENOSPC;
    } else if (t) {
        err = depend(t, op);
        if (!err)
            err = mutate(t->snap, &who, op, NULL);
        if (!err)
            err = xs_txn_log(t, op->kind, op->path, op->value, op->len, op->perms, op->nr_perms);
    } else {
        err = mutate(e->store, &who, op, &ch);
    }
    /* The answer goes before the events the change causes. */
    if (err)
        xs_reply_error(c, r, err);
    else
        xs_reply_string(c, r, "OK");
    changes_fire(e, &ch);
    changes_free(&ch);
}

/* The children's names, each NUL-terminated, into buf; their total size. */
static size_t children_list(const struct xs_node *n, char *buf, size_t cap)
{
    size_t len = 0;
    for (size_t i = 0; i < n->nr_children; i++) {
        size_t l = strlen(n->children[i]->name) + 1;
        if (len + l <= cap)
            memcpy(buf + len, n->children[i]->name, l);
        len += l;
    }
    return len;
}

static void directory(struct xs_conn *c, const struct xs_request *r, const struct xs_node *n)
{
    char buf[XS_PAYLOAD_MAX];
    size_t len = children_list(n, buf, sizeof(buf));

    if (len > sizeof(buf))
        xs_reply_error(c, r, -E2BIG);
    else
        xs_reply(c, r, buf, len);
}

/* "<generation>\0" then the names from byte offset on, as many whole ones
 * as fit; an extra "\0" once the list is complete. */
static void directory_part(struct xs_conn *c, const struct xs_request *r,
                           const struct xs_node *n, const char *offset_text)
{
    char out[XS_PAYLOAD_MAX];
    char *end;
    unsigned long offset = strtoul(offset_text, &end, 10);
    size_t total = 0;

    if (*offset_text == '\0' || *end != '\0')
        return xs_reply_error(c, r, -EINVAL);
    for (size_t i = 0; i < n->nr_children; i++)
        total += strlen(n->children[i]->name) + 1;
    if (offset > total)
        return xs_reply_error(c, r, -EINVAL);
    size_t len = (size_t)snprintf(out, sizeof(out), "%llu", (unsigned long long)n->gen) + 1;
    size_t pos = 0;
    size_t i = 0;
    while (i < n->nr_children && pos < offset)
        pos += strlen(n->children[i++]->name) + 1;
    if (pos != offset)
        return xs_reply_error(c, r, -EINVAL);
    for (; i < n->nr_children; i++) {
        size_t l = strlen(n->children[i]->name) + 1;
        if (len + l + 1 > sizeof(out))
            break;
        memcpy(out + len, n->children[i]->name, l);
        len += l;
    }
    if (i == n->nr_children)
        out[len++] = '\0';
    xs_reply(c, r, out, len);
}

static void get_perms(struct xs_conn *c, const struct xs_request *r, const struct xs_node *n)
{
    char out[XS_PAYLOAD_MAX];
    size_t len = 0;

    for (size_t i = 0; i < n->nr_perms; i++) {
        xs_perm_format(&n->perms[i], out + len);
        len += strlen(out + len) + 1;
    }
    xs_reply(c, r, out, len);
}

/* SET_PERMS' payload: the path, then one NUL-terminated entry each. */
static int parse_perms(const struct xs_request *r, size_t path_len,
                       struct xs_perm *perms, size_t cap, size_t *n)
{
    const char *p = r->payload + path_len + 1;
    const char *end = r->payload + r->hdr->len;

    *n = 0;
    while (p < end) {
        if (*n == cap)
            return -E2BIG;
        if (xs_perm_parse(p, &perms[*n]) < 0)
            return -EINVAL;
        (*n)++;
        p += strlen(p) + 1;
    }
    return *n ? 0 : -EINVAL;
}

void xs_req_node(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r)
{
    uint32_t type = r->hdr->type;
    char path[XS_PATH_BUF];
    struct xs_txn *t = NULL;

    if (r->nr_args < 1 || xs_path_canonical(c->domid, r->arg[0], false, path) < 0)
        return xs_reply_error(c, r, -EINVAL);
    if (r->hdr->tx_id) {
        t = find_txn(c, r->hdr->tx_id);
        if (!t)
            return xs_reply_error(c, r, -ENOENT);
    }
    struct xs_store *st = t ? t->snap : e->store;
    struct xs_caller who = xs_conn_caller(c);
    const struct xs_node *n;
    int err;
    size_t path_len = strlen(r->arg[0]);
    struct xs_txn_op op = { .path = path };
    struct xs_perm perms[64];

    switch (type) {
    case XS_READ:
    case XS_DIRECTORY:
    case XS_DIRECTORY_PART:
    case XS_GET_PERMS:
        if (t && txn_full(e, t))
            return xs_reply_error(c, r, -ENOSPC);
        if (t && (err = xs_txn_depend(t, path)) < 0)
            return xs_reply_error(c, r, err);
        err = xs_store_read(st, &who, path, &n);
        if (err)
            return xs_reply_error(c, r, err);
        if (type == XS_READ)
            return xs_reply(c, r, n->value, n->value_len);
        if (type == XS_DIRECTORY)
            return directory(c, r, n);
        if (type == XS_GET_PERMS)
            return get_perms(c, r, n);
        if (r->nr_args < 2)
            return xs_reply_error(c, r, -EINVAL);
        return directory_part(c, r, n, r->arg[1]);
    case XS_WRITE:
        if (path_len == r->hdr->len)
            return xs_reply_error(c, r, -EINVAL);   /* no NUL after the path */
        op.kind = XS_TXN_WRITE;
        op.value = r->payload + path_len + 1;
        op.len = r->hdr->len - path_len - 1;
        return change(e, c, r, t, &op);
    case XS_MKDIR:
        op.kind = XS_TXN_MKDIR;
        return change(e, c, r, t, &op);
    case XS_RM:
        op.kind = XS_TXN_RM;
        return change(e, c, r, t, &op);
    case XS_SET_PERMS:
        if (path_len == r->hdr->len)
            return xs_reply_error(c, r, -EINVAL);
        err = parse_perms(r, path_len, perms, sizeof(perms) / sizeof(perms[0]), &op.nr_perms);
        if (err)
            return xs_reply_error(c, r, err);
        op.kind = XS_TXN_SET_PERMS;
        op.perms = perms;
        return change(e, c, r, t, &op);
    default:
        return xs_reply_error(c, r, -EINVAL);
    }
}

static int commit(struct xs_engine *e, struct xs_conn *c, struct xs_txn *t,
                  struct changes *ch)
{
    if (xs_txn_conflicts(t, e->store))
        return -EAGAIN;
    if (t->nr_ops == 0)
        return 0;
    /* Replay on a copy, so that a failure leaves the store untouched. */
    struct xs_store *next = xs_store_clone(e->store);
    struct xs_caller who = xs_conn_caller(c);
    int err = next ? 0 : -ENOMEM;

    for (size_t i = 0; !err && i < t->nr_ops; i++)
        err = mutate(next, &who, &t->ops[i], ch);
    if (err) {
        xs_store_free(next);
        changes_free(ch);
        return err;
    }
    xs_store_free(e->store);
    e->store = next;
    return 0;
}

void xs_req_transaction(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r)
{
    char id[16];

    if (r->hdr->type == XS_TRANSACTION_START) {
        if (r->hdr->tx_id)
            return xs_reply_error(c, r, -EBUSY);
        if (c->nr_txns >= e->limits.txns_per_conn)
            return xs_reply_error(c, r, -ENOSPC);
        do {
            if (++e->next_txid == 0)
                e->next_txid = 1;
        } while (find_txn(c, e->next_txid));
        struct xs_txn *t = xs_txn_start(e->store, e->next_txid);
        if (!t)
            return xs_reply_error(c, r, -ENOMEM);
        t->next = c->txns;
        c->txns = t;
        c->nr_txns++;
        snprintf(id, sizeof(id), "%u", t->id);
        return xs_reply_string(c, r, id);
    }

    /* TRANSACTION_END: "T" commits, "F" abandons. */
    struct xs_txn **pp = &c->txns;
    while (*pp && (*pp)->id != r->hdr->tx_id)
        pp = &(*pp)->next;
    if (!r->hdr->tx_id || !*pp)
        return xs_reply_error(c, r, -ENOENT);
    if (r->nr_args < 1 || (strcmp(r->arg[0], "T") != 0 && strcmp(r->arg[0], "F") != 0))
        return xs_reply_error(c, r, -EINVAL);
    struct xs_txn *t = *pp;
    *pp = t->next;
    c->nr_txns--;
    struct changes ch = { 0 };
    int err = r->arg[0][0] == 'T' ? commit(e, c, t, &ch) : 0;
    xs_txn_free(t);
    if (err)
        xs_reply_error(c, r, err);
    else
        xs_reply_string(c, r, "OK");
    changes_fire(e, &ch);
    changes_free(&ch);
}

void xs_transactions_free(struct xs_conn *c)
{
    while (c->txns) {
        struct xs_txn *t = c->txns;
        c->txns = t->next;
        xs_txn_free(t);
    }
    c->nr_txns = 0;
}
