/* The C side of the entry (called from entry.S): set up, run the guest, report. */
#include "guest.h"
#include "traps.h"

void guest_start(const struct hvm_start_info *si)
{
    hypercall_init();
    traps_init();
    console_set_debugcon(cmdline_get(si, "debugcon", NULL, 0));
    guest_main(si);
    test_finish(SHUTDOWN_poweroff);
}
