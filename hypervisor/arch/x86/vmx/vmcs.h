/* VMCS field encodings, control bits and exit reasons (Intel SDM vol. 3,
 * appendices A-C) and the VMX instructions as inline functions. */
#ifndef VMX_VMCS_H
#define VMX_VMCS_H

#include <stdbool.h>
#include <stdint.h>

enum vmcs_field {
    VIRTUAL_PROCESSOR_ID = 0x0000,
    GUEST_ES_SELECTOR = 0x0800, GUEST_CS_SELECTOR = 0x0802,
    GUEST_SS_SELECTOR = 0x0804, GUEST_DS_SELECTOR = 0x0806,
    GUEST_FS_SELECTOR = 0x0808, GUEST_GS_SELECTOR = 0x080a,
    GUEST_LDTR_SELECTOR = 0x080c, GUEST_TR_SELECTOR = 0x080e,
    HOST_ES_SELECTOR = 0x0c00, HOST_CS_SELECTOR = 0x0c02,
    HOST_SS_SELECTOR = 0x0c04, HOST_DS_SELECTOR = 0x0c06,
    HOST_FS_SELECTOR = 0x0c08, HOST_GS_SELECTOR = 0x0c0a,
    HOST_TR_SELECTOR = 0x0c0c,
    IO_BITMAP_A = 0x2000, IO_BITMAP_B = 0x2002, MSR_BITMAP = 0x2004,
    TSC_OFFSET = 0x2010, EPT_POINTER = 0x201a,
    GUEST_PHYSICAL_ADDRESS = 0x2400,
    VMCS_LINK_POINTER = 0x2800, GUEST_IA32_PAT = 0x2804, GUEST_IA32_EFER = 0x2806,
    HOST_IA32_PAT = 0x2c00, HOST_IA32_EFER = 0x2c02,
    PIN_BASED_CONTROLS = 0x4000, PROC_BASED_CONTROLS = 0x4002,
    EXCEPTION_BITMAP = 0x4004, CR3_TARGET_COUNT = 0x400a,
    EXIT_CONTROLS = 0x400c, EXIT_MSR_STORE_COUNT = 0x400e,
    EXIT_MSR_LOAD_COUNT = 0x4010, ENTRY_CONTROLS = 0x4012,
    ENTRY_MSR_LOAD_COUNT = 0x4014, ENTRY_INTERRUPTION_INFO = 0x4016,
    ENTRY_EXCEPTION_ERROR_CODE = 0x4018, ENTRY_INSTRUCTION_LENGTH = 0x401a,
    SECONDARY_CONTROLS = 0x401e,
    VM_INSTRUCTION_ERROR = 0x4400, EXIT_REASON = 0x4402,
    EXIT_INTERRUPTION_INFO = 0x4404, IDT_VECTORING_INFO = 0x4408,
    IDT_VECTORING_ERROR_CODE = 0x440a, EXIT_INSTRUCTION_LENGTH = 0x440c,
    GUEST_ES_LIMIT = 0x4800, GUEST_CS_LIMIT = 0x4802, GUEST_SS_LIMIT = 0x4804,
    GUEST_DS_LIMIT = 0x4806, GUEST_FS_LIMIT = 0x4808, GUEST_GS_LIMIT = 0x480a,
    GUEST_LDTR_LIMIT = 0x480c, GUEST_TR_LIMIT = 0x480e,
    GUEST_GDTR_LIMIT = 0x4810, GUEST_IDTR_LIMIT = 0x4812,
    GUEST_ES_AR = 0x4814, GUEST_CS_AR = 0x4816, GUEST_SS_AR = 0x4818,
    GUEST_DS_AR = 0x481a, GUEST_FS_AR = 0x481c, GUEST_GS_AR = 0x481e,
    GUEST_LDTR_AR = 0x4820, GUEST_TR_AR = 0x4822,
    GUEST_INTERRUPTIBILITY = 0x4824, GUEST_ACTIVITY_STATE = 0x4826,
    GUEST_SYSENTER_CS = 0x482a, GUEST_PREEMPTION_TIMER = 0x482e,
    HOST_SYSENTER_CS = 0x4c00,
    CR0_GUEST_HOST_MASK = 0x6000, CR4_GUEST_HOST_MASK = 0x6002,
    CR0_READ_SHADOW = 0x6004, CR4_READ_SHADOW = 0x6006,
    EXIT_QUALIFICATION = 0x6400,
    GUEST_CR0 = 0x6800, GUEST_CR3 = 0x6802, GUEST_CR4 = 0x6804,
    GUEST_ES_BASE = 0x6806, GUEST_CS_BASE = 0x6808, GUEST_SS_BASE = 0x680a,
    GUEST_DS_BASE = 0x680c, GUEST_FS_BASE = 0x680e, GUEST_GS_BASE = 0x6810,
    GUEST_LDTR_BASE = 0x6812, GUEST_TR_BASE = 0x6814,
    GUEST_GDTR_BASE = 0x6816, GUEST_IDTR_BASE = 0x6818,
    GUEST_DR7 = 0x681a, GUEST_RSP = 0x681c, GUEST_RIP = 0x681e,
    GUEST_RFLAGS = 0x6820, GUEST_PENDING_DBG = 0x6822,
    GUEST_SYSENTER_ESP = 0x6824, GUEST_SYSENTER_EIP = 0x6826,
    HOST_CR0 = 0x6c00, HOST_CR3 = 0x6c02, HOST_CR4 = 0x6c04,
    HOST_FS_BASE = 0x6c06, HOST_GS_BASE = 0x6c08, HOST_TR_BASE = 0x6c0a,
    HOST_GDTR_BASE = 0x6c0c, HOST_IDTR_BASE = 0x6c0e,
    HOST_SYSENTER_ESP = 0x6c10, HOST_SYSENTER_EIP = 0x6c12,
    HOST_RSP = 0x6c14, HOST_RIP = 0x6c16,
};

