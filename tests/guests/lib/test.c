/* Counting checks, printing TEST/RESULT lines, and shutting the guest down. */
#include <stdarg.h>
#include <xen/sched.h>

#include "console.h"
#include "hypercall.h"
#include "test.h"

static unsigned int checks;
static unsigned int failures;

bool test_check(bool ok, const char *area, const char *name, const char *fmt, ...)
{
    checks++;
    if (ok) {
        guest_printf("TEST %s %s: PASS\n", area, name);
        return true;
    }
    failures++;
    guest_printf("TEST %s %s: FAIL ", area, name);
    va_list ap;
    va_start(ap, fmt);
    guest_vprintf(fmt, ap);
    va_end(ap);
    guest_printf("\n");
    return false;
}

bool test_check_eq(const char *area, const char *name, long got, long want)
{
    return test_check(got == want, area, name, "got %ld, want %ld", got, want);
}

long guest_shutdown(unsigned int reason)
{
    struct sched_shutdown arg = { .reason = reason };

    return HYPERVISOR_sched_op(SCHEDOP_shutdown, &arg);
}

_Noreturn void test_finish(unsigned int reason)
{
    if (failures)
        guest_printf("RESULT %s FAIL %u/%u\n", guest_name, failures, checks);
    else
        guest_printf("RESULT %s PASS\n", guest_name);
    console_flush();
    guest_shutdown(reason);
    for (;;)
        __asm__ volatile("cli; hlt");
}
