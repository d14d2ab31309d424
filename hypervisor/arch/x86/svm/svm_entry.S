/*
 * svm_enter_guest(vmcb_pa, regs, host_vmcb_pa): one VMRUN round trip.
 * VMRUN itself switches RAX, RSP, RIP and RFLAGS (they live in the VMCB);
 * the other general registers are swapped here with struct guest_regs.
 * VMLOAD/VMSAVE move the state VMRUN leaves alone (FS/GS/TR/LDTR bases,
 * KernelGSBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER), keeping the host's
 * per-CPU %gs base intact. Called with interrupts off; GIF is cleared
 * around the switch so nothing arrives half-way, and RFLAGS.IF is set at
 * VMRUN so that physical interrupts cause #VMEXIT(INTR) in the guest.
 */

/* Offsets in struct guest_regs (mica/domain.h). */
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

    .text
    .globl svm_enter_guest
svm_enter_guest:
    pushq %rbp
    movq %rsp, %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdx                  /* host save area for VMSAVE/VMLOAD */
    pushq %rsi                  /* struct guest_regs * */
    pushq %rdi                  /* guest VMCB */

    clgi
    movq %rdx, %rax
    vmsave
    movq (%rsp), %rax
    vmload

    movq R_RBX(%rsi), %rbx
    movq R_RCX(%rsi), %rcx
    movq R_RDX(%rsi), %rdx
    movq R_RDI(%rsi), %rdi
    movq R_RBP(%rsi), %rbp
    movq R_R8(%rsi), %r8
    movq R_R9(%rsi), %r9
    movq R_R10(%rsi), %r10
    movq R_R11(%rsi), %r11
    movq R_R12(%rsi), %r12
    movq R_R13(%rsi), %r13
    movq R_R14(%rsi), %r14
    movq R_R15(%rsi), %r15
    movq R_RSI(%rsi), %rsi

    sti
    vmrun
    cli

    /* RAX and RSP are the host's again; everything else is the guest's. */
    pushq %rdi
    movq 16(%rsp), %rdi         /* struct guest_regs * */
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
    popq %rcx
    movq %rcx, R_RDI(%rdi)

    movq (%rsp), %rax           /* guest VMCB */
    vmsave
    movq 16(%rsp), %rax         /* host save area */
    vmload
    stgi

    addq $24, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
