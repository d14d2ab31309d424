/*
 * x86 constants the guest runtime shares between its assembly entry code
 * and C: control-register and EFER bits, page-table flags, and the
 * selectors of the runtime's own GDT.
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

#endif
