/* console_io: guest output lines on the hypervisor console as "(dN) ...";
 * reads come from the console input when it is switched to a domain. */
#include <mica/console_input.h>
#include <mica/console_io.h>
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/log.h>

#define CONSOLE_IO_MAX 4096     /* bytes taken from one call */

/* Prints the buffered text: a whole line, or (for the domain reading the
 * console, whose prompts have no newline) what there is so far. */
static void emit(struct domain *d, bool newline)
{
    if (d->console_midline)
        printk("%.*s%s", (int)d->console_len, d->console_line, newline ? "\n" : "");
    else
        printk("(d%u) %.*s%s", d->id, (int)d->console_len, d->console_line,
               newline ? "\n" : "");
    d->console_midline = !newline;
    d->console_len = 0;
}

void domain_console_flush(struct domain *d)
{
    if (d->console_len)
        emit(d, true);
}

void domain_console_write(struct domain *d, const char *s, size_t len)
{
    spin_lock(&d->lock);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\n') {
            emit(d, true);
            continue;
        }
        if (c == '\r')
            continue;
        /* Control characters could drive the terminal: show them as '?',
         * except from the domain the user is typing to (its shell's line
         * editing needs escape sequences). */
        if (((c < ' ' && c != '\t') || c == 0x7f) && !console_input_is(d))
            c = '?';
        d->console_line[d->console_len++] = c;
        if (d->console_len == sizeof(d->console_line))
            emit(d, false);
    }
    if (d->console_len && console_input_is(d))
        emit(d, false);
    spin_unlock(&d->lock);
}

long do_console_io(struct vcpu *v, const uint64_t args[5])
{
    uint64_t cmd = args[0], count = args[1], buf = args[2];
    char chunk[256];

    switch (cmd) {
    case CONSOLEIO_write:
        if (count > CONSOLE_IO_MAX)
            count = CONSOLE_IO_MAX;
        for (uint64_t done = 0; done < count;) {
            size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
            if (copy_from_guest(v, chunk, buf + done, n))
                return -XEN_EFAULT;
            domain_console_write(v->domain, chunk, n);
            done += n;
        }
        return 0;
    case CONSOLEIO_read: {
        /* Only the control domain reads the console, as on Xen. */
        if (!v->domain->privileged)
            return -XEN_EPERM;
        size_t want = count < sizeof(chunk) ? count : sizeof(chunk);
        size_t n = console_input_take(chunk, want);
        if (n && copy_to_guest(v, buf, chunk, n))
            return -XEN_EFAULT;
        return (long)n;
    }
    default:
        return -XEN_ENOSYS;
    }
}
