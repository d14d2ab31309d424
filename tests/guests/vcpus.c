/*
 * vcpus: bringing secondary vCPUs up and down (start with four vCPUs:
 * dom0_max_vcpus=4 or domu_vcpus=4). Only vCPU 0 is up at first; an
 * uninitialised vCPU cannot go up; bad contexts, bad ids and a second
 * VCPUOP_initialise are refused. vCPUs 1-3 start in 64-bit mode on their
 * own stacks, count themselves in and pass a pvclock reading around in a
 * ring (it must never go back from one vCPU to the next); VCPUOP_down
 * stops one and VCPUOP_up resumes it; the runstate records show time
 * running, and a registered runstate area follows the switches.
 */
#include "guest.h"
#include "pvclock.h"
#include "shared.h"
#include "smp.h"

const char guest_name[] = "vcpus";

#define NR_VCPUS 4
#define WAIT_NS (10 * NS_PER_SEC)       /* generous: TCG, one host CPU */
#define RELAY_ROUNDS 50
#define BAD_POINTER ((void *)0xdead000000000000UL)

enum phase { PHASE_START, PHASE_RELAY, PHASE_HEARTBEAT, PHASE_STOP };

static struct shared_info *shared;
static volatile unsigned int started;
static volatile enum phase phase;
static volatile uint64_t heartbeat[NR_VCPUS];

/* The ring: the vCPU whose turn it is (relay_step % NR_VCPUS) reads its
 * clock, compares it with the last reading and passes the turn on. */
static volatile unsigned int relay_step;
static volatile uint64_t relay_last;
static volatile unsigned int relay_backwards;

static struct vcpu_runstate_info area0, area1;

static const char *const runstate_names[4] = { "running", "runnable", "blocked", "offline" };

static uint64_t now_on(unsigned int vcpu)
{
    return pvclock_read(&shared->vcpu_info[vcpu].time);
}

static uint64_t now(void)
{
    return now_on(0);
}

/* vCPU 0 sleeps: SCHEDOP_poll on no ports returns at the timeout. */
static void sleep_ns(uint64_t ns)
{
    uint64_t until = now() + ns;
    struct sched_poll p = { .timeout = until };

    while (now() < until)
        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static long is_up(unsigned int vcpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_is_up, vcpu, NULL);
}

/* Yields until *value >= want or WAIT_NS pass; true if it got there. */
static bool wait_for(volatile const unsigned int *value, unsigned int want)
{
    uint64_t limit = now() + WAIT_NS;

    while (*value < want && now() < limit)
        smp_yield();
    return *value >= want;
}

static void relay(unsigned int vcpu)
{
    unsigned int step;

    while ((step = __atomic_load_n(&relay_step, __ATOMIC_ACQUIRE)) <
           RELAY_ROUNDS * NR_VCPUS) {
        if (step % NR_VCPUS != vcpu) {
            smp_yield();
            continue;
        }
        uint64_t t = now_on(vcpu);
        if (t < relay_last)
            relay_backwards++;
        relay_last = t;
        __atomic_store_n(&relay_step, step + 1, __ATOMIC_RELEASE);
    }
}

static void worker(unsigned int vcpu)
{
    unsigned int local;

    /* Print before counting in: vCPU 0 prints again only once all have. */
    smp_printf("INFO vcpu %u up, stack at %p\n", vcpu, (void *)&local);
    __atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
    while (phase < PHASE_RELAY)
        smp_yield();
    relay(vcpu);
    while (phase < PHASE_STOP) {
        heartbeat[vcpu]++;
        smp_yield();
    }
}