/* Pin-based controls */
#define PIN_EXTERNAL_INTERRUPT  (1u << 0)
#define PIN_NMI_EXITING         (1u << 3)
#define PIN_PREEMPTION_TIMER    (1u << 6)
/* Primary processor-based controls */
#define PROC_INTERRUPT_WINDOW   (1u << 2)
#define PROC_HLT_EXITING        (1u << 7)
#define PROC_MWAIT_EXITING      (1u << 10)
#define PROC_MONITOR_EXITING    (1u << 29)
#define PROC_IO_BITMAPS         (1u << 25)
#define PROC_MSR_BITMAPS        (1u << 28)
#define PROC_SECONDARY          (1u << 31)
/* Secondary controls */
#define PROC2_EPT               (1u << 1)
#define PROC2_VPID              (1u << 5)
#define PROC2_UNRESTRICTED      (1u << 7)
/* Exit controls */
#define EXIT_HOST_64BIT         (1u << 9)
#define EXIT_SAVE_PAT           (1u << 18)
#define EXIT_LOAD_PAT           (1u << 19)
#define EXIT_SAVE_EFER          (1u << 20)
#define EXIT_LOAD_EFER          (1u << 21)
/* Entry controls */
#define ENTRY_IA32E_GUEST       (1u << 9)
#define ENTRY_LOAD_PAT          (1u << 14)
#define ENTRY_LOAD_EFER         (1u << 15)

/* Interruption information (entry injection, exit and IDT vectoring) */
#define INTR_INFO_VALID         (1u << 31)
#define INTR_INFO_ERROR_VALID   (1u << 11)
#define INTR_TYPE_EXTERNAL      (0u << 8)
#define INTR_TYPE_HW_EXCEPTION  (3u << 8)

