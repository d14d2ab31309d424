/* Looks addresses up in the name table that the second link adds. */
#include <mica/format.h>
#include <mica/ksyms.h>

struct ksym {
    uint64_t addr;
    const char *name;
};

/* Weak: the first link, which the table is generated from, has none. */
extern const struct ksym ksym_table[] __attribute__((weak));
extern const uint64_t ksym_count __attribute__((weak));
extern const char __image_start[], __image_end[];

void ksym_describe(uint64_t addr, char *buf, unsigned int size)
{
    const struct ksym *best = 0;
    uint64_t count = &ksym_count ? ksym_count : 0;

    if (addr >= (uint64_t)(uintptr_t)__image_start &&
        addr < (uint64_t)(uintptr_t)__image_end) {
        /* Binary search for the last symbol at or below addr. */
        uint64_t lo = 0, hi = count;
        while (lo < hi) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (ksym_table[mid].addr <= addr)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo)
            best = &ksym_table[lo - 1];
    }
    if (best)
        snprintf(buf, size, "%s+0x%llx", best->name,
                 (unsigned long long)(addr - best->addr));
    else
        snprintf(buf, size, "?");
}
