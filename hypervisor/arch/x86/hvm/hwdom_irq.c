/*
 * dom0's device interrupts. Each emulated I/O APIC mirrors a real one:
 * when dom0 unmasks pin n, the real pin n is steered to Mica's vector for
 * that GSI on the boot CPU; when it fires, dom0's vCPU named in the entry
 * gets the entry's vector. A level-triggered line is masked at the real
 * I/O APIC until dom0 ends the interrupt (EOI), or it would fire again at
 * once: the device still holds it until dom0's driver has served it.
 */
#include <mica/domain.h>
#include <mica/log.h>
#include <x86/hvm_vcpu.h>
#include <x86/hwdom.h>
#include <x86/irq.h>

static struct vioapic *vioapic_of_gsi(struct hwdom *hw, uint32_t gsi,
                                      unsigned int *pin)
{
    for (unsigned int i = 0; i < hw->nr_vioapics; i++) {
        struct vioapic *a = &hw->vioapic[i];
        if (gsi >= a->gsi_base && gsi - a->gsi_base < a->pins) {
            *pin = gsi - a->gsi_base;
            return a;
        }
    }
    return NULL;
}

/* Makes the real pin follow the emulated entry. Under hw->lock. */
static void reprogram(struct hwdom *hw, struct vioapic *a, unsigned int pin)
{
    uint64_t rte = a->rte[pin];
    uint32_t gsi = a->gsi_base + pin;
    unsigned int mode = (unsigned int)((rte & RTE_DELIVERY_MODE) >> 8);

    /* Fixed and lowest-priority delivery only; SMI, NMI, INIT and ExtINT
     * entries stay masked. */
    if ((rte & RTE_MASKED) || mode > 1 || gsi >= IRQ_MAX_GSI) {
        ioapic_set_masked(gsi, true);
        return;
    }
    ioapic_route(gsi, irq_vector(gsi), hw->bsp_apic_id, rte & RTE_LEVEL,
                 rte & RTE_ACTIVE_LOW, rte & RTE_REMOTE_IRR);
}

static struct vcpu *target(struct domain *d, const struct vioapic_delivery *dl)
{
    unsigned int id = 0;

    if (dl->logical) {
        /* A logical destination is a bit mask of the first eight vCPUs. */
        if (dl->dest)
            id = (unsigned int)__builtin_ctz(dl->dest);
    } else if (dl->dest != 0xff) {
        id = dl->dest;      /* vCPU i has APIC id i */
    }
    if (id >= d->max_vcpus || !d->vcpus[id])
        id = 0;
    return d->vcpus[id];
}

static void forward(uint32_t gsi, void *data)
{
    struct hwdom *hw = data;
    struct vioapic_delivery dl;
    unsigned int pin;

    spin_lock(&hw->lock);
    struct vioapic *a = vioapic_of_gsi(hw, gsi, &pin);
    bool deliver = false;
    if (a) {
        if (a->rte[pin] & RTE_LEVEL)
            ioapic_set_masked(gsi, true);   /* until dom0's EOI */
        deliver = vioapic_assert(a, pin, &dl);
    }
    spin_unlock(&hw->lock);
    if (deliver)
        hvm_apic_raise_trig(target(hw->d, &dl), dl.vector, dl.level);
}

void hwdom_irq_init(struct hwdom *hw)
{
    for (unsigned int i = 0; i < ioapic_count() && hw->nr_vioapics < IOAPIC_MAX; i++) {
        const struct host_ioapic *h = ioapic_get(i);
        vioapic_reset(&hw->vioapic[hw->nr_vioapics++], h->base, h->id, h->gsi_base,
                      h->pins);
        for (unsigned int p = 0; p < h->pins; p++)
            irq_bind(h->gsi_base + p, forward, hw);
    }
}

void hwdom_irq_destroy(struct hwdom *hw)
{
    for (unsigned int i = 0; i < hw->nr_vioapics; i++) {
        const struct vioapic *a = &hw->vioapic[i];
        for (unsigned int p = 0; p < a->pins; p++) {
            ioapic_set_masked(a->gsi_base + p, true);
            irq_bind(a->gsi_base + p, NULL, NULL);
        }
    }
}

/* Unmasks the real pins whose remote IRR an EOI cleared. Under hw->lock. */
static void end_of_interrupt(struct hwdom *hw, uint8_t vector)
{
    for (unsigned int i = 0; i < hw->nr_vioapics; i++) {
        struct vioapic *a = &hw->vioapic[i];
        uint64_t cleared[2];
        vioapic_eoi(a, vector, &cleared[0], &cleared[1]);
        for (unsigned int p = 0; p < a->pins; p++)
            if ((cleared[p / 64] >> (p % 64)) & 1)
                reprogram(hw, a, p);
    }
}

void hwdom_eoi(struct domain *d, uint8_t vector)
{
    struct hwdom *hw = d->hw_domain;

    if (!hw)
        return;
    spin_lock(&hw->lock);
    end_of_interrupt(hw, vector);
    spin_unlock(&hw->lock);
}

bool hwdom_in_vioapic(const struct hwdom *hw, uint64_t gpa)
{
    for (unsigned int i = 0; i < hw->nr_vioapics; i++)
        if (gpa >= hw->vioapic[i].base && gpa - hw->vioapic[i].base < VIOAPIC_SIZE)
            return true;
    return false;
}

bool hwdom_vioapic_access(struct hwdom *hw, uint64_t gpa, bool write,
                          uint32_t *value)
{
    for (unsigned int i = 0; i < hw->nr_vioapics; i++) {
        struct vioapic *a = &hw->vioapic[i];
        if (gpa < a->base || gpa - a->base >= VIOAPIC_SIZE)
            continue;
        uint32_t offset = (uint32_t)(gpa - a->base);
        spin_lock(&hw->lock);
        if (!write) {
            *value = vioapic_read(a, offset);
        } else {
            int pin, eoi;
            vioapic_write(a, offset, *value, &pin, &eoi);
            if (pin >= 0)
                reprogram(hw, a, (unsigned int)pin);
            if (eoi >= 0)
                end_of_interrupt(hw, (uint8_t)eoi);
        }
        spin_unlock(&hw->lock);
        return true;
    }
    return false;
}
