/*
 * The virtual x2APIC. Register numbers are the x2APIC MSR offsets
 * (MSR - 0x800 = xAPIC offset / 16). The processor priority is the higher
 * of TPR and the class of the highest in-service vector, as the SDM
 * defines it; EOI retires the highest in-service vector.
 */
#include <x86/vlapic.h>

enum {
    REG_ID = 0x02, REG_VERSION = 0x03, REG_TPR = 0x08, REG_PPR = 0x0a,
    REG_EOI = 0x0b, REG_LDR = 0x0d, REG_SVR = 0x0f,
    REG_ISR0 = 0x10, REG_TMR0 = 0x18, REG_IRR0 = 0x20, REG_ESR = 0x28,
    REG_LVT_CMCI = 0x2f, REG_ICR = 0x30, REG_LVT_TIMER = 0x32,
    REG_LVT_THERMAL = 0x33, REG_LVT_PERF = 0x34, REG_LVT_LINT0 = 0x35,
    REG_LVT_LINT1 = 0x36, REG_LVT_ERROR = 0x37, REG_TIMER_INITIAL = 0x38,
    REG_TIMER_CURRENT = 0x39, REG_TIMER_DIVIDE = 0x3e, REG_SELF_IPI = 0x3f,
};

#define LVT_MASKED        (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_TIMER_MODE    (3u << 17)
#define SVR_ENABLED       (1u << 8)
#define VERSION_VALUE     0x00050014u   /* version 0x14, six LVT entries */

static void bit_set(uint64_t *b, unsigned int n) { b[n / 64] |= 1ULL << (n % 64); }
static void bit_clear(uint64_t *b, unsigned int n) { b[n / 64] &= ~(1ULL << (n % 64)); }

static int highest(const uint64_t *b)
{
    for (int w = 3; w >= 0; w--)
        if (b[w])
            return w * 64 + 63 - __builtin_clzll(b[w]);
    return -1;
}

void vlapic_reset(struct vlapic *l, uint32_t id)
{
    *l = (struct vlapic){ .id = id, .svr = 0xff };
    l->lvt_timer = l->lvt_thermal = l->lvt_perf = l->lvt_lint0 = l->lvt_lint1 =
        l->lvt_error = l->lvt_cmci = LVT_MASKED;
}

static unsigned int divider(const struct vlapic *l)
{
    /* Divide configuration: bits 0, 1 and 3 encode 2^(n+1), 0b111 = 1. */
    unsigned int n = (l->timer_divide_reg & 3) | ((l->timer_divide_reg >> 1) & 4);
    return n == 7 ? 1 : 2u << n;
}

static uint32_t current_count(const struct vlapic *l, uint64_t now)
{
    if (!l->timer_initial)
        return 0;
    uint64_t ticks = (now - l->timer_start_ns) / divider(l);
    if (l->lvt_timer & LVT_TIMER_PERIODIC)
        return l->timer_initial - (uint32_t)(ticks % l->timer_initial);
    return ticks >= l->timer_initial ? 0 : l->timer_initial - (uint32_t)ticks;
}

static uint32_t ppr(const struct vlapic *l)
{
    int isr = highest(l->isr);
    uint32_t isr_class = isr < 0 ? 0 : (uint32_t)isr & 0xf0;
    return (l->tpr & 0xf0) >= isr_class ? l->tpr & 0xff : isr_class;
}

bool vlapic_read(const struct vlapic *l, uint32_t msr, uint64_t now, uint64_t *v)
{
    uint32_t reg = msr - VLAPIC_MSR_FIRST;

    if (msr < VLAPIC_MSR_FIRST || msr > VLAPIC_MSR_LAST)
        return false;
    if (reg >= REG_ISR0 && reg < REG_ISR0 + 8) {
        *v = (uint32_t)(l->isr[(reg - REG_ISR0) / 2] >> (32 * ((reg - REG_ISR0) & 1)));
        return true;
    }
    if (reg >= REG_TMR0 && reg < REG_TMR0 + 8) {
        *v = (uint32_t)(l->tmr[(reg - REG_TMR0) / 2] >> (32 * ((reg - REG_TMR0) & 1)));
        return true;
    }
    if (reg >= REG_IRR0 && reg < REG_IRR0 + 8) {
        *v = (uint32_t)(l->irr[(reg - REG_IRR0) / 2] >> (32 * ((reg - REG_IRR0) & 1)));
        return true;
    }
    switch (reg) {
    case REG_ID:          *v = l->id; return true;
    case REG_VERSION:     *v = VERSION_VALUE; return true;
    case REG_TPR:         *v = l->tpr; return true;
    case REG_PPR:         *v = ppr(l); return true;
    case REG_LDR:         *v = ((l->id >> 4) << 16) | (1u << (l->id & 0xf)); return true;
    case REG_SVR:         *v = l->svr; return true;
    case REG_ESR:         *v = l->esr; return true;
    case REG_LVT_CMCI:    *v = l->lvt_cmci; return true;
    case REG_LVT_TIMER:   *v = l->lvt_timer; return true;
    case REG_LVT_THERMAL: *v = l->lvt_thermal; return true;
    case REG_LVT_PERF:    *v = l->lvt_perf; return true;
    case REG_LVT_LINT0:   *v = l->lvt_lint0; return true;
    case REG_LVT_LINT1:   *v = l->lvt_lint1; return true;
    case REG_LVT_ERROR:   *v = l->lvt_error; return true;
    case REG_TIMER_INITIAL: *v = l->timer_initial; return true;
    case REG_TIMER_CURRENT: *v = current_count(l, now); return true;
    case REG_TIMER_DIVIDE:  *v = l->timer_divide_reg; return true;
    case REG_ICR:         *v = l->icr; return true;
    default:              return false;     /* EOI and SELF_IPI are write-only */
    }
}

