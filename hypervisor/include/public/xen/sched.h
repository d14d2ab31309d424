/*
 * sched_op(cmd, arg): give up the CPU, block until an event, poll ports,
 * and shut the domain down with a reason its controller acts on.
 */
#ifndef MICA_PUBLIC_XEN_SCHED_H
#define MICA_PUBLIC_XEN_SCHED_H

#include "event_channel.h"

#define SCHEDOP_yield            0   /* arg 0 */
#define SCHEDOP_block            1   /* arg 0; wakes on an event, even if masked */
#define SCHEDOP_shutdown         2   /* struct sched_shutdown */
#define SCHEDOP_poll             3   /* struct sched_poll */
#define SCHEDOP_remote_shutdown  4   /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code    5   /* struct sched_shutdown: record, don't act */
#define SCHEDOP_watchdog         6   /* struct sched_watchdog */
#define SCHEDOP_pin_override     7   /* struct sched_pin_override */

/* sched_shutdown.reason */
#define SHUTDOWN_poweroff    0
#define SHUTDOWN_reboot      1
#define SHUTDOWN_suspend     2   /* returns to the guest on resume */
#define SHUTDOWN_crash       3
#define SHUTDOWN_watchdog    4
#define SHUTDOWN_soft_reset  5
#define SHUTDOWN_MAX         5

#ifndef __ASSEMBLER__

struct sched_shutdown {
    uint32_t reason;            /* SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown size");

/* Block until one of ports[] is pending or system time passes timeout (0: none). */
struct sched_poll {
    uint64_t ports;             /* guest handle: evtchn_port_t[nr_ports] */
    uint32_t nr_ports;
    uint64_t timeout;
};
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll size");
_Static_assert(offsetof(struct sched_poll, nr_ports) == 8, "sched_poll.nr_ports");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "sched_poll.timeout");

struct sched_remote_shutdown {
    domid_t domain_id;
    uint32_t reason;            /* SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown size");
_Static_assert(offsetof(struct sched_remote_shutdown, reason) == 4, "sched_remote_shutdown.reason");

/* id 0 creates a watchdog; timeout 0 destroys watchdog id. */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;           /* seconds */
};
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog size");

struct sched_pin_override {
    int32_t pcpu;
};
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override size");

#endif /* !__ASSEMBLER__ */

#endif
