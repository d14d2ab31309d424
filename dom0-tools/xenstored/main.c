/* mica-xenstored: the xenstore daemon of Mica's dom0. It serves the store
 * to local clients on a unix socket, to dom0's own kernel xenbus through
 * /dev/xen/xenbus_backend, and to introduced domains on their rings. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xs_engine.h"
#include "xs_ring.h"
#include "xs_socket.h"
#include "xs_xen.h"

#define DEFAULT_SOCKET "/var/run/xenstored/socket"
#define MAX_LISTENERS 8

struct listener {
    int fd;
    char path[108];
    uint32_t domid;
    bool privileged;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: mica-xenstored [options]\n"
        "  -s, --socket PATH          dom0 clients' socket (default " DEFAULT_SOCKET ")\n"
        "  -d, --domain-socket PATH:DOMID\n"
        "                             a socket whose clients act as unprivileged domain\n"
        "                             DOMID (stub domains, tests); may repeat\n"
        "  -k, --kernel-ring yes|no|auto\n"
        "                             serve dom0's kernel xenbus via /dev/xen/xenbus_backend\n"
        "                             (auto: when the device exists; default)\n"
        "      --quota-nodes N        nodes an unprivileged domain may own (1000)\n"
        "      --quota-value N        bytes in a value written by a domain (2048)\n"
        "      --quota-perms N        entries in a node's permission list (5)\n"
        "      --quota-watches N      watches per connection (128)\n"
        "      --quota-transactions N open transactions per connection (10)\n"
        "      --quota-transaction-entries N\n"
        "                             nodes one transaction may read or change (1024)\n"
        "  -h, --help                 this text\n"
        "Runs in the foreground; logs to stderr.\n");
}

static int parse_count(const char *opt, const char *text, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno || *end || !*text || v == 0 || v > 1000000) {
        fprintf(stderr, "mica-xenstored: %s wants a number from 1 to 1000000, not '%s'\n",
                opt, text);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int add_listener(struct listener *ls, int *n, const char *spec, bool domain)
{
    struct listener *l = &ls[*n];
    const char *path_end = domain ? strrchr(spec, ':') : spec + strlen(spec);

    if (*n == MAX_LISTENERS) {
        fprintf(stderr, "mica-xenstored: at most %d sockets\n", MAX_LISTENERS);
        return -1;
    }
    if (!path_end || (size_t)(path_end - spec) >= sizeof(l->path) || path_end == spec) {
        fprintf(stderr, "mica-xenstored: bad socket '%s'%s\n", spec,
                domain ? " (want PATH:DOMID)" : "");
        return -1;
    }
    memcpy(l->path, spec, (size_t)(path_end - spec));
    l->path[path_end - spec] = '\0';
    l->domid = 0;
    l->privileged = !domain;
    if (domain) {
        unsigned id;
        char *end;
        errno = 0;
        unsigned long v = strtoul(path_end + 1, &end, 10);
        if (errno || *end || !path_end[1] || v == 0 || v > XS_DOMID_MAX) {
            fprintf(stderr, "mica-xenstored: bad domain id in '%s' (1..%u)\n", spec,
                    XS_DOMID_MAX);
            return -1;
        }
        id = (unsigned)v;
        l->domid = id;
    }
    (*n)++;
    return 0;
}

/* Serve every ring connection (an event channel fired; which one does not
 * matter: an idle ring costs two index reads). */
static void serve_rings(struct xs_engine *e)
{
    bool again = true;
    /* Serving may remove connections: restart the walk after each removal. */
    while (again) {
        again = false;
        for (struct xs_conn *c = e->conns; c; c = c->next) {
            if (c->tp != &xs_ring_transport)
                continue;
            if (xs_engine_serve(e, c) < 0) {
                fprintf(stderr, "mica-xenstored: domain %u broke its ring; no longer served\n",
                        c->domid);
                xs_engine_remove_conn(e, c);
                again = true;
                break;
            }
        }
    }
}

static struct xs_conn *conn_by_fd(struct xs_engine *e, int fd)
{
    for (struct xs_conn *c = e->conns; c; c = c->next)
        if (xs_socket_fd(c) == fd)
            return c;
    return NULL;
}

