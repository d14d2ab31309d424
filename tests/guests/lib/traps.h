/*
 * Exceptions in a test guest are failures: every vector 0-31 reports a
 * FAIL line (vector, error code, RIP, CR2 for #PF), the RESULT line, and
 * shuts the domain down as crashed.
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

#include <stdint.h>

/* What the stubs in trap_stubs.S push, lowest address first. */
struct trap_frame {
    uint64_t vector;
    uint64_t error;
    uint64_t rip;
    uint64_t cs;
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};

/* Load an IDT whose 32 exception gates lead to trap_report(). */
void traps_init(void);

_Noreturn void trap_report(const struct trap_frame *f);

#endif
