/* A PCI function's capability list as dom0 sees it: the MSI and MSI-X
 * capabilities unlinked, so that its drivers use INTx while Mica does not
 * route message interrupts. Pure: the configuration space is read through
 * a callback, so the logic is unit-tested on the host. */
#ifndef X86_PCI_CAPS_H
#define X86_PCI_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CAPS_MAX 48             /* (256 - 64) / 4: a longer list loops */

typedef uint8_t (*pci_read8_fn)(void *ctx, uint8_t reg);

struct pci_cap {
    uint8_t offset;
    uint8_t id;
    bool hidden;
};

struct pci_cap_view {
    unsigned int count;
    struct pci_cap caps[PCI_CAPS_MAX];
};

/* Walks the real list (if the status register says there is one). */
void pci_cap_view_build(struct pci_cap_view *v, pci_read8_fn read8, void *ctx);
/* The dword at `base` (a multiple of 4) as dom0 sees it: the list head at
 * 0x34 and each visible capability's next pointer skip hidden ones. */
uint32_t pci_cap_view_patch(const struct pci_cap_view *v, uint8_t base, uint32_t dword);
/* Whether a write of `size` bytes at `reg` touches a hidden capability. */
bool pci_cap_view_hides(const struct pci_cap_view *v, uint8_t reg, unsigned int size);

#endif
