/*
 * Result reporting. Each check prints one line,
 *   TEST <area> <name>: PASS
 *   TEST <area> <name>: FAIL <detail>
 * and the guest ends with exactly one
 *   RESULT <guest_name> PASS        or   RESULT <guest_name> FAIL <failed>/<checks>
 * before it shuts itself down. Informational lines start with "INFO ".
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdbool.h>

/* Each guest defines its name, used in the RESULT line. */
extern const char guest_name[];

/* Record one check; fmt and its arguments give the detail on failure. Returns ok. */
bool test_check(bool ok, const char *area, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* CHECK(condition, area, name, fail_fmt, ...) */
#define CHECK(cond, area, name, ...) test_check((cond), (area), (name), __VA_ARGS__)

/* Check that a hypercall (or anything) returned want. */
bool test_check_eq(const char *area, const char *name, long got, long want);

/* Print the RESULT line and SCHEDOP_shutdown with reason; halts if that returns. */
_Noreturn void test_finish(unsigned int reason);

/* SCHEDOP_shutdown(reason); returns only if the hypervisor refuses. */
long guest_shutdown(unsigned int reason);

#endif
