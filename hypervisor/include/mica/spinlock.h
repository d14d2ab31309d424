/* A ticket-free test-and-set spinlock; enough for the few shared paths. */
#ifndef MICA_SPINLOCK_H
#define MICA_SPINLOCK_H

#include <stdbool.h>

typedef struct {
    volatile bool locked;
} spinlock_t;

#define SPINLOCK_INIT { false }

static inline void spin_lock(spinlock_t *l)
{
    while (__atomic_test_and_set((void *)&l->locked, __ATOMIC_ACQUIRE))
        while (l->locked)
            __builtin_ia32_pause();
}

static inline bool spin_trylock(spinlock_t *l)
{
    return !__atomic_test_and_set((void *)&l->locked, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_clear((void *)&l->locked, __ATOMIC_RELEASE);
}

#endif
