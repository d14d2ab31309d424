/* The host's I/O APICs: discovered from the MADT, driven through their
 * index/data window. */
#include <mica/arch.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/spinlock.h>
#include <x86/acpi.h>
#include <x86/ioapic.h>

#define REG_VERSION     0x01
#define REG_RTE         0x10
#define RTE_LEVEL       (1u << 15)
#define RTE_ACTIVE_LOW  (1u << 13)
#define RTE_MASKED      (1u << 16)

static struct host_ioapic ioapics[IOAPIC_MAX];
static unsigned int nr_ioapics;
static spinlock_t lock = SPINLOCK_INIT;    /* the index register is shared */

static uint32_t reg_read(const struct host_ioapic *a, uint32_t reg)
{
    volatile uint32_t *w = phys_to_virt(a->base);
    w[0] = reg;
    return w[4];
}

static void reg_write(const struct host_ioapic *a, uint32_t reg, uint32_t value)
{
    volatile uint32_t *w = phys_to_virt(a->base);
    w[0] = reg;
    w[4] = value;
}

void ioapic_init(const uint8_t *rsdp, size_t rsdp_len)
{
    struct madt_ioapic found[IOAPIC_MAX];
    const struct acpi_header *madt = acpi_find_table(rsdp, rsdp_len, "APIC");
    size_t n = madt ? madt_parse_ioapics(madt, madt->length, found, IOAPIC_MAX) : 0;

    for (size_t i = 0; i < n; i++) {
        struct host_ioapic *a = &ioapics[nr_ioapics];
        /* The window sits in the first 4 GiB, which Mica maps. */
        if (!found[i].address || found[i].address & 0xfff)
            continue;
        *a = (struct host_ioapic){ found[i].address, found[i].id, found[i].gsi_base, 0 };
        a->pins = ((reg_read(a, REG_VERSION) >> 16) & 0xff) + 1;
        for (unsigned int p = 0; p < a->pins; p++) {
            reg_write(a, REG_RTE + 2 * p, RTE_MASKED);
            reg_write(a, REG_RTE + 2 * p + 1, 0);
        }
        log_info("ioapic: id %u at 0x%llx, GSIs %u-%u\n", a->id,
                 (unsigned long long)a->base, a->gsi_base, a->gsi_base + a->pins - 1);
        nr_ioapics++;
    }
}

unsigned int ioapic_count(void)
{
    return nr_ioapics;
}

const struct host_ioapic *ioapic_get(unsigned int i)
{
    return i < nr_ioapics ? &ioapics[i] : NULL;
}

static const struct host_ioapic *owner(uint32_t gsi, unsigned int *pin)
{
    for (unsigned int i = 0; i < nr_ioapics; i++) {
        const struct host_ioapic *a = &ioapics[i];
        if (gsi >= a->gsi_base && gsi - a->gsi_base < a->pins) {
            *pin = gsi - a->gsi_base;
            return a;
        }
    }
    return NULL;
}

bool ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest, bool level,
                  bool active_low, bool masked)
{
    unsigned int pin;
    const struct host_ioapic *a = owner(gsi, &pin);

    if (!a)
        return false;
    uint32_t low = vector | (level ? RTE_LEVEL : 0) | (active_low ? RTE_ACTIVE_LOW : 0) |
                   (masked ? RTE_MASKED : 0);
    bool irq = arch_irq_save();
    spin_lock(&lock);
    /* Mask first, so that no half-written entry ever fires. */
    reg_write(a, REG_RTE + 2 * pin, RTE_MASKED);
    reg_write(a, REG_RTE + 2 * pin + 1, dest << 24);
    reg_write(a, REG_RTE + 2 * pin, low);
    spin_unlock(&lock);
    arch_irq_restore(irq);
    return true;
}

void ioapic_set_masked(uint32_t gsi, bool masked)
{
    unsigned int pin;
    const struct host_ioapic *a = owner(gsi, &pin);

    if (!a)
        return;
    bool irq = arch_irq_save();
    spin_lock(&lock);
    uint32_t low = reg_read(a, REG_RTE + 2 * pin);
    reg_write(a, REG_RTE + 2 * pin, masked ? low | RTE_MASKED : low & ~RTE_MASKED);
    spin_unlock(&lock);
    arch_irq_restore(irq);
}
