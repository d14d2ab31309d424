/* Leveled logging over the console device, serialized across CPUs. The
 * hypervisor's own messages are also kept in a ring for the control
 * domain (guests' console output and the shell's are not). */
#include <mica/arch.h>
#include <mica/format.h>
#include <mica/log.h>
#include <mica/log_ring.h>
#include <mica/spinlock.h>

#define LOG_RING_SIZE (64 * 1024)

static enum log_level current_level = LOG_INFO;
static spinlock_t console_lock = SPINLOCK_INIT;
static char ring_buf[LOG_RING_SIZE];
static struct log_ring ring = { ring_buf, LOG_RING_SIZE, 0, 0 };

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
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(buf))
        n = sizeof(buf) - 1;
    spin_lock(&console_lock);
    arch_console_write(buf, (size_t)n);
    log_ring_write(&ring, buf, (size_t)n);
    spin_unlock(&console_lock);
}

size_t log_read(uint64_t *pos, char *dst, size_t len)
{
    spin_lock(&console_lock);
    size_t n = log_ring_read(&ring, pos, dst, len);
    spin_unlock(&console_lock);
    return n;
}

void log_clear(void)
{
    spin_lock(&console_lock);
    log_ring_clear(&ring);
    spin_unlock(&console_lock);
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
