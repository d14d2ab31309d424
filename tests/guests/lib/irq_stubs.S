/*
 * The stub behind the upcall vector's IDT gate: saves every general
 * register, calls irq_dispatch() on a 16-byte aligned stack, restores
 * them and returns from the interrupt. The CPU pushes no error code for
 * an external interrupt.
 */
    .text
    .globl irq_upcall_stub
    .p2align 4
irq_upcall_stub:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rbx                 /* callee-saved: survives the call */
    andq $-16, %rsp
    call irq_dispatch
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    iretq
