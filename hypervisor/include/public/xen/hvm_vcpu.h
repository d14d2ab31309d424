/*
 * The initial register state VCPUOP_initialise takes for an HVM/PVH vCPU:
 * either 32-bit protected mode with explicit segment caches, or 64-bit
 * long mode with flat segments.
 */
#ifndef MICA_PUBLIC_XEN_HVM_VCPU_H
#define MICA_PUBLIC_XEN_HVM_VCPU_H

#include "xen.h"

/* vcpu_hvm_context.mode */
#define VCPU_HVM_MODE_32B  0
#define VCPU_HVM_MODE_64B  1

#ifndef __ASSEMBLER__

/*
 * 32-bit start. efer may carry NXE, or LME/LMA to start in compatibility
 * mode. Each *_ar holds a descriptor's attribute bits packed as the VMCB
 * does: descriptor bits 40-47 in bits 0-7, bits 52-55 in bits 8-11.
 */
struct vcpu_hvm_x86_32 {
    uint32_t eax;
    uint32_t ecx;
    uint32_t edx;
    uint32_t ebx;
    uint32_t esp;
    uint32_t ebp;
    uint32_t esi;
    uint32_t edi;
    uint32_t eip;
    uint32_t eflags;
    uint32_t cr0;
    uint32_t cr3;
    uint32_t cr4;
    uint32_t pad1;
    uint64_t efer;
    uint32_t cs_base;
    uint32_t ds_base;
    uint32_t ss_base;
    uint32_t es_base;
    uint32_t tr_base;
    uint32_t cs_limit;
    uint32_t ds_limit;
    uint32_t ss_limit;
    uint32_t es_limit;
    uint32_t tr_limit;
    uint16_t cs_ar;
    uint16_t ds_ar;
    uint16_t ss_ar;
    uint16_t es_ar;
    uint16_t tr_ar;
    uint16_t pad2[3];
};
_Static_assert(sizeof(struct vcpu_hvm_x86_32) == 120, "vcpu_hvm_x86_32 size");
_Static_assert(offsetof(struct vcpu_hvm_x86_32, eip) == 32, "vcpu_hvm_x86_32.eip");
_Static_assert(offsetof(struct vcpu_hvm_x86_32, efer) == 56, "vcpu_hvm_x86_32.efer");
_Static_assert(offsetof(struct vcpu_hvm_x86_32, cs_base) == 64, "vcpu_hvm_x86_32.cs_base");
_Static_assert(offsetof(struct vcpu_hvm_x86_32, cs_limit) == 84, "vcpu_hvm_x86_32.cs_limit");
_Static_assert(offsetof(struct vcpu_hvm_x86_32, cs_ar) == 104, "vcpu_hvm_x86_32.cs_ar");
_Static_assert(offsetof(struct vcpu_hvm_x86_32, tr_ar) == 112, "vcpu_hvm_x86_32.tr_ar");

/* 64-bit start: segments are set up flat by the hypervisor. */
struct vcpu_hvm_x86_64 {
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rbx;
    uint64_t rsp;
    uint64_t rbp;
    uint64_t rsi;
    uint64_t rdi;
    uint64_t rip;
    uint64_t rflags;
    uint64_t cr0;
    uint64_t cr3;
    uint64_t cr4;
    uint64_t efer;
};
_Static_assert(sizeof(struct vcpu_hvm_x86_64) == 112, "vcpu_hvm_x86_64 size");
_Static_assert(offsetof(struct vcpu_hvm_x86_64, rip) == 64, "vcpu_hvm_x86_64.rip");
_Static_assert(offsetof(struct vcpu_hvm_x86_64, efer) == 104, "vcpu_hvm_x86_64.efer");

struct vcpu_hvm_context {
    uint32_t mode;              /* VCPU_HVM_MODE_* */
    uint32_t pad;
    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;
};
_Static_assert(sizeof(struct vcpu_hvm_context) == 128, "vcpu_hvm_context size");
_Static_assert(offsetof(struct vcpu_hvm_context, cpu_regs) == 8, "vcpu_hvm_context.cpu_regs");

#endif /* !__ASSEMBLER__ */

#endif
