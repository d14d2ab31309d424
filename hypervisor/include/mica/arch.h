/* What common code asks of the architecture; each arch implements these. */
#ifndef MICA_ARCH_H
#define MICA_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include <mica/boot_info.h>
#include <mica/cmdline.h>

/* Selects the console device (may be called again to change it). */
void arch_console_init(enum console_port port);
/* Console output bytes to the hypervisor's console device. */
void arch_console_write(const char *s, size_t len);
/* Returns a console input byte, or -1 if none is waiting. */
int arch_console_getc(void);

/* The periodic housekeeping tick, per second. */
#define ARCH_TICK_HZ 100

/* Arms this CPU's one-shot hardware timer for system time `deadline` (ns);
 * 0 disarms it. */
void arch_timer_program(uint64_t deadline);
/* Counts one housekeeping tick on this CPU. */
void arch_count_tick(void);
/* The running CPU's number (0 = the boot CPU). */
unsigned int arch_cpu_id(void);
/* Interrupts another CPU so that it re-runs its scheduler loop. */
void arch_kick_cpu(unsigned int cpu);
/* Disable interrupts and say whether they were on; restore that state. */
bool arch_irq_save(void);
void arch_irq_restore(bool enabled);

/* The CPUs' clock rate (the TSC's on x86), in kHz. */
uint32_t arch_cpu_khz(void);

/* Wall-clock time (Unix seconds and ns) when system time was 0. */
void arch_wallclock(uint64_t *sec, uint32_t *nsec);
/* Sets it (dom0 keeps the time, as on Xen: XENPF_settime). */
void arch_set_wallclock(uint64_t sec, uint32_t nsec);

/* Stop this CPU for good (interrupts off). */
_Noreturn void arch_halt(void);
/* Sleep until the next interrupt. */
void arch_wait_for_interrupt(void);
_Noreturn void arch_reboot(void);

/* Print a backtrace of the caller's stack. */
void arch_dump_stack(void);

/* Physical range the hypervisor image occupies. */
void arch_image_range(uint64_t *start, uint64_t *end);
/* Maps all RAM the boot map lists into the hypervisor's tables. */
void arch_map_memory(const struct boot_info *bi);
/* Descriptor tables, interrupt controller, timer, then the other CPUs. */
void arch_init_cpus(const struct boot_info *bi, unsigned int max_cpus);
/* Describes the interrupt controller and timer for the boot log. */
void arch_describe_timer(char *buf, size_t size);
/* Raises the exception `test_exception=` asked for; does not return. */
void arch_trigger_test_exception(enum test_exception which);

/* Common code's entry, once the arch has copied the boot information. */
_Noreturn void mica_start(struct boot_info *bi);

#endif
