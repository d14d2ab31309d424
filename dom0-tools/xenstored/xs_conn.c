/* xs_conn: message framing and output queueing for one connection. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_conn.h"
#include "xs_perms.h"

struct xs_conn *xs_conn_new(uint32_t domid, bool privileged,
                            const struct xs_transport *tp, void *tp_ctx)
{
    struct xs_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->domid = domid;
    c->privileged = privileged;
    c->target = XS_NO_TARGET;
    c->tp = tp;
    c->tp_ctx = tp_ctx;
    return c;
}

void xs_conn_free(struct xs_conn *c)
{
    if (!c)
        return;
    while (c->out_head) {
        struct xs_outmsg *m = c->out_head;
        c->out_head = m->next;
        free(m);
    }
    if (c->tp && c->tp->destroy)
        c->tp->destroy(c->tp_ctx);
    free(c);
}

int xs_conn_receive(struct xs_conn *c, struct xs_msg_header *hdr, char **payload)
{
    const size_t hsize = sizeof(struct xs_msg_header);

    for (;;) {
        size_t want = hsize;
        if (c->in_have >= hsize) {
            memcpy(&c->hdr, c->in, hsize);
            if (c->hdr.len > XS_PAYLOAD_MAX)
                return -E2BIG;
            want = hsize + c->hdr.len;
        }
        if (c->in_have == want && c->in_have >= hsize) {
            *hdr = c->hdr;
            *payload = c->in + hsize;
            (*payload)[c->hdr.len] = '\0';
            return 1;
        }
        ssize_t n = c->tp->read(c->tp_ctx, c->in + c->in_have, want - c->in_have);
        if (n < 0)
            return -EPIPE;
        if (n == 0)
            return 0;
        c->in_have += (size_t)n;
    }
}

void xs_conn_consume(struct xs_conn *c)
{
    c->in_have = 0;
}

int xs_conn_queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
                  const void *payload, size_t len)
{
    struct xs_msg_header h = { type, req_id, tx_id, (uint32_t)len };
    struct xs_outmsg *m = malloc(sizeof(*m) + sizeof(h) + len);

    if (!m)
        return -ENOMEM;
    m->next = NULL;
    m->len = sizeof(h) + len;
    m->done = 0;
    memcpy(m->data, &h, sizeof(h));
    if (len)
        memcpy(m->data + sizeof(h), payload, len);
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
    c->out_bytes += m->len;
    return 0;
}

int xs_conn_queue_error(struct xs_conn *c, uint32_t req_id, uint32_t tx_id, int err)
{
    const char *name = xs_error_name(err);
    return xs_conn_queue(c, XS_ERROR, req_id, tx_id, name, strlen(name) + 1);
}

int xs_conn_flush(struct xs_conn *c)
{
    while (c->out_head) {
        struct xs_outmsg *m = c->out_head;
        ssize_t n = c->tp->write(c->tp_ctx, m->data + m->done, m->len - m->done);
        if (n < 0)
            return -EPIPE;
        if (n == 0)
            return 0;
        m->done += (size_t)n;
        c->out_bytes -= (size_t)n;
        if (m->done == m->len) {
            c->out_head = m->next;
            if (!c->out_head)
                c->out_tail = NULL;
            free(m);
        }
    }
    return 0;
}
