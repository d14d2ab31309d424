/* Line-buffered guest console: console_io hypercalls, optionally port 0xe9. */
#include <xen/xen.h>

#include "console.h"
#include "format.h"
#include "hypercall.h"

#define CONSOLE_LINE_MAX 256

static char line[CONSOLE_LINE_MAX];
static unsigned int line_len;
static bool debugcon;

void console_set_debugcon(bool on)
{
    debugcon = on;
}

void console_flush(void)
{
    unsigned int len = line_len;

    /* Empty the buffer first: a fault in the hypercall reports through it. */
    line_len = 0;
    if (!len)
        return;
    if (debugcon) {
        for (unsigned int i = 0; i < len; i++)
            __asm__ volatile("outb %0, %1"
                             : : "a"(line[i]), "Nd"((unsigned short)XEN_HVM_DEBUGCONS_IOPORT));
    }
    HYPERVISOR_console_io(CONSOLEIO_write, len, line);
}

static void put_char(char c, void *ctx)
{
    (void)ctx;
    line[line_len++] = c;
    if (c == '\n' || line_len == CONSOLE_LINE_MAX)
        console_flush();
}

void guest_vprintf(const char *fmt, va_list ap)
{
    format(put_char, NULL, fmt, ap);
}

void guest_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    guest_vprintf(fmt, ap);
    va_end(ap);
}
