/*
 * PVH entry. The ELF note tells the loader where to enter; the hypervisor
 * starts us there in 32-bit flat protected mode, paging off, with %ebx
 * holding the physical address of struct hvm_start_info. We zero .bss,
 * identity-map the first 4 GiB with 2 MiB pages, switch to long mode on a
 * GDT of our own and call guest_start(si) on our own stack.
 */
#include <xen/elfnote.h>
#include "x86.h"

#define BOOT_STACK_SIZE 16384

    .section .note.Xen, "a", @note
    .p2align 2
    .long 4                         /* name size: "Xen" and its NUL */
    .long 4                         /* descriptor size: a 32-bit address */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .long pvh_start32

    .section .text.entry, "ax"
    .code32
    .globl pvh_start32
pvh_start32:
    cli
    cld
    movl %ebx, %esi                 /* kept in %esi for guest_start */

    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    /* 2048 page-directory entries of 2 MiB: 0 .. 4 GiB. */
    movl $boot_pd, %edi
    movl $(PTE_PRESENT | PTE_WRITE | PTE_LARGE), %eax
    movl $2048, %ecx
1:  movl %eax, (%edi)
    addl $0x200000, %eax
    addl $8, %edi
    loop 1b

    /* Four PDPT entries, one per page directory. */
    movl $boot_pdpt, %edi
    movl $(boot_pd + PTE_PRESENT + PTE_WRITE), %eax
    movl $4, %ecx
2:  movl %eax, (%edi)
    addl $PAGE_SIZE, %eax
    addl $8, %edi
    loop 2b

    movl $(boot_pdpt + PTE_PRESENT + PTE_WRITE), boot_pml4

    lgdt boot_gdt_desc
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_PE), %eax
    movl %eax, %cr0
    ljmp $GDT_CODE64, $long_mode

    .code64
long_mode:
    movl $GDT_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    movl %eax, %fs
    movl %eax, %gs
    movq $(boot_stack + BOOT_STACK_SIZE), %rsp
    movl %esi, %edi                 /* zero-extends: the start-info address */
    call guest_start
3:  cli
    hlt
    jmp 3b

    .section .rodata
    .p2align 3
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* GDT_CODE64: 64-bit code, ring 0 */
    .quad 0x00cf92000000ffff        /* GDT_DATA: flat data */
boot_gdt_end:
boot_gdt_desc:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt

    .section .bss
    .p2align 12
boot_pml4:
    .skip PAGE_SIZE
boot_pdpt:
    .skip PAGE_SIZE
boot_pd:
    .skip 4 * PAGE_SIZE
boot_stack:
    .skip BOOT_STACK_SIZE