/* Exit reasons */
#define EXIT_REASON_EXCEPTION       0
#define EXIT_REASON_EXTERNAL_INTR   1
#define EXIT_REASON_TRIPLE_FAULT    2
#define EXIT_REASON_INIT            3
#define EXIT_REASON_SIPI            4
#define EXIT_REASON_INTR_WINDOW     7
#define EXIT_REASON_TASK_SWITCH     9
#define EXIT_REASON_CPUID           10
#define EXIT_REASON_HLT             12
#define EXIT_REASON_INVD            13
#define EXIT_REASON_VMCALL          18
#define EXIT_REASON_VMX_FIRST       19     /* VMCLEAR .. VMXON: 19-27 */
#define EXIT_REASON_VMX_LAST        27
#define EXIT_REASON_CR_ACCESS       28
#define EXIT_REASON_IO              30
#define EXIT_REASON_RDMSR           31
#define EXIT_REASON_WRMSR           32
#define EXIT_REASON_INVALID_STATE   33
#define EXIT_REASON_MWAIT           36
#define EXIT_REASON_MONITOR         39
#define EXIT_REASON_EPT_VIOLATION   48
#define EXIT_REASON_EPT_MISCONFIG   49
#define EXIT_REASON_INVEPT          50
#define EXIT_REASON_PREEMPTION_TIMER 52
#define EXIT_REASON_INVVPID         53
#define EXIT_REASON_XSETBV          55

#define MSR_VMX_BASIC           0x480
#define MSR_VMX_PINBASED        0x481
#define MSR_VMX_PROCBASED       0x482
#define MSR_VMX_EXIT            0x483
#define MSR_VMX_ENTRY           0x484
#define MSR_VMX_MISC            0x485
#define MSR_VMX_CR0_FIXED0      0x486
#define MSR_VMX_CR0_FIXED1      0x487
#define MSR_VMX_CR4_FIXED0      0x488
#define MSR_VMX_CR4_FIXED1      0x489
#define MSR_VMX_PROCBASED2      0x48b
#define MSR_VMX_EPT_VPID_CAP    0x48c
#define MSR_VMX_TRUE_PINBASED   0x48d
#define MSR_VMX_TRUE_PROCBASED  0x48e
#define MSR_VMX_TRUE_EXIT       0x48f
#define MSR_VMX_TRUE_ENTRY      0x490

static inline uint64_t vmread(enum vmcs_field f)
{
    uint64_t v;
    __asm__ volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)f) : "cc");
    return v;
}

static inline void vmwrite(enum vmcs_field f, uint64_t v)
{
    __asm__ volatile("vmwrite %1, %0" :: "r"((uint64_t)f), "r"(v) : "cc");
}

/* These return false when the instruction failed (CF or ZF set). */
static inline bool vmxon(uint64_t pa)
{
    bool ok;
    __asm__ volatile("vmxon %1; seta %0" : "=r"(ok) : "m"(pa) : "cc", "memory");
    return ok;
}

static inline bool vmclear(uint64_t pa)
{
    bool ok;
    __asm__ volatile("vmclear %1; seta %0" : "=r"(ok) : "m"(pa) : "cc", "memory");
    return ok;
}

static inline bool vmptrld(uint64_t pa)
{
    bool ok;
    __asm__ volatile("vmptrld %1; seta %0" : "=r"(ok) : "m"(pa) : "cc", "memory");
    return ok;
}

static inline void invept_single(uint64_t eptp)
{
    struct { uint64_t eptp, reserved; } desc = { eptp, 0 };
    __asm__ volatile("invept %0, %1" :: "m"(desc), "r"(1ULL) : "cc", "memory");
}

/* Drops every cached translation tagged with vpid. */
static inline void invvpid_single(uint16_t vpid)
{
    struct { uint64_t vpid, address; } desc = { vpid, 0 };
    __asm__ volatile("invvpid %0, %1" :: "m"(desc), "r"(1ULL) : "cc", "memory");
}

static inline void invept_all(void)
{
    struct { uint64_t eptp, reserved; } desc = { 0, 0 };
    __asm__ volatile("invept %0, %1" :: "m"(desc), "r"(2ULL) : "cc", "memory");
}

#endif
