/*
 * vcpu_op(cmd, vcpuid, arg): per-vCPU control. Bring vCPUs up and down,
 * place vcpu_info, runstate and time records in guest memory, and run the
 * per-vCPU timers that fire VIRQ_TIMER.
 */
#ifndef MICA_PUBLIC_XEN_VCPU_H
#define MICA_PUBLIC_XEN_VCPU_H

#include "xen.h"

#define VCPUOP_initialise                      0   /* struct vcpu_hvm_context (hvm_vcpu.h) */
#define VCPUOP_up                              1
#define VCPUOP_down                            2
#define VCPUOP_is_up                           3   /* returns 1 or 0 */
#define VCPUOP_get_runstate_info               4   /* struct vcpu_runstate_info, out */
#define VCPUOP_register_runstate_memory_area   5   /* struct vcpu_register_runstate_memory_area */
#define VCPUOP_set_periodic_timer              6   /* struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer             7   /* arg 0 */
#define VCPUOP_set_singleshot_timer            8   /* struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer           9   /* arg 0 */
#define VCPUOP_register_vcpu_info             10   /* struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                       11   /* arg 0 */
#define VCPUOP_get_physid                     12   /* struct vcpu_get_physid */
#define VCPUOP_register_vcpu_time_memory_area 13   /* struct vcpu_register_time_memory_area */
#define VCPUOP_register_runstate_phys_area    14   /* as 5, but addr.p is a GPA */
#define VCPUOP_register_vcpu_time_phys_area   15   /* as 13, but addr.p is a GPA */

/* vcpu_runstate_info.state */
#define RUNSTATE_running   0
#define RUNSTATE_runnable  1
#define RUNSTATE_blocked   2
#define RUNSTATE_offline   3

/* vcpu_set_singleshot_timer.flags */
#define _VCPU_SSHOTTMR_future  0
#define VCPU_SSHOTTMR_future   (1U << _VCPU_SSHOTTMR_future)   /* -ETIME if already past */

#ifndef __ASSEMBLER__

/* Set in state_entry_time while the hypervisor rewrites a registered copy. */
#define XEN_RUNSTATE_UPDATE  (1ULL << 63)

/* Time (ns of system time) a vCPU has spent in each RUNSTATE_*. */
struct vcpu_runstate_info {
    int32_t state;
    uint64_t state_entry_time;
    uint64_t time[4];
};
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info size");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "vcpu_runstate_info.state_entry_time");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16, "vcpu_runstate_info.time");

/*
 * Keep a copy of the vCPU's runstate (or, for the time area, its
 * vcpu_time_info) at a guest address: virtual for ops 5/13, physical for
 * ops 14/15. The three names are the same 8 bytes.
 */
struct vcpu_register_runstate_memory_area {
    union {
        uint64_t h;
        uint64_t v;
        uint64_t p;
    } addr;
};
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "vcpu_register_runstate_memory_area size");

struct vcpu_register_time_memory_area {
    union {
        uint64_t h;
        uint64_t v;
        uint64_t p;
    } addr;
};
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8, "vcpu_register_time_memory_area size");

struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "vcpu_set_periodic_timer size");

/* Fire VIRQ_TIMER once at timeout_abs_ns of system time (at once if past). */
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;             /* VCPU_SSHOTTMR_* */
};
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "vcpu_set_singleshot_timer size");
_Static_assert(offsetof(struct vcpu_set_singleshot_timer, flags) == 8, "vcpu_set_singleshot_timer.flags");

/* Move the vCPU's vcpu_info to frame mfn (a GFN here) at offset. */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_register_vcpu_info size");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, offset) == 8, "vcpu_register_vcpu_info.offset");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, rsvd) == 12, "vcpu_register_vcpu_info.rsvd");

/* Low 32 bits: APIC id; high 32 bits: ACPI id. */
struct vcpu_get_physid {
    uint64_t phys_id;
};
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "vcpu_get_physid size");

#endif /* !__ASSEMBLER__ */

#endif
