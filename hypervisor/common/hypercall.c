/* The hypercall table: Xen's numbers, our handlers. A number with no
 * entry is -ENOSYS, as is anything past the end of the table. */
#include <mica/domain.h>
#include <mica/hypercall.h>
#include <public/mica/control.h>

struct hypercall {
    hypercall_fn fn;
    bool privileged;            /* only the control domain may call it */
};

static const struct hypercall table[] = {
    [__HYPERVISOR_memory_op]         = { do_memory_op, false },
    [__HYPERVISOR_set_timer_op]      = { do_set_timer_op, false },
    [__HYPERVISOR_xen_version]       = { do_xen_version, false },
    [__HYPERVISOR_console_io]        = { do_console_io, false },
    [__HYPERVISOR_grant_table_op]    = { do_grant_table_op, false },
    [__HYPERVISOR_vcpu_op]           = { do_vcpu_op, false },
    [__HYPERVISOR_sched_op]          = { do_sched_op, false },
    [__HYPERVISOR_event_channel_op]  = { do_event_channel_op, false },
    [__HYPERVISOR_hvm_op]            = { do_hvm_op, false },
    [__HYPERVISOR_physdev_op]        = { do_physdev_op, true },
    [__HYPERVISOR_platform_op]       = { do_platform_op, true },
    [__HYPERVISOR_mica_control]      = { do_mica_control, true },
};

long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t args[5])
{
    if (nr >= sizeof(table) / sizeof(table[0]) || !table[nr].fn)
        return -XEN_ENOSYS;
    if (table[nr].privileged && !v->domain->privileged)
        return -XEN_EPERM;
    return table[nr].fn(v, args);
}
