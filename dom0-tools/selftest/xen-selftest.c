/*
 * xen-selftest: proves from dom0 userspace that the Xen device files work
 * against Mica: a hypercall through /dev/xen/privcmd, an event channel
 * bound, signalled and received through /dev/xen/evtchn, and /dev/xen/gntdev
 * present. One line per check, then "xen-selftest: PASS" or "... FAIL".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The kernel's UAPI headers use Xen's domain-id type without defining it. */
typedef uint16_t domid_t;
#include <xen/evtchn.h>

/* Linux's privcmd hypercall ioctl. Its UAPI header includes a kernel-only
 * header, so the two definitions it needs are spelled out here. */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL \
    _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

#define HYPERVISOR_xen_version 17
#define XENVER_version         0
#define XENVER_extraversion    1
#define NOTIFY_TIMEOUT_MS      10000

static int failures;

static void check(int ok, const char *what, const char *detail)
{
    printf("xen-selftest: %s: %s%s%s\n", what, ok ? "ok" : "FAILED",
           detail ? " - " : "", detail ? detail : "");
    if (!ok)
        failures++;
}

static long hypercall(int fd, uint64_t op, uint64_t a0, uint64_t a1)
{
    struct privcmd_hypercall h = { .op = op, .arg = { a0, a1 } };
    return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

static void test_privcmd(void)
{
    char detail[96];
    int fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        check(0, "open /dev/xen/privcmd", strerror(errno));
        return;
    }
    long v = hypercall(fd, HYPERVISOR_xen_version, XENVER_version, 0);
    char extra[16] = { 0 };
    long e = hypercall(fd, HYPERVISOR_xen_version, XENVER_extraversion,
                       (uint64_t)(uintptr_t)extra);
    snprintf(detail, sizeof(detail), "xen_version %ld.%ld%s", v >> 16, v & 0xffff,
             e == 0 ? extra : "");
    check(v >= (4 << 16) && e == 0, "privcmd hypercall", detail);
    close(fd);
}

static void test_evtchn(void)
{
    char detail[96];
    int fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        check(0, "open /dev/xen/evtchn", strerror(errno));
        return;
    }
    /* A loop in dom0: an unbound port for ourselves, then bind to it. */
    struct ioctl_evtchn_bind_unbound_port unbound = { .remote_domain = 0 };
    int a = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &unbound);
    struct ioctl_evtchn_bind_interdomain inter = { .remote_domain = 0,
                                                   .remote_port = (unsigned)a };
    int b = a < 0 ? -1 : ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &inter);
    snprintf(detail, sizeof(detail), "ports %d and %d", a, b);
    check(a > 0 && b > 0, "evtchn bind", detail);
    if (a <= 0 || b <= 0) {
        close(fd);
        return;
    }
    struct ioctl_evtchn_notify notify = { .port = (unsigned)b };
    check(ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify) == 0, "evtchn notify", NULL);

    /* Reads return pending ports; binding may have left b pending too. */
    int seen = 0;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    while (!seen && poll(&p, 1, NOTIFY_TIMEOUT_MS) == 1) {
        uint32_t ports[8];
        ssize_t n = read(fd, ports, sizeof(ports));
        for (ssize_t i = 0; i < n / 4; i++) {
            if (ports[i] == (uint32_t)a)
                seen = 1;
            /* Unmask what we consumed, as the evtchn device requires. */
            if (write(fd, &ports[i], sizeof(ports[i])) != sizeof(ports[i]))
                break;
        }
    }
    snprintf(detail, sizeof(detail), "event arrived on port %d", a);
    check(seen, "evtchn delivery", seen ? detail : "nothing within 10 s");
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_privcmd();
    test_evtchn();
    int g = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
    check(g >= 0, "open /dev/xen/gntdev", g < 0 ? strerror(errno) : NULL);
    if (g >= 0)
        close(g);
    printf("xen-selftest: %s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
