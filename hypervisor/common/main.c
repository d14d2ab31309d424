/* Machine bring-up in order, once the arch has a copy of the boot info. */
#include <mica/arch.h>
#include <mica/cmdline.h>
#include <mica/console.h>
#include <mica/cpu.h>
#include <mica/heap.h>
#include <mica/log.h>
#include <mica/memmap.h>
#include <mica/memory.h>
#include <mica/sched.h>
#include <mica/boot_domains.h>
#include <mica/version.h>
#include <mica/vcpu_arch.h>
#include <mica/virt.h>

static void warn_option(const char *option, const char *problem)
{
    log_warn("cmdline: '%s': %s\n", option, problem);
}

static void report_boot(const struct boot_info *bi)
{
    printk("\nMica hypervisor %s (x86-64)\n", MICA_VERSION);
    log_info("boot: %s via %s\n", bi->loader_name,
             bi->source == BOOT_SOURCE_UEFI ? "UEFI" : "Multiboot2");
    log_info("cmdline: \"%s\"\n", bi->cmdline);
    for (uint32_t i = 0; i < bi->module_count; i++)
        log_info("module %u: 0x%llx, %llu bytes, \"%s\"\n", i,
                 (unsigned long long)bi->modules[i].base,
                 (unsigned long long)bi->modules[i].size,
                 bi->modules[i].cmdline);
    if (bi->fb.base)
        log_info("framebuffer: 0x%llx, %ux%u, %u bpp, pitch %u\n",
                 (unsigned long long)bi->fb.base, bi->fb.width, bi->fb.height,
                 bi->fb.bpp, bi->fb.pitch);
    else
        log_info("framebuffer: none\n");
    log_info("acpi: %s\n", bi->rsdp_length ? "RSDP present" : "no RSDP");
}

static void report_memory(const struct boot_info *bi)
{
    const struct memory_stats *m = memory_stats();

    for (uint32_t i = 0; i < bi->mem_range_count; i++)
        log_debug("  [0x%016llx-0x%016llx) %s\n",
                  (unsigned long long)bi->mem[i].base,
                  (unsigned long long)(bi->mem[i].base + bi->mem[i].length),
                  memmap_type_name(bi->mem[i].type));
    log_info("memory: %llu KiB usable RAM, %llu KiB kept by firmware, "
             "%llu KiB free after the hypervisor (%llu KiB) and modules "
             "(%llu KiB)\n",
             (unsigned long long)(m->usable_bytes >> 10),
             (unsigned long long)(m->firmware_bytes >> 10),
             (unsigned long long)(memory_free_bytes() >> 10),
             (unsigned long long)(m->hypervisor_bytes >> 10),
             (unsigned long long)(m->module_bytes >> 10));
}

static void report_dom0_mem(const struct hv_options *o)
{
    if (!o->dom0_mem && !o->dom0_mem_min && !o->dom0_mem_max) {
        log_info("dom0_mem: not set (dom0 gets the default)\n");
        return;
    }
    log_info("dom0_mem: %llu MiB (min %llu MiB, max %llu MiB)\n",
             (unsigned long long)(o->dom0_mem >> 20),
             (unsigned long long)(o->dom0_mem_min >> 20),
             (unsigned long long)(o->dom0_mem_max >> 20));
}

_Noreturn void mica_start(struct boot_info *bi)
{
    struct hv_options opts;

    /* Parse once silently to find the console, then again to report. */
    cmdline_parse(bi->cmdline, &opts, NULL);
    arch_console_init(opts.console);
    log_set_level(opts.loglvl);
    report_boot(bi);
    cmdline_parse(bi->cmdline, &opts, warn_option);

    uint64_t image_start, image_end;
    arch_image_range(&image_start, &image_end);
    memory_init(bi, image_start, image_end);
    arch_map_memory(bi);
    memory_move_modules_high(bi);
    kheap_init();
    report_memory(bi);

    /* Before the other CPUs start: each enables the chosen backend. */
    struct virt_caps caps;
    if (virt_probe(&caps))
        log_info("virt: %s with %s (%s)\n", caps.backend, caps.nested_paging,
                 caps.details);
    else
        log_err("virt: no usable hardware virtualization: %s\n", caps.problem);

    /* The boot CPU first: it also settles what the other CPUs will use. */
    if (arch_virt_available() && arch_virt_cpu_enable())
        log_err("virt: cannot enable it on the boot CPU\n");
    arch_init_cpus(bi, opts.max_cpus);
    char timer[128];
    arch_describe_timer(timer, sizeof(timer));
    log_info("timer: %s\n", timer);
    log_info("cpus: %u online of %u\n", cpu_online_count(),
             cpu_possible_count());

    report_dom0_mem(&opts);

    if (opts.test_exception != TEST_EXCEPTION_NONE) {
        log_info("test_exception: raising it now\n");
        arch_trigger_test_exception(opts.test_exception);
    }
    boot_domains(bi, &opts);
    console_start();
    cpu_main_loop();
}
