/*
 * x86 constants the guest runtime shares between its assembly entry code
 * and C: control-register and EFER bits, page-table flags, the selectors
 * of the runtime's own GDT, and (for C) the IDT's gate and register layout.
 */
#ifndef GUEST_X86_H
#define GUEST_X86_H

#define CR0_PE          0x00000001
#define CR0_PG          0x80000000
#define CR4_PAE         0x00000020

#define MSR_EFER        0xc0000080
#define EFER_LME        0x00000100

#define PTE_PRESENT     0x001
#define PTE_WRITE       0x002
#define PTE_LARGE       0x080

#define GDT_CODE64      0x08
#define GDT_DATA        0x10

#define PAGE_SIZE       4096

#ifndef __ASSEMBLER__
#include <stdint.h>

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};

struct __attribute__((packed)) idt_desc {
    uint16_t limit;
    uint64_t base;
};
#endif

#endif
