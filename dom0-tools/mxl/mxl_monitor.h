/* The per-domain monitor that `mxl create` leaves behind (docs/mxl.md):
 * a detached process that keeps the domain's parsed config, polls the
 * domain's state and, when the guest shuts down, applies on_poweroff,
 * on_reboot or on_crash (destroy, restart, preserve).
 *
 * While it watches domain ID it holds an exclusive flock on
 * MXL_MONITOR_DIR/ID, a small text file naming it and its actions, so
 * other mxl commands (shutdown -w, reboot -w) can tell whether a monitor
 * will act and what it will do. A stale file (monitor gone) is unlocked. */
#ifndef MXL_MONITOR_H
#define MXL_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "domain_config.h"
#include "mxl.h"

#define MXL_MONITOR_DIR "/var/run/mica/mxl"
#define MXL_MONITOR_LOG_DIR "/var/log/mica"
#define MXL_MONITOR_POLL_MS 250

struct mxl_monitor_info {
    pid_t pid;
    char name[DOMAIN_NAME_MAX + 1];
    enum domain_action on_poweroff, on_reboot, on_crash;
    unsigned restarts;          /* how often it has restarted the domain */
};

/* Forks the detached monitor for domid (setsid, double fork, every
 * inherited fd closed, stdio on /dev/null and MXL_MONITOR_LOG_DIR/
 * mxl-NAME.log) and waits until it has taken its lock. cfg is copied by
 * the fork: the caller may free it afterwards. Prints a warning and
 * returns -1 if no monitor could be started (the domain is left as is). */
int mxl_monitor_start(const struct domain_config *cfg, uint16_t domid);

/* True if a live monitor watches domid; fills *out (may be NULL). */
bool mxl_monitor_find(uint16_t domid, struct mxl_monitor_info *out);

/* After a restart the new domain may have the old id (ids are reused):
 * true if the monitor `before` describes has restarted its domain since,
 * with *domid the new one. */
bool mxl_monitor_restarted(const struct mxl_monitor_info *before, uint16_t *domid);

/* The action a config (or monitor) takes for a SHUTDOWN_* reason; false
 * for SHUTDOWN_suspend, which is no stop (save/restore). Reasons other
 * than poweroff and reboot (crash, watchdog, soft_reset) use on_crash. */
bool mxl_action_for(enum domain_action on_poweroff, enum domain_action on_reboot,
                    enum domain_action on_crash, uint32_t reason, enum domain_action *out);

#endif
