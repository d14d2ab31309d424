/*
 * The vCPU's APIC as guests use it: x2APIC MSRs into the pure model in
 * vlapic.c, interprocessor interrupts between the domain's vCPUs
 * (including INIT and STARTUP, which Linux uses to start its other CPUs),
 * and the APIC timer on a hypervisor software timer.
 */
#include <mica/heap.h>
#include <mica/log.h>
#include <mica/sched.h>
#include <mica/vcpu_arch.h>
#include <x86/hvm.h>
#include <x86/hvm_vcpu.h>
#include <x86/hwdom.h>

#define X2APIC_BROADCAST 0xffffffffu

static void lapic_timer_fired(void *data)
{
    struct vcpu *v = data;
    struct hvm_vcpu *h = hvm_vcpu(v);

    spin_lock(&h->lock);
    bool again = vlapic_timer_fired(&h->lapic, time_now());
    uint64_t next = again ? vlapic_timer_deadline(&h->lapic) : 0;
    spin_unlock(&h->lock);
    if (next)
        timer_set(&h->lapic_timer, next);
    vcpu_wake(v);
}

int hvm_vcpu_init(struct vcpu *v)
{
    struct hvm_vcpu *h = kzalloc(sizeof(*h));

    if (!h)
        return -XEN_ENOMEM;
    h->lock = (spinlock_t)SPINLOCK_INIT;
    vlapic_reset(&h->lapic, v->id);
    timer_init(&h->lapic_timer, lapic_timer_fired, v, v->cpu);
    /* MTRRs enabled, default type write-back, no ranges: all of RAM is
     * ordinary memory, and PAT stays usable. */
    h->mtrr_def_type = (1u << 11) | 6;
    v->arch_hvm = h;
    return 0;
}

void hvm_vcpu_destroy(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_vcpu(v);

    if (!h)
        return;
    timer_stop(&h->lapic_timer);
    kfree(h);
    v->arch_hvm = NULL;
}

void hvm_apic_raise(struct vcpu *v, uint8_t vector)
{
    hvm_apic_raise_trig(v, vector, false);
}

void hvm_apic_raise_trig(struct vcpu *v, uint8_t vector, bool level)
{
    struct hvm_vcpu *h = hvm_vcpu(v);

    spin_lock(&h->lock);
    vlapic_set_irr_trig(&h->lapic, vector, level);
    spin_unlock(&h->lock);
    vcpu_wake(v);
}

bool hvm_apic_has_pending(struct vcpu *v)
{
    struct hvm_vcpu *h = hvm_vcpu(v);

    spin_lock(&h->lock);
    bool pending = vlapic_pending(&h->lapic) >= 0;
    spin_unlock(&h->lock);
    return pending;
}

bool hvm_apic_next(struct vcpu *v, uint8_t *vector)
{
    struct hvm_vcpu *h = hvm_vcpu(v);

    spin_lock(&h->lock);
    int n = vlapic_pending(&h->lapic);
    if (n >= 0)
        vlapic_ack(&h->lapic, (uint8_t)n);
    spin_unlock(&h->lock);
    if (n < 0)
        return false;
    *vector = (uint8_t)n;
    return true;
}

/* A STARTUP IPI: the vCPU begins in real mode at vector * 4 KiB. */
static void start_in_real_mode(struct vcpu *v, uint8_t vector)
{
    struct hvm_initial_state s = { 0 };

    s.regs.rflags = 0x2;
    s.cs = (struct hvm_segment){ (uint16_t)(vector << 8), 0x9b, 0xffff,
                                 (uint64_t)vector << 12 };
    s.ds = s.es = s.ss = s.fs = s.gs = (struct hvm_segment){ 0, 0x93, 0xffff, 0 };
    s.tr = (struct hvm_segment){ 0, 0x8b, 0xffff, 0 };
    s.ldtr = (struct hvm_segment){ 0, 0x82, 0xffff, 0 };
    s.cr0 = 1u << 4;            /* ET: a 387-class FPU is present */
    struct hvm_vcpu *h = hvm_vcpu(v);
    h->start_state = s;
    h->start_pending = true;
    v->initialised = true;
    vcpu_up(v);
}

static void deliver_ipi(struct vcpu *from, struct vcpu *to,
                        const struct vlapic_ipi *ipi)
{
    struct hvm_vcpu *h = hvm_vcpu(to);

    switch (ipi->mode) {
    case VLAPIC_IPI_FIXED:
        hvm_apic_raise(to, ipi->vector);
        break;
    case VLAPIC_IPI_INIT:
        if (to == from)
            break;
        vcpu_down(to);
        h->wait_for_sipi = true;
        break;
    case VLAPIC_IPI_STARTUP:
        if (h->wait_for_sipi && to->state == VCPU_DOWN) {
            h->wait_for_sipi = false;
            start_in_real_mode(to, ipi->vector);
        }
        break;
    default:
        /* NMIs are not delivered to guests yet. */
        break;
    }
}

static void send_ipi(struct vcpu *from, const struct vlapic_ipi *ipi)
{
    struct domain *d = from->domain;

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *to = d->vcpus[i];
        bool match;
        switch (ipi->shorthand) {
        case VLAPIC_DEST_SELF:         match = to == from; break;
        case VLAPIC_DEST_ALL:          match = true; break;
        case VLAPIC_DEST_ALL_BUT_SELF: match = to != from; break;
        default:
            match = ipi->dest == X2APIC_BROADCAST ||
                    hvm_vcpu(to)->lapic.id == ipi->dest;
            break;
        }
        if (match)
            deliver_ipi(from, to, ipi);
    }
}

bool hvm_apic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *value)
{
    struct hvm_vcpu *h = hvm_vcpu(v);

    spin_lock(&h->lock);
    bool ok = vlapic_read(&h->lapic, msr, time_now(), value);
    spin_unlock(&h->lock);
    return ok;
}

bool hvm_apic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value)
{
    struct hvm_vcpu *h = hvm_vcpu(v);
    struct vlapic_effects fx;

    spin_lock(&h->lock);
    bool ok = vlapic_write(&h->lapic, msr, value, time_now(), &fx);
    uint64_t deadline = vlapic_timer_deadline(&h->lapic);
    spin_unlock(&h->lock);
    if (!ok)
        return false;
    if (fx.timer_rearm) {
        if (deadline)
            timer_set(&h->lapic_timer, deadline);
        else
            timer_stop(&h->lapic_timer);
    }
    if (fx.ipi.mode != VLAPIC_IPI_NONE)
        send_ipi(v, &fx.ipi);
    if (fx.eoi_level_vector >= 0)
        hwdom_eoi(v->domain, (uint8_t)fx.eoi_level_vector);
    return true;
}
