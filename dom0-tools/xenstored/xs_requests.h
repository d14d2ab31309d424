/* xs_requests: the request handlers the engine dispatches to. Each one
 * queues exactly one reply (the answer or an XS_ERROR) on the caller's
 * connection, plus whatever watch events the request causes. */
#ifndef XS_REQUESTS_H
#define XS_REQUESTS_H

#include "xs_engine.h"

/* The request's strings: payload split at NUL bytes. */
struct xs_request {
    const struct xs_msg_header *hdr;
    char *payload;          /* NUL-terminated at hdr->len */
    const char *arg[4];
    unsigned nr_args;       /* NUL-terminated strings (and a trailing rest) */
};

/* Reply helpers. */
void xs_reply(struct xs_conn *c, const struct xs_request *r, const void *data, size_t len);
void xs_reply_string(struct xs_conn *c, const struct xs_request *r, const char *s);
void xs_reply_error(struct xs_conn *c, const struct xs_request *r, int err);

/* READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART, GET_PERMS, SET_PERMS. */
void xs_req_node(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r);
/* TRANSACTION_START, TRANSACTION_END. */
void xs_req_transaction(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r);
/* WATCH, UNWATCH, RESET_WATCHES. */
void xs_req_watch(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r);
/* INTRODUCE, RELEASE, GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED, RESUME,
 * SET_TARGET, CONTROL. */
void xs_req_domain(struct xs_engine *e, struct xs_conn *c, const struct xs_request *r);

/* Free all of c's watches / transactions. */
void xs_watches_free(struct xs_conn *c);
void xs_transactions_free(struct xs_conn *c);

#endif
