/* console_io: guest output lines on the hypervisor console as "(dN) ...";
 * reads come from the console input when it is switched to a domain. */
#include <mica/console_io.h>
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/log.h>

#define CONSOLE_IO_MAX 4096     /* bytes taken from one call */

static void emit(struct domain *d)
{
    printk("(d%u) %.*s\n", d->id, (int)d->console_len, d->console_line);
    d->console_len = 0;
}

void domain_console_flush(struct domain *d)
{
    if (d->console_len)
        emit(d);
}

void domain_console_write(struct domain *d, const char *s, size_t len)
{
    spin_lock(&d->lock);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\n') {
            emit(d);
            continue;
        }
        if (c == '\r')
            continue;
        /* Control characters could drive the terminal: show them as '?'. */
        if ((c < ' ' && c != '\t') || c == 0x7f)
            c = '?';
        d->console_line[d->console_len++] = c;
        if (d->console_len == sizeof(d->console_line))
            emit(d);
    }
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
    case CONSOLEIO_read:
        /* The hypervisor console keeps its input; guests get none yet. */
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
