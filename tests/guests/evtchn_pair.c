/*
 * evtchn_pair: an interdomain event channel between two guests, one
 * started with "role=server peer=<client domid>", the other with
 * "role=client peer=<server domid>". The server allocates an unbound port
 * for the client; the client, which cannot be told the number, tries to
 * bind each low port of the server in turn, yielding between rounds. Then
 * they ping-pong notifications: the server sleeps in HLT with its upcall
 * on a per-vCPU vector, the client in SCHEDOP_block with the domain-wide
 * callback vector. At the end the client closes its end and the server
 * sees its port fall back to unbound.
 */
#include "guest.h"
#include "events.h"
#include "irq.h"
#include "pvclock.h"

const char guest_name[] = "evtchn_pair";

#define ROUNDS          200
#define CANDIDATE_PORTS 16      /* the server's first ports */
#define BIND_TRIES      20000   /* rounds of binding attempts, a yield each */
#define WAIT_NS         (10 * NS_PER_SEC)

/* Domain 0 is the control domain: it may look at others' ports. */
static bool privileged(void)
{
    return xen_own_domid() == 0;
}

static void run_server(domid_t peer)
{
    evtchn_port_t sp;
    struct evtchn_status st;

    if (!test_check_eq("setup", "events_init", events_init(EVENTS_VCPU_VECTOR), 0))
        return;
    irq_enable();
    if (!test_check_eq("server", "alloc_unbound", evtchn_alloc_unbound(DOMID_SELF, peer, &sp),
                       0))
        return;
    /* Unbound for the peer, unless the peer was quick and bound it already. */
    long rc = evtchn_status(DOMID_SELF, sp, &st);
    CHECK(rc == 0 && (st.status == EVTCHNSTAT_unbound || st.status == EVTCHNSTAT_interdomain) &&
          st.u.unbound.dom == peer, "server", "status_for_peer", "rc %ld status %u dom %u",
          rc, st.status, st.u.unbound.dom);
    guest_printf("INFO server port %u waits for domain %u\n", sp, peer);

    /* The client's first notification says it is bound. */
    if (!CHECK(events_wait(sp, 1, 4 * WAIT_NS), "server", "client_bound",
               "no notification on port %u", sp))
        return;
    rc = evtchn_status(DOMID_SELF, sp, &st);
    CHECK(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == peer,
          "server", "status_interdomain", "rc %ld status %u dom %u", rc, st.status,
          st.u.interdomain.dom);
    evtchn_port_t cp = st.u.interdomain.port;
    rc = evtchn_status(peer, cp, &st);
    if (privileged())
        CHECK(rc == 0 && st.status == EVTCHNSTAT_interdomain &&
              st.u.interdomain.dom == xen_own_domid() && st.u.interdomain.port == sp, "server",
              "status_of_peer_port", "rc %ld status %u dom %u port %u", rc, st.status,
              st.u.interdomain.dom, st.u.interdomain.port);
    else
        test_check_eq("server", "status_of_peer_refused", rc, -XEN_EPERM);

    uint64_t start = pvclock_now();
    unsigned int k;
    for (k = 1; k <= ROUNDS; k++) {
        if (k > 1 && !events_wait(sp, k, WAIT_NS))
            break;
        if (evtchn_send(sp))
            break;
    }
    uint64_t took = pvclock_now() - start;
    CHECK(k > ROUNDS, "server", "ping_pong", "stopped in round %u of %u, seen %u", k, ROUNDS,
          events_seen(sp));
    guest_printf("INFO server: %u round trips, %lu us each\n", k - 1,
                 (unsigned long)(took / 1000 / (k > 1 ? k - 1 : 1)));

    /* The client closes its end after the last pong. */
    uint64_t deadline = pvclock_now() + WAIT_NS;
    do {
        rc = evtchn_status(DOMID_SELF, sp, &st);
        if (rc || st.status != EVTCHNSTAT_interdomain)
            break;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    } while (pvclock_now() < deadline);
    CHECK(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == peer, "server",
          "peer_closed_to_unbound", "rc %ld status %u dom %u", rc, st.status,
          st.u.unbound.dom);
    test_check_eq("server", "send_after_peer_closed", evtchn_send(sp), 0);
    test_check_eq("server", "close", evtchn_close(sp), 0);
}