static void check_before_start(void)
{
    test_check_eq("vcpu", "is_up_0", is_up(0), 1);
    for (unsigned int i = 1; i < NR_VCPUS; i++)
        CHECK(is_up(i) == 0, "vcpu", "others_down", "vCPU %u: is_up %ld", i, is_up(i));
    test_check_eq("vcpu", "is_up_past_last", is_up(NR_VCPUS), -XEN_ENOENT);
    test_check_eq("vcpu", "is_up_huge_id", is_up(~0u), -XEN_ENOENT);
    test_check_eq("vcpu", "down_past_last",
                  HYPERVISOR_vcpu_op(VCPUOP_down, NR_VCPUS, NULL), -XEN_ENOENT);
    test_check_eq("vcpu", "up_uninitialised", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL),
                  -XEN_EINVAL);
    test_check_eq("vcpu", "still_down", is_up(1), 0);
}

/* Contexts that no CPU can run are refused, and leave the vCPU as it was
 * (VMRUN would refuse the last four and crash the domain). */
static void check_bad_contexts(void)
{
    enum reg { CR0, CR3, CR4, EFER };
    static const struct {
        const char *name;
        enum reg reg;
        uint64_t clear, set;
    } spoil[] = {
        { "64bit_without_paging", CR0, 1ULL << 31, 0 },
        { "64bit_without_pae", CR4, 1ULL << 5, 0 },
        { "64bit_without_lme", EFER, 1ULL << 8, 0 },
        { "efer_reserved_bit", EFER, 0, 1ULL << 20 },
        { "cr0_high_bit", CR0, 0, 1ULL << 32 },
        { "cr0_nw_without_cd", CR0, 1ULL << 30, 1ULL << 29 },
        { "cr4_reserved_bit", CR4, 0, 1ULL << 31 },
        { "cr3_beyond_phys_bits", CR3, 0, 1ULL << 62 },
    };
    struct vcpu_hvm_context good, c;

    smp_context(&good, 1, worker);
    for (unsigned int i = 0; i < sizeof(spoil) / sizeof(spoil[0]); i++) {
        c = good;
        struct vcpu_hvm_x86_64 *r = &c.cpu_regs.x86_64;
        uint64_t *field = spoil[i].reg == CR0 ? &r->cr0 : spoil[i].reg == CR3 ? &r->cr3 :
                          spoil[i].reg == CR4 ? &r->cr4 : &r->efer;
        *field = (*field & ~spoil[i].clear) | spoil[i].set;
        test_check_eq("initialise", spoil[i].name,
                      HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &c), -XEN_EINVAL);
    }
    c = good;
    c.mode = 2;
    test_check_eq("initialise", "bad_mode", HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &c),
                  -XEN_EINVAL);
    c = good;
    c.mode = VCPU_HVM_MODE_32B;
    memset(&c.cpu_regs, 0, sizeof(c.cpu_regs));
    test_check_eq("initialise", "32bit_without_pe",
                  HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &c), -XEN_EINVAL);
    test_check_eq("initialise", "bad_pointer",
                  HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, BAD_POINTER), -XEN_EFAULT);
    test_check_eq("initialise", "bad_id",
                  HYPERVISOR_vcpu_op(VCPUOP_initialise, NR_VCPUS, &good), -XEN_ENOENT);
    test_check_eq("initialise", "running_vcpu0",
                  HYPERVISOR_vcpu_op(VCPUOP_initialise, 0, &good), -XEN_EEXIST);
    test_check_eq("initialise", "refused_left_uninitialised",
                  HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL);
}

