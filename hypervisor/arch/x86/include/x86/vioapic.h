/* An emulated I/O APIC as dom0 sees it: the index/data register pair,
 * the redirection table, remote IRR for level-triggered pins and the EOI
 * register of version 0x20. Pure state: routing to real interrupts is the
 * caller's (hwdom_irq.c), so the model is unit-tested on the host. */
#ifndef X86_VIOAPIC_H
#define X86_VIOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define VIOAPIC_MAX_PINS   120      /* the version register's 8-bit field */
#define VIOAPIC_SIZE       0x1000   /* the MMIO window */

/* Redirection-table entry bits. */
#define RTE_VECTOR         0xffULL
#define RTE_DELIVERY_MODE  (7ULL << 8)
#define RTE_DEST_LOGICAL   (1ULL << 11)
#define RTE_DELIVERY_STATUS (1ULL << 12)
#define RTE_ACTIVE_LOW     (1ULL << 13)
#define RTE_REMOTE_IRR     (1ULL << 14)
#define RTE_LEVEL          (1ULL << 15)
#define RTE_MASKED         (1ULL << 16)
#define RTE_DEST_SHIFT     56

struct vioapic {
    uint64_t base;                  /* guest-physical address of the window */
    uint8_t id;
    uint32_t gsi_base;
    unsigned int pins;
    uint32_t index;                 /* IOREGSEL */
    uint64_t rte[VIOAPIC_MAX_PINS];
};

/* Where an asserted pin's interrupt goes. */
struct vioapic_delivery {
    uint8_t vector;
    bool level;
    bool logical;
    uint8_t dest;
};

void vioapic_reset(struct vioapic *a, uint64_t base, uint8_t id,
                   uint32_t gsi_base, unsigned int pins);
/* A 32-bit access at `offset` in the window. A write that changes a
 * redirection entry sets *changed_pin (else -1); a write to the EOI
 * register sets *eoi_vector (else -1). */
uint32_t vioapic_read(const struct vioapic *a, uint32_t offset);
void vioapic_write(struct vioapic *a, uint32_t offset, uint32_t value,
                   int *changed_pin, int *eoi_vector);
/* The pin's line went active. False if nothing is delivered: the pin is
 * masked, or a level-triggered one is still waiting for its EOI. */
bool vioapic_assert(struct vioapic *a, unsigned int pin,
                    struct vioapic_delivery *out);
/* The guest retired `vector`: clears remote IRR of level-triggered pins
 * with that vector and returns them as a bitmask: pin n is bit n of
 * *cleared_lo for n < 64, bit n - 64 of *cleared_hi above. */
void vioapic_eoi(struct vioapic *a, uint8_t vector, uint64_t *cleared_lo,
                 uint64_t *cleared_hi);

#endif
