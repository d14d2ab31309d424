/* Lazy FXSAVE/FXRSTOR of guest FPU state, per CPU. */
#include <mica/cpu.h>
#include <mica/heap.h>
#include <mica/string.h>
#include <x86/cpu.h>
#include <x86/fpu.h>
#include <x86/percpu.h>

#define CR0_MP (1ULL << 1)
#define CR0_EM (1ULL << 2)
#define CR0_TS (1ULL << 3)
#define CR4_OSFXSR     (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)

struct fpu_state {
    uint8_t area[512] __attribute__((aligned(16)));
};

static struct fpu_state *owner[MAX_CPUS];

void fpu_cpu_init(void)
{
    uint64_t cr0;

    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 | CR0_MP) & ~(CR0_EM | CR0_TS);
    __asm__ volatile("mov %0, %%cr0" :: "r"(cr0));
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
}

struct fpu_state *fpu_state_alloc(void)
{
    /* kmalloc aligns to 16, which FXSAVE needs. */
    struct fpu_state *s = kmalloc(sizeof(*s));

    if (s)
        fpu_state_reset(s);
    return s;
}

void fpu_state_free(struct fpu_state *s)
{
    kfree(s);
}

void fpu_state_reset(struct fpu_state *s)
{
    fpu_forget(s);
    memset(s->area, 0, sizeof(s->area));
    s->area[0] = 0x7f;              /* FCW = 0x037f */
    s->area[1] = 0x03;
    uint32_t mxcsr = 0x1f80;
    memcpy(&s->area[24], &mxcsr, 4);
}

void fpu_switch_to(struct fpu_state *s)
{
    unsigned int cpu = this_cpu()->cpu_id;

    if (owner[cpu] == s)
        return;
    if (owner[cpu])
        __asm__ volatile("fxsave64 %0" : "=m"(owner[cpu]->area));
    __asm__ volatile("fxrstor64 %0" :: "m"(s->area));
    owner[cpu] = s;
}

void fpu_forget(struct fpu_state *s)
{
    for (unsigned int i = 0; i < MAX_CPUS; i++)
        if (owner[i] == s)
            __atomic_store_n(&owner[i], NULL, __ATOMIC_RELAXED);
}
