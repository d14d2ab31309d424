/*
 * One-shot software timers, kept per CPU in deadline order. The arch's
 * one-shot hardware timer is always programmed for the earliest deadline;
 * its interrupt only marks work, and timers_run() runs the callbacks from
 * the scheduler loop, never from interrupt context.
 */
#include <mica/arch.h>
#include <mica/cpu.h>
#include <mica/spinlock.h>
#include <mica/time.h>

#define TICK_NS (NSEC_PER_SEC / ARCH_TICK_HZ)

struct timer_queue {
    spinlock_t lock;
    struct timer *head;
    struct timer tick;
};

static struct timer_queue queues[MAX_CPUS];

static void reprogram(struct timer_queue *q)
{
    arch_timer_program(q->head ? q->head->deadline : 0);
}

void timer_init(struct timer *t, timer_fn fn, void *data, unsigned int cpu)
{
    *t = (struct timer){ .fn = fn, .data = data, .cpu = cpu };
}

static void unlink(struct timer_queue *q, struct timer *t)
{
    for (struct timer **pp = &q->head; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->active = false;
}

void timer_set(struct timer *t, uint64_t deadline)
{
    struct timer_queue *q = &queues[t->cpu];
    bool irq = arch_irq_save();

    spin_lock(&q->lock);
    if (t->active)
        unlink(q, t);
    t->deadline = deadline;
    struct timer **pp = &q->head;
    while (*pp && (*pp)->deadline <= deadline)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->active = true;
    bool earliest = q->head == t;
    spin_unlock(&q->lock);
    if (earliest) {
        if (t->cpu == arch_cpu_id())
            reprogram(q);
        else
            arch_kick_cpu(t->cpu);
    }
    arch_irq_restore(irq);
}

void timer_stop(struct timer *t)
{
    struct timer_queue *q = &queues[t->cpu];
    bool irq = arch_irq_save();

    spin_lock(&q->lock);
    if (t->active)
        unlink(q, t);
    spin_unlock(&q->lock);
    arch_irq_restore(irq);
}

void timers_run(void)
{
    struct timer_queue *q = &queues[arch_cpu_id()];
    bool irq = arch_irq_save();

    spin_lock(&q->lock);
    uint64_t now = time_now();
    while (q->head && q->head->deadline <= now) {
        struct timer *t = q->head;
        q->head = t->next;
        t->active = false;
        spin_unlock(&q->lock);
        t->fn(t->data);
        spin_lock(&q->lock);
        now = time_now();
    }
    reprogram(q);
    spin_unlock(&q->lock);
    arch_irq_restore(irq);
}

static void tick(void *data)
{
    struct timer *t = data;

    arch_count_tick();
    timer_set(t, t->deadline + TICK_NS);
}

void timers_start_tick(void)
{
    struct timer_queue *q = &queues[arch_cpu_id()];

    timer_init(&q->tick, tick, &q->tick, arch_cpu_id());
    timer_set(&q->tick, time_now() + TICK_NS);
}
