/* Device interrupts: GSI n arrives on vector IRQ_VECTOR_BASE + n, and
 * goes to the handler bound to it (dom0's interrupt forwarding). */
#ifndef X86_IRQ_H
#define X86_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_VECTOR_BASE 0x40
#define IRQ_MAX_GSI     0x80        /* vectors 0x40-0xbf */

typedef void (*irq_handler_t)(uint32_t gsi, void *data);

static inline uint8_t irq_vector(uint32_t gsi)
{
    return (uint8_t)(IRQ_VECTOR_BASE + gsi);
}

/* Binds a handler to a GSI (NULL unbinds); false if the GSI has no vector. */
bool irq_bind(uint32_t gsi, irq_handler_t handler, void *data);
/* From the interrupt entry: true if the vector was a device interrupt.
 * The handler runs before the local APIC's EOI, so that it can mask a
 * level-triggered line first. */
bool irq_dispatch(uint8_t vector);

#endif
