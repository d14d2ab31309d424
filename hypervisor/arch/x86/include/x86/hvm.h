/* The x86 virtualization layer: one backend (SVM or VMX) behind a table of
 * operations, and the exit handlers both backends share. */
#ifndef X86_HVM_H
#define X86_HVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mica/domain.h>

/* Guest paging and mode state, for page walks and instruction decoding. */
struct hvm_cpu_state {
    uint64_t cr0, cr3, cr4, efer;
    bool long_mode;         /* EFER.LMA */
    bool cs_64bit;          /* executing 64-bit code (CS.L) */
    bool cs_32bit;          /* CS.D: default 32-bit operands outside long mode */
    uint64_t cs_base;
    unsigned int cpl;
};

/* A segment register, attributes in the packed form (type, S, DPL, P in
 * bits 0-7; AVL, L, D/B, G in bits 8-11) that the VMCB and Xen's
 * vcpu_hvm_context use. */
struct hvm_segment {
    uint16_t sel;
    uint16_t ar;
    uint32_t limit;
    uint64_t base;
};

/* The register state a vCPU starts from (PVH entry or VCPUOP_initialise). */
struct hvm_initial_state {
    struct guest_regs regs;
    uint64_t cr0, cr3, cr4, efer;
    struct hvm_segment cs, ds, es, ss, fs, gs, tr, ldtr;
};

struct hvm_backend {
    const char *name;
    uint8_t hypercall_insn_byte;    /* 0f 01 xx: d9 VMMCALL, c1 VMCALL */
    int (*cpu_enable)(void);
    int (*domain_create)(struct domain *d);
    void (*domain_destroy)(struct domain *d);
    int (*vcpu_create)(struct vcpu *v);
    void (*vcpu_destroy)(struct vcpu *v);
    /* Resets the vCPU's virtualization state and loads s into it. */
    void (*vcpu_load_state)(struct vcpu *v, const struct hvm_initial_state *s);
    void (*vcpu_run)(struct vcpu *v);
    void (*get_cpu_state)(struct vcpu *v, struct hvm_cpu_state *s);
    void (*inject_exception)(struct vcpu *v, uint8_t vector, bool has_error,
                             uint32_t error_code);
    /* The domain's I/O intercept bitmap: one bit a port, 0x0000-0xffff,
     * set = the access exits. SVM's IOPM and VMX's bitmaps A+B share it. */
    uint8_t *(*io_bitmap)(struct domain *d);
};

/* The backend in use, or NULL without usable virtualization. */
extern const struct hvm_backend *hvm;
extern const struct hvm_backend svm_backend;
extern const struct hvm_backend vmx_backend;

/* Exit handlers shared by the backends. Each works on v->regs; the
 * backend advances RIP past the instruction when told to. */
void hvm_cpuid(struct vcpu *v);
/* Return false when the access must raise #GP. */
bool hvm_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *value);
bool hvm_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value);
void hvm_io(struct vcpu *v, uint16_t port, unsigned int size, bool in,
            uint32_t *value);
/* Runs the hypercall in v->regs; false when the guest should get #UD. */
void hvm_hypercall(struct vcpu *v);
/* The guest executed HLT: block unless something is pending. */
void hvm_hlt(struct vcpu *v);
/* A guest access to an unbacked address: emulate it as MMIO (reads give
 * all ones, writes are dropped). Returns the instruction length, or 0 when
 * the instruction could not be emulated. */
unsigned int hvm_mmio(struct vcpu *v, uint64_t gpa, bool write);
/* A nested page fault the domain may have a right to: dom0 touching
 * device memory gets it mapped (passthrough). True: retry the access. */
bool hvm_npf_fixup(struct vcpu *v, uint64_t gpa);
/* The next interrupt vector to deliver: a due event upcall or the
 * highest pending vector of the vCPU's APIC (which counts it taken). A
 * backend asks only when it holds no undelivered interrupt already. */
bool hvm_next_interrupt(struct vcpu *v, uint8_t *vector);
void hvm_update_time(struct vcpu *v);

/* Reads up to len bytes of the instruction at rip; returns how many. */
size_t hvm_fetch_insn(struct vcpu *v, uint64_t rip, uint8_t *buf, size_t len);

/* Which MSRs the backend lets the guest touch directly. */
bool hvm_msr_passthrough(uint32_t msr, bool write);

#endif
