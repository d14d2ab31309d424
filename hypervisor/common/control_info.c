/* Control commands that report: the domain list, the hypervisor's log
 * ring and the machine. */
#include <mica/arch.h>
#include <mica/control.h>
#include <mica/cpu.h>
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/heap.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/vcpu_arch.h>

#define CONSOLE_CHUNK 512       /* bytes copied per step, from the stack */

static uint32_t dominfo_flags(const struct domain *d, unsigned int *online)
{
    unsigned int up = 0, blocked = 0;
    uint32_t f = d->privileged ? MICA_DOMINFO_PRIVILEGED : 0;

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        /* A domain still being built is listed (dying) before its vCPUs
         * all exist. */
        if (!d->vcpus[i])
            continue;
        enum vcpu_state s = d->vcpus[i]->state;
        up += s != VCPU_DOWN;
        blocked += s == VCPU_BLOCKED;
    }
    *online = up;
    switch (d->state) {
    case DOMAIN_RUNNING:  f |= MICA_DOMINFO_RUNNING; break;
    case DOMAIN_PAUSED:   f |= MICA_DOMINFO_PAUSED; break;
    case DOMAIN_SHUTDOWN: f |= MICA_DOMINFO_SHUTDOWN; break;
    case DOMAIN_DYING:    f |= MICA_DOMINFO_DYING; break;
    }
    if (d->state == DOMAIN_RUNNING && up && blocked == up)
        f |= MICA_DOMINFO_BLOCKED;
    return f;
}

long control_list_domains(struct vcpu *v, struct mica_ctl_list_domains *a)
{
    uint32_t n = 0;

    for (struct domain *d = domain_next_get(NULL); d; d = domain_next_get(d)) {
        if (d->id < a->first_domid)
            continue;
        if (n == a->max_entries) {
            domain_put(d);
            break;
        }
        unsigned int online;
        struct mica_domain_info info = {
            .domid = d->id,
            .flags = dominfo_flags(d, &online),
            .shutdown_reason = d->state == DOMAIN_SHUTDOWN ? (uint32_t)d->shutdown_code
                                                          : ~0u,
            .vcpus_online = online,
            .max_vcpus = d->max_vcpus,
            .tot_pages = d->tot_pages,
            .max_pages = d->max_pages,
            .cpu_time_ns = domain_cpu_time(d),
            .shared_info_gfn = d->shared_info_gfn,
        };
        if (copy_to_guest(v, a->buffer + (uint64_t)n * sizeof(info), &info, sizeof(info))) {
            domain_put(d);
            return -XEN_EFAULT;
        }
        n++;
    }
    return n;
}

long control_read_console(struct vcpu *v, struct mica_ctl_read_console *a)
{
    char chunk[CONSOLE_CHUNK];
    uint32_t done = 0;

    if (a->flags & ~MICA_CONSOLE_CLEAR)
        return -XEN_EINVAL;
    while (done < a->size) {
        uint32_t want = a->size - done < CONSOLE_CHUNK ? a->size - done : CONSOLE_CHUNK;
        uint64_t pos = a->pos;
        size_t n = log_read(&pos, chunk, want);
        if (n == 0)
            break;
        if (copy_to_guest(v, a->buffer + done, chunk, n))
            return -XEN_EFAULT;
        a->pos = pos;
        done += (uint32_t)n;
    }
    if (a->flags & MICA_CONSOLE_CLEAR)
        log_clear();
    return done;
}

long control_physinfo(struct mica_ctl_physinfo *a)
{
    uint64_t heap_pages, heap_used;

    kheap_usage(&heap_pages, &heap_used);
    *a = (struct mica_ctl_physinfo){
        .nr_cpus = cpu_online_count(),
        .max_cpus = cpu_possible_count(),
        .cpu_khz = arch_cpu_khz(),
        .virt_caps = arch_virt_caps(),
        .total_pages = memory_stats()->total_frames,
        .free_pages = memory_free_bytes() >> PAGE_SHIFT,
        .max_domains = MAX_DOMAINS,
        .max_vcpus = MAX_VCPUS,
        .heap_pages = heap_pages,
        .heap_used_bytes = heap_used,
    };
    return 0;
}
