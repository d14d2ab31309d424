/* xs_store: the node tree, its permission checks and node quotas. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_path.h"
#include "xs_store.h"

static void node_free(struct xs_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nr_children; i++)
        node_free(n->children[i]);
    free(n->children);
    free(n->perms);
    free(n->value);
    free(n->name);
    free(n);
}

static struct xs_node *node_new(const char *name, size_t name_len,
                                const struct xs_perm *perms, size_t nr_perms)
{
    struct xs_node *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->name = strndup(name, name_len);
    n->value = calloc(1, 1);     /* values are kept NUL-terminated */
    n->perms = malloc(nr_perms * sizeof(*perms));
    if (!n->name || !n->value || !n->perms) {
        node_free(n);
        return NULL;
    }
    memcpy(n->perms, perms, nr_perms * sizeof(*perms));
    n->nr_perms = nr_perms;
    return n;
}

static int node_add_child(struct xs_node *parent, struct xs_node *child)
{
    if (parent->nr_children == parent->cap_children) {
        size_t cap = parent->cap_children ? parent->cap_children * 2 : 4;
        struct xs_node **c = realloc(parent->children, cap * sizeof(*c));
        if (!c)
            return -ENOMEM;
        parent->children = c;
        parent->cap_children = cap;
    }
    parent->children[parent->nr_children++] = child;
    child->parent = parent;
    return 0;
}

static struct xs_node *node_child(const struct xs_node *n, const char *name, size_t len)
{
    for (size_t i = 0; i < n->nr_children; i++) {
        const char *c = n->children[i]->name;
        if (strncmp(c, name, len) == 0 && c[len] == '\0')
            return n->children[i];
    }
    return NULL;
}

static struct xs_owner_count *owner_slot(struct xs_store *st, uint32_t domid, int create)
{
    for (size_t i = 0; i < st->nr_owners; i++)
        if (st->owners[i].domid == domid)
            return &st->owners[i];
    if (!create)
        return NULL;
    struct xs_owner_count *o = realloc(st->owners, (st->nr_owners + 1) * sizeof(*o));
    if (!o)
        return NULL;
    st->owners = o;
    o[st->nr_owners] = (struct xs_owner_count){ .domid = domid };
    return &o[st->nr_owners++];
}

/* Counts change with nodes created or removed; a missing slot can only
 * occur when memory ran out, and then the count errs on the low side. */
static void owner_adjust(struct xs_store *st, uint32_t domid, int delta)
{
    struct xs_owner_count *o = owner_slot(st, domid, delta > 0);
    if (o)
        o->nodes = (unsigned)((int)o->nodes + delta);
}

unsigned xs_store_owned(const struct xs_store *st, uint32_t domid)
{
    for (size_t i = 0; i < st->nr_owners; i++)
        if (st->owners[i].domid == domid)
            return st->owners[i].nodes;
    return 0;
}

static void node_touch(struct xs_store *st, struct xs_node *n)
{
    n->gen = ++st->gen_counter;
}

struct xs_store *xs_store_new(const struct xs_store_limits *limits)
{
    static const char *const initial[] = { "/local", "/local/domain", "/tool" };
    const struct xs_perm dom0_only = { .domid = 0, .access = XS_ACCESS_NONE };
    const struct xs_caller dom0 = { .domid = 0, .privileged = true, .target = XS_NO_TARGET };
    struct xs_store *st = calloc(1, sizeof(*st));

    if (!st)
        return NULL;
    st->limits = *limits;
    st->root = node_new("", 0, &dom0_only, 1);
    if (!st->root) {
        free(st);
        return NULL;
    }
    node_touch(st, st->root);
    for (size_t i = 0; i < sizeof(initial) / sizeof(initial[0]); i++) {
        if (xs_store_mkdir(st, &dom0, initial[i]) < 0) {
            xs_store_free(st);
            return NULL;
        }
    }
    return st;
}

