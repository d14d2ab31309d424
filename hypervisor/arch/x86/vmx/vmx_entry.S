/*
 * vmx_enter_guest(regs, launched): one VM entry and exit. The VMCS holds
 * the guest's RSP, RIP and RFLAGS; the other general registers are swapped
 * here with struct guest_regs. HOST_RSP is written on every entry because
 * the stack depth can differ; HOST_RIP points at vmx_exit_point. Returns 0
 * after a VM exit, 1 when VMLAUNCH/VMRESUME itself failed (the VMCS'
 * VM-instruction error says why).
 */
#include <x86/guest_regs_asm.h>
#define HOST_RSP 0x6c14

    .text
    .globl vmx_enter_guest, vmx_exit_point
vmx_enter_guest:
    pushq %rbp
    movq %rsp, %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdi                  /* struct guest_regs * */

    movq $HOST_RSP, %rax
    vmwrite %rsp, %rax

    testl %esi, %esi
    movq R_RAX(%rdi), %rax
    LOAD_GUEST_GPRS %rdi
    movq R_RSI(%rdi), %rsi
    movq R_RDI(%rdi), %rdi      /* flags from testl survive the movs */
    jnz 1f
    vmlaunch
    jmp 2f
1:  vmresume
2:  /* Only reached when the entry failed; RSP is still ours. */
    popq %rdi
    movl $1, %eax
    jmp 3f

vmx_exit_point:
    pushq %rdi
    movq 8(%rsp), %rdi          /* struct guest_regs * */
    movq %rax, R_RAX(%rdi)
    SAVE_GUEST_GPRS %rdi
    popq %rax
    movq %rax, R_RDI(%rdi)
    popq %rdi
    xorl %eax, %eax
3:  popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
