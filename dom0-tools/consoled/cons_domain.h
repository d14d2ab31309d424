/* cons_domain: one guest's console as the daemon serves it: its mapped
 * ring and bound event channel, the pty a user attaches to, and its log
 * file. */
#ifndef CONS_DOMAIN_H
#define CONS_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "cons_xen.h"

struct cons_domain {
    uint32_t domid;
    uint64_t ring_ref;
    uint32_t remote_port;
    bool attached;                /* false: attaching failed for these nodes */
    bool seen;                    /* scratch for the store scan */
    struct cons_map map;
    uint32_t local_port;
    int pty_fd;                   /* master side; -1 when not attached */
    int pty_slave_fd;             /* held open so the master never sees a hangup */
    int log_fd;
    unsigned bad_indices;         /* times the guest's indices were wrong */
    char name[64];                /* for the log file */
    char tty[64];
    struct cons_domain *next;
};

/* Maps the ring, binds the channel, opens a raw pty and the log file
 * LOG_DIR/guest-NAME.log (NAME sanitised: other characters than letters,
 * digits, '.', '_' and '-' become '_'). On failure it says why on stderr,
 * releases what it took and leaves d->attached false. */
void cons_domain_attach(struct cons_domain *d, struct cons_xen *x, const char *log_dir);
/* Whether the domain this console was attached to is still there: listed
 * by the hypervisor, not dying, and still at the other end of our port
 * (a new domain may have taken its id). */
bool cons_domain_alive(struct cons_domain *d, struct cons_xen *x);
/* Copies what the guest wrote to the log and the pty (only while the
 * domain is alive: a destroyed domain's page is gone), then lets go. */
void cons_domain_detach(struct cons_domain *d, struct cons_xen *x);

/* Guest output to the log file and the pty; notifies the guest when it
 * took anything, so that a guest waiting for space goes on. */
void cons_domain_output(struct cons_domain *d, struct cons_xen *x);
/* Whether there is room in the ring for typed input. */
bool cons_domain_wants_input(const struct cons_domain *d);
/* Typed input from the pty into the ring, as much as fits. */
void cons_domain_input(struct cons_domain *d, struct cons_xen *x);
/* Closes and reopens the log file (after a rotation). */
void cons_domain_reopen_log(struct cons_domain *d, const char *log_dir);

#endif
