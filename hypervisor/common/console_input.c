/* Console input for dom0: a byte ring filled from the serial console and
 * drained by dom0's CONSOLEIO_read. Input goes to dom0 once it has bound
 * VIRQ_CONSOLE (Linux's hvc driver does), unless the user switched back. */
#include <mica/console_input.h>
#include <mica/domain.h>
#include <mica/evtchn.h>
#include <mica/spinlock.h>

#define RING_SIZE 1024

static char ring[RING_SIZE];
static size_t head, tail;           /* head: next to read; tail: next to write */
static spinlock_t ring_lock = SPINLOCK_INIT;
static bool shell_forced;           /* Ctrl-A x3 took input back */

static bool dom0_listens(const struct domain *d0)
{
    return d0 && d0->state == DOMAIN_RUNNING && d0->vcpus[0] &&
           d0->vcpus[0]->virq_ports[VIRQ_CONSOLE];
}

bool console_input_is(const struct domain *d)
{
    return d && d->id == 0 && !shell_forced && dom0_listens(d);
}

bool console_input_toggle(void)
{
    shell_forced = !shell_forced;
    return console_input_is(domain_by_id(0));
}

void console_input_to_dom0(char c)
{
    struct domain *d0 = domain_by_id(0);

    spin_lock(&ring_lock);
    /* When dom0 does not keep up, the oldest input is what goes. */
    if (tail - head == RING_SIZE)
        head++;
    ring[tail++ % RING_SIZE] = c;
    spin_unlock(&ring_lock);
    if (d0)
        evtchn_send_virq(d0->vcpus[0], VIRQ_CONSOLE);
}

size_t console_input_take(char *buf, size_t len)
{
    size_t n = 0;

    spin_lock(&ring_lock);
    while (n < len && head != tail)
        buf[n++] = ring[head++ % RING_SIZE];
    spin_unlock(&ring_lock);
    return n;
}
