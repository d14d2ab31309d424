/* Interrupt dispatch and the fatal exception dump. */
#include <mica/arch.h>
#include <mica/ksyms.h>
#include <mica/log.h>
#include <x86/cpu.h>
#include <x86/irq.h>
#include <x86/lapic.h>
#include <x86/quiesce.h>
#include <x86/percpu.h>
#include <x86/regs.h>

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
    "#OF overflow", "#BR bound range", "#UD invalid opcode",
    "#NM device not available", "#DF double fault", "coprocessor overrun",
    "#TS invalid TSS", "#NP segment not present", "#SS stack fault",
    "#GP general protection", "#PF page fault", "reserved",
    "#MF x87 error", "#AC alignment check", "#MC machine check",
    "#XM SIMD error", "#VE virtualization", "#CP control protection",
    "reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
    "#HV hypervisor injection", "#VC VMM communication", "#SX security",
    "reserved",
};

static bool on_stack(const struct percpu *p, uint64_t addr)
{
    return addr >= p->stack_base && addr + 16 <= p->stack_top;
}

static void print_frame(uint64_t addr)
{
    char name[96];

    ksym_describe(addr, name, sizeof(name));
    printk("  [<%016llx>] %s\n", (unsigned long long)addr, name);
}

/* Follows the saved frame pointers while they stay on this CPU's stack. */
static void backtrace_from(uint64_t rip, uint64_t rbp)
{
    const struct percpu *p = this_cpu();

    printk("stack trace:\n");
    print_frame(rip);
    for (int depth = 0; depth < 24 && on_stack(p, rbp) && !(rbp & 7); depth++) {
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t ret = frame[1];
        if (!ret)
            break;
        print_frame(ret);
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

void arch_dump_stack(void)
{
    uint64_t rbp;
    __asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
    backtrace_from((uint64_t)(uintptr_t)__builtin_return_address(0), rbp);
}

static _Noreturn void fatal_exception(const struct cpu_regs *r)
{
    const struct percpu *p = this_cpu();

    printk("\n*** mica: fatal exception on CPU %u: vector %llu (%s), "
           "error code 0x%llx ***\n",
           p->cpu_id, (unsigned long long)r->vector,
           exception_names[r->vector], (unsigned long long)r->error_code);
    printk("RIP %04llx:%016llx  RFLAGS %016llx\n",
           (unsigned long long)r->cs, (unsigned long long)r->rip,
           (unsigned long long)r->rflags);
    printk("RAX %016llx  RBX %016llx  RCX %016llx\n",
           (unsigned long long)r->rax, (unsigned long long)r->rbx,
           (unsigned long long)r->rcx);
    printk("RDX %016llx  RSI %016llx  RDI %016llx\n",
           (unsigned long long)r->rdx, (unsigned long long)r->rsi,
           (unsigned long long)r->rdi);
    printk("RBP %016llx  RSP %016llx  R8  %016llx\n",
           (unsigned long long)r->rbp, (unsigned long long)r->rsp,
           (unsigned long long)r->r8);
    printk("R9  %016llx  R10 %016llx  R11 %016llx\n",
           (unsigned long long)r->r9, (unsigned long long)r->r10,
           (unsigned long long)r->r11);
    printk("R12 %016llx  R13 %016llx  R14 %016llx\n",
           (unsigned long long)r->r12, (unsigned long long)r->r13,
           (unsigned long long)r->r14);
    printk("R15 %016llx  CR2 %016llx  CR3 %016llx\n",
           (unsigned long long)r->r15, (unsigned long long)read_cr2(),
           (unsigned long long)read_cr3());
    backtrace_from(r->rip, r->rbp);
    printk("mica: CPU %u halted\n", p->cpu_id);
    arch_halt();
}

void x86_interrupt(struct cpu_regs *regs)
{
    if (regs->vector < 32) {
        fatal_exception(regs);
    } else if (regs->vector == VECTOR_TIMER || regs->vector == VECTOR_KICK) {
        /* Only wakes the CPU: the scheduler loop does the work. */
        lapic_eoi();
    } else if (regs->vector == VECTOR_QUIESCE) {
        /* The EOI, a device-memory write, waits until the round is over. */
        quiesce_answer();
        lapic_eoi();
    } else if (irq_dispatch((uint8_t)regs->vector)) {
        /* A device interrupt, acknowledged by irq_dispatch(). */
    } else if (regs->vector == VECTOR_SPURIOUS) {
        /* A spurious interrupt needs no EOI. */
    } else {
        log_warn("mica: unexpected interrupt vector %llu on CPU %u\n",
                 (unsigned long long)regs->vector, this_cpu()->cpu_id);
        lapic_eoi();
    }
}

_Noreturn void arch_halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

void arch_wait_for_interrupt(void)
{
    /* sti's one-instruction shadow makes "sti; hlt" race-free. */
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}