static void check_start(void)
{
    long rc[NR_VCPUS];

    /* No output here until they have all printed theirs. */
    for (unsigned int i = 1; i < NR_VCPUS; i++)
        rc[i] = smp_start(i, worker);
    bool all = wait_for(&started, NR_VCPUS - 1);
    for (unsigned int i = 1; i < NR_VCPUS; i++)
        CHECK(rc[i] == 0, "vcpu", "start", "vCPU %u: %ld", i, rc[i]);
    CHECK(all, "vcpu", "all_report", "%u of %u started", started, NR_VCPUS - 1);
    for (unsigned int i = 1; i < NR_VCPUS; i++)
        CHECK(is_up(i) == 1, "vcpu", "is_up_after_start", "vCPU %u: is_up %ld", i, is_up(i));

    struct vcpu_hvm_context c;
    smp_context(&c, 1, worker);
    test_check_eq("initialise", "running_vcpu1",
                  HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &c), -XEN_EEXIST);
    test_check_eq("vcpu", "up_when_up", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);

    /* Single-shot timers belong to the calling vCPU only. */
    struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = now() + NS_PER_SEC };
    test_check_eq("timer", "singleshot_other_vcpu",
                  HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 1, &s), -XEN_EINVAL);
    test_check_eq("timer", "stop_singleshot_other_vcpu",
                  HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL), -XEN_EINVAL);
}

static void check_relay(void)
{
    phase = PHASE_RELAY;
    relay(0);
    CHECK(relay_step == RELAY_ROUNDS * NR_VCPUS && relay_backwards == 0, "pvclock",
          "monotonic_across_vcpus", "%u of %u hand-overs went back", relay_backwards,
          relay_step);
}

static void check_down_up(void)
{
    const unsigned int v = NR_VCPUS - 1;
    struct vcpu_runstate_info r;

    phase = PHASE_HEARTBEAT;
    uint64_t limit = now() + WAIT_NS;
    while (heartbeat[v] == 0 && now() < limit)
        smp_yield();

    test_check_eq("vcpu", "down", HYPERVISOR_vcpu_op(VCPUOP_down, v, NULL), 0);
    test_check_eq("vcpu", "is_up_after_down", is_up(v), 0);
    HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, v, &r);
    CHECK(r.state == RUNSTATE_offline, "runstate", "down_is_offline", "state %d", r.state);

    /* Give it time to leave its CPU, then it must not move at all. */
    sleep_ns(20 * NS_PER_MS);
    uint64_t h = heartbeat[v], other = heartbeat[1];
    sleep_ns(50 * NS_PER_MS);
    CHECK(heartbeat[v] == h, "vcpu", "down_stops_running", "heartbeat %lu -> %lu",
          (unsigned long)h, (unsigned long)heartbeat[v]);
    CHECK(heartbeat[1] > other, "vcpu", "others_keep_running", "vCPU 1 stuck at %lu",
          (unsigned long)other);

    test_check_eq("vcpu", "up_again", HYPERVISOR_vcpu_op(VCPUOP_up, v, NULL), 0);
    test_check_eq("vcpu", "is_up_again", is_up(v), 1);
    limit = now() + WAIT_NS;
    while (heartbeat[v] == h && now() < limit)
        smp_yield();
    CHECK(heartbeat[v] > h, "vcpu", "up_resumes", "heartbeat stuck at %lu", (unsigned long)h);
}

static long register_area(unsigned int vcpu, void *addr)
{
    struct vcpu_register_runstate_memory_area a = { .addr.v = (uint64_t)(uintptr_t)addr };

    return HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, vcpu, &a);
}

