/* Per-CPU data, reached through %gs on each CPU. */
#ifndef X86_PERCPU_H
#define X86_PERCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/cpu.h>

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct percpu {
    struct percpu *self;        /* must stay first: read as %gs:0 */
    unsigned int cpu_id;
    uint32_t apic_id;
    uint32_t acpi_id;           /* the MADT's processor UID */
    volatile bool online;
    volatile uint64_t ticks;    /* timer interrupts taken */
    uint64_t stack_base;        /* the CPU's normal stack, for backtraces */
    uint64_t stack_top;
    struct tss tss __attribute__((aligned(16)));
};

extern struct percpu percpu_area[MAX_CPUS];
extern unsigned int cpus_possible;

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}

/* Points %gs at this CPU's area; call once per CPU, early. */
void percpu_init_cpu(unsigned int cpu_id);

#endif
