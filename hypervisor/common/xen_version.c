/* XENVER_*: which Xen ABI Mica speaks and what it offers. */
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/hypercall.h>
#include <mica/string.h>
#include <mica/version.h>
#include <public/xen/version.h>

#define XEN_ABI_VERSION ((4 << 16) | 17)   /* matches CPUID leaf 0x40000001 */

static uint32_t feature_submap0(const struct domain *d)
{
    uint32_t f = (1u << XENFEAT_auto_translated_physmap) |
                 (1u << XENFEAT_hvm_callback_vector) |
                 (1u << XENFEAT_hvm_safe_pvclock);
    if (d->privileged)
        f |= 1u << XENFEAT_dom0;
    return f;
}

/* Copies a fixed-size, NUL-padded string answer out. */
static long put_string(struct vcpu *v, uint64_t arg, const char *s, size_t size)
{
    char buf[1024];

    memset(buf, 0, size);
    size_t n = strlen(s);
    memcpy(buf, s, n < size ? n : size - 1);
    return copy_to_guest(v, arg, buf, size) ? -XEN_EFAULT : 0;
}

long do_xen_version(struct vcpu *v, const uint64_t args[5])
{
    uint64_t cmd = args[0], arg = args[1];

    switch (cmd) {
    case XENVER_version:
        return XEN_ABI_VERSION;
    case XENVER_extraversion:
        return put_string(v, arg, ".0-mica", XEN_EXTRAVERSION_LEN);
    case XENVER_capabilities:
        return put_string(v, arg, "hvm-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p",
                          XEN_CAPABILITIES_INFO_LEN);
    case XENVER_changeset:
        return put_string(v, arg, "mica " MICA_VERSION, XEN_CHANGESET_INFO_LEN);
    case XENVER_compile_info: {
        struct xen_compile_info ci;
        memset(&ci, 0, sizeof(ci));
        memcpy(ci.compiler, "gcc " __VERSION__,
               sizeof("gcc " __VERSION__) < sizeof(ci.compiler) ?
               sizeof("gcc " __VERSION__) : sizeof(ci.compiler) - 1);
        memcpy(ci.compile_by, "mica", 4);
        memcpy(ci.compile_date, MICA_VERSION, sizeof(MICA_VERSION));
        return copy_to_guest(v, arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
    }
    case XENVER_platform_parameters: {
        struct xen_platform_parameters p = { 0 };
        return copy_to_guest(v, arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;
        if (copy_from_guest(v, &fi, arg, sizeof(fi)))
            return -XEN_EFAULT;
        if (fi.submap_idx != 0)
            return -XEN_EINVAL;
        fi.submap = feature_submap0(v->domain);
        return copy_to_guest(v, arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
    }
    case XENVER_pagesize:
        return 4096;
    default:
        return -XEN_ENOSYS;
    }
}
