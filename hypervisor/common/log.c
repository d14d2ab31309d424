/* Leveled logging over the console device, serialized across CPUs. */
#include <mica/arch.h>
#include <mica/format.h>
#include <mica/log.h>
#include <mica/spinlock.h>

static enum log_level current_level = LOG_INFO;
static spinlock_t console_lock = SPINLOCK_INIT;

void log_set_level(enum log_level level)
{
    current_level = level;
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n >= (int)sizeof(buf))
        n = sizeof(buf) - 1;
    spin_lock(&console_lock);
    arch_console_write(buf, (size_t)n);
    spin_unlock(&console_lock);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
    if (level > current_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    printk("\nmica: PANIC: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    arch_dump_stack();
    printk("mica: system halted\n");
    arch_halt();
}
