/* Guest page walks (32-bit, PAE and 4-level) and copies to and from guest
 * memory. Page-table entries are read through the p2m, so a guest can only
 * ever point the hypervisor at its own memory. */
#include <mica/domain.h>
#include <mica/guest_access.h>
#include <mica/memory.h>
#include <mica/p2m.h>
#include <mica/string.h>
#include <x86/hvm.h>

#define PTE_P    (1ULL << 0)
#define PTE_RW   (1ULL << 1)
#define PTE_PS   (1ULL << 7)
#define ADDR_4K  0x000ffffffffff000ULL
#define CR0_PG   (1ULL << 31)
#define CR0_WP   (1ULL << 16)
#define CR4_PSE  (1ULL << 4)
#define CR4_PAE  (1ULL << 5)
#define CR4_LA57 (1ULL << 12)

static bool guest_frame_ok(enum p2m_type t)
{
    return t == P2M_RAM || t == P2M_SPECIAL || t == P2M_GRANT ||
           t == P2M_FOREIGN;
}

void *gfn_to_host(struct domain *d, uint64_t gfn, uint64_t *mfn_out, bool write)
{
    uint64_t mfn;
    enum p2m_type t;
    bool writable;

    if (!p2m_lookup(d, gfn, &mfn, &t, &writable) || !guest_frame_ok(t) ||
        (write && !writable))
        return NULL;
    if (mfn_out)
        *mfn_out = mfn;
    return phys_to_virt(mfn << 12);
}

static bool read_entry(struct domain *d, uint64_t gpa, size_t size, uint64_t *e)
{
    *e = 0;
    return copy_from_gpa(d, e, gpa, size) == 0;
}

/* Walks from `table` down `levels` levels of 512-entry (or 1024-entry,
 * 4-byte) tables. Returns false on a fault. */
static bool walk(struct domain *d, uint64_t table, uint64_t gva, int levels,
                 bool wide, bool check_write, uint64_t *gpa)
{
    unsigned int bits = wide ? 9 : 10;
    size_t esize = wide ? 8 : 4;

    for (int l = levels; l >= 1; l--) {
        unsigned int shift = 12 + bits * (unsigned int)(l - 1);
        uint64_t index = (gva >> shift) & ((1ULL << bits) - 1);
        uint64_t e;
        if (!read_entry(d, table + index * esize, esize, &e) || !(e & PTE_P))
            return false;
        if (check_write && !(e & PTE_RW))
            return false;
        if (l > 1 && (e & PTE_PS)) {
            /* A large page: 2 MiB / 1 GiB, or 4 MiB in 32-bit paging. */
            uint64_t size = 1ULL << shift;
            uint64_t base = wide ? (e & ADDR_4K & ~(size - 1))
                                 : ((e & 0xffc00000ULL) | ((e >> 13) & 0xff) << 32);
            *gpa = base | (gva & (size - 1));
            return true;
        }
        table = wide ? e & ADDR_4K : e & 0xfffff000ULL;
    }
    *gpa = table | (gva & 0xfff);
    return true;
}

static bool translate(struct vcpu *v, uint64_t gva, bool write, uint64_t *gpa)
{
    struct hvm_cpu_state s;

    hvm->get_cpu_state(v, &s);
    if (!(s.cr0 & CR0_PG)) {
        *gpa = s.long_mode ? gva : (uint32_t)gva;
        return true;
    }
    bool check_write = write && (s.cr0 & CR0_WP);
    if (s.long_mode) {
        if (s.cr4 & CR4_LA57)
            return false;
        /* Non-canonical addresses never translate. */
        uint64_t top = gva >> 47;
        if (top != 0 && top != 0x1ffff)
            return false;
        return walk(v->domain, s.cr3 & ADDR_4K, gva, 4, true, check_write, gpa);
    }
    gva = (uint32_t)gva;
    if (s.cr4 & CR4_PAE) {
        uint64_t pdpte;
        uint64_t base = s.cr3 & 0xffffffe0ULL;
        if (!read_entry(v->domain, base + (gva >> 30) * 8, 8, &pdpte) ||
            !(pdpte & PTE_P))
            return false;
        return walk(v->domain, pdpte & ADDR_4K, gva, 2, true, check_write, gpa);
    }
    if (!(s.cr4 & CR4_PSE)) {
        /* Without PSE the PS bit means nothing; walk as 4 KiB pages only. */
        uint64_t pde, pte;
        if (!read_entry(v->domain, (s.cr3 & 0xfffff000ULL) + (gva >> 22) * 4, 4,
                        &pde) || !(pde & PTE_P) || (check_write && !(pde & PTE_RW)))
            return false;
        if (!read_entry(v->domain, (pde & 0xfffff000ULL) + ((gva >> 12) & 1023) * 4,
                        4, &pte) || !(pte & PTE_P) || (check_write && !(pte & PTE_RW)))
            return false;
        *gpa = (pte & 0xfffff000ULL) | (gva & 0xfff);
        return true;
    }
    return walk(v->domain, s.cr3 & 0xfffff000ULL, gva, 2, false, check_write, gpa);
}

static int copy_gpa(struct domain *d, uint64_t gpa, void *buf, size_t len,
                    bool write)
{
    uint8_t *p = buf;

    while (len) {
        size_t chunk = 4096 - (gpa & 0xfff);
        if (chunk > len)
            chunk = len;
        uint8_t *host = gfn_to_host(d, gpa >> 12, NULL, write);
        if (!host)
            return -XEN_EFAULT;
        if (write)
            memcpy(host + (gpa & 0xfff), p, chunk);
        else
            memcpy(p, host + (gpa & 0xfff), chunk);
        gpa += chunk;
        p += chunk;
        len -= chunk;
    }
    return 0;
}

int copy_from_gpa(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
    return copy_gpa(d, gpa, dst, len, false);
}

int copy_to_gpa(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
    return copy_gpa(d, gpa, (void *)src, len, true);
}

static int copy_gva(struct vcpu *v, uint64_t gva, void *buf, size_t len,
                    bool write)
{
    uint8_t *p = buf;

    /* Lengths beyond what any hypercall moves are refused outright. */
    if (len > (1u << 24))
        return -XEN_EFAULT;
    while (len) {
        size_t chunk = 4096 - (gva & 0xfff);
        if (chunk > len)
            chunk = len;
        uint64_t gpa;
        if (!translate(v, gva, write, &gpa) ||
            copy_gpa(v->domain, gpa, p, chunk, write))
            return -XEN_EFAULT;
        gva += chunk;
        p += chunk;
        len -= chunk;
    }
    return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    return copy_gva(v, gva, dst, len, false);
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    return copy_gva(v, gva, (void *)src, len, true);
}

size_t hvm_fetch_insn(struct vcpu *v, uint64_t rip, uint8_t *buf, size_t len)
{
    struct hvm_cpu_state s;

    hvm->get_cpu_state(v, &s);
    uint64_t gva = s.cs_64bit ? rip : (uint32_t)(s.cs_base + rip);
    /* Fetch byte by byte so that an instruction at the end of a mapped
     * page still yields its mapped part. */
    size_t n = 0;
    while (n < len && copy_from_guest(v, buf + n, gva + n, 1) == 0)
        n++;
    return n;
}
