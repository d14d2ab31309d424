/* The register frame isr.S builds for every interrupt and exception. */
#ifndef X86_REGS_H
#define X86_REGS_H

#include <stdint.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

/* Vectors the hypervisor owns. */
#define VECTOR_TIMER    0xf0
#define VECTOR_KICK     0xf1
#define VECTOR_QUIESCE  0xf2    /* x86/quiesce.h */
#define VECTOR_SPURIOUS 0xff

void x86_interrupt(struct cpu_regs *regs);

#endif
