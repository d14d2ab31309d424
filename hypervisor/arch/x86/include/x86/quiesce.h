/*
 * Running a short action while every other CPU waits in its interrupt
 * handler, touching nothing but RAM.
 *
 * Why: QEMU 7.2's TCG (Debian 12's, which tests and `make run` use) has a
 * race: when one CPU changes the machine's memory map (dom0 sizing a PCI
 * BAR or toggling memory decode through a config write), another CPU that
 * is writing device memory (the local APIC's EOI, a passthrough BAR) at
 * that moment can look its address up in the new map with an index from
 * the old one, and QEMU crashes (SIGSEGV in memory_region_dispatch_write).
 * With the others held in a RAM-only loop the change is safe, and each
 * CPU's translation cache is flushed before it leaves that loop. On real
 * hardware this costs one IPI round per PCI config write, a boot-time rarity.
 */
#ifndef X86_QUIESCE_H
#define X86_QUIESCE_H

/* Calls action(arg) with the other online CPUs parked. Called with
 * interrupts off. A CPU that does not answer within QUIESCE_TIMEOUT_US
 * (it may be spinning with interrupts off on something this CPU holds) is
 * not waited for: the action runs anyway and a warning is logged. */
void quiesce_others_and_run(void (*action)(void *arg), void *arg);

/* From the interrupt handler for VECTOR_QUIESCE. */
void quiesce_answer(void);

#define QUIESCE_TIMEOUT_US  200000

#endif
