/* 8254 channel 2 as a one-shot stopwatch, and silencing the 8259 PICs. */
#include <x86/cpu.h>
#include <x86/pit.h>

#define PIT_HZ        1193182u
#define PIT_CH2_DATA  0x42
#define PIT_COMMAND   0x43
#define PORT_B        0x61      /* bit 0: channel 2 gate, bit 5: its output */

bool pit_wait_ms(unsigned int ms)
{
    uint32_t count = PIT_HZ / 1000 * ms;

    if (ms == 0 || count > 0xffff)
        return false;
    uint8_t b = inb(PORT_B) & ~0x03;   /* gate low, speaker off */
    outb(PORT_B, b);
    outb(PIT_COMMAND, 0xb0);           /* channel 2, lo/hi byte, mode 0 */
    outb(PIT_CH2_DATA, count & 0xff);
    outb(PIT_CH2_DATA, count >> 8);
    outb(PORT_B, b | 0x01);            /* the rising gate starts the count */

    /* Generous bound: a missing PIT must not hang boot. */
    for (uint64_t spins = 0; spins < 200000000ULL; spins++)
        if (inb(PORT_B) & 0x20)
            return true;
    return false;
}

void pic_disable(void)
{
    /* ICW1-4: cascade, vectors 0x20/0x28, then mask every line. */
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    outb(0x21, 0x20);
    outb(0xa1, 0x28);
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}
