/* From the entry stubs in head.S to mica_start(): copy the boot
 * information into the hypervisor, then the arch hooks common code calls
 * while it brings the machine up. */
#include <mica/arch.h>
#include <mica/format.h>
#include <mica/log.h>
#include <mica/memory.h>
#include <mica/string.h>
#include <x86/acpi.h>
#include <x86/cpu.h>
#include <x86/desc.h>
#include <x86/ioapic.h>
#include <x86/lapic.h>
#include <x86/multiboot2.h>
#include <x86/paging.h>
#include <x86/percpu.h>
#include <x86/pit.h>
#include <x86/segments.h>
#include <x86/serial.h>
#include <x86/smp.h>
#include <x86/time.h>

extern uint8_t __image_start[], __image_end[], boot_stack[];

/* A copy the hypervisor owns: loader memory is free RAM once we run. */
static struct boot_info boot_info;

static void early_cpu_setup(void)
{
    percpu_init_cpu(0);
    percpu_area[0].stack_base = (uint64_t)(uintptr_t)boot_stack;
    percpu_area[0].stack_top = (uint64_t)(uintptr_t)boot_stack + BOOT_STACK_SIZE;
    idt_init();
}

_Noreturn void x86_boot_multiboot2(uint32_t magic, uint32_t info_pa)
{
    early_cpu_setup();
    if (magic != MB2_BOOTLOADER_MAGIC) {
        serial_init(COM1_BASE);
        panic("entered at the Multiboot2 entry by something else (magic 0x%x)",
              magic);
    }
    /* The block's own first word bounds every read of it. */
    const uint32_t *info = phys_to_virt(info_pa);
    const char *err = mb2_parse(info, info[0], &boot_info);
    if (err) {
        serial_init(COM1_BASE);
        panic("bad Multiboot2 information: %s", err);
    }
    mica_start(&boot_info);
}

_Noreturn void x86_boot_uefi(uint64_t boot_info_pa)
{
    const struct boot_info *bi = phys_to_virt(boot_info_pa);

    early_cpu_setup();
    if (!bi || bi->magic != BOOT_INFO_MAGIC ||
        bi->version != BOOT_INFO_VERSION || bi->size != sizeof(*bi) ||
        bi->mem_range_count > BOOT_MAX_MEM_RANGES ||
        bi->module_count > BOOT_MAX_MODULES ||
        bi->rsdp_length > BOOT_RSDP_MAX) {
        serial_init(COM1_BASE);
        panic("the UEFI loader passed no valid boot information");
    }
    memcpy(&boot_info, bi, sizeof(boot_info));
    boot_info.cmdline[BOOT_CMDLINE_MAX - 1] = '\0';
    boot_info.loader_name[BOOT_LOADER_NAME_MAX - 1] = '\0';
    for (uint32_t i = 0; i < boot_info.module_count; i++)
        boot_info.modules[i].cmdline[BOOT_MODULE_CMDLINE_MAX - 1] = '\0';
    mica_start(&boot_info);
}

void arch_console_init(enum console_port port)
{
    serial_init(port == CONSOLE_PORT_COM1 ? COM1_BASE :
                port == CONSOLE_PORT_COM2 ? COM2_BASE : 0);
}

void arch_image_range(uint64_t *start, uint64_t *end)
{
    *start = virt_to_phys(__image_start);
    *end = virt_to_phys(__image_end);
}

void arch_map_memory(const struct boot_info *bi)
{
    paging_map_ram(bi);
}

void arch_init_cpus(const struct boot_info *bi, unsigned int max_cpus)
{
    desc_init_cpu(0);
    pic_disable();
    lapic_init_bsp();
    time_init();
    rtc_init();
    acpi_init(bi->rsdp, bi->rsdp_length);
    smp_boot(bi->rsdp, bi->rsdp_length, max_cpus);
    ioapic_init(bi->rsdp, bi->rsdp_length);
}

void arch_describe_timer(char *buf, size_t size)
{
    snprintf(buf, size, "%s, APIC timer %llu kHz, TSC %llu MHz, tick %u Hz",
             lapic_is_x2apic() ? "x2APIC" : "xAPIC",
             (unsigned long long)(lapic_timer_frequency() / 1000),
             (unsigned long long)(tsc_frequency() / 1000000), ARCH_TICK_HZ);
}

void arch_trigger_test_exception(enum test_exception which)
{
    volatile uint64_t *p;
    unsigned int zero = 0;

    switch (which) {
    case TEST_EXCEPTION_UD:
        __asm__ volatile("ud2");
        break;
    case TEST_EXCEPTION_PF:
        p = (volatile uint64_t *)(uintptr_t)PAGING_UNMAPPED_ADDRESS;
        (void)*p;
        break;
    case TEST_EXCEPTION_GP:
        p = (volatile uint64_t *)0x8000000000000000ULL;   /* non-canonical */
        (void)*p;
        break;
    case TEST_EXCEPTION_DE:
        /* In assembly: compilers rewrite divisions they can reason about. */
        __asm__ volatile("xorl %%edx, %%edx; movl $1, %%eax; divl %0"
                         :: "r"(zero) : "eax", "edx");
        break;
    case TEST_EXCEPTION_NONE:
        return;
    }
    panic("test_exception: the exception did not happen");
}

_Noreturn void arch_reboot(void)
{
    irq_disable();
    outb(0x64, 0xfe);       /* keyboard controller: pulse reset */
    udelay(50000);
    outb(0xcf9, 0x02);      /* PCI reset control: hard reset */
    outb(0xcf9, 0x06);
    udelay(50000);
    /* Last resort: a triple fault through an empty IDT. */
    static const struct { uint16_t limit; uint64_t base; } __attribute__((packed))
        empty = { 0, 0 };
    __asm__ volatile("lidt %0; int3" :: "m"(empty));
    arch_halt();
}
