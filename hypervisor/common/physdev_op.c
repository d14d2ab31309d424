/*
 * PHYSDEVOP_*: dom0 announcing its PCI devices and configuration windows.
 * Xen uses these to set up IOMMU contexts; Mica drives no IOMMU yet, so
 * an announcement is checked and acknowledged, and nothing else follows
 * from it. PVH dom0s program interrupts natively (emulated I/O APIC), so
 * the PIRQ and MSI-restore calls are not offered, as on Xen for PVH.
 */
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/log.h>
#include <mica/string.h>
#include <public/xen/physdev.h>

#define DEVICE_FLAGS (XEN_PCI_DEV_EXTFN | XEN_PCI_DEV_VIRTFN | XEN_PCI_DEV_PXM)

static long announce(struct vcpu *v, uint64_t arg, size_t size, const char *what)
{
    uint8_t buf[16];

    if (copy_from_guest(v, buf, arg, size))
        return -XEN_EFAULT;
    if (size == sizeof(struct physdev_pci_device_add)) {
        struct physdev_pci_device_add add;
        memcpy(&add, buf, sizeof(add));
        if (add.flags & ~DEVICE_FLAGS)
            return -XEN_EINVAL;
        log_debug("domain %u: PCI device %04x:%02x:%02x.%u %s\n", v->domain->id,
                  add.seg, add.bus, add.devfn >> 3, add.devfn & 7, what);
    }
    return 0;
}

long do_physdev_op(struct vcpu *v, const uint64_t args[5])
{
    switch (args[0]) {
    case PHYSDEVOP_pci_device_add:
        return announce(v, args[1], sizeof(struct physdev_pci_device_add), "added");
    case PHYSDEVOP_pci_device_remove:
        return announce(v, args[1], sizeof(struct physdev_pci_device), "removed");
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove:
        return announce(v, args[1], sizeof(struct physdev_manage_pci), "managed");
    case PHYSDEVOP_manage_pci_add_ext:
        return announce(v, args[1], sizeof(struct physdev_manage_pci_ext), "managed");
    case PHYSDEVOP_pci_mmcfg_reserved:
        return announce(v, args[1], sizeof(struct physdev_pci_mmcfg_reserved),
                        "configuration window");
    default:
        return -XEN_ENOSYS;
    }
}
