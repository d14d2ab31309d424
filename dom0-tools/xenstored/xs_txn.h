/* xs_txn: transactions. A transaction works on a private snapshot of the
 * store, remembers the generation of every node it depended on (as it was
 * at the start) and logs its changes. It may commit only while none of
 * those nodes changed in the main store; its log is then replayed there. */
#ifndef XS_TXN_H
#define XS_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xs_store.h"

enum xs_txn_op_kind { XS_TXN_WRITE, XS_TXN_MKDIR, XS_TXN_RM, XS_TXN_SET_PERMS };

struct xs_txn_op {
    enum xs_txn_op_kind kind;
    char *path;
    char *value;            /* XS_TXN_WRITE */
    size_t len;
    struct xs_perm *perms;  /* XS_TXN_SET_PERMS */
    size_t nr_perms;
};

struct xs_txn_dep {
    char *path;
    uint64_t gen;           /* 0: the node did not exist */
};

struct xs_txn {
    struct xs_txn *next;
    uint32_t id;
    struct xs_store *snap;
    struct xs_txn_dep *deps;
    size_t nr_deps, cap_deps;
    struct xs_txn_op *ops;
    size_t nr_ops, cap_ops;
};

/* NULL when out of memory. */
struct xs_txn *xs_txn_start(const struct xs_store *main, uint32_t id);
void xs_txn_free(struct xs_txn *t);

/* Record that the transaction depends on path (first sighting counts). */
int xs_txn_depend(struct xs_txn *t, const char *path);
/* A change at path that may create it: path and every missing ancestor
 * plus the deepest existing one. */
int xs_txn_depend_create(struct xs_txn *t, const char *path);
/* A removal: path, its parent and everything below it. */
int xs_txn_depend_subtree(struct xs_txn *t, const char *path);

/* Append a change to the log (copies its arguments). */
int xs_txn_log(struct xs_txn *t, enum xs_txn_op_kind kind, const char *path,
               const char *value, size_t len, const struct xs_perm *perms, size_t n);

/* Whether main changed any node the transaction depends on. */
bool xs_txn_conflicts(const struct xs_txn *t, const struct xs_store *main);

#endif
