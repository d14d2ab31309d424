/* A bitmap allocator of 4 KiB physical frames. Pure: it never touches the
 * memory it manages, so it is unit-tested on the host. */
#ifndef MICA_FRAME_H
#define MICA_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <mica/spinlock.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096ULL
#define FRAME_BITMAP_BYTES(nframes) ((((nframes) + 63) / 64) * 8)

struct frame_allocator {
    uint64_t *bitmap;       /* bit set = frame in use or not RAM */
    uint64_t nframes;       /* frames covered, from frame 0 */
    uint64_t free_frames;
    uint64_t hint;          /* where the next search starts */
    spinlock_t lock;
};

/* Starts with every frame marked in use. */
void frame_allocator_init(struct frame_allocator *fa, uint64_t *bitmap,
                          uint64_t nframes);
/* Mark frames free or used; ranges beyond the bitmap are clipped. */
void frame_mark_free(struct frame_allocator *fa, uint64_t pfn, uint64_t count);
void frame_mark_used(struct frame_allocator *fa, uint64_t pfn, uint64_t count);

/*
 * Finds `count` contiguous free frames whose first frame is a multiple of
 * `align` (a power of two, in frames) and whose last frame is below
 * `limit_pfn` (0 for no limit); marks them used and stores the first in
 * *pfn. Returns false when nothing fits.
 */
bool frame_alloc(struct frame_allocator *fa, uint64_t count, uint64_t align,
                 uint64_t limit_pfn, uint64_t *pfn);
/* The same from the top of memory down: the highest run that fits. */
bool frame_alloc_top(struct frame_allocator *fa, uint64_t count, uint64_t align,
                     uint64_t *pfn);
/* Takes the given frames if every one of them is free (else changes
 * nothing and returns false). */
bool frame_claim(struct frame_allocator *fa, uint64_t pfn, uint64_t count);
/* Returns false (and changes nothing) if any frame was already free. */
bool frame_free(struct frame_allocator *fa, uint64_t pfn, uint64_t count);
bool frame_is_free(const struct frame_allocator *fa, uint64_t pfn);

#endif
