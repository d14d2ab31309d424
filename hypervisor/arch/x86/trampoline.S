/*
 * Start-up code for the other CPUs. smp.c copies it to a page below 1 MiB,
 * fills in the fields at its end and sends INIT-SIPI-SIPI; the CPU starts
 * here in real mode at that page, climbs through protected mode into long
 * mode on the hypervisor's page tables and calls the address in `entry`
 * with its CPU number. %ebx holds the page's address throughout, so the
 * code does not care where it was copied.
 */
#include <x86/segments.h>

#define OFF(label) ((label) - trampoline_start)

    .section .rodata
    .balign 16
    .globl trampoline_start
trampoline_start:
    .code16
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    xorl %ebx, %ebx
    movw %ax, %bx
    shll $4, %ebx
    lgdtl OFF(tramp_gdt_desc)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl *OFF(tramp_far32)

    .code32
    .globl tramp_pm32
tramp_pm32:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $(1 << 5), %eax                 /* PAE */
    movl %eax, %cr4
    movl OFF(tramp_cr3)(%ebx), %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx              /* EFER.LME | EFER.NXE */
    rdmsr
    orl $((1 << 8) | (1 << 11)), %eax
    wrmsr
    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16)), %eax  /* PG, WP */
    movl %eax, %cr0
    ljmpl *OFF(tramp_far64)(%ebx)

    .code64
    .globl tramp_lm64
tramp_lm64:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movq OFF(tramp_stack)(%rbx), %rsp
    movq OFF(tramp_cpu)(%rbx), %rdi
    movq OFF(tramp_entry)(%rbx), %rax
    xorl %ebp, %ebp
    pushq $0                            /* end of the backtrace */
    jmp *%rax

    .balign 8
    .globl tramp_gdt
tramp_gdt:
    .quad 0
    .quad 0x00af9a000000ffff
    .quad 0x00cf92000000ffff
    .quad 0x00cf9a000000ffff
tramp_gdt_end:
    .globl tramp_gdt_desc
tramp_gdt_desc:
    .short tramp_gdt_end - tramp_gdt - 1
    .long 0                             /* patched: page + OFF(tramp_gdt) */
    .globl tramp_far32
tramp_far32:
    .long 0                             /* patched: page + OFF(tramp_pm32) */
    .short SEL_CODE32
    .globl tramp_far64
tramp_far64:
    .long 0                             /* patched: page + OFF(tramp_lm64) */
    .short SEL_CODE64
    .balign 8
    .globl tramp_cr3, tramp_stack, tramp_cpu, tramp_entry
tramp_cr3:      .quad 0
tramp_stack:    .quad 0
tramp_cpu:      .quad 0
tramp_entry:    .quad 0
    .globl trampoline_end
trampoline_end:
