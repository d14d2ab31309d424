/*
 * Emulation of guest accesses to guest-physical addresses with no memory
 * behind them. Without decode assists the CPU tells us neither the
 * instruction's length nor its operands, so the common MOV forms are
 * decoded here. An emulated device (dom0's I/O APIC) answers its window;
 * elsewhere loads return all ones and stores are dropped, as on a bus
 * with no device. Anything else is refused and the caller crashes the
 * domain, never the host.
 */
#include <mica/string.h>
#include <x86/hvm.h>
#include <x86/hwdom.h>

struct insn {
    unsigned int len;
    unsigned int size;          /* operand bytes */
    bool load;                  /* memory -> register */
    unsigned int reg;           /* destination register number for loads */
    unsigned int mem_size;      /* bytes read from memory (movzx: fewer) */
    bool high_byte;             /* AH..BH: byte registers 4-7 without REX */
    bool has_imm;               /* a store of an immediate */
    uint64_t imm;
};

/* Length of ModRM + SIB + displacement starting at p (mod, rm from ModRM). */
static unsigned int modrm_len(const uint8_t *p, size_t avail, bool addr32_or_64)
{
    if (avail < 1)
        return 0;
    unsigned int mod = p[0] >> 6, rm = p[0] & 7, len = 1;

    if (!addr32_or_64)
        return 0;               /* 16-bit addressing is not emulated */
    if (mod != 3 && rm == 4) {
        if (avail < 2)
            return 0;
        len++;
        if (mod == 0 && (p[1] & 7) == 5)
            len += 4;           /* SIB with no base: disp32 */
    }
    if (mod == 0 && rm == 5)
        len += 4;               /* disp32 or RIP-relative */
    else if (mod == 1)
        len += 1;
    else if (mod == 2)
        len += 4;
    return len <= avail ? len : 0;
}

static bool decode(const uint8_t *b, size_t n, const struct hvm_cpu_state *s,
                   struct insn *in)
{
    size_t i = 0;
    bool opsize = false, rex = false, rex_w = false, rex_r = false;

    /* Legacy prefixes: operand size, segment overrides. */
    for (; i < n; i++) {
        if (b[i] == 0x66)
            opsize = true;
        else if (b[i] == 0x2e || b[i] == 0x3e || b[i] == 0x26 ||
                 b[i] == 0x36 || b[i] == 0x64 || b[i] == 0x65)
            continue;
        else
            break;
    }
    if (i < n && s->cs_64bit && (b[i] & 0xf0) == 0x40) {
        rex = true;
        rex_w = b[i] & 8;
        rex_r = b[i] & 4;
        i++;
    }
    if (i >= n)
        return false;
    bool addr_ok = s->cs_64bit || s->cs_32bit;
    unsigned int full = rex_w ? 8 : opsize ? 2 : 4;
    uint8_t op = b[i++];
    *in = (struct insn){ 0 };

    if (op >= 0xa0 && op <= 0xa3) {
        /* AL/AX/EAX/RAX to or from an absolute address: no ModRM, an
         * 8-byte address in 64-bit code, 4 bytes in 32-bit code. */
        if (!addr_ok)
            return false;
        in->load = !(op & 2);
        in->size = in->mem_size = (op & 1) ? full : 1;
        in->len = (unsigned int)i + (s->cs_64bit ? 8 : 4);
        return in->len <= n;
    }
    if (op == 0x0f) {
        if (i >= n || (b[i] != 0xb6 && b[i] != 0xb7))
            return false;
        in->mem_size = b[i] == 0xb6 ? 1 : 2;
        i++;
        in->load = true;
        in->size = full;
    } else if (op == 0x88 || op == 0x89 || op == 0x8a || op == 0x8b) {
        in->load = op & 2;
        in->size = (op & 1) ? full : 1;
    } else if (op == 0xc6 || op == 0xc7) {
        in->size = op == 0xc6 ? 1 : full;
    } else {
        return false;
    }
    if (i >= n)
        return false;
    in->reg = ((b[i] >> 3) & 7) | (rex_r ? 8 : 0);
    if (!in->mem_size)
        in->mem_size = in->size;
    in->high_byte = in->size == 1 && !rex && in->reg >= 4;
    unsigned int m = modrm_len(b + i, n - i, addr_ok);
    if (!m || (b[i] >> 6) == 3)
        return false;           /* register-only forms never fault on memory */
    i += m;
    if (op == 0xc6 || op == 0xc7) {
        unsigned int imm_len = op == 0xc6 ? 1 : in->size == 2 ? 2 : 4;
        if (i + imm_len > n)
            return false;
        int32_t imm = 0;
        memcpy(&imm, b + i, imm_len);
        if (imm_len == 1)
            imm = (int8_t)imm;
        else if (imm_len == 2)
            imm = (int16_t)imm;
        in->has_imm = true;
        in->imm = (uint64_t)(int64_t)imm;   /* imm32 sign-extends for REX.W */
        i += imm_len;
    }
    if (i > n)
        return false;
    in->len = (unsigned int)i;
    return true;
}

static uint64_t *gpr(struct guest_regs *r, unsigned int n)
{
    uint64_t *regs[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp,
                           &r->rbp, &r->rsi, &r->rdi, &r->r8, &r->r9,
                           &r->r10, &r->r11, &r->r12, &r->r13, &r->r14,
                           &r->r15 };
    return regs[n & 15];
}

unsigned int hvm_mmio(struct vcpu *v, uint64_t gpa, bool write)
{
    uint8_t bytes[15];
    struct hvm_cpu_state s;
    struct insn in;

    hvm->get_cpu_state(v, &s);
    size_t n = hvm_fetch_insn(v, v->regs.rip, bytes, sizeof(bytes));
    if (!decode(bytes, n, &s, &in) || in.load == write)
        return 0;
    uint64_t mask = in.mem_size == 8 ? ~0ULL : (1ULL << (in.mem_size * 8)) - 1;
    if (in.load) {
        uint64_t value = ~0ULL;
        hwdom_mmio_read(v, gpa, in.mem_size, &value);
        value &= mask;
        uint64_t *r = gpr(&v->regs, in.reg);
        if (in.high_byte)
            *gpr(&v->regs, in.reg - 4) = (*gpr(&v->regs, in.reg - 4) & ~0xff00ULL) |
                                         value << 8;
        else if (in.size >= 4)
            *r = value;     /* 32-bit results zero-extend */
        else
            *r = (*r & ~((1ULL << (in.size * 8)) - 1)) | value;
    } else {
        uint64_t value = in.has_imm ? in.imm :
                         in.high_byte ? *gpr(&v->regs, in.reg - 4) >> 8 :
                                        *gpr(&v->regs, in.reg);
        hwdom_mmio_write(v, gpa, in.size, value & mask);
    }
    return in.len;
}
