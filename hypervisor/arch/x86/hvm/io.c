/* Guest port I/O that exits: dom0's emulated ports first; port 0xe9 is a
 * debug console; anything else reads as all ones (no device there) and
 * writes go nowhere. */
#include <mica/console_io.h>
#include <public/xen/xen.h>
#include <x86/hvm.h>
#include <x86/hwdom.h>

void hvm_io(struct vcpu *v, uint16_t port, unsigned int size, bool in,
            uint32_t *value)
{
    if (hwdom_io(v, port, size, in, value))
        return;
    if (port == XEN_HVM_DEBUGCONS_IOPORT && !in) {
        char c = (char)*value;
        domain_console_write(v->domain, &c, 1);
        return;
    }
    if (in)
        *value = size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}
