/* xs_txn: snapshots, dependency records and the change log. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_path.h"
#include "xs_txn.h"

struct xs_txn *xs_txn_start(const struct xs_store *main, uint32_t id)
{
    struct xs_txn *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->id = id;
    t->snap = xs_store_clone(main);
    if (!t->snap) {
        free(t);
        return NULL;
    }
    return t;
}

void xs_txn_free(struct xs_txn *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nr_deps; i++)
        free(t->deps[i].path);
    for (size_t i = 0; i < t->nr_ops; i++) {
        free(t->ops[i].path);
        free(t->ops[i].value);
        free(t->ops[i].perms);
    }
    free(t->deps);
    free(t->ops);
    xs_store_free(t->snap);
    free(t);
}

int xs_txn_depend(struct xs_txn *t, const char *path)
{
    for (size_t i = 0; i < t->nr_deps; i++)
        if (strcmp(t->deps[i].path, path) == 0)
            return 0;
    if (t->nr_deps == t->cap_deps) {
        size_t cap = t->cap_deps ? t->cap_deps * 2 : 8;
        struct xs_txn_dep *d = realloc(t->deps, cap * sizeof(*d));
        if (!d)
            return -ENOMEM;
        t->deps = d;
        t->cap_deps = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return -ENOMEM;
    t->deps[t->nr_deps++] = (struct xs_txn_dep){ copy, xs_store_gen(t->snap, path) };
    return 0;
}

int xs_txn_depend_create(struct xs_txn *t, const char *path)
{
    char cur[XS_PATH_BUF];
    int err;

    strcpy(cur, path);
    for (;;) {
        err = xs_txn_depend(t, cur);
        if (err || xs_store_lookup(t->snap, cur) || strcmp(cur, "/") == 0)
            return err;
        char parent[XS_PATH_BUF];
        xs_path_parent(cur, parent);
        strcpy(cur, parent);
    }
}

static int depend_below(struct xs_txn *t, const struct xs_node *n, char *path, size_t len)
{
    for (size_t i = 0; i < n->nr_children; i++) {
        const struct xs_node *c = n->children[i];
        size_t clen = strlen(c->name);
        size_t sep = len > 1 ? 1 : 0;
        if (len + sep + clen + 1 > XS_PATH_BUF)
            return -EINVAL;
        if (sep)
            path[len] = '/';
        memcpy(path + len + sep, c->name, clen + 1);
        int err = xs_txn_depend(t, path);
        if (!err)
            err = depend_below(t, c, path, len + sep + clen);
        path[len] = '\0';
        if (err)
            return err;
    }
    return 0;
}

int xs_txn_depend_subtree(struct xs_txn *t, const char *path)
{
    char buf[XS_PATH_BUF];
    int err = xs_txn_depend(t, path);

    if (err || strcmp(path, "/") == 0)
        return err;
    xs_path_parent(path, buf);
    err = xs_txn_depend(t, buf);
    const struct xs_node *n = xs_store_lookup(t->snap, path);
    if (err || !n)
        return err;
    strcpy(buf, path);
    return depend_below(t, n, buf, strlen(buf));
}

int xs_txn_log(struct xs_txn *t, enum xs_txn_op_kind kind, const char *path,
               const char *value, size_t len, const struct xs_perm *perms, size_t n)
{
    if (t->nr_ops == t->cap_ops) {
        size_t cap = t->cap_ops ? t->cap_ops * 2 : 8;
        struct xs_txn_op *o = realloc(t->ops, cap * sizeof(*o));
        if (!o)
            return -ENOMEM;
        t->ops = o;
        t->cap_ops = cap;
    }
    struct xs_txn_op op = { .kind = kind, .len = len, .nr_perms = n };
    op.path = strdup(path);
    if (value) {
        op.value = malloc(len + 1);
        if (op.value)
            memcpy(op.value, value, len);
    }
    if (perms) {
        op.perms = malloc(n * sizeof(*perms));
        if (op.perms)
            memcpy(op.perms, perms, n * sizeof(*perms));
    }
    if (!op.path || (value && !op.value) || (perms && !op.perms)) {
        free(op.path);
        free(op.value);
        free(op.perms);
        return -ENOMEM;
    }
    t->ops[t->nr_ops++] = op;
    return 0;
}

bool xs_txn_conflicts(const struct xs_txn *t, const struct xs_store *main)
{
    for (size_t i = 0; i < t->nr_deps; i++)
        if (xs_store_gen(main, t->deps[i].path) != t->deps[i].gen)
            return true;
    return false;
}
