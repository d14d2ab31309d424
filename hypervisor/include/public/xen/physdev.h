/* PHYSDEVOP_*: what a PVH dom0 tells the hypervisor about its devices.
 * Numbers and layouts as in Xen's public physdev.h. */
#ifndef PUBLIC_XEN_PHYSDEV_H
#define PUBLIC_XEN_PHYSDEV_H

#include <stdint.h>

#define PHYSDEVOP_manage_pci_add      15
#define PHYSDEVOP_manage_pci_remove   16
#define PHYSDEVOP_restore_msi         19
#define PHYSDEVOP_manage_pci_add_ext  20
#define PHYSDEVOP_pci_mmcfg_reserved  24
#define PHYSDEVOP_pci_device_add      25
#define PHYSDEVOP_pci_device_remove   26
#define PHYSDEVOP_restore_msi_ext     27

struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
    uint32_t flags;
};

#define XEN_PCI_DEV_EXTFN  0x1
#define XEN_PCI_DEV_VIRTFN 0x2
#define XEN_PCI_DEV_PXM    0x4

struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
    uint32_t flags;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    /* optarr[] follows: the _PXM value when XEN_PCI_DEV_PXM is set */
};

struct physdev_pci_device {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
};

struct physdev_manage_pci {
    uint8_t bus;
    uint8_t devfn;
};

struct physdev_manage_pci_ext {
    uint8_t bus;
    uint8_t devfn;
    uint32_t is_extfn;
    uint32_t is_virtfn;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
};

_Static_assert(sizeof(struct physdev_pci_mmcfg_reserved) == 16, "physdev");
_Static_assert(sizeof(struct physdev_pci_device_add) == 12, "physdev");
_Static_assert(sizeof(struct physdev_manage_pci_ext) == 16, "physdev");

#endif
