/* A virtual local APIC in x2APIC mode: the registers guests reach through
 * MSRs 0x800-0x8ff, pending and in-service vectors with priorities, and the
 * APIC timer's count. Pure state: sending IPIs and arming host timers is
 * left to the caller, so the logic is unit-tested on the host. */
#ifndef X86_VLAPIC_H
#define X86_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define VLAPIC_MSR_FIRST 0x800
#define VLAPIC_MSR_LAST  0x8ff

/* What an ICR write asks for. */
enum vlapic_ipi_mode {
    VLAPIC_IPI_NONE = 0,
    VLAPIC_IPI_FIXED,
    VLAPIC_IPI_NMI,
    VLAPIC_IPI_INIT,
    VLAPIC_IPI_STARTUP,
};

enum vlapic_ipi_dest {
    VLAPIC_DEST_ONE,            /* the x2APIC id in `dest` */
    VLAPIC_DEST_SELF,
    VLAPIC_DEST_ALL,
    VLAPIC_DEST_ALL_BUT_SELF,
};

struct vlapic_ipi {
    enum vlapic_ipi_mode mode;
    enum vlapic_ipi_dest shorthand;
    uint32_t dest;
    uint8_t vector;
};

/* What a register write asks the caller to do. */
struct vlapic_effects {
    struct vlapic_ipi ipi;          /* an IPI to send (ICR, SELF_IPI) */
    bool timer_rearm;               /* re-arm the host timer */
    int eoi_level_vector;           /* a level-triggered vector just retired
                                     * (tell the I/O APIC), or -1 */
};

struct vlapic {
    uint32_t id;
    uint32_t tpr, svr, esr;
    uint32_t lvt_timer, lvt_thermal, lvt_perf, lvt_lint0, lvt_lint1;
    uint32_t lvt_error, lvt_cmci;
    uint32_t timer_initial, timer_divide_reg;
    uint64_t timer_start_ns;        /* when the count was (re)loaded */
    uint64_t icr;                   /* the last ICR written */
    uint64_t irr[4], isr[4], tmr[4];
};

/* The count runs at 1 GHz before the divider: one tick per ns. */
void vlapic_reset(struct vlapic *l, uint32_t id);

/* Register access by x2APIC MSR number. Returns false for a register that
 * does not exist or a write to a read-only one (the caller raises #GP). A
 * write fills *fx with what the caller must do: send an IPI, re-arm its
 * host timer for vlapic_timer_deadline(), or pass an EOI on. */
bool vlapic_read(const struct vlapic *l, uint32_t msr, uint64_t now_ns,
                 uint64_t *value);
bool vlapic_write(struct vlapic *l, uint32_t msr, uint64_t value, uint64_t now_ns,
                  struct vlapic_effects *fx);

/* Marks a vector pending (edge-triggered). Vectors below 16 are refused. */
bool vlapic_set_irr(struct vlapic *l, uint8_t vector);
/* The same with the trigger mode recorded in the TMR: the EOI of a
 * level-triggered vector is reported to the caller. */
bool vlapic_set_irr_trig(struct vlapic *l, uint8_t vector, bool level);
/* The highest pending vector that beats the processor priority, or -1. */
int vlapic_pending(const struct vlapic *l);
/* The guest takes it: moves it from IRR to ISR. */
void vlapic_ack(struct vlapic *l, uint8_t vector);

/* The timer: 0 when disarmed or masked; else the system time (ns) at which
 * it fires next. vlapic_timer_fired() raises its vector and, for periodic
 * mode, reloads the count; it returns false when the timer stays idle. */
uint64_t vlapic_timer_deadline(const struct vlapic *l);
bool vlapic_timer_fired(struct vlapic *l, uint64_t now_ns);

#endif
