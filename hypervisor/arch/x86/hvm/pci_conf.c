/*
 * PCI configuration space for dom0 through mechanism #1: the address
 * dword at 0xcf8, data at 0xcfc-0xcff. Accesses go to the real device,
 * with the MSI and MSI-X capabilities left out of each capability list
 * (pci_caps.c; writes to them are dropped): Mica does not remap message
 * interrupts yet, so dom0's drivers fall back to INTx through the
 * emulated I/O APIC. Byte and word accesses to 0xcf8-0xcfb are other registers (the
 * reset control at 0xcf9) and pass through. A write may move a BAR or
 * switch decoding, so it runs with the other CPUs parked (x86/quiesce.h).
 */
#include <mica/spinlock.h>
#include <x86/cpu.h>
#include <x86/hwdom.h>
#include <x86/pci_caps.h>
#include <x86/quiesce.h>

#define CONF_ADDRESS    0xcf8
#define CONF_DATA       0xcfc
#define ADDRESS_ENABLE  0x80000000u
#define REG_CAP_PTR     0x34

static spinlock_t conf_lock = SPINLOCK_INIT;

static uint32_t conf_read32(uint32_t bdf, uint8_t reg)
{
    outl(CONF_ADDRESS, ADDRESS_ENABLE | bdf << 8 | (reg & 0xfc));
    return inl(CONF_DATA);
}

static uint8_t conf_read8(void *bdf, uint8_t reg)
{
    return (uint8_t)(conf_read32(*(uint32_t *)bdf, reg) >> (8 * (reg & 3)));
}

static uint32_t filtered_read(uint32_t bdf, uint8_t reg, unsigned int size)
{
    uint32_t dword = conf_read32(bdf, reg);
    uint8_t base = reg & 0xfc;

    if (base == REG_CAP_PTR || base >= 0x40) {
        struct pci_cap_view view;
        pci_cap_view_build(&view, conf_read8, &bdf);
        dword = pci_cap_view_patch(&view, base, dword);
    }
    uint32_t value = dword >> (8 * (reg & 3));
    return size == 4 ? value : value & ((1u << (8 * size)) - 1);
}

static void conf_write(uint32_t bdf, uint8_t reg, unsigned int size, uint32_t value)
{
    if (reg >= 0x40) {
        struct pci_cap_view view;
        pci_cap_view_build(&view, conf_read8, &bdf);
        if (pci_cap_view_hides(&view, reg, size))
            return;
    }
    outl(CONF_ADDRESS, ADDRESS_ENABLE | bdf << 8 | (reg & 0xfc));
    port_write((uint16_t)(CONF_DATA + (reg & 3)), size, value);
}

struct conf_write_args {
    uint32_t bdf;
    uint8_t reg;
    unsigned int size;
    uint32_t value;
};

static void locked_conf_write(void *arg)
{
    struct conf_write_args *w = arg;

    spin_lock(&conf_lock);
    conf_write(w->bdf, w->reg, w->size, w->value);
    spin_unlock(&conf_lock);
}

void pci_conf_io(struct hwdom *hw, uint16_t port, unsigned int size, bool in,
                 uint32_t *value)
{
    if (port < CONF_DATA) {
        if (port == CONF_ADDRESS && size == 4) {
            if (in)
                *value = hw->pci_address;
            else
                hw->pci_address = *value;
        } else if (in) {
            *value = port_read(port, size);
        } else {
            port_write(port, size, *value);
        }
        return;
    }
    uint32_t address = hw->pci_address;
    uint8_t reg = (uint8_t)((address & 0xfc) + (port & 3));
    uint32_t bdf = (address >> 8) & 0xffff;
    bool aligned = (reg & (size - 1)) == 0;
    if (!(address & ADDRESS_ENABLE) || !aligned) {
        if (in)
            *value = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
        return;
    }
    if (in) {
        spin_lock(&conf_lock);
        *value = filtered_read(bdf, reg, size);
        spin_unlock(&conf_lock);
    } else {
        struct conf_write_args w = { bdf, reg, size, *value };
        quiesce_others_and_run(locked_conf_write, &w);
    }
}
