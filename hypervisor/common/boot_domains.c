/*
 * Boot-time domains. Module 0 is dom0's kernel and the modules after it
 * are dom0's (its initrd first), except that `domus=N` makes the last N
 * modules the kernels of domains 1..N, each with its module's command
 * line, `domu_mem=` of memory and `domu_vcpus=` vCPUs.
 */
#include <mica/boot_domains.h>
#include <mica/domain.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/pvh.h>
#include <mica/sched.h>
#include <mica/vcpu_arch.h>

#define DOM0_DEFAULT_MEM  (512ULL << 20)
#define HYPERVISOR_KEEP   (64ULL << 20)  /* left free for the hypervisor */

static struct pvh_blob blob(const struct boot_module *m)
{
    return (struct pvh_blob){ phys_to_virt(m->base), m->size, m->cmdline };
}

static void build(const struct boot_info *bi, domid_t id, bool privileged,
                  const struct boot_module *kernel, const struct boot_module *mods,
                  unsigned int nr_mods, uint64_t mem, unsigned int vcpus)
{
    struct pvh_blob k = blob(kernel);
    struct pvh_blob m[BOOT_MAX_MODULES];
    char err[128];

    for (unsigned int i = 0; i < nr_mods; i++)
        m[i] = blob(&mods[i]);
    struct domain *d = domain_create(id, privileged, vcpus, mem >> 12);
    if (!d) {
        log_err("domain %u: cannot create it (out of memory?)\n", id);
        return;
    }
    /* dom0 drives the devices, which see its addresses: identity-map it. */
    int rc = pvh_build(d, &k, m, nr_mods, kernel->cmdline, mem,
                       privileged ? bi : NULL, err, sizeof(err));
    if (rc) {
        log_err("domain %u: not started: %s (error %d)\n", id, err, rc);
        domain_destroy(d);
        return;
    }
    log_info("domain %u: %s, %llu MiB, %u vCPU%s, \"%s\"\n", id,
             privileged ? "privileged" : "unprivileged",
             (unsigned long long)(mem >> 20), vcpus, vcpus == 1 ? "" : "s",
             kernel->cmdline);
    vcpu_up(d->vcpus[0]);
    domain_unpause(d);
}

void boot_domains(const struct boot_info *bi, const struct hv_options *o)
{
    if (bi->module_count == 0) {
        log_info("domains: no boot modules, so no dom0\n");
        return;
    }
    if (!arch_virt_available()) {
        log_err("domains: cannot run guests without hardware virtualization\n");
        return;
    }
    if (o->domus >= bi->module_count) {
        log_err("domains: domus=%u leaves no module for dom0\n", o->domus);
        return;
    }
    unsigned int dom0_mods = bi->module_count - o->domus;
    uint64_t free = memory_free_bytes();
    uint64_t domus_mem = o->domus * o->domu_mem;
    uint64_t dom0_mem = o->dom0_mem ? o->dom0_mem : DOM0_DEFAULT_MEM;
    if (o->dom0_mem_max && dom0_mem > o->dom0_mem_max)
        dom0_mem = o->dom0_mem_max;
    if (dom0_mem + domus_mem + HYPERVISOR_KEEP > free) {
        uint64_t room = free > domus_mem + HYPERVISOR_KEEP ?
                        free - domus_mem - HYPERVISOR_KEEP : 0;
        log_warn("domains: dom0_mem lowered to %llu MiB to fit\n",
                 (unsigned long long)(room >> 20));
        dom0_mem = room & ~((1ULL << 21) - 1);
    }
    build(bi, 0, true, &bi->modules[0], &bi->modules[1], dom0_mods - 1, dom0_mem,
          o->dom0_max_vcpus);
    for (unsigned int i = 0; i < o->domus; i++)
        build(bi, (domid_t)(i + 1), false, &bi->modules[dom0_mods + i], NULL, 0,
              o->domu_mem, o->domu_vcpus);
}
