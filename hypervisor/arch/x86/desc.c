/* GDT, TSS and IDT set-up, shared by all CPUs. */
#include <mica/log.h>
#include <mica/memory.h>
#include <x86/desc.h>
#include <x86/percpu.h>
#include <x86/segments.h>

#define GDT_ENTRIES (SEL_TSS / 8 + 2 * MAX_CPUS)

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16))) = {
    [SEL_CODE64 / 8] = 0x00af9a000000ffffULL,
    [SEL_DATA / 8]   = 0x00cf92000000ffffULL,
    [SEL_CODE32 / 8] = 0x00cf9a000000ffffULL,
};

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));

struct table_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* Entry stubs from isr.S, one per vector. */
extern const uint64_t isr_stub_table[256];

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        uint64_t addr = isr_stub_table[v];
        idt[v] = (struct idt_gate){
            .offset_low = (uint16_t)addr,
            .selector = SEL_CODE64,
            .ist = (v == 2 || v == 8 || v == 18) ? IST_CRITICAL : 0,
            .type_attr = 0x8e,              /* present, DPL 0, interrupt gate */
            .offset_mid = (uint16_t)(addr >> 16),
            .offset_high = (uint32_t)(addr >> 32),
        };
    }
}

static void set_tss_descriptor(unsigned int cpu_id, const struct tss *tss)
{
    uint64_t base = (uint64_t)(uintptr_t)tss;
    uint64_t limit = sizeof(*tss) - 1;
    unsigned int slot = SEL_TSS / 8 + 2 * cpu_id;

    gdt[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                (0x89ULL << 40) |   /* present, available 64-bit TSS */
                ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    gdt[slot + 1] = base >> 32;
}

void desc_init_cpu(unsigned int cpu_id)
{
    struct percpu *p = &percpu_area[cpu_id];
    uint64_t ist = page_alloc(2);

    if (!ist)
        panic("desc: no memory for CPU %u's exception stack", cpu_id);
    p->tss.ist[IST_CRITICAL - 1] = ist + 2 * PAGE_SIZE;
    p->tss.iomap_base = sizeof(p->tss);
    set_tss_descriptor(cpu_id, &p->tss);

    struct table_pointer gdtp = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
    struct table_pointer idtp = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
    uint16_t tss_sel = (uint16_t)(SEL_TSS + 16 * cpu_id);

    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %[cs]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %[ds], %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "ltr %[tss]\n\t"
        "lidt %1"
        :: "m"(gdtp), "m"(idtp), [cs] "i"(SEL_CODE64), [ds] "i"(SEL_DATA),
           [tss] "r"(tss_sel)
        : "rax", "memory");
}
