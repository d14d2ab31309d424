/* The VCPUOP_* calls about a vCPU's register state and accounting. */
#include <mica/domain.h>
#include <mica/hypercall.h>
#include <mica/sched.h>

long vcpu_op_more(struct vcpu *caller, struct vcpu *target, uint64_t cmd,
                  uint64_t arg)
{
    (void)caller;
    (void)target;
    (void)arg;
    switch (cmd) {
    default:
        /* register_vcpu_time_memory_area, send_nmi, get_physid and the
         * physical-address variants are not offered. */
        return -XEN_ENOSYS;
    }
}
