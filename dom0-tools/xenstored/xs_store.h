/* xs_store: the tree of nodes. Each node has a value (bytes), permissions
 * and children, and a generation number that changes whenever the node's
 * value, permissions or list of children change. Operations check the
 * caller's permissions and the per-domain quotas. */
#ifndef XS_STORE_H
#define XS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "xs_perms.h"

struct xs_node {
    char *name;                 /* last path component; "" for the root */
    struct xs_node *parent;
    char *value;
    size_t value_len;
    struct xs_perm *perms;      /* perms[0]: owner and default access */
    size_t nr_perms;
    struct xs_node **children;  /* in creation order */
    size_t nr_children, cap_children;
    uint64_t gen;
};

struct xs_store_limits {
    unsigned nodes_per_domain;  /* nodes an unprivileged domain may own */
    unsigned value_max;         /* bytes in one value, unprivileged callers */
    unsigned perms_max;         /* entries in one node's permission list */
};

struct xs_owner_count {
    uint32_t domid;
    unsigned nodes;
};

struct xs_store {
    struct xs_node *root;
    uint64_t gen_counter;
    struct xs_store_limits limits;
    struct xs_owner_count *owners;
    size_t nr_owners;
};

/* A store holding "/", "/local", "/local/domain" and "/tool", owned by
 * dom0 and unreadable to others. NULL when out of memory. */
struct xs_store *xs_store_new(const struct xs_store_limits *limits);
/* A deep, independent copy (a transaction's snapshot), or NULL. */
struct xs_store *xs_store_clone(const struct xs_store *st);
void xs_store_free(struct xs_store *st);

/* The node at an absolute canonical path, or NULL. No permission check. */
struct xs_node *xs_store_lookup(const struct xs_store *st, const char *path);
/* A node's generation, 0 when there is no such node. */
uint64_t xs_store_gen(const struct xs_store *st, const char *path);
/* Nodes owned by domid. */
unsigned xs_store_owned(const struct xs_store *st, uint32_t domid);

/* Each returns 0 or a negative errno: -ENOENT, -EACCES (no permission),
 * -ENOSPC (the caller's node quota), -E2BIG (value too large), -EINVAL
 * (a bad request, such as removing "/"), -EPERM (an unprivileged caller
 * giving a node away), -ENOMEM. Paths are absolute and canonical. */
int xs_store_read(const struct xs_store *st, const struct xs_caller *who,
                  const char *path, const struct xs_node **out);
int xs_store_write(struct xs_store *st, const struct xs_caller *who,
                   const char *path, const char *value, size_t len);
int xs_store_mkdir(struct xs_store *st, const struct xs_caller *who, const char *path);
/* Removing a node that is not there succeeds when its parent is. */
int xs_store_rm(struct xs_store *st, const struct xs_caller *who, const char *path);
int xs_store_set_perms(struct xs_store *st, const struct xs_caller *who,
                       const char *path, const struct xs_perm *perms, size_t n);

#endif
