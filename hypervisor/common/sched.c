/*
 * Round-robin scheduling on per-CPU run queues. A vCPU stays on the CPU it
 * was placed on. arch_vcpu_run() returns at every physical interrupt, so
 * each housekeeping tick (or kick) gives the next vCPU in line its turn;
 * vCPUs of all domains share a CPU in equal slices. Every change of a
 * vCPU's state is also accounted in its runstate (time in running,
 * runnable, blocked, offline), which the guest may ask to see a copy of.
 */
#include <mica/arch.h>
#include <mica/console.h>
#include <mica/cpu.h>
#include <mica/guest_access.h>
#include <mica/sched.h>
#include <mica/vcpu_arch.h>

struct runq {
    spinlock_t lock;
    struct vcpu *head, *tail;
    struct vcpu *current;
};

static struct runq runqs[MAX_CPUS];

/* The runstate a vCPU is in: runnable only while it waits on a run queue;
 * a runnable vCPU of a paused domain is offline, as on Xen. */
static int runstate_of(const struct vcpu *v)
{
    switch (v->state) {
    case VCPU_RUNNING:
        return RUNSTATE_running;
    case VCPU_BLOCKED:
        return RUNSTATE_blocked;
    case VCPU_RUNNABLE:
        return v->queued ? RUNSTATE_runnable : RUNSTATE_offline;
    default:
        return RUNSTATE_offline;
    }
}

/* Caller holds the vCPU's run-queue lock and has just changed its state
 * or queueing: charge the time since the last change to the old state. */
static void runstate_update(struct vcpu *v)
{
    struct vcpu_runstate_info *r = &v->runstate;
    int state = runstate_of(v);
    uint64_t now = time_now();

    if (state == r->state)
        return;
    if (now > r->state_entry_time)
        r->time[r->state] += now - r->state_entry_time;
    r->state = state;
    r->state_entry_time = now;
}

/* Caller holds the vCPU's run-queue lock. */
static void runstate_snapshot(const struct vcpu *v, struct vcpu_runstate_info *out)
{
    uint64_t now = time_now();

    *out = v->runstate;
    if (now > out->state_entry_time)
        out->time[out->state] += now - out->state_entry_time;
}

/* Writes the guest's registered copy, in one go and only on the vCPU's own
 * CPU while it is out of guest mode: the vCPU itself never sees a torn
 * record. Other vCPUs reading it get no such promise; that needs vm_assist
 * runstate_update_flag, which is not offered. A copy that faults is
 * dropped, as on Xen. */
static void runstate_publish(struct vcpu *v, const struct vcpu_runstate_info *r)
{
    uint64_t gva = __atomic_load_n(&v->runstate_gva, __ATOMIC_ACQUIRE);

    if (gva)
        copy_to_guest(v, gva, r, sizeof(*r));
}

void sched_vcpu_init(struct vcpu *v)
{
    v->runstate = (struct vcpu_runstate_info){
        .state = RUNSTATE_offline,
        .state_entry_time = time_now(),
    };
}

void sched_runstate_get(struct vcpu *v, struct vcpu_runstate_info *out)
{
    struct runq *q = &runqs[v->cpu];
    bool irq = arch_irq_save();

    spin_lock(&q->lock);
    runstate_snapshot(v, out);
    spin_unlock(&q->lock);
    arch_irq_restore(irq);
}

struct vcpu *current_vcpu(void)
{
    return runqs[arch_cpu_id()].current;
}

unsigned int sched_pick_cpu(const struct vcpu *v)
{
    unsigned int n = cpu_online_count();
    unsigned int want = (v->domain->id + v->id) % (n ? n : 1);
    struct cpu_status s;

    for (unsigned int i = 0; cpu_get_status(i, &s); i++)
        if (s.online && want-- == 0)
            return i;
    return 0;
}

/* Caller holds q->lock. */
static void enqueue(struct runq *q, struct vcpu *v)
{
    if (v->queued)
        return;
    v->runq_next = NULL;
    if (q->tail)
        q->tail->runq_next = v;
    else
        q->head = v;
    q->tail = v;
    v->queued = true;
}

static void dequeue(struct runq *q, struct vcpu *v)
{
    struct vcpu *prev = NULL;

    if (!v->queued)
        return;
    for (struct vcpu *c = q->head; c; prev = c, c = c->runq_next) {
        if (c != v)
            continue;
        if (prev)
            prev->runq_next = c->runq_next;
        else
            q->head = c->runq_next;
        if (q->tail == c)
            q->tail = prev;
        break;
    }
    v->queued = false;
}

static struct vcpu *pop(struct runq *q)
{
    struct vcpu *v = q->head;

    if (v) {
        q->head = v->runq_next;
        if (!q->head)
            q->tail = NULL;
        v->queued = false;
    }
    return v;
}

/* Moves v to `to` if it is in one of the `from` states; queues it when its
 * domain runs; kicks its CPU so that the change is seen. */
static void transition(struct vcpu *v, enum vcpu_state from_a,
                       enum vcpu_state from_b, enum vcpu_state to)
{
    struct runq *q = &runqs[v->cpu];
    bool irq = arch_irq_save();

