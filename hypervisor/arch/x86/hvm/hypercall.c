/* Hypercall entry from VMMCALL/VMCALL: Xen's register convention for
 * 64-bit (RDI, RSI, RDX, R10, R8) and 32-bit (EBX, ECX, EDX, ESI, EDI)
 * callers, result in RAX. Calls from guest user mode are refused. */
#include <mica/hypercall.h>
#include <x86/hvm.h>

void hvm_hypercall(struct vcpu *v)
{
    struct hvm_cpu_state s;
    struct guest_regs *r = &v->regs;
    uint64_t args[5];
    long ret;

    hvm->get_cpu_state(v, &s);
    if (s.cpl != 0) {
        ret = -XEN_EPERM;
    } else if (s.cs_64bit) {
        args[0] = r->rdi; args[1] = r->rsi; args[2] = r->rdx;
        args[3] = r->r10; args[4] = r->r8;
        ret = hypercall_dispatch(v, r->rax, args);
    } else {
        args[0] = (uint32_t)r->rbx; args[1] = (uint32_t)r->rcx;
        args[2] = (uint32_t)r->rdx; args[3] = (uint32_t)r->rsi;
        args[4] = (uint32_t)r->rdi;
        ret = hypercall_dispatch(v, (uint32_t)r->rax, args);
    }
    r->rax = s.cs_64bit ? (uint64_t)ret : (uint32_t)ret;
}