static struct xs_node *node_clone(const struct xs_node *n, struct xs_node *parent)
{
    struct xs_node *c = node_new(n->name, strlen(n->name), n->perms, n->nr_perms);
    if (!c)
        return NULL;
    c->parent = parent;
    c->gen = n->gen;
    free(c->value);
    c->value = calloc(1, n->value_len + 1);
    c->children = calloc(n->nr_children ? n->nr_children : 1, sizeof(*c->children));
    if (!c->value || !c->children) {
        node_free(c);
        return NULL;
    }
    memcpy(c->value, n->value, n->value_len);
    c->value_len = n->value_len;
    c->cap_children = n->nr_children ? n->nr_children : 1;
    for (size_t i = 0; i < n->nr_children; i++) {
        c->children[i] = node_clone(n->children[i], c);
        if (!c->children[i]) {
            node_free(c);
            return NULL;
        }
        c->nr_children++;
    }
    return c;
}

struct xs_store *xs_store_clone(const struct xs_store *st)
{
    struct xs_store *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->limits = st->limits;
    c->gen_counter = st->gen_counter;
    c->root = node_clone(st->root, NULL);
    c->owners = malloc((st->nr_owners + 1) * sizeof(*c->owners));
    if (!c->root || !c->owners) {
        xs_store_free(c);
        return NULL;
    }
    memcpy(c->owners, st->owners, st->nr_owners * sizeof(*c->owners));
    c->nr_owners = st->nr_owners;
    return c;
}

void xs_store_free(struct xs_store *st)
{
    if (!st)
        return;
    node_free(st->root);
    free(st->owners);
    free(st);
}

/* The deepest existing node on path; *rest points at the part of path
 * below it ("" when the whole path exists). */
static struct xs_node *walk(const struct xs_store *st, const char *path, const char **rest)
{
    struct xs_node *n = st->root;
    const char *p = path + 1;

    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        struct xs_node *c = node_child(n, p, len);
        if (!c)
            break;
        n = c;
        p += len;
        if (*p == '/')
            p++;
    }
    *rest = p;
    return n;
}

struct xs_node *xs_store_lookup(const struct xs_store *st, const char *path)
{
    const char *rest;
    struct xs_node *n = walk(st, path, &rest);
    return *rest ? NULL : n;
}

uint64_t xs_store_gen(const struct xs_store *st, const char *path)
{
    struct xs_node *n = xs_store_lookup(st, path);
    return n ? n->gen : 0;
}

static int may(const struct xs_node *n, const struct xs_caller *who, uint32_t want)
{
    return xs_perms_allow(n->perms, n->nr_perms, who, want) ? 0 : -EACCES;
}

int xs_store_read(const struct xs_store *st, const struct xs_caller *who,
                  const char *path, const struct xs_node **out)
{
    struct xs_node *n = xs_store_lookup(st, path);
    if (!n)
        return -ENOENT;
    int err = may(n, who, XS_ACCESS_READ);
    if (err)
        return err;
    *out = n;
    return 0;
}

static int set_value(struct xs_node *n, const char *value, size_t len)
{
    char *v = malloc(len + 1);
    if (!v)
        return -ENOMEM;
    memcpy(v, value, len);
    v[len] = '\0';
    free(n->value);
    n->value = v;
    n->value_len = len;
    return 0;
}

/* Find or create path. New nodes take the permissions of the deepest
 * existing ancestor, owned by the caller when it is unprivileged. */