    spin_lock(&q->lock);
    if (v->state == from_a || v->state == from_b) {
        v->state = to;
        if (to == VCPU_RUNNABLE && v->domain->state == DOMAIN_RUNNING)
            enqueue(q, v);
        runstate_update(v);
    }
    spin_unlock(&q->lock);
    if (v->cpu != arch_cpu_id())
        arch_kick_cpu(v->cpu);
    arch_irq_restore(irq);
}

void vcpu_up(struct vcpu *v)
{
    transition(v, VCPU_DOWN, VCPU_DOWN, VCPU_RUNNABLE);
}

void vcpu_wake(struct vcpu *v)
{
    transition(v, VCPU_BLOCKED, VCPU_BLOCKED, VCPU_RUNNABLE);
}

void vcpu_block(struct vcpu *v)
{
    transition(v, VCPU_RUNNING, VCPU_RUNNING, VCPU_BLOCKED);
}

void vcpu_yield(struct vcpu *v)
{
    v->yield = true;
}

void vcpu_down(struct vcpu *v)
{
    struct runq *q = &runqs[v->cpu];
    bool irq = arch_irq_save();

    spin_lock(&q->lock);
    v->state = VCPU_DOWN;
    dequeue(q, v);
    runstate_update(v);
    spin_unlock(&q->lock);
    if (v->cpu != arch_cpu_id())
        arch_kick_cpu(v->cpu);
    arch_irq_restore(irq);
}

void vcpu_stop(struct vcpu *v)
{
    struct runq *q = &runqs[v->cpu];

    vcpu_down(v);
    if (v->cpu == arch_cpu_id())
        return;
    /* Wait until that CPU has left the vCPU behind. */
    while (__atomic_load_n(&q->current, __ATOMIC_ACQUIRE) == v)
        __builtin_ia32_pause();
}

void sched_domain_resume(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        struct runq *q = &runqs[v->cpu];
        bool irq = arch_irq_save();

        spin_lock(&q->lock);
        if (v->state == VCPU_RUNNABLE) {
            enqueue(q, v);
            runstate_update(v);
        }
        spin_unlock(&q->lock);
        if (v->cpu != arch_cpu_id())
            arch_kick_cpu(v->cpu);
        arch_irq_restore(irq);
    }
}

void sched_domain_pause(struct domain *d)
{
    unsigned int self = arch_cpu_id();

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        struct runq *q = &runqs[v->cpu];
        bool irq = arch_irq_save();

        spin_lock(&q->lock);
        dequeue(q, v);
        runstate_update(v);
        spin_unlock(&q->lock);
        if (v->cpu != self)
            arch_kick_cpu(v->cpu);
        arch_irq_restore(irq);
        /* A running one leaves at the kick and is not queued again. */
        while (v->cpu != self && __atomic_load_n(&q->current, __ATOMIC_ACQUIRE) == v)
            __builtin_ia32_pause();
    }
}

void vcpu_poll_timeout(void *vcpu)
{
    vcpu_wake(vcpu);
}

static struct vcpu *pick_next(struct runq *q)
{
    struct vcpu_runstate_info r;

    spin_lock(&q->lock);
    struct vcpu *v = pop(q);
    if (v) {
        v->state = VCPU_RUNNING;
        q->current = v;
        runstate_update(v);
        runstate_snapshot(v, &r);
    }
    spin_unlock(&q->lock);
    if (!v)
        return NULL;
    if (v->polling) {
        /* Whatever woke it, the poll is over. */
        v->polling = false;
        timer_stop(&v->poll_timer);
    }
    runstate_publish(v, &r);
    return v;
}

static void put_prev(struct runq *q, struct vcpu *v)
{
    struct vcpu_runstate_info r;

    spin_lock(&q->lock);
    if (v->state == VCPU_RUNNING) {
        v->state = VCPU_RUNNABLE;
        if (v->domain->state == DOMAIN_RUNNING)
            enqueue(q, v);
        runstate_update(v);
    }
    v->yield = false;
    runstate_snapshot(v, &r);
    spin_unlock(&q->lock);
    /* Still ours until current is cleared: vcpu_stop() waits for that
     * before the domain may be torn down under the copy. */
    runstate_publish(v, &r);
    __atomic_store_n(&q->current, NULL, __ATOMIC_RELEASE);
}

_Noreturn void cpu_main_loop(void)
{
    unsigned int cpu = arch_cpu_id();
    struct runq *q = &runqs[cpu];

    arch_irq_save();
    timers_start_tick();
    for (;;) {
        timers_run();
        if (cpu == 0)
            console_poll();
        struct vcpu *v = pick_next(q);
        if (!v) {
            arch_wait_for_interrupt();
            continue;
        }
        arch_vcpu_run(v);
        put_prev(q, v);
    }
}

void sched_flush_domain_tlbs(struct domain *d)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        /* A vCPU outside guest mode checks the p2m generation (and
         * flushes) before it enters again; only one inside needs a kick,
         * and we wait until it has left. */
        if (!__atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE))
            continue;
        uint64_t seen = __atomic_load_n(&v->exits, __ATOMIC_ACQUIRE);
        arch_kick_cpu(v->cpu);
        while (__atomic_load_n(&v->in_guest, __ATOMIC_ACQUIRE) &&
               __atomic_load_n(&v->exits, __ATOMIC_ACQUIRE) == seen)
            __builtin_ia32_pause();
    }
}
