/* Per-entry guest housekeeping: the pvclock time, the event upcall, and
 * what HLT means for a vCPU with nothing to do. */
#include <mica/sched.h>
#include <x86/cpu.h>
#include <x86/hvm.h>
#include <x86/hvm_vcpu.h>
#include <x86/time.h>

#define RFLAGS_IF (1ULL << 9)

void hvm_update_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    uint64_t base;
    uint32_t mul;
    int8_t shift;

    time_pvclock_params(&base, &mul, &shift);
    uint64_t tsc = rdtsc();
    /* Odd version while the fields change, as the pvclock protocol asks. */
    t->version++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->tsc_timestamp = tsc;
    t->system_time = tsc_to_ns(tsc - base);
    t->tsc_to_system_mul = mul;
    t->tsc_shift = shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->version++;
}

static uint8_t upcall_vector(const struct vcpu *v)
{
    return v->upcall_vector ? v->upcall_vector : v->domain->callback_vector;
}

bool hvm_next_interrupt(struct vcpu *v, uint8_t *vector)
{
    /* Upcalls are injected directly, past the APIC: the guest need not
     * have enabled it, and Linux's EOI of the per-vCPU vector finds an
     * empty in-service register, which is harmless. */
    if (v->upcall_inject && upcall_vector(v)) {
        v->upcall_inject = false;
        *vector = upcall_vector(v);
        return true;
    }
    return hvm_apic_next(v, vector);
}

void hvm_hlt(struct vcpu *v)
{
    if (!(v->regs.rflags & RFLAGS_IF)) {
        /* Nothing can wake it: the vCPU is off, as on Xen, and a domain
         * whose vCPUs are all off has powered itself off. */
        vcpu_stop(v);
        for (unsigned int i = 0; i < v->domain->max_vcpus; i++)
            if (v->domain->vcpus[i]->state != VCPU_DOWN)
                return;
        domain_shutdown(v->domain, SHUTDOWN_poweroff);
        return;
    }
    vcpu_block(v);
    /* An event that raced with the block must not be lost. */
    if ((v->regs.rflags & RFLAGS_IF) &&
        ((upcall_vector(v) && v->vcpu_info->evtchn_upcall_pending) ||
         hvm_apic_has_pending(v)))
        vcpu_wake(v);
}
