/*
 * mmio: guest-physical addresses with nothing behind them. Loads of every
 * size and through every MOV form the hypervisor decodes (8/16/32/64-bit
 * MOV, MOVZX, the absolute-address forms, byte loads into AH, REX
 * registers, SIB and displacements) must read all ones and merge into
 * the destination register as the CPU would; stores must be dropped.
 *
 * mode=unsupported instead touches unbacked memory with an instruction
 * the hypervisor does not emulate (ADD from memory): the domain must be
 * crashed, and nothing else may notice.
 */
#include "guest.h"

const char guest_name[] = "mmio";

/* Below 4 GiB (our page tables map that much) and above any RAM a test
 * domain gets: the HPET's usual home, the start of the PCI hole, and a
 * plain one. (Not the local APIC's page: an emulated APIC may live there.) */
#define ADDR_PLAIN  0xe0000000UL
#define ADDR_PLAIN_ASM "0xe0000000"    /* the same, for absolute operands */
#define ADDR_HPET   0xfed00000UL
#define ADDR_PCI    0xc0000000UL

#define PRELOAD     0x1122334455667788UL

static bool is_ram(const struct hvm_start_info *si, uint64_t addr)
{
    const struct hvm_memmap_table_entry *map =
        (const struct hvm_memmap_table_entry *)(uintptr_t)si->memmap_paddr;

    for (unsigned int i = 0; si->version >= 1 && i < si->memmap_entries; i++) {
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && addr >= map[i].addr &&
            addr - map[i].addr < map[i].size)
            return true;
    }
    return false;
}

static const char *place = "";    /* prefix of the check names */

static void check_value(const char *name, uint64_t got, uint64_t want)
{
    char full[64];
    size_t a = strlen(place), b = strlen(name);

    if (a + b + 2 > sizeof(full))
        b = sizeof(full) - a - 2;
    memcpy(full, place, a);
    full[a] = '_';
    memcpy(full + a + 1, name, b);
    full[a + 1 + b] = '\0';
    CHECK(got == want, "mmio", full, "got %#lx, want %#lx", (unsigned long)got,
          (unsigned long)want);
}

/* Register-indirect loads at addr, each into a preloaded register. */
static void check_loads(uint64_t addr)
{
    uint64_t r;

    r = PRELOAD;
    __asm__ volatile("movb (%1), %%al" : "+a"(r) : "b"(addr) : "memory");
    check_value("load8_al_merges", r, 0x11223344556677ffUL);
    r = PRELOAD;
    __asm__ volatile("movb (%1), %%ah" : "+a"(r) : "b"(addr) : "memory");
    check_value("load8_ah_merges", r, 0x112233445566ff88UL);
    r = PRELOAD;
    __asm__ volatile("movb (%1), %%sil" : "+S"(r) : "b"(addr) : "memory");
    check_value("load8_sil_rex", r, 0x11223344556677ffUL);
    r = PRELOAD;
    __asm__ volatile("movw (%1), %%ax" : "+a"(r) : "b"(addr) : "memory");
    check_value("load16_merges", r, 0x112233445566ffffUL);
    r = PRELOAD;
    __asm__ volatile("movl (%1), %%eax" : "+a"(r) : "b"(addr) : "memory");
    check_value("load32_zero_extends", r, 0xffffffffUL);
    r = PRELOAD;
    __asm__ volatile("movq (%1), %%rax" : "+a"(r) : "b"(addr) : "memory");
    check_value("load64", r, ~0UL);

    register uint64_t r9 __asm__("r9") = PRELOAD;
    __asm__ volatile("movq (%1), %%r9" : "+r"(r9) : "b"(addr) : "memory");
    check_value("load64_r9", r9, ~0UL);
    register uint64_t r10 __asm__("r10") = PRELOAD;
    __asm__ volatile("movl (%1), %%r10d" : "+r"(r10) : "b"(addr) : "memory");
    check_value("load32_r10d", r10, 0xffffffffUL);

    r = PRELOAD;
    __asm__ volatile("movzbl (%1), %%eax" : "+a"(r) : "b"(addr) : "memory");
    check_value("movzx8_to_32", r, 0xffUL);
    r = PRELOAD;
    __asm__ volatile("movzwl (%1), %%eax" : "+a"(r) : "b"(addr) : "memory");
    check_value("movzx16_to_32", r, 0xffffUL);
    r = PRELOAD;
    __asm__ volatile("movzbq (%1), %%rax" : "+a"(r) : "b"(addr) : "memory");
    check_value("movzx8_to_64", r, 0xffUL);
    r = PRELOAD;
    __asm__ volatile("movzwq (%1), %%rax" : "+a"(r) : "b"(addr) : "memory");
    check_value("movzx16_to_64", r, 0xffffUL);
    r = PRELOAD;
    __asm__ volatile("movzbw (%1), %%ax" : "+a"(r) : "b"(addr) : "memory");
    check_value("movzx8_to_16_merges", r, 0x11223344556600ffUL);

    /* Addressing forms: SIB with index, 8- and 32-bit displacements, a
     * segment override prefix. */
    uint64_t base = addr - 0x100, index = 0x40;
    r = PRELOAD;
    __asm__ volatile("movl (%1,%2,4), %%eax" : "+a"(r) : "b"(base), "c"(index) : "memory");
    check_value("load32_sib", r, 0xffffffffUL);
    r = PRELOAD;
    __asm__ volatile("movl 0x10(%1), %%eax" : "+a"(r) : "b"(addr) : "memory");
    check_value("load32_disp8", r, 0xffffffffUL);
    r = PRELOAD;
    __asm__ volatile("movl 0x1000(%1), %%eax" : "+a"(r) : "b"(addr) : "memory");
    check_value("load32_disp32", r, 0xffffffffUL);
    r = PRELOAD;
    __asm__ volatile("movl %%ds:(%1), %%eax" : "+a"(r) : "b"(addr) : "memory");
    check_value("load32_ds_override", r, 0xffffffffUL);
    r = PRELOAD;
    __asm__ volatile("movl (%1), %%eax" : "+a"(r) : "b"(addr + 0xffe) : "memory");
    check_value("load32_crosses_page", r, 0xffffffffUL);
}

