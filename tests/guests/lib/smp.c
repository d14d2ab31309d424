/* Starting secondary vCPUs on stacks of their own, and printing from them. */
#include <stdarg.h>
#include <xen/cpuid.h>

#include "guest.h"
#include "smp.h"
#include "x86.h"

#define SMP_STACK_SIZE 16384
#define RFLAGS_RESERVED 0x2         /* bit 1 always reads as one */

struct table_desc {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static uint8_t stacks[SMP_MAX_VCPUS][SMP_STACK_SIZE] __attribute__((aligned(16)));
static struct table_desc boot_gdt, boot_idt;
static volatile bool print_lock;

unsigned int smp_vcpu_id(void)
{
    static uint32_t base;

    if (!base)
        base = xen_cpuid_base();
    if (!base)
        return 0;
    struct cpuid_regs r = cpuid(base + 4, 0);
    return (r.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT) ? r.ebx : 0;
}

/* Where the context enters: the new vCPU has flat segments but no
 * descriptor tables of its own yet, so it loads the boot vCPU's first. */
static _Noreturn void secondary_start(unsigned long vcpu, smp_entry_fn fn)
{
    __asm__ volatile("lgdt %0; lidt %1" : : "m"(boot_gdt), "m"(boot_idt) : "memory");
    fn((unsigned int)vcpu);
    for (;;)
        HYPERVISOR_vcpu_op(VCPUOP_down, (unsigned int)vcpu, NULL);
}

void smp_context(struct vcpu_hvm_context *ctx, unsigned int vcpu, smp_entry_fn fn)
{
    uint64_t cr0, cr3, cr4;

    __asm__ volatile("sgdt %0; sidt %1" : "=m"(boot_gdt), "=m"(boot_idt));
    __asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
                     : "=r"(cr0), "=r"(cr3), "=r"(cr4));
    memset(ctx, 0, sizeof(*ctx));
    ctx->mode = VCPU_HVM_MODE_64B;
    struct vcpu_hvm_x86_64 *c = &ctx->cpu_regs.x86_64;
    c->rip = (uint64_t)(uintptr_t)secondary_start;
    /* As if called: the return-address slot leaves %rsp 8 off 16-byte
     * alignment at entry, which the compiler's code expects. */
    c->rsp = (uint64_t)(uintptr_t)&stacks[vcpu % SMP_MAX_VCPUS][SMP_STACK_SIZE] - 8;
    c->rdi = vcpu;
    c->rsi = (uint64_t)(uintptr_t)fn;
    c->rflags = RFLAGS_RESERVED;
    c->cr0 = cr0;
    c->cr3 = cr3;
    c->cr4 = cr4;
    c->efer = EFER_LME;
}

long smp_start(unsigned int vcpu, smp_entry_fn fn)
{
    struct vcpu_hvm_context ctx;

    if (vcpu == 0 || vcpu >= SMP_MAX_VCPUS)
        return -XEN_EINVAL;
    smp_context(&ctx, vcpu, fn);
    long rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, vcpu, &ctx);
    if (rc)
        return rc;
    return HYPERVISOR_vcpu_op(VCPUOP_up, vcpu, NULL);
}

void smp_yield(void)
{
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

void smp_printf(const char *fmt, ...)
{
    va_list ap;

    /* Yield while waiting: the holder may share this CPU. */
    while (__atomic_test_and_set((void *)&print_lock, __ATOMIC_ACQUIRE))
        smp_yield();
    va_start(ap, fmt);
    guest_vprintf(fmt, ap);
    va_end(ap);
    __atomic_clear((void *)&print_lock, __ATOMIC_RELEASE);
}
