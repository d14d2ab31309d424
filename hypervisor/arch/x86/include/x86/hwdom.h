/*
 * dom0 as the hardware domain: it reaches the machine's I/O ports and
 * device memory directly, except what Mica keeps (its console UART, the
 * 8259s, the local APIC, PCI configuration space and the ACPI sleep
 * control, which are trapped and emulated), and its device interrupts
 * arrive through emulated I/O APICs that mirror the real ones.
 */
#ifndef X86_HWDOM_H
#define X86_HWDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/spinlock.h>
#include <x86/ioapic.h>
#include <x86/vioapic.h>

struct domain;
struct vcpu;

struct hwdom {
    struct domain *d;
    spinlock_t lock;                /* the emulated I/O APICs */
    struct vioapic vioapic[IOAPIC_MAX];
    unsigned int nr_vioapics;
    uint32_t bsp_apic_id;           /* where device interrupts arrive */
    uint32_t pci_address;           /* the last dword written to 0xcf8 */
    uint16_t pm1_cnt[2];            /* ACPI PM1a/PM1b control ports, 0: none */
    unsigned int pm1_cnt_len;
    bool have_s5;                   /* the DSDT declares \_S5 */
    uint8_t s5_typ[2];              /* its SLP_TYP for PM1a and PM1b */
};

/* Sets dom0 up as the hardware domain (ports, interrupts); called once
 * the backend has created the domain. */
int hwdom_init(struct domain *d);
void hwdom_destroy(struct domain *d);

/* A trapped port access of dom0's; false if it is not one of the ports
 * the hardware domain emulates (the caller's default applies). */
bool hwdom_io(struct vcpu *v, uint16_t port, unsigned int size, bool in,
              uint32_t *value);
/* Accesses to emulated device windows (the I/O APICs); false if gpa is
 * not in one. */
bool hwdom_mmio_read(struct vcpu *v, uint64_t gpa, unsigned int size,
                     uint64_t *value);
bool hwdom_mmio_write(struct vcpu *v, uint64_t gpa, unsigned int size,
                      uint64_t value);
/* The guest retired a level-triggered vector: end the interrupt at the
 * emulated and the real I/O APIC. */
void hwdom_eoi(struct domain *d, uint8_t vector);
/* dom0's ACPI tables, over the host's. */
size_t hwdom_acpi_tables(struct domain *d, uint8_t *buf, size_t size,
                         uint64_t base_gpa, uint64_t *root_gpa);

/* hwdom_irq.c */
void hwdom_irq_init(struct hwdom *hw);
void hwdom_irq_destroy(struct hwdom *hw);
bool hwdom_vioapic_access(struct hwdom *hw, uint64_t gpa, bool write,
                          uint32_t *value);
bool hwdom_in_vioapic(const struct hwdom *hw, uint64_t gpa);

/* pci_conf.c: configuration mechanism #1 at ports 0xcf8-0xcff. */
void pci_conf_io(struct hwdom *hw, uint16_t port, unsigned int size, bool in,
                 uint32_t *value);

#endif
