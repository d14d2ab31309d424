/*
 * The emulated I/O APIC: register window, redirection table and the
 * remote-IRR handshake for level-triggered pins. Offsets in the window:
 * 0x00 IOREGSEL, 0x10 IOWIN, 0x40 EOI. Registers behind IOWIN: 0 ID,
 * 1 version, 2 arbitration, 0x10 + 2n / 0x11 + 2n the low and high
 * halves of pin n's entry.
 */
#include <x86/vioapic.h>

#define OFF_INDEX   0x00
#define OFF_DATA    0x10
#define OFF_EOI     0x40
#define REG_ID      0x00
#define REG_VERSION 0x01
#define REG_ARB     0x02
#define REG_RTE     0x10
#define VERSION     0x20            /* with the EOI register */
/* Bits the guest cannot write: delivery status and remote IRR. */
#define RTE_READ_ONLY (RTE_DELIVERY_STATUS | RTE_REMOTE_IRR)

void vioapic_reset(struct vioapic *a, uint64_t base, uint8_t id,
                   uint32_t gsi_base, unsigned int pins)
{
    *a = (struct vioapic){ .base = base, .id = id, .gsi_base = gsi_base,
                           .pins = pins > VIOAPIC_MAX_PINS ? VIOAPIC_MAX_PINS : pins };
    for (unsigned int i = 0; i < a->pins; i++)
        a->rte[i] = RTE_MASKED;
}

static bool rte_reg(const struct vioapic *a, uint32_t reg, unsigned int *pin,
                    bool *high)
{
    if (reg < REG_RTE || (reg - REG_RTE) / 2 >= a->pins)
        return false;
    *pin = (reg - REG_RTE) / 2;
    *high = (reg - REG_RTE) & 1;
    return true;
}

uint32_t vioapic_read(const struct vioapic *a, uint32_t offset)
{
    unsigned int pin;
    bool high;

    if (offset == OFF_INDEX)
        return a->index;
    if (offset != OFF_DATA)
        return 0xffffffffu;
    switch (a->index) {
    case REG_ID:
        return (uint32_t)a->id << 24;
    case REG_VERSION:
        return VERSION | (a->pins - 1) << 16;
    case REG_ARB:
        return (uint32_t)a->id << 24;
    default:
        if (!rte_reg(a, a->index, &pin, &high))
            return 0xffffffffu;
        return (uint32_t)(a->rte[pin] >> (high ? 32 : 0));
    }
}

void vioapic_write(struct vioapic *a, uint32_t offset, uint32_t value,
                   int *changed_pin, int *eoi_vector)
{
    unsigned int pin;
    bool high;

    *changed_pin = -1;
    *eoi_vector = -1;
    if (offset == OFF_INDEX) {
        a->index = value & 0xff;
        return;
    }
    if (offset == OFF_EOI) {
        *eoi_vector = (int)(value & 0xff);
        return;
    }
    if (offset != OFF_DATA)
        return;
    if (a->index == REG_ID) {
        a->id = (value >> 24) & 0x0f;
        return;
    }
    if (!rte_reg(a, a->index, &pin, &high))
        return;
    uint64_t old = a->rte[pin], rte;
    if (high)
        rte = (old & 0xffffffffULL) | ((uint64_t)value << 32);
    else
        rte = (old & ~0xffffffffULL) | (value & ~RTE_READ_ONLY) | (old & RTE_READ_ONLY);
    /* An edge-triggered pin has no remote IRR. */
    if (!(rte & RTE_LEVEL))
        rte &= ~RTE_REMOTE_IRR;
    a->rte[pin] = rte;
    if (rte != old)
        *changed_pin = (int)pin;
}

bool vioapic_assert(struct vioapic *a, unsigned int pin,
                    struct vioapic_delivery *out)
{
    if (pin >= a->pins)
        return false;
    uint64_t rte = a->rte[pin];
    if ((rte & RTE_MASKED) || (rte & RTE_REMOTE_IRR))
        return false;
    if (rte & RTE_LEVEL)
        a->rte[pin] |= RTE_REMOTE_IRR;
    *out = (struct vioapic_delivery){
        .vector = (uint8_t)(rte & RTE_VECTOR),
        .level = rte & RTE_LEVEL,
        .logical = rte & RTE_DEST_LOGICAL,
        .dest = (uint8_t)(rte >> RTE_DEST_SHIFT),
    };
    return true;
}

void vioapic_eoi(struct vioapic *a, uint8_t vector, uint64_t *cleared_lo,
                 uint64_t *cleared_hi)
{
    *cleared_lo = *cleared_hi = 0;
    for (unsigned int i = 0; i < a->pins; i++) {
        uint64_t rte = a->rte[i];
        if ((rte & RTE_REMOTE_IRR) && (rte & RTE_VECTOR) == vector) {
            a->rte[i] = rte & ~RTE_REMOTE_IRR;
            if (i < 64)
                *cleared_lo |= 1ULL << i;
            else
                *cleared_hi |= 1ULL << (i - 64);
        }
    }
}
