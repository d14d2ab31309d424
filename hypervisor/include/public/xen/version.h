/*
 * xen_version(cmd, arg): the hypervisor's version, build strings and the
 * feature submaps. XENVER_version and XENVER_pagesize return their answer
 * directly; the other commands fill *arg and return 0.
 */
#ifndef MICA_PUBLIC_XEN_VERSION_H
#define MICA_PUBLIC_XEN_VERSION_H

#include "xen.h"
#include "features.h"

#define XENVER_version              0   /* returns major << 16 | minor */
#define XENVER_extraversion         1   /* arg: xen_extraversion_t */
#define XENVER_compile_info         2   /* arg: struct xen_compile_info */
#define XENVER_capabilities         3   /* arg: xen_capabilities_info_t */
#define XENVER_changeset            4   /* arg: xen_changeset_info_t */
#define XENVER_platform_parameters  5   /* arg: struct xen_platform_parameters */
#define XENVER_get_features         6   /* arg: struct xen_feature_info */
#define XENVER_pagesize             7   /* arg must be 0; returns the page size */
#define XENVER_guest_handle         8   /* arg: xen_domain_handle_t */
#define XENVER_commandline          9   /* arg: xen_commandline_t */
#define XENVER_build_id            10   /* arg: struct xen_build_id */
#define XENVER_extraversion2       11   /* arg: struct xen_varbuf */
#define XENVER_capabilities2       12   /* arg: struct xen_varbuf */
#define XENVER_changeset2          13   /* arg: struct xen_varbuf */
#define XENVER_commandline2        14   /* arg: struct xen_varbuf */

#ifndef __ASSEMBLER__

/* Fixed-size, NUL-padded strings. */
typedef char xen_extraversion_t[16];
typedef char xen_capabilities_info_t[1024];
typedef char xen_changeset_info_t[64];
typedef char xen_commandline_t[1024];

#define XEN_EXTRAVERSION_LEN       (sizeof(xen_extraversion_t))
#define XEN_CAPABILITIES_INFO_LEN  (sizeof(xen_capabilities_info_t))
#define XEN_CHANGESET_INFO_LEN     (sizeof(xen_changeset_info_t))

struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info size");

struct xen_platform_parameters {
    xen_ulong_t virt_start;     /* 0 for HVM/PVH guests */
};
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "xen_platform_parameters size");

struct xen_feature_info {
    uint32_t submap_idx;        /* in: which 32-bit submap */
    uint32_t submap;            /* out: its bits, XENFEAT_* numbered from 32 * idx */
};
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info size");
_Static_assert(offsetof(struct xen_feature_info, submap) == 4, "xen_feature_info.submap");

/* Variable-length answers: len is the buffer size in, the data length out. */
struct xen_build_id {
    uint32_t len;
    unsigned char buf[];
};
_Static_assert(sizeof(struct xen_build_id) == 4, "xen_build_id size");

struct xen_varbuf {
    uint32_t len;
    unsigned char buf[];
};
_Static_assert(sizeof(struct xen_varbuf) == 4, "xen_varbuf size");

#endif /* !__ASSEMBLER__ */

#endif
