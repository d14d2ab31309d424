/* 16550 UART driver: polled output and input for the console. */
#include <mica/arch.h>
#include <x86/cpu.h>
#include <x86/serial.h>

enum {
    UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3,
    UART_MCR = 4, UART_LSR = 5,
};
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

static uint16_t uart;

void serial_init(uint16_t base)
{
    uart = base;
    if (!uart)
        return;
    outb(uart + UART_IER, 0x00);
    outb(uart + UART_LCR, 0x80);       /* divisor latch */
    outb(uart + UART_DATA, 1);         /* 115200 baud */
    outb(uart + UART_IER, 0);
    outb(uart + UART_LCR, 0x03);       /* 8N1 */
    outb(uart + UART_FCR, 0x07);       /* enable and clear FIFOs */
    outb(uart + UART_MCR, 0x03);       /* DTR, RTS */
}

uint16_t serial_port(void)
{
    return uart;
}

static void put_byte(char c)
{
    /* Bounded wait: a missing UART must not hang the hypervisor. */
    for (int i = 0; i < 100000 && !(inb(uart + UART_LSR) & LSR_THR_EMPTY); i++)
        cpu_relax();
    outb(uart + UART_DATA, (uint8_t)c);
}

void arch_console_write(const char *s, size_t len)
{
    if (!uart)
        return;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            put_byte('\r');
        put_byte(s[i]);
    }
}

int arch_console_getc(void)
{
    if (!uart || !(inb(uart + UART_LSR) & LSR_DATA_READY))
        return -1;
    return inb(uart + UART_DATA);
}
