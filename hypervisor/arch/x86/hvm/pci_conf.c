/*
 * PCI configuration space for dom0 through mechanism #1: the address
 * dword at 0xcf8, data at 0xcfc-0xcff. Accesses go to the real device,
 * with the MSI and MSI-X capabilities left out of each capability list
 * (and writes to them dropped): Mica does not remap message interrupts
 * yet, so dom0's drivers fall back to INTx through the emulated I/O
 * APIC. Byte and word accesses to 0xcf8-0xcfb are other registers (the
 * reset control at 0xcf9) and pass through.
 */
#include <mica/spinlock.h>
#include <x86/cpu.h>
#include <x86/hwdom.h>

#define CONF_ADDRESS    0xcf8
#define CONF_DATA       0xcfc
#define ADDRESS_ENABLE  0x80000000u
#define REG_STATUS      0x06
#define STATUS_CAP_LIST (1u << 4)
#define REG_CAP_PTR     0x34
#define CAP_MSI         0x05
#define CAP_MSIX        0x11
#define MAX_CAPS        48
#define MSI_CAP_BYTES   24
#define MSIX_CAP_BYTES  12

static spinlock_t conf_lock = SPINLOCK_INIT;

static uint32_t conf_read32(uint32_t bdf, uint8_t reg)
{
    outl(CONF_ADDRESS, ADDRESS_ENABLE | bdf << 8 | (reg & 0xfc));
    return inl(CONF_DATA);
}

static uint8_t conf_read8(uint32_t bdf, uint8_t reg)
{
    return (uint8_t)(conf_read32(bdf, reg) >> (8 * (reg & 3)));
}

struct cap {
    uint8_t offset;
    bool hidden;
};

/* The device's capability list as it really is; under conf_lock. */
static unsigned int real_caps(uint32_t bdf, struct cap *caps)
{
    unsigned int n = 0;

    if (!((conf_read32(bdf, REG_STATUS & 0xfc) >> 16) & STATUS_CAP_LIST))
        return 0;
    for (uint8_t at = conf_read8(bdf, REG_CAP_PTR) & 0xfc; at >= 0x40 && n < MAX_CAPS;
         at = conf_read8(bdf, at + 1) & 0xfc) {
        uint8_t id = conf_read8(bdf, at);
        caps[n++] = (struct cap){ at, id == CAP_MSI || id == CAP_MSIX };
    }
    return n;
}

/* The pointer dom0 sees at the cap list's head (i = -1) or in cap i. */
static uint8_t next_visible(const struct cap *caps, unsigned int n, int i)
{
    for (unsigned int j = (unsigned int)(i + 1); j < n; j++)
        if (!caps[j].hidden)
            return caps[j].offset;
    return 0;
}

static uint32_t filtered_read(uint32_t bdf, uint8_t reg, unsigned int size)
{
    uint32_t dword = conf_read32(bdf, reg);
    uint8_t base = reg & 0xfc;

    if (base == REG_CAP_PTR || base >= 0x40) {
        struct cap caps[MAX_CAPS];
        unsigned int n = real_caps(bdf, caps);
        uint8_t bytes[4];
        for (int b = 0; b < 4; b++)
            bytes[b] = (uint8_t)(dword >> (8 * b));
        if (base == REG_CAP_PTR)
            bytes[0] = next_visible(caps, n, -1);
        for (unsigned int i = 0; i < n; i++) {
            unsigned int at = caps[i].offset + 1u;
            if (!caps[i].hidden && at >= base && at < base + 4u)
                bytes[at - base] = next_visible(caps, n, (int)i);
        }
        dword = bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
                (uint32_t)bytes[3] << 24;
    }
    uint32_t value = dword >> (8 * (reg & 3));
    return size == 4 ? value : value & ((1u << (8 * size)) - 1);
}

static bool hits_hidden_cap(uint32_t bdf, uint8_t reg, unsigned int size)
{
    struct cap caps[MAX_CAPS];
    unsigned int n = real_caps(bdf, caps);

    for (unsigned int i = 0; i < n; i++) {
        if (!caps[i].hidden)
            continue;
        unsigned int len = conf_read8(bdf, caps[i].offset) == CAP_MSI ? MSI_CAP_BYTES
                                                                     : MSIX_CAP_BYTES;
        if (reg + size > caps[i].offset && reg < caps[i].offset + len)
            return true;
    }
    return false;
}

static void conf_write(uint32_t bdf, uint8_t reg, unsigned int size, uint32_t value)
{
    if (reg >= 0x40 && hits_hidden_cap(bdf, reg, size))
        return;
    outl(CONF_ADDRESS, ADDRESS_ENABLE | bdf << 8 | (reg & 0xfc));
    port_write((uint16_t)(CONF_DATA + (reg & 3)), size, value);
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
    spin_lock(&conf_lock);
    if (in)
        *value = filtered_read(bdf, reg, size);
    else
        conf_write(bdf, reg, size, *value);
    spin_unlock(&conf_lock);
}
