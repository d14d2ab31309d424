/* x86 state every vCPU has whatever the backend: its virtual x2APIC and
 * the MTRR registers guests expect to find. */
#ifndef X86_HVM_VCPU_H
#define X86_HVM_VCPU_H

#include <stdbool.h>
#include <mica/domain.h>
#include <mica/spinlock.h>
#include <mica/time.h>
#include <x86/hvm.h>
#include <x86/vlapic.h>

struct hvm_vcpu {
    spinlock_t lock;            /* the vlapic: other vCPUs send IPIs */
    struct vlapic lapic;
    struct timer lapic_timer;
    bool wait_for_sipi;         /* INIT received: a STARTUP starts it */
    /* A start state from a STARTUP IPI, loaded on the vCPU's own CPU just
     * before it next runs: the CPU it ran on may still be leaving it. */
    bool start_pending;
    struct hvm_initial_state start_state;
    uint64_t mtrr_def_type;
};

static inline struct hvm_vcpu *hvm_vcpu(const struct vcpu *v)
{
    return v->arch_hvm;
}

int hvm_vcpu_init(struct vcpu *v);
void hvm_vcpu_destroy(struct vcpu *v);

/* x2APIC MSR access; false means #GP. */
bool hvm_apic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *value);
bool hvm_apic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value);
/* Marks a vector pending in v's APIC and makes sure v notices. */
void hvm_apic_raise(struct vcpu *v, uint8_t vector);
/* The same for a device interrupt, edge- or level-triggered. */
void hvm_apic_raise_trig(struct vcpu *v, uint8_t vector, bool level);
/* The next vector for v to take (acknowledged in its APIC), if any. */
bool hvm_apic_next(struct vcpu *v, uint8_t *vector);
bool hvm_apic_has_pending(struct vcpu *v);

#endif
