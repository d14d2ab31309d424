/*
 * Interrupts in a test guest. The hypervisor injects the event-channel
 * upcall as a virtual interrupt on one vector; irq_install() gives that
 * vector an IDT gate whose stub saves every general register, calls a C
 * handler and returns with iretq. No local APIC is involved, so there is
 * no EOI to send.
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

#include <stdbool.h>
#include <stdint.h>

/* The vector the test guests ask the hypervisor to upcall them on. */
#define IRQ_UPCALL_VECTOR 0xf3

typedef void (*irq_handler_fn)(void);

/* Widens the runtime's IDT to all 256 vectors (the exception gates stay)
 * and routes `vector` (32..255) to handler. One vector at a time: a new
 * call moves the gate. */
void irq_install(uint8_t vector, irq_handler_fn handler);

/* Interrupts taken on the installed vector so far. */
uint64_t irq_count(void);

static inline void irq_enable(void)
{
    __asm__ volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
    __asm__ volatile("cli" : : : "memory");
}

static inline bool irq_enabled(void)
{
    uint64_t rflags;

    __asm__ volatile("pushfq; popq %0" : "=r"(rflags) : : "memory");
    return rflags & (1u << 9);
}

/*
 * Call with interrupts off: turns them on and halts until one arrives,
 * then turns them off again. STI takes effect only after the HLT has
 * begun, so an interrupt that became pending before still wakes it.
 */
static inline void irq_wait(void)
{
    __asm__ volatile("sti; hlt; cli" : : : "memory");
}

/* Call with interrupts off: lets in what is pending (STI holds them off
 * for one more instruction, hence the NOP), then turns them off again. */
static inline void irq_window(void)
{
    __asm__ volatile("sti; nop; cli" : : : "memory");
}

#endif
