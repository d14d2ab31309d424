/* The scheduler: per-CPU round-robin run queues of vCPUs. */
#ifndef MICA_SCHED_H
#define MICA_SCHED_H

#include <mica/domain.h>

/* Every CPU ends here after bring-up: timers, scheduling and idling. */
_Noreturn void cpu_main_loop(void);

/* Chooses the physical CPU a new vCPU runs on. */
unsigned int sched_pick_cpu(const struct vcpu *v);
/* Starts a new vCPU's runstate accounting: offline from now on. */
void sched_vcpu_init(struct vcpu *v);
/* The vCPU's runstate, with the time in its current state counted up to
 * now (VCPUOP_get_runstate_info). */
void sched_runstate_get(struct vcpu *v, struct vcpu_runstate_info *out);
/* Starts a down vCPU (it runs once its domain is unpaused). */
void vcpu_up(struct vcpu *v);
/* Makes a blocked vCPU runnable; a running one re-checks its events. */
void vcpu_wake(struct vcpu *v);
/* Queues the runnable vCPUs of a domain that was paused. */
void sched_domain_resume(struct domain *d);
/* Takes the vCPUs of a domain just marked paused off their run queues and
 * returns once none is on a CPU (the caller is not one of them). */
void sched_domain_pause(struct domain *d);
/* The running vCPU waits for an event: it leaves the CPU at its next exit. */
void vcpu_block(struct vcpu *v);
/* Takes a vCPU down (VCPUOP_down): it leaves its CPU at its next exit. */
void vcpu_down(struct vcpu *v);
/* The same, and returns only once the vCPU has left its CPU (its domain
 * stops, or goes away). */
void vcpu_stop(struct vcpu *v);
/* Timer callback: a SCHEDOP_poll ran out of time. */
void vcpu_poll_timeout(void *vcpu);
/* Asks the running vCPU to give the CPU to the next in line. */
void vcpu_yield(struct vcpu *v);

/* Returns once no vCPU of d runs with guest TLB entries older than the
 * latest p2m change (each running one has left guest mode since). */
void sched_flush_domain_tlbs(struct domain *d);

/* The vCPU timers behind VCPUOP_set_*_timer and set_timer_op. */
void vcpu_timers_init(struct vcpu *v);
void vcpu_timers_stop(struct vcpu *v);
/* The VCPUOP_* calls of vcpu_state_op.c (initialise, runstate, ...). */
long vcpu_op_more(struct vcpu *caller, struct vcpu *target, uint64_t cmd,
                  uint64_t arg);

#endif
