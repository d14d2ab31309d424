/* mxl list, info, vcpu-list and dmesg: what the hypervisor reports. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mxl.h"

#define MAX_DOMAINS 256

int mxl_cmd_list(struct mxl *m, int argc, char **argv)
{
    static struct mica_domain_info list[MAX_DOMAINS];
    bool json = false, longer = false;

    if (mxl_wants_help("list", argc, argv))
        return 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "--long") == 0)
            longer = true;
        else
            return mxl_usage("list");
    }
    int rc = mxl_connect(m, false);
    if (rc)
        return rc;
    int n = mica_domain_list(&m->ctl, 0, list, MAX_DOMAINS);
    if (n < 0)
        return mxl_error("listing domains: %s", strerror(-n));
    if (json)
        printf("[");
    else
        printf("%-24s %5s %8s %5s %6s %10s%s\n", "Name", "ID", "Mem", "VCPUs", "State",
               "Time(s)", longer ? "   MaxMem MaxVCPUs" : "");
    for (int i = 0; i < n; i++) {
        struct mica_domain_info *d = &list[i];
        char name[128], state[7];
        mxl_domain_name(m, d->domid, name, sizeof(name));
        mxl_state(d->flags, d->shutdown_reason, state);
        /* To the nearest MiB: a guest gives back the few pages where it
         * places its shared_info and grant table frames. */
        uint64_t mib = (d->tot_pages + 128) / 256;
        double secs = (double)d->cpu_time_ns / 1e9;
        if (json)
            printf("%s\n  {\"name\": \"%s\", \"domid\": %u, \"memory_mib\": %" PRIu64
                   ", \"pages\": %" PRIu64 ", \"max_memory_mib\": %" PRIu64 ", \"vcpus\": %u, "
                   "\"max_vcpus\": %u, \"state\": \"%s\", \"cpu_time_s\": %.1f}",
                   i ? "," : "", name, d->domid, mib, d->tot_pages, d->max_pages / 256,
                   d->vcpus_online ? d->vcpus_online : d->max_vcpus, d->max_vcpus, state, secs);
        else
            printf("%-24s %5u %8" PRIu64 " %5u %6s %10.1f", name, d->domid, mib,
                   d->vcpus_online ? d->vcpus_online : d->max_vcpus, state, secs);
        if (!json && longer)
            printf(" %8" PRIu64 " %8u", d->max_pages / 256, d->max_vcpus);
        if (!json)
            printf("\n");
    }
    if (json)
        printf("\n]\n");
    return 0;
}

int mxl_cmd_info(struct mxl *m, int argc, char **argv)
{
    struct mica_ctl_physinfo p;

    if (mxl_wants_help("info", argc, argv))
        return 0;
    if (argc > 1)
        return mxl_usage("info");
    int rc = mxl_connect(m, false);
    if (rc)
        return rc;
    rc = mica_physinfo(&m->ctl, &p);
    if (rc)
        return mxl_error("physinfo: %s", strerror(-rc));
    printf("nr_cpus                : %u\n", p.nr_cpus);
    printf("max_cpus               : %u\n", p.max_cpus);
    printf("cpu_mhz                : %u\n", p.cpu_khz / 1000);
    printf("virt_caps              : %s%s%s\n", p.virt_caps & MICA_PHYS_CAP_SVM ? "svm " : "",
           p.virt_caps & MICA_PHYS_CAP_VMX ? "vmx " : "",
           p.virt_caps & MICA_PHYS_CAP_HAP ? "hap" : "");
    printf("total_memory           : %" PRIu64 "\n", p.total_pages / 256);
    printf("free_memory            : %" PRIu64 "\n", p.free_pages / 256);
    printf("free_pages             : %" PRIu64 "\n", p.free_pages);
    printf("heap_pages             : %" PRIu64 "\n", p.heap_pages);
    printf("heap_used_bytes        : %" PRIu64 "\n", p.heap_used_bytes);
    printf("max_domains            : %u\n", p.max_domains);
    printf("max_vcpus_per_domain   : %u\n", p.max_vcpus);
    return 0;
}

int mxl_cmd_vcpu_list(struct mxl *m, int argc, char **argv)
{
    static struct mica_domain_info list[MAX_DOMAINS];

    if (mxl_wants_help("vcpu-list", argc, argv))
        return 0;
    if (argc > 2)
        return mxl_usage("vcpu-list");
    int rc = mxl_connect(m, false);
    if (rc)
        return rc;
    uint16_t only = 0;
    if (argc == 2 && mxl_find_domain(m, argv[1], &only))
        return MXL_EXIT_FAIL;
    int n = mica_domain_list(&m->ctl, 0, list, MAX_DOMAINS);
    if (n < 0)
        return mxl_error("listing domains: %s", strerror(-n));
    printf("%-24s %5s %5s %6s %-5s %-8s %s\n", "Name", "ID", "VCPU", "State", "Mode",
           "RIP", "(state: u up, i initialised)");
    for (int i = 0; i < n; i++) {
        if (argc == 2 && list[i].domid != only)
            continue;
        char name[128];
        mxl_domain_name(m, list[i].domid, name, sizeof(name));
        for (unsigned v = 0; v < list[i].max_vcpus; v++) {
            struct mica_vcpu_context c;
            if (mica_vcpu_context(&m->ctl, list[i].domid, v, &c)) {
                printf("%-24s %5u %5u %6s\n", name, list[i].domid, v, "?");
                continue;
            }
            printf("%-24s %5u %5u %5s%s %-5s %#" PRIx64 "\n", name, list[i].domid, v,
                   c.flags & MICA_VCPU_FLAG_UP ? "u" : "-",
                   c.flags & MICA_VCPU_FLAG_INITIALISED ? "i" : "-",
                   c.mode == VCPU_HVM_MODE_64B ? "64" : "32", c.rip);
        }
    }
    return 0;
}

int mxl_cmd_dmesg(struct mxl *m, int argc, char **argv)
{
    static char buf[4096];
    uint64_t pos = 0;

    if (mxl_wants_help("dmesg", argc, argv))
        return 0;
    bool clear = argc == 2 && strcmp(argv[1], "-c") == 0;
    if (argc > 2 || (argc == 2 && !clear))
        return mxl_usage("dmesg");
    int rc = mxl_connect(m, false);
    if (rc)
        return rc;
    for (;;) {
        long n = mica_console_read(&m->ctl, buf, sizeof(buf), &pos);
        if (n < 0)
            return mxl_error("reading the hypervisor log: %s", strerror((int)-n));
        if (n == 0)
            break;
        fwrite(buf, 1, (size_t)n, stdout);
    }
    if (clear) {
        struct mica_control c;
        memset(&c, 0, sizeof(c));
        c.u.read_console.flags = MICA_CONSOLE_CLEAR;
        rc = (int)mica_control(&m->ctl, MICA_CONTROL_read_console, 0, &c);
        if (rc < 0)
            return mxl_error("clearing the hypervisor log: %s", strerror(-rc));
    }
    return 0;
}
