/* The AMD VMCB (APM vol. 2, appendix B): control area, then the guest
 * state save area at offset 0x400. Offsets are checked at compile time. */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

struct vmcb_segment {
    uint16_t selector;
    uint16_t attrib;            /* the descriptor's attributes, packed */
    uint32_t limit;
    uint64_t base;
} __attribute__((packed));

struct vmcb_control {
    uint32_t intercept_cr;          /* 0x000: reads low 16, writes high 16 */
    uint32_t intercept_dr;          /* 0x004 */
    uint32_t intercept_exceptions;  /* 0x008 */
    uint32_t intercept_misc1;       /* 0x00c */
    uint32_t intercept_misc2;       /* 0x010 */
    uint32_t intercept_misc3;       /* 0x014 */
    uint8_t  reserved0[0x03c - 0x018];
    uint16_t pause_filter_threshold;/* 0x03c */
    uint16_t pause_filter_count;    /* 0x03e */
    uint64_t iopm_base_pa;          /* 0x040 */
    uint64_t msrpm_base_pa;         /* 0x048 */
    uint64_t tsc_offset;            /* 0x050 */
    uint32_t asid;                  /* 0x058 */
    uint8_t  tlb_control;           /* 0x05c */
    uint8_t  reserved1[3];
    uint64_t vintr;                 /* 0x060: V_TPR, V_IRQ, V_INTR_* */
    uint64_t interrupt_shadow;      /* 0x068 */
    uint64_t exit_code;             /* 0x070 */
    uint64_t exit_info1;            /* 0x078 */
    uint64_t exit_info2;            /* 0x080 */
    uint64_t exit_int_info;         /* 0x088 */
    uint64_t np_enable;             /* 0x090 */
    uint8_t  reserved2[0x0a8 - 0x098];
    uint64_t event_inject;          /* 0x0a8 */
    uint64_t n_cr3;                 /* 0x0b0 */
    uint64_t lbr_virt;              /* 0x0b8 */
    uint32_t clean_bits;            /* 0x0c0 */
    uint32_t reserved3;
    uint64_t next_rip;              /* 0x0c8 */
    uint8_t  insn_len;              /* 0x0d0 */
    uint8_t  insn_bytes[15];
    uint8_t  reserved4[0x400 - 0x0e0];
} __attribute__((packed));

struct vmcb_save {
    struct vmcb_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 */
    uint8_t  reserved0[0x4cb - 0x4a0];
    uint8_t  cpl;                   /* 0x4cb */
    uint32_t reserved1;
    uint64_t efer;                  /* 0x4d0 */
    uint8_t  reserved2[0x548 - 0x4d8];
    uint64_t cr4;                   /* 0x548 */
    uint64_t cr3;                   /* 0x550 */
    uint64_t cr0;                   /* 0x558 */
    uint64_t dr7;                   /* 0x560 */
    uint64_t dr6;                   /* 0x568 */
    uint64_t rflags;                /* 0x570 */
    uint64_t rip;                   /* 0x578 */
    uint8_t  reserved3[0x5d8 - 0x580];
    uint64_t rsp;                   /* 0x5d8 */
    uint8_t  reserved4[0x5f8 - 0x5e0];
    uint64_t rax;                   /* 0x5f8 */
    uint64_t star;                  /* 0x600 */
    uint64_t lstar;                 /* 0x608 */
    uint64_t cstar;                 /* 0x610 */
    uint64_t sfmask;                /* 0x618 */
    uint64_t kernel_gs_base;        /* 0x620 */
    uint64_t sysenter_cs;           /* 0x628 */
    uint64_t sysenter_esp;          /* 0x630 */
    uint64_t sysenter_eip;          /* 0x638 */
    uint64_t cr2;                   /* 0x640 */
    uint8_t  reserved5[0x668 - 0x648];
    uint64_t g_pat;                 /* 0x668 */
} __attribute__((packed));

struct vmcb {
    struct vmcb_control control;
    struct vmcb_save save;
} __attribute__((packed));

_Static_assert(offsetof(struct vmcb, control.iopm_base_pa) == 0x040, "vmcb");
_Static_assert(offsetof(struct vmcb, control.exit_code) == 0x070, "vmcb");
_Static_assert(offsetof(struct vmcb, control.event_inject) == 0x0a8, "vmcb");
_Static_assert(offsetof(struct vmcb, control.next_rip) == 0x0c8, "vmcb");
_Static_assert(offsetof(struct vmcb, save.es) == 0x400, "vmcb");
_Static_assert(offsetof(struct vmcb, save.tr) == 0x490, "vmcb");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb, "vmcb");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4d0, "vmcb");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "vmcb");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "vmcb");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8, "vmcb");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5f8, "vmcb");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "vmcb");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "vmcb");

/* intercept_misc1 */
#define INTERCEPT_INTR      (1u << 0)
#define INTERCEPT_NMI       (1u << 1)
#define INTERCEPT_SMI       (1u << 2)
#define INTERCEPT_INIT      (1u << 3)
#define INTERCEPT_CPUID     (1u << 18)
#define INTERCEPT_INVD      (1u << 22)
#define INTERCEPT_HLT       (1u << 24)
#define INTERCEPT_IOIO      (1u << 27)
#define INTERCEPT_MSR       (1u << 28)
#define INTERCEPT_TASKSW    (1u << 29)
#define INTERCEPT_SHUTDOWN  (1u << 31)
/* intercept_misc2 */
#define INTERCEPT_VMRUN     (1u << 0)
#define INTERCEPT_VMMCALL   (1u << 1)
#define INTERCEPT_VMLOAD    (1u << 2)
#define INTERCEPT_VMSAVE    (1u << 3)
#define INTERCEPT_STGI      (1u << 4)
#define INTERCEPT_CLGI      (1u << 5)
#define INTERCEPT_SKINIT    (1u << 6)
#define INTERCEPT_RDTSCP    (1u << 7)
#define INTERCEPT_XSETBV    (1u << 13)

/* vintr */
#define VINTR_IRQ           (1ULL << 8)
#define VINTR_IGN_TPR       (1ULL << 20)
#define VINTR_MASKING       (1ULL << 24)
#define VINTR_VECTOR_SHIFT  32

/* exit codes */
#define VMEXIT_EXCP_BASE    0x40
#define VMEXIT_INTR         0x60
#define VMEXIT_NMI          0x61
#define VMEXIT_SMI          0x62
#define VMEXIT_INIT         0x63
#define VMEXIT_VINTR        0x64
#define VMEXIT_CPUID        0x72
#define VMEXIT_HLT          0x78
#define VMEXIT_IOIO         0x7b
#define VMEXIT_MSR          0x7c
#define VMEXIT_SHUTDOWN     0x7f
#define VMEXIT_VMRUN        0x80
#define VMEXIT_VMMCALL      0x81
#define VMEXIT_XSETBV       0x8d
#define VMEXIT_NPF          0x400
#define VMEXIT_INVALID      ((uint64_t)-1)

/* event_inject */
#define EVENT_VALID         (1ULL << 31)
#define EVENT_ERROR_VALID   (1ULL << 11)
#define EVENT_TYPE_INTR     (0ULL << 8)
#define EVENT_TYPE_NMI      (2ULL << 8)
#define EVENT_TYPE_EXCEPTION (3ULL << 8)

#define TLB_CONTROL_FLUSH_ASID 3

#endif
