/* Local APIC driver. In x2APIC mode registers are MSRs 0x800 + reg/16; in
 * xAPIC mode they are MMIO at the base the APIC_BASE MSR names. */
#include <mica/log.h>
#include <x86/cpu.h>
#include <x86/lapic.h>
#include <x86/percpu.h>
#include <x86/pit.h>
#include <x86/regs.h>

enum {
    APIC_ID = 0x20, APIC_EOI = 0xb0, APIC_SVR = 0xf0, APIC_ESR = 0x280,
    APIC_ICR_LOW = 0x300, APIC_ICR_HIGH = 0x310, APIC_LVT_TIMER = 0x320,
    APIC_LVT_LINT0 = 0x350, APIC_LVT_ERROR = 0x370,
    APIC_TIMER_INITIAL = 0x380, APIC_TIMER_CURRENT = 0x390,
    APIC_TIMER_DIVIDE = 0x3e0,
};

#define APIC_BASE_ENABLE   (1ULL << 11)
#define APIC_BASE_X2APIC   (1ULL << 10)
#define LVT_MASKED         (1u << 16)
#define TIMER_DIVIDE_BY_16 0x3
#define ICR_INIT           0x00000500u
#define ICR_STARTUP        0x00000600u
#define ICR_ASSERT         0x00004000u
#define ICR_PENDING        0x00001000u
#define ICR_FIXED          0x00000000u

#define CALIBRATE_MS 10

static bool x2apic;
static volatile uint32_t *xapic_mmio;
static uint64_t timer_hz;       /* APIC timer counts per second (divided) */
static uint64_t tsc_hz;

static uint32_t apic_read(uint32_t reg)
{
    if (x2apic)
        return (uint32_t)rdmsr(0x800 + (reg >> 4));
    return xapic_mmio[reg / 4];
}

static void apic_write(uint32_t reg, uint32_t v)
{
    if (x2apic)
        wrmsr(0x800 + (reg >> 4), v);
    else
        xapic_mmio[reg / 4] = v;
}

static void enable_this_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    base |= APIC_BASE_ENABLE;
    if (x2apic)
        base |= APIC_BASE_X2APIC;
    wrmsr(MSR_APIC_BASE, base);
    xapic_mmio = (volatile uint32_t *)(uintptr_t)(base & ~0xfffULL & 0xffffffffffULL);

    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);
    apic_write(APIC_LVT_ERROR, LVT_MASKED);
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
    apic_write(APIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    apic_write(APIC_ESR, 0);
    this_cpu()->apic_id = lapic_id();
}

uint32_t lapic_id(void)
{
    return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void lapic_init_bsp(void)
{
    x2apic = (cpuid(1, 0).ecx >> 21) & 1;
    enable_this_cpu();
    /* The boot CPU's LINT0 may be wired as ExtINT to the 8259s, which are
     * masked; mask it here too so nothing arrives through it. */
    apic_write(APIC_LVT_LINT0, LVT_MASKED);

    apic_write(APIC_TIMER_INITIAL, 0xffffffffu);
    uint64_t tsc0 = rdtsc();
    bool ok = pit_wait_ms(CALIBRATE_MS);
    uint64_t tsc1 = rdtsc();
    uint32_t remaining = apic_read(APIC_TIMER_CURRENT);
    apic_write(APIC_TIMER_INITIAL, 0);

    if (!ok) {
        /* No PIT to measure against: assume common bus and TSC rates. */
        log_warn("lapic: PIT calibration failed, assuming 100 MHz bus\n");
        timer_hz = 100000000 / 16;
        tsc_hz = 2000000000;
    } else {
        timer_hz = (uint64_t)(0xffffffffu - remaining) * (1000 / CALIBRATE_MS);
        tsc_hz = (tsc1 - tsc0) * (1000 / CALIBRATE_MS);
    }
}

void lapic_init_ap(void)
{
    enable_this_cpu();
}

void lapic_timer_oneshot(uint64_t ns)
{
    if (!ns) {
        apic_write(APIC_TIMER_INITIAL, 0);
        return;
    }
    /* ns * timer_hz / 1e9 without overflow for any realistic input. */
    uint64_t counts = (uint64_t)(((unsigned __int128)ns * timer_hz) / 1000000000u);
    if (counts == 0)
        counts = 1;
    if (counts > 0xffffffffu)
        counts = 0xffffffffu;
    apic_write(APIC_LVT_TIMER, VECTOR_TIMER);
    apic_write(APIC_TIMER_INITIAL, (uint32_t)counts);
}

void lapic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

bool lapic_is_x2apic(void)
{
    return x2apic;
}

uint64_t lapic_timer_frequency(void)
{
    return timer_hz;
}

uint64_t tsc_frequency(void)
{
    return tsc_hz;
}

static void send_ipi(uint32_t apic_id, uint32_t icr)
{
    if (x2apic) {
        wrmsr(0x830, ((uint64_t)apic_id << 32) | icr);
        return;
    }
    apic_write(APIC_ICR_HIGH, apic_id << 24);
    apic_write(APIC_ICR_LOW, icr);
    for (int i = 0; i < 100000 && (apic_read(APIC_ICR_LOW) & ICR_PENDING); i++)
        cpu_relax();
}

void lapic_send_fixed(uint32_t apic_id, uint8_t vector)
{
    send_ipi(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_init(uint32_t apic_id)
{
    send_ipi(apic_id, ICR_INIT | ICR_ASSERT);
}

void lapic_send_startup(uint32_t apic_id, uint8_t page)
{
    send_ipi(apic_id, ICR_STARTUP | ICR_ASSERT | page);
}

void udelay(uint64_t microseconds)
{
    uint64_t end = rdtsc() + tsc_hz / 1000000 * microseconds;

    while (rdtsc() < end)
        cpu_relax();
}
