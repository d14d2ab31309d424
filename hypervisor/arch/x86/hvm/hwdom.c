/* dom0's direct access to the machine: its I/O port policy, device memory
 * mapped on first touch, ACPI sleep requests, and its ACPI tables. */
#include <mica/domain.h>
#include <mica/heap.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/string.h>
#include <public/xen/sched.h>
#include <x86/acpi.h>
#include <x86/acpi_s5.h>
#include <x86/acpi_tables.h>
#include <x86/cpu.h>
#include <x86/hvm.h>
#include <x86/hwdom.h>
#include <x86/lapic.h>
#include <x86/serial.h>

#define PIC_MASTER      0x20
#define PIC_SLAVE       0xa0
#define PCI_CONF_FIRST  0xcf8
#define PCI_CONF_PORTS  8
#define PM1_SLP_EN      (1u << 13)
#define PM1_SLP_TYP_SHIFT 10
#define LAPIC_WINDOW    0xfee00000ULL   /* the 1 MiB MSIs are written to */
#define LAPIC_WINDOW_END 0xfef00000ULL
#define MAX_ROOT_TABLES 64

static struct hwdom *hwdom_of(const struct domain *d)
{
    return d->hw_domain;
}

static void set_intercept(uint8_t *bitmap, uint16_t port, unsigned int count)
{
    for (unsigned int p = port; p < port + count && p <= 0xffff; p++)
        bitmap[p / 8] |= (uint8_t)(1u << (p % 8));
}

/* The DSDT's \_S5 sleep type, to tell dom0 powering the machine off
 * from other sleep requests. */
static void find_s5(struct hwdom *hw, const uint8_t *fadt, uint32_t fadt_len)
{
    uint32_t dsdt32;
    uint64_t dsdt;

    memcpy(&dsdt32, fadt + 40, 4);
    dsdt = dsdt32;
    if (fadt_len >= 148) {
        uint64_t x_dsdt;
        memcpy(&x_dsdt, fadt + 140, 8);
        if (x_dsdt)
            dsdt = x_dsdt;
    }
    const struct acpi_header *t = acpi_table_at(dsdt);
    if (t && memcmp(t->signature, "DSDT", 4) == 0)
        hw->have_s5 = acpi_aml_s5((const uint8_t *)(t + 1), t->length - sizeof(*t),
                                  hw->s5_typ);
    if (hw->have_s5)
        log_info("hwdom: ACPI S5 (soft-off) is SLP_TYP %u/%u\n", hw->s5_typ[0],
                 hw->s5_typ[1]);
    else
        log_warn("hwdom: no \\_S5 in the DSDT: dom0 cannot power the machine off\n");
}

/* The PM1 control ports from the FADT: a write of SLP_EN there is dom0
 * asking to sleep or power off, which is Mica's to carry out. */
static void find_pm1_control(struct hwdom *hw)
{
    size_t len;
    const uint8_t *rsdp = acpi_host_rsdp(&len);
    const struct acpi_header *fadt = acpi_find_table(rsdp, len, "FACP");
    if (!fadt || fadt->length < 90)
        return;
    const uint8_t *f = (const uint8_t *)fadt;
    uint32_t pm1a, pm1b;
    memcpy(&pm1a, f + 64, 4);
    memcpy(&pm1b, f + 68, 4);
    hw->pm1_cnt_len = f[89] ? f[89] : 2;
    /* ACPI 2.0+ extended addresses win when they name I/O space. */
    if (fadt->length >= 196) {
        uint64_t xa, xb;
        memcpy(&xa, f + 176, 8);
        memcpy(&xb, f + 188, 8);
        if (f[172] == 1 && xa)
            pm1a = (uint32_t)xa;
        if (f[184] == 1 && xb)
            pm1b = (uint32_t)xb;
    }
    hw->pm1_cnt[0] = pm1a <= 0xffff ? (uint16_t)pm1a : 0;
    hw->pm1_cnt[1] = pm1b <= 0xffff ? (uint16_t)pm1b : 0;
    find_s5(hw, f, fadt->length);
}

int hwdom_init(struct domain *d)
{
    struct hwdom *hw = kzalloc(sizeof(*hw));

    if (!hw)
        return -XEN_ENOMEM;
    hw->d = d;
    hw->lock = (spinlock_t)SPINLOCK_INIT;
    hw->bsp_apic_id = lapic_id();
    find_pm1_control(hw);

    /* Every port passes through but those Mica keeps or emulates. */
    uint8_t *bitmap = hvm->io_bitmap(d);
    memset(bitmap, 0, 0x10000 / 8);
    set_intercept(bitmap, PIC_MASTER, 2);
    set_intercept(bitmap, PIC_SLAVE, 2);
    set_intercept(bitmap, PCI_CONF_FIRST, PCI_CONF_PORTS);
    set_intercept(bitmap, XEN_HVM_DEBUGCONS_IOPORT, 1);
    if (serial_port())
        set_intercept(bitmap, serial_port(), SERIAL_PORTS);
    for (int i = 0; i < 2; i++)
        if (hw->pm1_cnt[i])
            set_intercept(bitmap, hw->pm1_cnt[i], hw->pm1_cnt_len);
    d->hw_domain = hw;
    hwdom_irq_init(hw);
    log_info("domain %u: owns the hardware (%u I/O APIC%s emulated)\n", d->id,
             hw->nr_vioapics, hw->nr_vioapics == 1 ? "" : "s");
    return 0;
}

