/* The per-CPU areas and the accessors common code uses to list CPUs. */
#include <mica/cpu.h>
#include <mica/arch.h>
#include <x86/cpu.h>
#include <x86/lapic.h>
#include <x86/regs.h>
#include <x86/percpu.h>

struct percpu percpu_area[MAX_CPUS];
unsigned int cpus_possible = 1;

void percpu_init_cpu(unsigned int cpu_id)
{
    struct percpu *p = &percpu_area[cpu_id];

    p->self = p;
    p->cpu_id = cpu_id;
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)p);
}

unsigned int cpu_possible_count(void)
{
    return cpus_possible;
}

unsigned int cpu_online_count(void)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < cpus_possible; i++)
        if (percpu_area[i].online)
            n++;
    return n;
}

bool cpu_get_status(unsigned int id, struct cpu_status *out)
{
    if (id >= cpus_possible)
        return false;
    out->id = id;
    out->apic_id = percpu_area[id].apic_id;
    out->acpi_id = percpu_area[id].acpi_id;
    out->online = percpu_area[id].online;
    out->ticks = percpu_area[id].ticks;
    return true;
}

unsigned int arch_cpu_id(void)
{
    return this_cpu()->cpu_id;
}

void arch_kick_cpu(unsigned int cpu)
{
    if (cpu < cpus_possible && percpu_area[cpu].online)
        lapic_send_fixed(percpu_area[cpu].apic_id, VECTOR_KICK);
}

bool arch_irq_save(void)
{
    uint64_t flags;

    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) :: "memory");
    return flags & (1u << 9);
}

void arch_irq_restore(bool enabled)
{
    if (enabled)
        irq_enable();
}
