/* xs_proto: the xenstore wire protocol as the daemon sees it: message types,
 * the message header, size limits, error names and the shared ring page. */
#ifndef XS_PROTO_H
#define XS_PROTO_H

#include <stdint.h>

/* Message types; the numbers are fixed by the protocol (xs_wire.h). */
enum xs_type {
    XS_CONTROL = 0,
    XS_DIRECTORY = 1,
    XS_READ = 2,
    XS_GET_PERMS = 3,
    XS_WATCH = 4,
    XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7,
    XS_INTRODUCE = 8,
    XS_RELEASE = 9,
    XS_GET_DOMAIN_PATH = 10,
    XS_WRITE = 11,
    XS_MKDIR = 12,
    XS_RM = 13,
    XS_SET_PERMS = 14,
    XS_WATCH_EVENT = 15,
    XS_ERROR = 16,
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME = 18,
    XS_SET_TARGET = 19,
    /* 20 was a request that is gone from the protocol. */
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
};

/* Every message starts with this header, little-endian on x86. */
struct xs_msg_header {
    uint32_t type;
    uint32_t req_id;   /* echoed in the reply */
    uint32_t tx_id;    /* 0 outside a transaction */
    uint32_t len;      /* payload bytes that follow */
};

#define XS_PAYLOAD_MAX       4096u
#define XS_ABS_PATH_MAX      3072u
#define XS_REL_PATH_MAX      2048u

/* The shared page between a domain and the daemon: two byte rings, each
 * with free-running 32-bit indices (masked on use), then feature and state
 * words. The layout is fixed by the protocol. */
#define XS_RING_SIZE 1024u
struct xs_ring_page {
    char req[XS_RING_SIZE];          /* domain -> daemon */
    char rsp[XS_RING_SIZE];          /* daemon -> domain */
    uint32_t req_cons, req_prod;
    uint32_t rsp_cons, rsp_prod;
    uint32_t server_features;
    uint32_t connection;
    uint32_t error;
};
#define XS_RING_MASK(idx) ((idx) & (XS_RING_SIZE - 1))
#define XS_SERVER_FEATURE_RECONNECTION 1u
#define XS_SERVER_FEATURE_ERROR        2u
#define XS_RING_CONNECTED  0u
#define XS_RING_RECONNECT  1u
#define XS_RING_ERROR_NONE    0u
#define XS_RING_ERROR_COMM    1u
#define XS_RING_ERROR_RINGIDX 2u
#define XS_RING_ERROR_PROTO   3u

/* The grant reference under which a domain offers its store page. */
#define XS_GNTTAB_RESERVED_XENSTORE 1u

/* Domain ids. */
#define XS_DOMID_PRIV   0u
#define XS_DOMID_MAX    0x7fefu     /* larger ids are reserved by Xen */

/* The error name a client receives for a negative errno; "EINVAL" for any
 * errno the protocol has no name for. */
const char *xs_error_name(int err);

#endif
