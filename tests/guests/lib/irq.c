/* The upcall vector's IDT gate and the dispatch to its C handler. */
#include "irq.h"
#include "string.h"
#include "x86.h"

#define NR_VECTORS 256
#define GATE_INTERRUPT_64 0x8e      /* present, DPL 0, 64-bit interrupt gate */

void irq_upcall_stub(void);
void irq_dispatch(void);

static struct idt_gate idt[NR_VECTORS] __attribute__((aligned(16)));
static irq_handler_fn handler_fn;
static volatile uint64_t taken;

void irq_dispatch(void)
{
    taken++;
    if (handler_fn)
        handler_fn();
}

uint64_t irq_count(void)
{
    return taken;
}

void irq_install(uint8_t vector, irq_handler_fn handler)
{
    struct idt_desc cur, desc = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
    uint64_t addr = (uint64_t)(uintptr_t)irq_upcall_stub;

    __asm__ volatile("sidt %0" : "=m"(cur));
    if (cur.base != desc.base) {
        /* First call: keep the exception gates the runtime installed. */
        size_t keep = (size_t)cur.limit + 1;
        memcpy(idt, (const void *)(uintptr_t)cur.base,
               keep < sizeof(idt) ? keep : sizeof(idt));
    }
    for (unsigned int v = 32; v < NR_VECTORS; v++)
        idt[v] = (struct idt_gate){ 0 };
    handler_fn = handler;
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)addr,
        .selector = GDT_CODE64,
        .type = GATE_INTERRUPT_64,
        .offset_mid = (uint16_t)(addr >> 16),
        .offset_high = (uint32_t)(addr >> 32),
    };
    __asm__ volatile("lidt %0" : : "m"(desc) : "memory");
}