static int run(struct xs_engine *e, struct xs_xen *xen, struct listener *ls, int nls)
{
    size_t cap = 64;
    struct pollfd *pfd = malloc(cap * sizeof(*pfd));

    if (!pfd)
        return 1;
    while (!stop) {
        size_t n = 0, need = (size_t)nls + 1;
        for (struct xs_conn *c = e->conns; c; c = c->next)
            need++;
        if (need > cap) {
            struct pollfd *p = realloc(pfd, need * sizeof(*p));
            if (!p)
                break;
            pfd = p;
            cap = need;
        }
        for (int i = 0; i < nls; i++)
            pfd[n++] = (struct pollfd){ .fd = ls[i].fd, .events = POLLIN };
        pfd[n++] = (struct pollfd){ .fd = xen->evtchn.fd, .events = POLLIN };
        for (struct xs_conn *c = e->conns; c; c = c->next) {
            int fd = xs_socket_fd(c);
            /* A client behind on its replies is not read (see xs_engine_serve). */
            bool backlog = c->out_bytes > e->limits.output_max;
            if (fd >= 0)
                pfd[n++] = (struct pollfd){ .fd = fd,
                                            .events = (backlog ? 0 : POLLIN) |
                                                      (c->out_head ? POLLOUT : 0) };
        }
        if (poll(pfd, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("mica-xenstored: poll");
            break;
        }
        for (int i = 0; i < nls; i++) {
            if (!(pfd[i].revents & POLLIN))
                continue;
            struct xs_conn *c = xs_socket_accept(ls[i].fd, ls[i].domid, ls[i].privileged);
            if (c)
                xs_engine_add_conn(e, c);
        }
        if (pfd[nls].revents & POLLIN) {
            int err = xs_xen_drain_events(xen);
            if (err)
                fprintf(stderr, "mica-xenstored: reading %s: %s\n", MICA_EVTCHN_DEVICE,
                        strerror(-err));
            serve_rings(e);
        }
        for (size_t i = (size_t)nls + 1; i < n; i++) {
            if (!pfd[i].revents)
                continue;
            struct xs_conn *c = conn_by_fd(e, pfd[i].fd);
            if (c && xs_engine_serve(e, c) < 0)
                xs_engine_remove_conn(e, c);
        }
        /* Requests may have queued replies or events anywhere. */
        serve_rings(e);
        xs_engine_flush_all(e);
    }
    free(pfd);
    return 0;
}

int main(int argc, char **argv)
{
    enum { OPT_NODES = 256, OPT_VALUE, OPT_PERMS, OPT_WATCHES, OPT_TXNS, OPT_TXN_ENTRIES };
    static const struct option options[] = {
        { "socket", required_argument, NULL, 's' },
        { "domain-socket", required_argument, NULL, 'd' },
        { "kernel-ring", required_argument, NULL, 'k' },
        { "quota-nodes", required_argument, NULL, OPT_NODES },
        { "quota-value", required_argument, NULL, OPT_VALUE },
        { "quota-perms", required_argument, NULL, OPT_PERMS },
        { "quota-watches", required_argument, NULL, OPT_WATCHES },
        { "quota-transactions", required_argument, NULL, OPT_TXNS },
        { "quota-transaction-entries", required_argument, NULL, OPT_TXN_ENTRIES },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct xs_limits limits = xs_default_limits;
    struct listener ls[MAX_LISTENERS];
    const char *socket_path = DEFAULT_SOCKET, *kernel_ring = "auto";
    int nls = 0, opt, bad = 0;
    char *domain_specs[MAX_LISTENERS];
    int ndomain = 0;

    while ((opt = getopt_long(argc, argv, "s:d:k:h", options, NULL)) != -1) {
        switch (opt) {
        case 's': socket_path = optarg; break;
        case 'd':
            if (ndomain == MAX_LISTENERS - 1) {
                fprintf(stderr, "mica-xenstored: too many --domain-socket\n");
                return 2;
            }
            domain_specs[ndomain++] = optarg;
            break;
        case 'k': kernel_ring = optarg; break;
        case OPT_NODES: bad |= parse_count("--quota-nodes", optarg, &limits.store.nodes_per_domain); break;
        case OPT_VALUE: bad |= parse_count("--quota-value", optarg, &limits.store.value_max); break;
        case OPT_PERMS: bad |= parse_count("--quota-perms", optarg, &limits.store.perms_max); break;
        case OPT_WATCHES: bad |= parse_count("--quota-watches", optarg, &limits.watches_per_conn); break;
        case OPT_TXNS: bad |= parse_count("--quota-transactions", optarg, &limits.txns_per_conn); break;
        case OPT_TXN_ENTRIES:
            bad |= parse_count("--quota-transaction-entries", optarg, &limits.txn_entries_max);
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (strcmp(kernel_ring, "yes") && strcmp(kernel_ring, "no") && strcmp(kernel_ring, "auto")) {
        fprintf(stderr, "mica-xenstored: --kernel-ring wants yes, no or auto\n");
        bad = 1;
    }
    if (optind < argc) {
        fprintf(stderr, "mica-xenstored: unexpected argument '%s'\n", argv[optind]);
        bad = 1;
    }
    if (bad || add_listener(ls, &nls, socket_path, false) < 0)
        return 2;
    for (int i = 0; i < ndomain; i++)
        if (add_listener(ls, &nls, domain_specs[i], true) < 0)
            return 2;

    struct xs_xen xen;
    xs_xen_init(&xen);
    struct xs_engine *e = xs_engine_new(&limits, xs_xen_connect_domain, &xen);
    if (!e) {
        fprintf(stderr, "mica-xenstored: out of memory\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    for (int i = 0; i < nls; i++) {
        ls[i].fd = xs_socket_listen(ls[i].path);
        if (ls[i].fd < 0)
            return 1;
        if (ls[i].privileged)
            fprintf(stderr, "mica-xenstored: listening on %s\n", ls[i].path);
        else
            fprintf(stderr, "mica-xenstored: listening on %s for domain %u\n",
                    ls[i].path, ls[i].domid);
    }
    bool want_kernel = strcmp(kernel_ring, "yes") == 0 ||
        (strcmp(kernel_ring, "auto") == 0 && access("/dev/xen/xenbus_backend", F_OK) == 0);
    if (want_kernel) {
        struct xs_conn *kc;
        if (xs_xen_kernel_ring(&xen, &kc) == 0) {
            xs_engine_add_conn(e, kc);
            fprintf(stderr, "mica-xenstored: serving dom0's kernel xenbus\n");
        } else if (strcmp(kernel_ring, "yes") == 0) {
            bad = 1;        /* asked for and impossible: clean up and fail */
        }
    }
    int rc = bad ? 1 : run(e, &xen, ls, nls);
    for (int i = 0; i < nls; i++) {
        close(ls[i].fd);
        unlink(ls[i].path);
    }
    xs_engine_free(e);
    xs_xen_close(&xen);
    return rc;
}