void hwdom_destroy(struct domain *d)
{
    struct hwdom *hw = hwdom_of(d);

    if (!hw)
        return;
    hwdom_irq_destroy(hw);
    d->hw_domain = NULL;
    kfree(hw);
}

/* dom0 set SLP_EN: soft-off powers the machine off, as Xen does when its
 * dom0 does; Mica cannot resume from other sleep states, so for those
 * only dom0 stops. */
static void pm1_sleep(struct vcpu *v, struct hwdom *hw, uint16_t port, unsigned int size,
                      uint32_t value)
{
    unsigned int block = hw->pm1_cnt[1] && port >= hw->pm1_cnt[1] &&
                         port < hw->pm1_cnt[1] + hw->pm1_cnt_len;
    unsigned int slp_typ = (value >> PM1_SLP_TYP_SHIFT) & 7;
    bool soft_off = hw->have_s5 && slp_typ == hw->s5_typ[block];

    if (soft_off)
        log_info("domain %u: ACPI S5 request: powering the machine off\n", v->domain->id);
    else
        log_info("domain %u: ACPI sleep request (SLP_TYP %u) not supported: "
                 "shutting the domain down\n", v->domain->id, slp_typ);
    domain_shutdown(v->domain, SHUTDOWN_poweroff);
    if (soft_off)
        port_write(port, size, value);
}

static bool is_pm1_control(const struct hwdom *hw, uint16_t port)
{
    for (int i = 0; i < 2; i++)
        if (hw->pm1_cnt[i] && port >= hw->pm1_cnt[i] &&
            port < hw->pm1_cnt[i] + hw->pm1_cnt_len)
            return true;
    return false;
}

bool hwdom_io(struct vcpu *v, uint16_t port, unsigned int size, bool in,
              uint32_t *value)
{
    struct hwdom *hw = hwdom_of(v->domain);

    if (!hw)
        return false;
    if (port >= PCI_CONF_FIRST && port < PCI_CONF_FIRST + PCI_CONF_PORTS) {
        pci_conf_io(hw, port, size, in, value);
        return true;
    }
    if (port == PIC_MASTER || port == PIC_MASTER + 1 || port == PIC_SLAVE ||
        port == PIC_SLAVE + 1) {
        /* No 8259s for dom0: a probe reads back all ones. */
        if (in)
            *value = 0xff;
        return true;
    }
    if (is_pm1_control(hw, port)) {
        if (in) {
            *value = port_read(port, size);
        } else if (*value & PM1_SLP_EN && size >= 2) {
            pm1_sleep(v, hw, port, size, *value);
        } else {
            port_write(port, size, *value);
        }
        return true;
    }
    return false;
}

bool hvm_npf_fixup(struct vcpu *v, uint64_t gpa)
{
    struct domain *d = v->domain;
    struct hwdom *hw = hwdom_of(d);
    uint64_t gfn = gpa >> 12;

    /* Only dom0, only outside RAM (Mica's and the domains' frames never
     * pass), never the emulated windows, never over an existing mapping.
     * Frame 0, which Mica never uses, holds the BIOS data area: dom0 may
     * read it. */
    if (!hw || gfn > P2M_MAX_GFN || (gfn && memory_is_host_ram(gfn << 12)) ||
        (gpa >= LAPIC_WINDOW && gpa < LAPIC_WINDOW_END) || hwdom_in_vioapic(hw, gpa) ||
        p2m_lookup(d, gfn, &(uint64_t){ 0 }, NULL, NULL))
        return false;
    return p2m_set(d, gfn, gfn, P2M_ORDER_4K, P2M_MMIO, gfn != 0) == 0;
}

bool hwdom_mmio_read(struct vcpu *v, uint64_t gpa, unsigned int size,
                     uint64_t *value)
{
    struct hwdom *hw = hwdom_of(v->domain);
    uint32_t v32 = 0xffffffffu;

    if (!hw || size != 4 || !hwdom_vioapic_access(hw, gpa, false, &v32))
        return false;
    *value = v32;
    return true;
}

bool hwdom_mmio_write(struct vcpu *v, uint64_t gpa, unsigned int size,
                      uint64_t value)
{
    struct hwdom *hw = hwdom_of(v->domain);
    uint32_t v32 = (uint32_t)value;

    return hw && size == 4 && hwdom_vioapic_access(hw, gpa, true, &v32);
}

size_t hwdom_acpi_tables(struct domain *d, uint8_t *buf, size_t size,
                         uint64_t base_gpa, uint64_t *root_gpa)
{
    static uint64_t pa[MAX_ROOT_TABLES];       /* boot CPU, dom0 build only */
    static char sig[MAX_ROOT_TABLES][4];
    size_t len;
    const uint8_t *rsdp = acpi_host_rsdp(&len);
    const struct acpi_header *madt = acpi_find_table(rsdp, len, "APIC");
    struct acpi_host_view host = {
        .table_pa = pa,
        .table_sig = (const char (*)[4])sig,
        .count = acpi_root_tables(rsdp, len, pa, sig, MAX_ROOT_TABLES),
        .madt = (const uint8_t *)madt,
        .madt_len = madt ? madt->length : 0,
    };
    return acpi_build_dom0_tables(buf, size, base_gpa, d->max_vcpus, &host, root_gpa);
}