static void decode_icr(uint64_t icr, struct vlapic_ipi *ipi)
{
    static const enum vlapic_ipi_mode modes[8] = {
        VLAPIC_IPI_FIXED, VLAPIC_IPI_FIXED /* lowest priority */, VLAPIC_IPI_NONE,
        VLAPIC_IPI_NONE, VLAPIC_IPI_NMI, VLAPIC_IPI_INIT, VLAPIC_IPI_STARTUP,
        VLAPIC_IPI_NONE,
    };
    static const enum vlapic_ipi_dest shorthands[4] = {
        VLAPIC_DEST_ONE, VLAPIC_DEST_SELF, VLAPIC_DEST_ALL, VLAPIC_DEST_ALL_BUT_SELF,
    };
    ipi->mode = modes[(icr >> 8) & 7];
    ipi->shorthand = shorthands[(icr >> 18) & 3];
    ipi->dest = (uint32_t)(icr >> 32);
    ipi->vector = (uint8_t)icr;
    /* An INIT de-assert (level 0) does nothing on modern APICs. */
    if (ipi->mode == VLAPIC_IPI_INIT && !(icr & (1u << 14)))
        ipi->mode = VLAPIC_IPI_NONE;
}

bool vlapic_write(struct vlapic *l, uint32_t msr, uint64_t v, uint64_t now,
                  struct vlapic_effects *fx)
{
    uint32_t reg = msr - VLAPIC_MSR_FIRST;
    uint32_t v32 = (uint32_t)v;
    struct vlapic_ipi *ipi = &fx->ipi;
    bool *rearm = &fx->timer_rearm;

    ipi->mode = VLAPIC_IPI_NONE;
    *rearm = false;
    fx->eoi_level_vector = -1;
    if (msr < VLAPIC_MSR_FIRST || msr > VLAPIC_MSR_LAST)
        return false;
    /* Only the ICR is 64 bits wide; reserved high bits elsewhere fault. */
    if (reg != REG_ICR && (v >> 32))
        return false;
    switch (reg) {
    case REG_TPR:       l->tpr = v32 & 0xff; return true;
    case REG_EOI: {
        int top = highest(l->isr);
        if (top >= 0) {
            bit_clear(l->isr, (unsigned int)top);
            if ((l->tmr[top / 64] >> (top % 64)) & 1)
                fx->eoi_level_vector = top;
        }
        return true;
    }
    case REG_SVR:       l->svr = v32 & 0x1ff; return true;
    case REG_ESR:       l->esr = 0; return true;
    case REG_LVT_CMCI:  l->lvt_cmci = v32 & 0x117ff; return true;
    case REG_LVT_TIMER:
        l->lvt_timer = v32 & 0x710ff;
        *rearm = true;
        return true;
    case REG_LVT_THERMAL: l->lvt_thermal = v32 & 0x117ff; return true;
    case REG_LVT_PERF:  l->lvt_perf = v32 & 0x117ff; return true;
    case REG_LVT_LINT0: l->lvt_lint0 = v32 & 0x1f7ff; return true;
    case REG_LVT_LINT1: l->lvt_lint1 = v32 & 0x1f7ff; return true;
    case REG_LVT_ERROR: l->lvt_error = v32 & 0x110ff; return true;
    case REG_TIMER_INITIAL:
        l->timer_initial = v32;
        l->timer_start_ns = now;
        *rearm = true;
        return true;
    case REG_TIMER_DIVIDE:
        l->timer_divide_reg = v32 & 0xb;
        *rearm = true;
        return true;
    case REG_ICR:
        l->icr = v & ~(1ULL << 12);     /* delivery is never pending */
        decode_icr(v, ipi);
        return true;
    case REG_SELF_IPI:
        *ipi = (struct vlapic_ipi){ VLAPIC_IPI_FIXED, VLAPIC_DEST_SELF, l->id,
                                    (uint8_t)v32 };
        return true;
    default:
        return false;
    }
}

bool vlapic_set_irr_trig(struct vlapic *l, uint8_t vector, bool level)
{
    if (vector < 16)
        return false;
    bit_set(l->irr, vector);
    if (level)
        bit_set(l->tmr, vector);
    else
        bit_clear(l->tmr, vector);
    return true;
}

bool vlapic_set_irr(struct vlapic *l, uint8_t vector)
{
    return vlapic_set_irr_trig(l, vector, false);
}

int vlapic_pending(const struct vlapic *l)
{
    int v = highest(l->irr);

    if (v < 0 || !(l->svr & SVR_ENABLED))
        return -1;
    return ((uint32_t)v & 0xf0) > (ppr(l) & 0xf0) ? v : -1;
}

void vlapic_ack(struct vlapic *l, uint8_t vector)
{
    bit_clear(l->irr, vector);
    bit_set(l->isr, vector);
}

uint64_t vlapic_timer_deadline(const struct vlapic *l)
{
    if (!l->timer_initial || (l->lvt_timer & LVT_MASKED) ||
        (l->lvt_timer & LVT_TIMER_MODE) > LVT_TIMER_PERIODIC)
        return 0;
    uint64_t period = (uint64_t)l->timer_initial * divider(l);
    return l->timer_start_ns + period;
}

bool vlapic_timer_fired(struct vlapic *l, uint64_t now)
{
    uint64_t deadline = vlapic_timer_deadline(l);

    if (!deadline || now < deadline)
        return deadline != 0;
    vlapic_set_irr(l, (uint8_t)l->lvt_timer);
    if (l->lvt_timer & LVT_TIMER_PERIODIC) {
        l->timer_start_ns = deadline;
        return true;
    }
    l->timer_initial = 0;
    return false;
}
