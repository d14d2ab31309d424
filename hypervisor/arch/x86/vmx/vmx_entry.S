/*
 * vmx_enter_guest(regs, launched): one VM entry and exit. The VMCS holds
 * the guest's RSP, RIP and RFLAGS; the other general registers are swapped
 * here with struct guest_regs. HOST_RSP is written on every entry because
 * the stack depth can differ; HOST_RIP points at vmx_exit_point. Returns 0
 * after a VM exit, 1 when VMLAUNCH/VMRESUME itself failed (the VMCS'
 * VM-instruction error says why).
 */
#define R_RAX 0
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_R8  64
#define R_R9  72
#define R_R10 80
#define R_R11 88
#define R_R12 96
#define R_R13 104
#define R_R14 112
#define R_R15 120
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
    movq R_RBX(%rdi), %rbx
    movq R_RCX(%rdi), %rcx
    movq R_RDX(%rdi), %rdx
    movq R_RSI(%rdi), %rsi
    movq R_RBP(%rdi), %rbp
    movq R_R8(%rdi), %r8
    movq R_R9(%rdi), %r9
    movq R_R10(%rdi), %r10
    movq R_R11(%rdi), %r11
    movq R_R12(%rdi), %r12
    movq R_R13(%rdi), %r13
    movq R_R14(%rdi), %r14
    movq R_R15(%rdi), %r15
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
    movq %rbx, R_RBX(%rdi)
    movq %rcx, R_RCX(%rdi)
    movq %rdx, R_RDX(%rdi)
    movq %rsi, R_RSI(%rdi)
    movq %rbp, R_RBP(%rdi)
    movq %r8, R_R8(%rdi)
    movq %r9, R_R9(%rdi)
    movq %r10, R_R10(%rdi)
    movq %r11, R_R11(%rdi)
    movq %r12, R_R12(%rdi)
    movq %r13, R_R13(%rdi)
    movq %r14, R_R14(%rdi)
    movq %r15, R_R15(%rdi)
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
