/* The guest's IDT and the report of an unexpected exception. */
#include <stdbool.h>
#include <xen/sched.h>

#include "test.h"
#include "traps.h"
#include "x86.h"

#define NR_EXCEPTIONS 32
#define GATE_INTERRUPT_64 0x8e      /* present, DPL 0, 64-bit interrupt gate */

extern const uint64_t trap_stub_table[NR_EXCEPTIONS];

static struct idt_gate idt[NR_EXCEPTIONS] __attribute__((aligned(16)));

static const char *const exception_names[NR_EXCEPTIONS] = {
    "DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO", "TS", "NP",
    "SS", "GP", "PF", "vector15", "MF", "AC", "MC", "XM", "VE", "CP",
    "vector22", "vector23", "vector24", "vector25", "vector26", "vector27",
    "HV", "VC", "SX", "vector31",
};

void traps_init(void)
{
    struct idt_desc desc = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

    for (unsigned int v = 0; v < NR_EXCEPTIONS; v++) {
        uint64_t addr = trap_stub_table[v];

        idt[v] = (struct idt_gate){
            .offset_low = (uint16_t)addr,
            .selector = GDT_CODE64,
            .type = GATE_INTERRUPT_64,
            .offset_mid = (uint16_t)(addr >> 16),
            .offset_high = (uint32_t)(addr >> 32),
        };
    }
    __asm__ volatile("lidt %0" : : "m"(desc));
}

_Noreturn void trap_report(const struct trap_frame *f)
{
    static bool reporting;
    uint64_t cr2 = 0;

    /* A fault while reporting (say, no hypervisor to print through): stop. */
    if (reporting)
        for (;;)
            __asm__ volatile("cli; hlt");
    reporting = true;

    if (f->vector == 14)
        __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    test_check(false, "trap", exception_names[f->vector % NR_EXCEPTIONS],
               "vector %lu error %#lx rip %#lx cr2 %#lx", (unsigned long)f->vector,
               (unsigned long)f->error, (unsigned long)f->rip, (unsigned long)cr2);
    test_finish(SHUTDOWN_crash);
}
