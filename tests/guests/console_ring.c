/*
 * console_ring: the guest side of the console ring that dom0's console
 * daemon serves. It finds its page and event channel in its HVM params
 * (HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN), writes a line on the
 * output ring and notifies, then waits for a line of input on the input
 * ring (ended by CR or LF), writes it back as "console_ring: got '...'",
 * and reports it. Built and started from dom0 by console-selftest.
 * With "hostile" on its command line it first puts nonsense in the
 * indices it owns (out_prod more than a ring ahead, in_cons far from
 * in_prod), and then expects the daemon to carry on from where those
 * indices point.
 */
#include "guest.h"
#include "events.h"
#include "irq.h"
#include "pvclock.h"

const char guest_name[] = "console_ring";

#define IN_SIZE   1024u
#define OUT_SIZE  2048u
#define WAIT_NS   (120 * NS_PER_SEC)   /* dom0 types slowly under TCG */
#define STEP_NS   NS_PER_SEC
#define EXPECTED  "ping from the pty"

/* The protocol's page layout (Xen's public io/console.h). */
struct console_page {
    char in[IN_SIZE];
    char out[OUT_SIZE];
    volatile uint32_t in_cons, in_prod;
    volatile uint32_t out_cons, out_prod;
};

static struct console_page *page;
static evtchn_port_t port;

static long get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);
    *value = p.value;
    return rc;
}

/* Puts s on the output ring, waiting for room; false on a time-out. */
static bool ring_write(const char *s)
{
    uint64_t deadline = pvclock_now() + WAIT_NS;

    for (size_t i = 0; s[i];) {
        uint32_t prod = page->out_prod;
        if (prod - page->out_cons >= OUT_SIZE) {
            if (pvclock_now() > deadline)
                return false;
            evtchn_send(port);
            events_wait(port, events_seen(port) + 1, STEP_NS);
            continue;
        }
        page->out[prod & (OUT_SIZE - 1)] = s[i++];
        __atomic_store_n(&page->out_prod, prod + 1, __ATOMIC_RELEASE);
    }
    evtchn_send(port);
    return true;
}

/* Reads input into line until CR or LF; false on a time-out. */
static bool ring_read_line(char *line, size_t size)
{
    uint64_t deadline = pvclock_now() + WAIT_NS;
    size_t len = 0;

    for (;;) {
        uint32_t cons = page->in_cons;
        uint32_t prod = __atomic_load_n(&page->in_prod, __ATOMIC_ACQUIRE);
        if (prod - cons > IN_SIZE)
            return false;                 /* the daemon would never do this */
        while (cons != prod) {
            char c = page->in[cons++ & (IN_SIZE - 1)];
            if (c == '\r' || c == '\n') {
                __atomic_store_n(&page->in_cons, cons, __ATOMIC_RELEASE);
                evtchn_send(port);
                line[len] = '\0';
                return true;
            }
            if (len + 1 < size)
                line[len++] = c;
        }
        __atomic_store_n(&page->in_cons, cons, __ATOMIC_RELEASE);
        evtchn_send(port);
        if (pvclock_now() > deadline)
            return false;
        events_wait(port, events_seen(port) + 1, STEP_NS);
    }
}

void guest_main(const struct hvm_start_info *si)
{
    uint64_t pfn = 0, evtchn = 0;
    char line[128];

    if (!test_check_eq("console", "get_param_pfn", get_param(HVM_PARAM_CONSOLE_PFN, &pfn), 0) ||
        !test_check_eq("console", "get_param_evtchn",
                       get_param(HVM_PARAM_CONSOLE_EVTCHN, &evtchn), 0) ||
        !CHECK(pfn != 0 && evtchn != 0, "console", "params_set", "pfn %#lx evtchn %lu",
               (unsigned long)pfn, (unsigned long)evtchn))
        return;
    if (!test_check_eq("setup", "events_init", events_init(EVENTS_VCPU_VECTOR), 0))
        return;
    irq_enable();
    page = (struct console_page *)(uintptr_t)(pfn << 12);
    port = (evtchn_port_t)evtchn;
    guest_printf("INFO console page %#lx port %u\n", (unsigned long)pfn, port);

    if (cmdline_get(si, "hostile", NULL, 0)) {
        /* The daemon skips to our producer and drops its pending input. */
        page->out_prod += 5 * OUT_SIZE + 3;
        page->in_cons = page->in_prod + 3 * IN_SIZE + 7;
        unsigned int seen = events_seen(port);
        evtchn_send(port);
        CHECK(events_wait(port, seen + 1, WAIT_NS), "console", "hostile_noticed",
              "no notification back in %u s", (unsigned)(WAIT_NS / NS_PER_SEC));
        CHECK(page->out_cons == page->out_prod, "console", "hostile_resync",
              "out_cons %u, out_prod %u", page->out_cons, page->out_prod);
    }
    CHECK(ring_write("console_ring: hello from the guest's console ring\r\n"), "console",
          "write", "no room in the output ring for %u s", (unsigned)(WAIT_NS / NS_PER_SEC));
    bool got = ring_read_line(line, sizeof(line));
    if (!CHECK(got, "console", "read", "no line of input in %u s",
               (unsigned)(WAIT_NS / NS_PER_SEC)))
        return;
    guest_printf("INFO console input '%s'\n", line);
    CHECK(strcmp(line, EXPECTED) == 0, "console", "input", "got '%s', want '%s'", line,
          EXPECTED);
    CHECK(ring_write("console_ring: got '") && ring_write(line) && ring_write("'\r\n"),
          "console", "reply", "no room in the output ring");
}
