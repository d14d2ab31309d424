/* Hypercall dispatch: one table says which call a domain may make and
 * which function handles it. Arguments arrive as five raw 64-bit values;
 * each handler range-checks what it uses. */
#ifndef MICA_HYPERCALL_H
#define MICA_HYPERCALL_H

#include <stdint.h>

struct vcpu;

typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t args[5]);

/* Runs hypercall `nr` for v; returns its result (a Xen errno if negative). */
long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t args[5]);

long do_xen_version(struct vcpu *v, const uint64_t args[5]);
long do_console_io(struct vcpu *v, const uint64_t args[5]);
long do_sched_op(struct vcpu *v, const uint64_t args[5]);
long do_memory_op(struct vcpu *v, const uint64_t args[5]);
long do_hvm_op(struct vcpu *v, const uint64_t args[5]);
long do_vcpu_op(struct vcpu *v, const uint64_t args[5]);
long do_set_timer_op(struct vcpu *v, const uint64_t args[5]);
long do_event_channel_op(struct vcpu *v, const uint64_t args[5]);
long do_grant_table_op(struct vcpu *v, const uint64_t args[5]);
long do_physdev_op(struct vcpu *v, const uint64_t args[5]);
long do_platform_op(struct vcpu *v, const uint64_t args[5]);
long do_mica_control(struct vcpu *v, const uint64_t args[5]);

#endif
