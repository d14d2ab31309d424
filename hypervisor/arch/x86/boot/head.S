/*
 * The two ways into the hypervisor. GRUB enters at mb2_entry32 in 32-bit
 * protected mode without paging; our UEFI loader calls uefi_entry64 in long
 * mode on the firmware's page tables. Both switch to the static tables
 * below (the first 4 GiB identity-mapped with 2 MiB pages) and a stack of
 * our own before any C runs.
 */
#include <x86/segments.h>

#define MB2_MAGIC           0xe85250d6
#define MB2_ARCH_I386       0
#define MB2_TAG_ENTRY       3
#define MB2_TAG_END         0

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* GRUB honours this over the ELF entry, which is the UEFI one. */
    .balign 8
    .short MB2_TAG_ENTRY, 0
    .long 12
    .long mb2_entry32
    .balign 8
    .short MB2_TAG_END, 0
    .long 8
mb2_header_end:

    .section .text.boot, "ax"
    .code32
    .globl mb2_entry32
mb2_entry32:
    cli
    cld
    movl %eax, %edi             /* Multiboot2 magic */
    movl %ebx, %esi             /* physical address of the info block */
    movl $(boot_stack + BOOT_STACK_SIZE), %esp

    movl %cr4, %eax
    orl $(1 << 5), %eax         /* PAE */
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx      /* EFER: long mode enable, no-execute enable */
    rdmsr
    orl $((1 << 8) | (1 << 11)), %eax
    wrmsr
    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16) | 1), %eax  /* PG, WP, PE */
    movl %eax, %cr0

    lgdt boot_gdt_desc
    ljmp $SEL_CODE64, $mb2_entry64

    .code64
mb2_entry64:
    call load_boot_segments
    movl %edi, %edi
    movl %esi, %esi
    call x86_boot_multiboot2    /* (magic, info) */
    jmp halt_forever

    .globl uefi_entry64
uefi_entry64:
    cli
    cld
    movq %rdi, %rbx             /* physical address of struct boot_info */
    leaq boot_stack + BOOT_STACK_SIZE(%rip), %rsp
    leaq boot_pml4(%rip), %rax
    movq %rax, %cr3
    lgdt boot_gdt_desc(%rip)
    pushq $SEL_CODE64
    leaq 1f(%rip), %rax
    pushq %rax
    lretq
1:  call load_boot_segments
    movq %rbx, %rdi
    call x86_boot_uefi
    jmp halt_forever

load_boot_segments:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    ret

halt_forever:
    cli
    hlt
    jmp halt_forever

    .section .data.page_aligned, "aw"
    .balign 4096
    .globl boot_pml4
boot_pml4:
    .quad boot_pdpt + 0x3
    .fill 511, 8, 0
boot_pdpt:
    .quad boot_pd + 0x0000 + 0x3
    .quad boot_pd + 0x1000 + 0x3
    .quad boot_pd + 0x2000 + 0x3
    .quad boot_pd + 0x3000 + 0x3
    .fill 508, 8, 0
boot_pd:
    .set addr, 0
    .rept 2048
    .quad addr + 0x83           /* present, writable, 2 MiB */
    .set addr, addr + 0x200000
    .endr

    .data
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 64-bit code */
    .quad 0x00cf92000000ffff    /* data */
    .quad 0x00cf9a000000ffff    /* 32-bit code, for the AP trampoline */
boot_gdt_end:
    .globl boot_gdt_desc
boot_gdt_desc:
    .short boot_gdt_end - boot_gdt - 1
    .quad boot_gdt

    .section .bss.page_aligned, "aw", @nobits
    .balign 4096
    .globl boot_stack
boot_stack:
    .skip BOOT_STACK_SIZE
