/*
 * XENPF_*: platform operations of the control domain. dom0 keeps the wall
 * clock (its NTP-disciplined time is pushed down with settime) and lists
 * the physical CPUs. Everything else (firmware and EFI information, power
 * management, microcode, CPU hotplug) is not offered: -ENOSYS, which
 * Linux takes as "not available".
 */
#include <mica/arch.h>
#include <mica/cpu.h>
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/time.h>
#include <public/xen/platform.h>

#define NSEC_PER_SEC 1000000000ULL

/* The wall clock read <secs, nsecs> when system time was system_time. */
static long settime(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    if (nsecs >= NSEC_PER_SEC || secs >= UINT64_MAX / NSEC_PER_SEC)
        return -XEN_EINVAL;
    uint64_t base_ns = secs * NSEC_PER_SEC + nsecs;
    if (base_ns < system_time)
        return -XEN_EINVAL;
    base_ns -= system_time;
    arch_set_wallclock(base_ns / NSEC_PER_SEC, (uint32_t)(base_ns % NSEC_PER_SEC));
    for (struct domain *d = domain_next_get(NULL); d; d = domain_next_get(d))
        domain_update_wallclock(d);
    return 0;
}

static long cpuinfo(struct xenpf_pcpuinfo *info)
{
    struct cpu_status st;
    unsigned int n = cpu_possible_count();

    info->max_present = n ? n - 1 : 0;
    if (!cpu_get_status(info->xen_cpuid, &st)) {
        info->flags = XEN_PCPU_FLAGS_INVALID;
        info->apic_id = info->acpi_id = 0;
        return 0;
    }
    info->flags = st.online ? XEN_PCPU_FLAGS_ONLINE : 0;
    info->apic_id = st.apic_id;
    info->acpi_id = st.acpi_id;
    return 0;
}

long do_platform_op(struct vcpu *v, const uint64_t args[5])
{
    struct xen_platform_op op;
    long rc;

    if (copy_from_guest(v, &op, args[0], sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION)
        return -XEN_EACCES;
    switch (op.cmd) {
    case XENPF_settime64:
        if (op.u.settime64.mbz)
            return -XEN_EINVAL;
        return settime(op.u.settime64.secs, op.u.settime64.nsecs,
                       op.u.settime64.system_time);
    case XENPF_settime32:
        return settime(op.u.settime32.secs, op.u.settime32.nsecs,
                       op.u.settime32.system_time);
    case XENPF_get_cpuinfo:
        rc = cpuinfo(&op.u.pcpu_info);
        if (!rc && copy_to_guest(v, args[0], &op, sizeof(op)))
            return -XEN_EFAULT;
        return rc;
    default:
        return -XEN_ENOSYS;
    }
}
