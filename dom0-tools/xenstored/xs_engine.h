/* xs_engine: the protocol engine: the store, the connections, the known
 * domains, watches and transactions. It never touches a device or a file
 * descriptor itself: connections bring their own transport, and
 * introducing a domain goes through a hook the daemon provides. */
#ifndef XS_ENGINE_H
#define XS_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "xs_conn.h"
#include "xs_perms.h"
#include "xs_store.h"

struct xs_limits {
    struct xs_store_limits store;
    unsigned watches_per_conn;
    unsigned txns_per_conn;
    unsigned txn_entries_max;  /* nodes one transaction may depend on or change */
    size_t output_max;     /* queued bytes past which watch events are dropped
                              and no further requests are read */
};

/* The defaults: 1000 nodes per domain, 2048-byte values, 5 permission
 * entries, 128 watches and 10 transactions per connection, 1024 entries
 * per transaction, 1 MiB output. */
extern const struct xs_limits xs_default_limits;

struct xs_engine;

/* Connect a newly introduced domain: map its ring, bind its event channel
 * and return a connection (from xs_conn_new) in *out. Returns 0 or a
 * negative errno that becomes the client's error. */
typedef int xs_connect_domain_fn(void *ctx, uint32_t domid, uint64_t mfn,
                                 uint32_t port, struct xs_conn **out);

struct xs_domain {
    struct xs_domain *next;
    uint32_t domid;
    uint64_t mfn;
    uint32_t port;
    struct xs_conn *conn;
};

struct xs_engine {
    struct xs_store *store;
    struct xs_limits limits;
    struct xs_conn *conns;
    struct xs_domain *domains;
    uint32_t next_txid;
    xs_connect_domain_fn *connect_domain;
    void *connect_ctx;
    unsigned long dropped_events;
};

/* NULL when out of memory. */
struct xs_engine *xs_engine_new(const struct xs_limits *limits,
                                xs_connect_domain_fn *connect_domain, void *connect_ctx);
void xs_engine_free(struct xs_engine *e);

/* Take a connection into the engine (which frees it on removal). */
void xs_engine_add_conn(struct xs_engine *e, struct xs_conn *c);
/* Drop its watches and transactions, its domain's link to it, and free it. */
void xs_engine_remove_conn(struct xs_engine *e, struct xs_conn *c);

/* Handle one request from c; replies and events are queued. */
void xs_engine_handle(struct xs_engine *e, struct xs_conn *c,
                      const struct xs_msg_header *hdr, char *payload);

/* Read and handle every complete message c has, then flush all output.
 * Returns 0, or < 0 when c must be removed (transport failed, or a
 * message broke the framing; that one is answered before). */
int xs_engine_serve(struct xs_engine *e, struct xs_conn *c);

/* Flush every connection's output (after events were queued). Connections
 * whose transport failed are removed. */
void xs_engine_flush_all(struct xs_engine *e);

/* Queue a watch event for every watch a change concerns; perms are the
 * changed node's (watchers must be able to read it). */
void xs_engine_fire(struct xs_engine *e, const char *path, bool removal,
                    const struct xs_perm *perms, size_t nr_perms);

struct xs_caller xs_conn_caller(const struct xs_conn *c);

#endif
