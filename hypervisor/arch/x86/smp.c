/* CPU bring-up: INIT-SIPI-SIPI to each CPU in the MADT, one at a time,
 * through the real-mode trampoline in trampoline.S. */
#include <mica/log.h>
#include <mica/sched.h>
#include <mica/vcpu_arch.h>
#include <mica/memory.h>
#include <mica/string.h>
#include <x86/acpi.h>
#include <x86/cpu.h>
#include <x86/desc.h>
#include <x86/lapic.h>
#include <x86/percpu.h>
#include <x86/smp.h>

#define AP_STACK_PAGES 4
#define AP_START_TIMEOUT_US 5000000   /* generous: emulators can be slow */

extern const uint8_t trampoline_start[], trampoline_end[];
extern const uint8_t tramp_gdt[], tramp_gdt_desc[], tramp_pm32[], tramp_far32[];
extern const uint8_t tramp_lm64[], tramp_far64[];
extern const uint8_t tramp_cr3[], tramp_stack[], tramp_cpu[], tramp_entry[];

static uint8_t *tramp_page;

static void *field(const uint8_t *label)
{
    return tramp_page + (label - trampoline_start);
}

static uint32_t page_offset_addr(const uint8_t *label)
{
    return (uint32_t)virt_to_phys(tramp_page) + (uint32_t)(label - trampoline_start);
}

static _Noreturn void ap_entry(unsigned int cpu_id)
{
    struct percpu *p = &percpu_area[cpu_id];

    percpu_init_cpu(cpu_id);
    desc_init_cpu(cpu_id);
    lapic_init_ap();
    /* Without usable virtualization the CPU still keeps time; no domain
     * can be created to run on it. */
    if (arch_virt_available() && arch_virt_cpu_enable())
        log_err("smp: CPU %u cannot enable virtualization\n", cpu_id);
    __atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
    cpu_main_loop();
}

static bool wait_online(const struct percpu *p, uint64_t us)
{
    uint64_t step = 100;

    for (uint64_t waited = 0; waited < us; waited += step) {
        if (__atomic_load_n(&p->online, __ATOMIC_ACQUIRE))
            return true;
        udelay(step);
    }
    return __atomic_load_n(&p->online, __ATOMIC_ACQUIRE);
}

static bool start_cpu(unsigned int cpu_id, uint32_t apic_id, uint32_t acpi_id)
{
    struct percpu *p = &percpu_area[cpu_id];
    uint64_t stack = page_alloc(AP_STACK_PAGES);

    if (!stack)
        return false;
    p->apic_id = apic_id;
    p->acpi_id = acpi_id;
    p->stack_base = stack;
    p->stack_top = stack + AP_STACK_PAGES * PAGE_SIZE;
    *(uint64_t *)field(tramp_stack) = p->stack_top;
    *(uint64_t *)field(tramp_cpu) = cpu_id;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    uint8_t sipi_page = (uint8_t)(virt_to_phys(tramp_page) >> 12);
    lapic_send_init(apic_id);
    udelay(10000);
    lapic_send_startup(apic_id, sipi_page);
    if (wait_online(p, 200))
        return true;
    lapic_send_startup(apic_id, sipi_page);
    if (wait_online(p, AP_START_TIMEOUT_US))
        return true;
    page_free(stack, AP_STACK_PAGES);
    return false;
}

static void prepare_trampoline(void)
{
    uint64_t pa = page_alloc_below(1, 0x100000);

    if (!pa)
        panic("smp: no free page below 1 MiB for the start-up code");
    tramp_page = phys_to_virt(pa);
    memcpy(tramp_page, trampoline_start, (size_t)(trampoline_end - trampoline_start));
    *(uint32_t *)field(tramp_gdt_desc + 2) = page_offset_addr(tramp_gdt);
    *(uint32_t *)field(tramp_far32) = page_offset_addr(tramp_pm32);
    *(uint32_t *)field(tramp_far64) = page_offset_addr(tramp_lm64);
    *(uint64_t *)field(tramp_cr3) = read_cr3();
    *(uint64_t *)field(tramp_entry) = (uint64_t)(uintptr_t)ap_entry;
}

void smp_boot(const uint8_t *rsdp, size_t rsdp_len, unsigned int max_cpus)
{
    struct madt_cpu cpus[MAX_CPUS];
    uint32_t bsp = lapic_id();
    const struct acpi_header *madt = acpi_find_table(rsdp, rsdp_len, "APIC");

    percpu_area[0].online = true;
    if (!madt) {
        log_warn("smp: no MADT; running on the boot CPU only\n");
        return;
    }
    size_t n = madt_parse_cpus(madt, madt->length, cpus, MAX_CPUS);
    unsigned int cap = max_cpus && max_cpus < MAX_CPUS ? max_cpus : MAX_CPUS;

    prepare_trampoline();
    cpus_possible = 1;
    for (size_t i = 0; i < n && cpus_possible < cap; i++) {
        if (cpus[i].apic_id == bsp) {
            percpu_area[0].acpi_id = cpus[i].acpi_uid;
            continue;
        }
        unsigned int id = cpus_possible++;
        if (start_cpu(id, cpus[i].apic_id, cpus[i].acpi_uid))
            log_info("smp: CPU %u (APIC id %u) online\n", id, cpus[i].apic_id);
        else
            log_err("smp: CPU %u (APIC id %u) did not start\n", id,
                    cpus[i].apic_id);
    }
    page_free(virt_to_phys(tramp_page), 1);
}