/* Tries the server's low ports until one was left unbound for us (the
 * server may not even exist yet). */
static long bind_to_server(domid_t peer, evtchn_port_t *cp, evtchn_port_t *sp)
{
    long rc = -XEN_EINVAL;

    for (unsigned int i = 0; i < BIND_TRIES; i++) {
        for (*sp = 1; *sp < CANDIDATE_PORTS; (*sp)++) {
            rc = evtchn_bind_interdomain(peer, *sp, cp);
            if (rc != -XEN_EINVAL && rc != -XEN_ESRCH)
                return rc;      /* bound, or an error retrying cannot cure */
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return rc;
}

static void run_client(domid_t peer)
{
    evtchn_port_t cp, sp, unused;
    struct evtchn_status st;

    if (!test_check_eq("setup", "events_init", events_init(EVENTS_DOMAIN_VECTOR), 0))
        return;
    irq_enable();
    if (!privileged()) {
        test_check_eq("client", "status_of_peer_refused", evtchn_status(peer, 1, &st),
                      -XEN_EPERM);
        test_check_eq("client", "alloc_for_peer_refused",
                      evtchn_alloc_unbound(peer, peer, &unused), -XEN_EPERM);
    }
    if (!test_check_eq("client", "bind_interdomain", bind_to_server(peer, &cp, &sp), 0))
        return;
    guest_printf("INFO client port %u bound to server port %u\n", cp, sp);
    CHECK(events_wait_sched_block(cp, 1, WAIT_NS), "client", "bound_port_starts_pending",
          "seen %u", events_seen(cp));
    test_check_eq("client", "bind_again", evtchn_bind_interdomain(peer, sp, &unused),
                  -XEN_EINVAL);
    long rc = evtchn_status(DOMID_SELF, cp, &st);
    CHECK(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == peer &&
          st.u.interdomain.port == sp, "client", "status_interdomain",
          "rc %ld status %u dom %u port %u", rc, st.status, st.u.interdomain.dom,
          st.u.interdomain.port);

    /* Round 1 tells the server we are bound; each pong is awaited. */
    uint64_t start = pvclock_now();
    unsigned int k;
    for (k = 1; k <= ROUNDS; k++) {
        if (evtchn_send(cp) || !events_wait_sched_block(cp, k + 1, WAIT_NS))
            break;
    }
    uint64_t took = pvclock_now() - start;
    CHECK(k > ROUNDS, "client", "ping_pong", "stopped in round %u of %u, seen %u", k, ROUNDS,
          events_seen(cp));
    guest_printf("INFO client: %u round trips, %lu us each\n", k - 1,
                 (unsigned long)(took / 1000 / (k > 1 ? k - 1 : 1)));

    test_check_eq("client", "close", evtchn_close(cp), 0);
    rc = evtchn_status(DOMID_SELF, cp, &st);
    CHECK(rc == 0 && st.status == EVTCHNSTAT_closed, "client", "status_closed",
          "rc %ld status %u", rc, st.status);
    test_check_eq("client", "send_after_close", evtchn_send(cp), -XEN_EINVAL);
}

void guest_main(const struct hvm_start_info *si)
{
    char role[16] = "", peer_text[8] = "";
    domid_t peer = 0;

    cmdline_get(si, "role", role, sizeof(role));
    cmdline_get(si, "peer", peer_text, sizeof(peer_text));
    bool ok = parse_domid(peer_text, &peer);
    if (!CHECK(ok && peer != xen_own_domid(), "setup", "peer_param",
               "want peer=<the other domain's id>, got \"%s\"", peer_text))
        return;
    if (strcmp(role, "server") == 0)
        run_server(peer);
    else if (strcmp(role, "client") == 0)
        run_client(peer);
    else
        CHECK(false, "setup", "role_param", "want role=server|client, got \"%s\"", role);
}
