/*
 * One stub per exception vector 0-31. Each makes the stack look the same
 * (a zero where the CPU pushes no error code, then the vector number) and
 * hands a struct trap_frame pointer to trap_report(), which never returns.
 */
    .macro trap_stub vec
    .p2align 4
trap_stub_\vec:
    .if !((\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || \
          (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30))
    pushq $0
    .endif
    pushq $\vec
    jmp trap_common
    .endm

    .text
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    trap_stub \v
    .endr

trap_common:
    movq %rsp, %rdi
    andq $-16, %rsp
    call trap_report
1:  cli
    hlt
    jmp 1b

    .section .rodata
    .p2align 3
    .globl trap_stub_table
trap_stub_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad trap_stub_\v
    .endr