/* The absolute-address forms (A0/A1) need a constant address. */
static void check_moffs_loads(void)
{
    uint64_t r;

    r = PRELOAD;
    __asm__ volatile("movabs " ADDR_PLAIN_ASM ", %%al" : "+a"(r) : : "memory");
    check_value("moffs_load8", r, 0x11223344556677ffUL);
    r = PRELOAD;
    __asm__ volatile("movabs " ADDR_PLAIN_ASM ", %%ax" : "+a"(r) : : "memory");
    check_value("moffs_load16", r, 0x112233445566ffffUL);
    r = PRELOAD;
    __asm__ volatile("movabs " ADDR_PLAIN_ASM ", %%eax" : "+a"(r) : : "memory");
    check_value("moffs_load32", r, 0xffffffffUL);
    r = PRELOAD;
    __asm__ volatile("movabs " ADDR_PLAIN_ASM ", %%rax" : "+a"(r) : : "memory");
    check_value("moffs_load64", r, ~0UL);
}

/* Stores of every form go nowhere: a load afterwards still reads ones. */
static void check_stores(uint64_t addr)
{
    uint64_t v = 0;

    __asm__ volatile("movb $0x5a, (%0)" : : "b"(addr) : "memory");
    __asm__ volatile("movw $0x5a5a, (%0)" : : "b"(addr) : "memory");
    __asm__ volatile("movl $0x5a5a5a5a, (%0)" : : "b"(addr) : "memory");
    __asm__ volatile("movq $-2, (%0)" : : "b"(addr) : "memory");
    __asm__ volatile("movb %%al, (%1)" : : "a"(0UL), "b"(addr) : "memory");
    __asm__ volatile("movw %%ax, (%1)" : : "a"(0UL), "b"(addr) : "memory");
    __asm__ volatile("movl %%eax, (%1)" : : "a"(0UL), "b"(addr) : "memory");
    __asm__ volatile("movq %%rax, (%1)" : : "a"(0UL), "b"(addr) : "memory");
    __asm__ volatile("movabs %%eax, " ADDR_PLAIN_ASM : : "a"(0UL) : "memory");
    __asm__ volatile("movq (%1), %0" : "=a"(v) : "b"(addr) : "memory");
    check_value("stores_dropped", v, ~0UL);
}

static void run_checks(const struct hvm_start_info *si)
{
    static const struct {
        const char *name;
        uint64_t addr;
    } places[] = {
        { "plain", ADDR_PLAIN }, { "hpet", ADDR_HPET }, { "pci_hole", ADDR_PCI },
    };

    for (unsigned int i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
        place = places[i].name;
        guest_printf("INFO mmio at %s %#lx\n", place, (unsigned long)places[i].addr);
        if (is_ram(si, places[i].addr)) {
            check_value("not_ram", 0, 1);
            return;
        }
        check_loads(places[i].addr);
        check_stores(places[i].addr);
    }
    place = "plain";
    check_moffs_loads();
}

static void run_unsupported(void)
{
    uint64_t r = 0;

    guest_printf("INFO mmio unsupported: ADD from unbacked memory next\n");
    console_flush();
    __asm__ volatile("addl (%1), %%eax" : "+a"(r) : "b"(ADDR_PLAIN) : "memory");
    CHECK(false, "mmio", "unsupported_survived", "the domain was not stopped (eax %#lx)",
          (unsigned long)r);
}

void guest_main(const struct hvm_start_info *si)
{
    char mode[16] = "check";

    cmdline_get(si, "mode", mode, sizeof(mode));
    if (strcmp(mode, "check") == 0)
        run_checks(si);
    else if (strcmp(mode, "unsupported") == 0)
        run_unsupported();
    else
        CHECK(false, "mmio", "mode", "want mode=check|unsupported, got \"%s\"", mode);
}
