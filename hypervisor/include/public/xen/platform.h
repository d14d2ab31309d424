/* XENPF_*: platform operations for dom0. Numbers and layouts as in Xen's
 * public platform.h; only the operations Mica implements are here. */
#ifndef PUBLIC_XEN_PLATFORM_H
#define PUBLIC_XEN_PLATFORM_H

#include <stdint.h>

#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_settime32   17
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};

#define XENPF_get_cpuinfo 55
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;         /* IN */
    uint32_t max_present;       /* OUT: the highest CPU number present */
    uint32_t flags;             /* OUT: XEN_PCPU_FLAGS_* */
    uint32_t apic_id;
    uint32_t acpi_id;
};
#define XEN_PCPU_FLAGS_ONLINE  1
#define XEN_PCPU_FLAGS_INVALID 2

#define XENPF_settime64   62
struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};

struct xen_platform_op {
    uint32_t cmd;
    uint32_t interface_version;
    union {
        struct xenpf_settime32 settime32;
        struct xenpf_settime64 settime64;
        struct xenpf_pcpuinfo pcpu_info;
        uint8_t pad[128];
    } u;
};

_Static_assert(sizeof(struct xenpf_settime64) == 24, "platform");
_Static_assert(sizeof(struct xen_platform_op) == 136, "platform");

#endif
