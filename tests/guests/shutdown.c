/*
 * shutdown: ends the domain with SCHEDOP_shutdown and the reason its
 * command line names (reason=poweroff|reboot|crash). On success the last
 * line it prints is "INFO sched shutdown reason=<name> code=<n>"; the
 * harness checks the reason the hypervisor recorded. Any return from the
 * hypercall is a failure.
 */
#include "guest.h"

const char guest_name[] = "shutdown";

static const struct {
    const char *name;
    unsigned int code;
} reasons[] = {
    { "poweroff", SHUTDOWN_poweroff },
    { "reboot", SHUTDOWN_reboot },
    { "crash", SHUTDOWN_crash },
};

/* Index into reasons[] of name, or -1. */
static int find_reason(const char *name)
{
    for (unsigned int i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        if (strcmp(name, reasons[i].name) == 0)
            return (int)i;
    }
    return -1;
}

void guest_main(const struct hvm_start_info *si)
{
    char arg[16] = "";
    int i = cmdline_get(si, "reason", arg, sizeof(arg)) ? find_reason(arg) : -1;

    if (!CHECK(i >= 0, "sched", "reason_param", "want reason=poweroff|reboot|crash, got \"%s\"",
               arg))
        return;
    guest_printf("INFO sched shutdown reason=%s code=%u\n", arg, reasons[i].code);
    long rc = guest_shutdown(reasons[i].code);
    CHECK(false, "sched", "shutdown", "SCHEDOP_shutdown(%s) returned %ld", arg, rc);
}