static void check_runstate_areas(void)
{
    volatile struct vcpu_runstate_info *a0 = &area0, *a1 = &area1;

    area0.state = -1;
    test_check_eq("runstate", "register_own", register_area(0, &area0), 0);
    CHECK(a0->state == RUNSTATE_running, "runstate", "own_area_filled", "state %d", a0->state);
    uint64_t entered = a0->state_entry_time;
    sleep_ns(10 * NS_PER_MS);
    /* Each switch back in rewrites it: running again, entered later. */
    CHECK(a0->state == RUNSTATE_running && a0->state_entry_time > entered &&
          a0->state_entry_time <= now() && a0->time[RUNSTATE_running] > 0, "runstate",
          "own_area_follows_switches", "state %d entered %lu -> %lu", a0->state,
          (unsigned long)entered, (unsigned long)a0->state_entry_time);

    test_check_eq("runstate", "register_other", register_area(1, &area1), 0);
    uint64_t ran = a1->time[RUNSTATE_running];
    sleep_ns(50 * NS_PER_MS);
    uint64_t limit = now() + WAIT_NS;
    while (a1->time[RUNSTATE_running] == ran && now() < limit)
        smp_yield();
    CHECK(a1->time[RUNSTATE_running] > ran, "runstate", "other_area_follows_switches",
          "vCPU 1 running time stuck at %lu ns", (unsigned long)ran);

    test_check_eq("runstate", "register_bad_address", register_area(0, BAD_POINTER),
                  -XEN_EFAULT);
    test_check_eq("runstate", "register_bad_pointer",
                  HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, BAD_POINTER),
                  -XEN_EFAULT);
    test_check_eq("runstate", "unregister", register_area(0, NULL), 0);
    test_check_eq("runstate", "unregister_other", register_area(1, NULL), 0);
    entered = a0->state_entry_time;
    sleep_ns(10 * NS_PER_MS);
    CHECK(a0->state_entry_time == entered, "runstate", "unregistered_left_alone",
          "entered %lu -> %lu", (unsigned long)entered, (unsigned long)a0->state_entry_time);
}

static void check_runstate_info(void)
{
    struct vcpu_runstate_info r;

    for (unsigned int i = 0; i < NR_VCPUS; i++) {
        long rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, i, &r);
        uint64_t t = now(), sum = 0;
        for (unsigned int s = 0; s < 4; s++)
            sum += r.time[s];
        guest_printf("INFO runstate vcpu %u: %s; ms running %lu runnable %lu blocked %lu "
                     "offline %lu\n", i, runstate_names[r.state & 3],
                     (unsigned long)(r.time[0] / NS_PER_MS), (unsigned long)(r.time[1] / NS_PER_MS),
                     (unsigned long)(r.time[2] / NS_PER_MS), (unsigned long)(r.time[3] / NS_PER_MS));
        CHECK(rc == 0 && r.time[RUNSTATE_running] > 0 && sum <= t &&
              r.state_entry_time <= t, "runstate", "info", "vCPU %u: rc %ld running %lu ns, "
              "total %lu ns at %lu", i, rc, (unsigned long)r.time[RUNSTATE_running],
              (unsigned long)sum, (unsigned long)t);
        CHECK(r.state != RUNSTATE_offline, "runstate", "up_not_offline", "vCPU %u", i);
    }
    test_check_eq("runstate", "self_is_running",
                  HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &r) == 0 ? r.state : -1,
                  RUNSTATE_running);
    test_check_eq("runstate", "info_bad_pointer",
                  HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, BAD_POINTER), -XEN_EFAULT);
    test_check_eq("runstate", "info_bad_id",
                  HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, NR_VCPUS, &r), -XEN_ENOENT);
}

static void check_stop(void)
{
    struct vcpu_runstate_info r;

    phase = PHASE_STOP;
    for (unsigned int i = 1; i < NR_VCPUS; i++) {
        uint64_t limit = now() + WAIT_NS;
        while (is_up(i) == 1 && now() < limit)
            smp_yield();
        CHECK(is_up(i) == 0, "vcpu", "down_by_itself", "vCPU %u: is_up %ld", i, is_up(i));
        HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, i, &r);
        CHECK(r.state == RUNSTATE_offline, "runstate", "offline_at_end", "vCPU %u: state %d",
              i, r.state);
    }
}

void guest_main(const struct hvm_start_info *si)
{
    (void)si;
    shared = shared_info_map();
    if (!CHECK(shared != NULL, "vcpu", "shared_info", "XENMEM_add_to_physmap failed"))
        return;
    check_before_start();
    check_bad_contexts();
    check_start();
    if (started != NR_VCPUS - 1)
        return;
    check_relay();
    check_down_up();
    check_runstate_areas();
    check_runstate_info();
    check_stop();
}
