/* 2-level event channels from the guest side: upcall scan, counts, waits
 * and the EVTCHNOP_* wrappers. */
#include <xen/hvm_op.h>
#include <xen/hvm_params.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "events.h"
#include "hypercall.h"
#include "irq.h"
#include "pvclock.h"
#include "shared.h"

#define WORD_BITS 64

static struct shared_info *shared;
static evtchn_port_t timer_port;
static volatile unsigned int seen[EVTCHN_2L_NR_CHANNELS];

static void bit_set(xen_ulong_t *words, unsigned int bit)
{
    __atomic_fetch_or(&words[bit / WORD_BITS], 1ULL << (bit % WORD_BITS),
                      __ATOMIC_SEQ_CST);
}

static void bit_clear(xen_ulong_t *words, unsigned int bit)
{
    __atomic_fetch_and(&words[bit / WORD_BITS], ~(1ULL << (bit % WORD_BITS)),
                       __ATOMIC_SEQ_CST);
}

static bool bit_test(const xen_ulong_t *words, unsigned int bit)
{
    return (__atomic_load_n(&words[bit / WORD_BITS], __ATOMIC_SEQ_CST) >>
            (bit % WORD_BITS)) & 1;
}

/* The upcall: clear the vCPU's flag first, then take the selector, so that
 * an event raised meanwhile sets both again and is not lost. */
static void upcall(void)
{
    struct vcpu_info *vi = &shared->vcpu_info[0];

    do {
        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        xen_ulong_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
                                              __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int word = (unsigned int)__builtin_ctzll(sel);
            sel &= sel - 1;
            xen_ulong_t bits = __atomic_load_n(&shared->evtchn_pending[word],
                                               __ATOMIC_SEQ_CST) &
                               ~__atomic_load_n(&shared->evtchn_mask[word],
                                                __ATOMIC_SEQ_CST);
            while (bits) {
                unsigned int port = word * WORD_BITS +
                                    (unsigned int)__builtin_ctzll(bits);
                bits &= bits - 1;
                bit_clear(shared->evtchn_pending, port);
                seen[port]++;
            }
        }
    } while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

static long register_callback(enum events_callback how)
{
    if (how == EVENTS_DOMAIN_VECTOR) {
        struct xen_hvm_param p = {
            .domid = DOMID_SELF,
            .index = HVM_PARAM_CALLBACK_IRQ,
            .value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) |
                     IRQ_UPCALL_VECTOR,
        };
        return HYPERVISOR_hvm_op(HVMOP_set_param, &p);
    }
    struct xen_hvm_evtchn_upcall_vector u = { .vcpu = 0,
                                              .vector = IRQ_UPCALL_VECTOR };
    return HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u);
}

long events_init(enum events_callback how)
{
    shared = shared_info_map();
    if (!shared)
        return -XEN_EFAULT;
    irq_install(IRQ_UPCALL_VECTOR, upcall);
    long rc = register_callback(how);
    if (rc == 0)
        rc = evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port);
    return rc;
}

struct shared_info *events_shared_info(void)
{
    return shared;
}

evtchn_port_t events_timer_port(void)
{
    return timer_port;
}

unsigned int events_seen(evtchn_port_t port)
{
    return port < EVTCHN_2L_NR_CHANNELS ? seen[port] : 0;
}

/* vCPU 0's clock, without the CPUID exit pvclock_now() takes to find the
 * vCPU. */
static uint64_t now(void)
{
    return pvclock_read(&shared->vcpu_info[0].time);
}

/* Sleeps until the count or the deadline, in HLT or in SCHEDOP_block. */
static bool wait_for(evtchn_port_t port, unsigned int count, uint64_t timeout_ns,
                     bool sched_block)
{
    bool was_on = irq_enabled();
    uint64_t deadline = now() + timeout_ns;
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline };

    irq_disable();
    HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
    while (events_seen(port) < count && now() < deadline) {
        if (sched_block) {
            HYPERVISOR_sched_op(SCHEDOP_block, NULL);
            irq_window();
        } else {
            irq_wait();
        }
    }
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
    bool reached = events_seen(port) >= count;
    if (was_on)
        irq_enable();
    return reached;
}

bool events_wait(evtchn_port_t port, unsigned int count, uint64_t timeout_ns)
{
    return wait_for(port, count, timeout_ns, false);
}

bool events_wait_sched_block(evtchn_port_t port, unsigned int count, uint64_t timeout_ns)
{
    return wait_for(port, count, timeout_ns, true);
}

bool evtchn_is_pending(evtchn_port_t port)
{
    return bit_test(shared->evtchn_pending, port);
}

bool evtchn_is_masked(evtchn_port_t port)
{
    return bit_test(shared->evtchn_mask, port);
}

void evtchn_mask(evtchn_port_t port)
{
    bit_set(shared->evtchn_mask, port);
}

void evtchn_clear_pending(evtchn_port_t port)
{
    bit_clear(shared->evtchn_pending, port);
}

long evtchn_alloc_unbound(domid_t dom, domid_t remote_dom, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote_dom };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    *port = op.port;
    return rc;
}

long evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port,
                             evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote_dom,
                                          .remote_port = remote_port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    *port = op.local_port;
    return rc;
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    *port = op.port;
    return rc;
}

long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

    *port = op.port;
    return rc;
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

long evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

long evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    *st = (struct evtchn_status){ .dom = dom, .port = port };
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };

    return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
}

long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}