static int get_or_create(struct xs_store *st, const struct xs_caller *who,
                         const char *path, struct xs_node **out, int *created)
{
    const char *rest;
    struct xs_node *n = walk(st, path, &rest);
    int err = may(n, who, XS_ACCESS_WRITE);

    *created = 0;
    if (err || !*rest) {
        *out = n;
        return err;
    }
    unsigned fresh = 1;
    for (const char *p = rest; *p; p++)
        fresh += *p == '/';
    if (!who->privileged &&
        xs_store_owned(st, who->domid) + fresh > st->limits.nodes_per_domain)
        return -ENOSPC;

    struct xs_perm *perms = malloc(n->nr_perms * sizeof(*perms));
    if (!perms)
        return -ENOMEM;
    memcpy(perms, n->perms, n->nr_perms * sizeof(*perms));
    if (!who->privileged)
        perms[0].domid = who->domid;
    node_touch(st, n);
    while (*rest) {
        const char *slash = strchr(rest, '/');
        size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
        struct xs_node *c = node_new(rest, len, perms, n->nr_perms);
        if (!c || node_add_child(n, c) < 0) {
            node_free(c);
            free(perms);
            return -ENOMEM;
        }
        owner_adjust(st, perms[0].domid, 1);
        node_touch(st, c);
        n = c;
        rest += len;
        if (*rest == '/')
            rest++;
    }
    free(perms);
    *created = 1;
    *out = n;
    return 0;
}

int xs_store_write(struct xs_store *st, const struct xs_caller *who,
                   const char *path, const char *value, size_t len)
{
    struct xs_node *n;
    int created;

    if (!who->privileged && len > st->limits.value_max)
        return -E2BIG;
    int err = get_or_create(st, who, path, &n, &created);
    if (err)
        return err;
    err = set_value(n, value, len);
    if (!err)
        node_touch(st, n);
    return err;
}

int xs_store_mkdir(struct xs_store *st, const struct xs_caller *who, const char *path)
{
    struct xs_node *n;
    int created;

    if (xs_store_lookup(st, path))
        return 0;
    return get_or_create(st, who, path, &n, &created);
}

static void uncount_subtree(struct xs_store *st, const struct xs_node *n)
{
    owner_adjust(st, n->perms[0].domid, -1);
    for (size_t i = 0; i < n->nr_children; i++)
        uncount_subtree(st, n->children[i]);
}

int xs_store_rm(struct xs_store *st, const struct xs_caller *who, const char *path)
{
    if (strcmp(path, "/") == 0)
        return -EINVAL;
    struct xs_node *n = xs_store_lookup(st, path);
    if (!n) {
        char parent[XS_PATH_BUF];
        xs_path_parent(path, parent);
        return xs_store_lookup(st, parent) ? 0 : -ENOENT;
    }
    int err = may(n, who, XS_ACCESS_WRITE);
    if (err)
        return err;
    struct xs_node *p = n->parent;
    for (size_t i = 0; i < p->nr_children; i++) {
        if (p->children[i] == n) {
            memmove(&p->children[i], &p->children[i + 1],
                    (p->nr_children - i - 1) * sizeof(p->children[0]));
            p->nr_children--;
            break;
        }
    }
    uncount_subtree(st, n);
    node_free(n);
    node_touch(st, p);
    return 0;
}

int xs_store_set_perms(struct xs_store *st, const struct xs_caller *who,
                       const char *path, const struct xs_perm *perms, size_t n)
{
    if (n == 0 || n > st->limits.perms_max)
        return n ? -E2BIG : -EINVAL;
    struct xs_node *node = xs_store_lookup(st, path);
    if (!node)
        return -ENOENT;
    int err = may(node, who, XS_ACCESS_WRITE);
    if (err)
        return err;
    uint32_t old_owner = node->perms[0].domid;
    if (!who->privileged && perms[0].domid != old_owner)
        return -EPERM;
    struct xs_perm *copy = malloc(n * sizeof(*copy));
    if (!copy)
        return -ENOMEM;
    memcpy(copy, perms, n * sizeof(*copy));
    free(node->perms);
    node->perms = copy;
    node->nr_perms = n;
    if (old_owner != perms[0].domid) {
        owner_adjust(st, old_owner, -1);
        owner_adjust(st, perms[0].domid, 1);
    }
    node_touch(st, node);
    return 0;
}
