/* dom0's view of PCI capability lists: MSI and MSI-X left out. */
#include <x86/pci_caps.h>

#define REG_STATUS      0x06        /* the status register's low byte */
#define STATUS_CAP_LIST 0x10        /* bit 4 */
#define REG_CAP_PTR     0x34
#define CAP_MSI         0x05
#define CAP_MSIX        0x11
#define MSI_CAP_BYTES   24          /* the largest form: 64-bit, per-vector masks */
#define MSIX_CAP_BYTES  12

void pci_cap_view_build(struct pci_cap_view *v, pci_read8_fn read8, void *ctx)
{
    v->count = 0;
    if (!(read8(ctx, REG_STATUS) & STATUS_CAP_LIST))
        return;
    for (uint8_t at = read8(ctx, REG_CAP_PTR) & 0xfc;
         at >= 0x40 && v->count < PCI_CAPS_MAX; at = read8(ctx, at + 1) & 0xfc) {
        uint8_t id = read8(ctx, at);
        v->caps[v->count++] = (struct pci_cap){ at, id, id == CAP_MSI || id == CAP_MSIX };
    }
}

/* The pointer dom0 sees at the list head (i = -1) or in capability i. */
static uint8_t next_visible(const struct pci_cap_view *v, int i)
{
    for (unsigned int j = (unsigned int)(i + 1); j < v->count; j++)
        if (!v->caps[j].hidden)
            return v->caps[j].offset;
    return 0;
}

uint32_t pci_cap_view_patch(const struct pci_cap_view *v, uint8_t base, uint32_t dword)
{
    uint8_t bytes[4];

    for (int b = 0; b < 4; b++)
        bytes[b] = (uint8_t)(dword >> (8 * b));
    if (base == REG_CAP_PTR)
        bytes[0] = next_visible(v, -1);
    for (unsigned int i = 0; i < v->count; i++) {
        unsigned int at = v->caps[i].offset + 1u;
        if (!v->caps[i].hidden && at >= base && at < base + 4u)
            bytes[at - base] = next_visible(v, (int)i);
    }
    return bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
           (uint32_t)bytes[3] << 24;
}

bool pci_cap_view_hides(const struct pci_cap_view *v, uint8_t reg, unsigned int size)
{
    for (unsigned int i = 0; i < v->count; i++) {
        const struct pci_cap *c = &v->caps[i];
        unsigned int len = c->id == CAP_MSI ? MSI_CAP_BYTES : MSIX_CAP_BYTES;
        if (c->hidden && reg + size > c->offset && reg < c->offset + len)
            return true;
    }
    return false;
}
