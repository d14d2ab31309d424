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

#include <x86/guest_regs_asm.h>

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

    LOAD_GUEST_GPRS %rsi
    movq R_RDI(%rsi), %rdi
    movq R_RSI(%rsi), %rsi

    sti
    vmrun
    cli

    /* RAX and RSP are the host's again; everything else is the guest's. */
    pushq %rdi
    movq 16(%rsp), %rdi         /* struct guest_regs * */
    SAVE_GUEST_GPRS %rdi
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
