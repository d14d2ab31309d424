/* xs_conn: one client connection: the bytes in and out, framed into
 * messages, over a transport that may be a socket or a shared ring. */
#ifndef XS_CONN_H
#define XS_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "xs_proto.h"

/* Where a connection's bytes come from and go. read and write move what
 * they can without blocking: >= 0 bytes moved, < 0 the peer is gone or
 * broke the transport's rules. destroy releases ctx. */
struct xs_transport {
    ssize_t (*read)(void *ctx, void *buf, size_t len);
    ssize_t (*write)(void *ctx, const void *buf, size_t len);
    void (*destroy)(void *ctx);
};

struct xs_outmsg {
    struct xs_outmsg *next;
    size_t len, done;
    char data[];
};

struct xs_watch;
struct xs_txn;

struct xs_conn {
    struct xs_conn *next;
    uint32_t domid;
    bool privileged;
    uint32_t target;                 /* XS_NO_TARGET or a domain it serves */
    const struct xs_transport *tp;
    void *tp_ctx;
    /* Input: the header, then its payload (+1 byte for a terminator). */
    struct xs_msg_header hdr;
    size_t in_have;
    char in[sizeof(struct xs_msg_header) + XS_PAYLOAD_MAX + 1];
    struct xs_outmsg *out_head, *out_tail;
    size_t out_bytes;
    struct xs_watch *watches;
    unsigned nr_watches;
    struct xs_txn *txns;
    unsigned nr_txns;
    bool broken;                     /* close once the output is flushed */
};

/* NULL when out of memory. */
struct xs_conn *xs_conn_new(uint32_t domid, bool privileged,
                            const struct xs_transport *tp, void *tp_ctx);
/* Frees the queued output and the transport; not the watches or
 * transactions, which belong to the engine. */
void xs_conn_free(struct xs_conn *c);

/* Read what the transport has until one message is complete. Returns 1
 * with *hdr and *payload (NUL-terminated at hdr->len) for a message, 0 if
 * more bytes are needed, -E2BIG for a header announcing an oversize
 * payload, -EPIPE when the transport failed. */
int xs_conn_receive(struct xs_conn *c, struct xs_msg_header *hdr, char **payload);
/* Forget the current message so the next one can be read. */
void xs_conn_consume(struct xs_conn *c);

/* Queue a message; 0 or -ENOMEM. */
int xs_conn_queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                  const void *payload, size_t len);
/* Queue an XS_ERROR reply naming err. */
int xs_conn_queue_error(struct xs_conn *c, uint32_t req_id, uint32_t tx_id, int err);
/* Write queued output; 0, or -EPIPE when the transport failed. */
int xs_conn_flush(struct xs_conn *c);

#endif
