/* Device interrupt vectors to the handlers bound to their GSIs. */
#include <mica/log.h>
#include <x86/irq.h>
#include <x86/lapic.h>

struct binding {
    irq_handler_t handler;
    void *data;
};

static struct binding bindings[IRQ_MAX_GSI];

bool irq_bind(uint32_t gsi, irq_handler_t handler, void *data)
{
    if (gsi >= IRQ_MAX_GSI)
        return false;
    bindings[gsi].data = data;
    __atomic_store_n(&bindings[gsi].handler, handler, __ATOMIC_RELEASE);
    return true;
}

bool irq_dispatch(uint8_t vector)
{
    if (vector < IRQ_VECTOR_BASE || vector >= IRQ_VECTOR_BASE + IRQ_MAX_GSI)
        return false;
    uint32_t gsi = vector - IRQ_VECTOR_BASE;
    irq_handler_t h = __atomic_load_n(&bindings[gsi].handler, __ATOMIC_ACQUIRE);
    if (h)
        h(gsi, bindings[gsi].data);
    else
        log_warn("irq: GSI %u fired with no handler\n", gsi);
    lapic_eoi();
    return true;
}
