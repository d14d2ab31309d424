/* Hypervisor time: nanoseconds since boot, and one-shot software timers
 * that run on a chosen CPU. */
#ifndef MICA_TIME_H
#define MICA_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define NSEC_PER_SEC  1000000000ULL
#define NSEC_PER_MSEC 1000000ULL

/* Monotonic system time in ns; the same clock guests see through pvclock. */
uint64_t time_now(void);

typedef void (*timer_fn)(void *data);

struct timer {
    uint64_t deadline;          /* system time in ns */
    timer_fn fn;
    void *data;
    struct timer *next;
    unsigned int cpu;
    bool active;
};

void timer_init(struct timer *t, timer_fn fn, void *data, unsigned int cpu);
/* (Re)arms t to fire at `deadline` on its CPU; the callback runs there with
 * interrupts off, from the scheduler loop. */
void timer_set(struct timer *t, uint64_t deadline);
void timer_stop(struct timer *t);
/* Runs this CPU's expired timers and reprograms the hardware timer. */
void timers_run(void);
/* Periodic housekeeping tick: counts CPU ticks and drives time slices. */
void timers_start_tick(void);

#endif
