/* Bitmap frame allocator: first fit from a moving hint, with alignment and
 * an upper limit for callers that need low memory; or last fit from the
 * top, which keeps low memory whole for the domain that must have it. */
#include <mica/frame.h>

static bool bit_test(const uint64_t *bm, uint64_t i)
{
    return (bm[i / 64] >> (i % 64)) & 1;
}

static void bit_set(uint64_t *bm, uint64_t i)
{
    bm[i / 64] |= 1ULL << (i % 64);
}

static void bit_clear(uint64_t *bm, uint64_t i)
{
    bm[i / 64] &= ~(1ULL << (i % 64));
}

void frame_allocator_init(struct frame_allocator *fa, uint64_t *bitmap,
                          uint64_t nframes)
{
    fa->bitmap = bitmap;
    fa->nframes = nframes;
    fa->free_frames = 0;
    fa->hint = 0;
    fa->lock = (spinlock_t)SPINLOCK_INIT;
    for (uint64_t i = 0; i < (nframes + 63) / 64; i++)
        bitmap[i] = ~0ULL;
}

static uint64_t clip(const struct frame_allocator *fa, uint64_t pfn,
                     uint64_t count)
{
    if (pfn >= fa->nframes)
        return 0;
    return count > fa->nframes - pfn ? fa->nframes - pfn : count;
}

void frame_mark_free(struct frame_allocator *fa, uint64_t pfn, uint64_t count)
{
    count = clip(fa, pfn, count);
    for (uint64_t i = pfn; i < pfn + count; i++) {
        if (bit_test(fa->bitmap, i)) {
            bit_clear(fa->bitmap, i);
            fa->free_frames++;
        }
    }
}

void frame_mark_used(struct frame_allocator *fa, uint64_t pfn, uint64_t count)
{
    count = clip(fa, pfn, count);
    for (uint64_t i = pfn; i < pfn + count; i++) {
        if (!bit_test(fa->bitmap, i)) {
            bit_set(fa->bitmap, i);
            fa->free_frames--;
        }
    }
}

/* First fit in [from, to): returns true and the start frame on success. */
static bool search(const struct frame_allocator *fa, uint64_t from,
                   uint64_t to, uint64_t count, uint64_t align,
                   uint64_t *found)
{
    uint64_t start = (from + align - 1) & ~(align - 1);

    while (start < to && to - start >= count) {
        /* Skip whole words of used frames quickly. */
        if (start % 64 == 0 && fa->bitmap[start / 64] == ~0ULL) {
            start = (start + 64 + align - 1) & ~(align - 1);
            continue;
        }
        uint64_t run = 0;
        while (run < count && !bit_test(fa->bitmap, start + run))
            run++;
        if (run == count) {
            *found = start;
            return true;
        }
        start = (start + run + 1 + align - 1) & ~(align - 1);
    }
    return false;
}

bool frame_alloc(struct frame_allocator *fa, uint64_t count, uint64_t align,
                 uint64_t limit_pfn, uint64_t *pfn)
{
    if (count == 0 || align == 0 || (align & (align - 1)))
        return false;

    spin_lock(&fa->lock);
    uint64_t end = fa->nframes;
    if (limit_pfn && limit_pfn < end)
        end = limit_pfn;

    uint64_t found;
    uint64_t hint = fa->hint < end ? fa->hint : 0;
    bool ok = search(fa, hint, end, count, align, &found) ||
              (hint && search(fa, 0, end, count, align, &found));
    if (ok) {
        for (uint64_t i = found; i < found + count; i++)
            bit_set(fa->bitmap, i);
        fa->free_frames -= count;
        if (!limit_pfn)
            fa->hint = found + count;
        *pfn = found;
    }
    spin_unlock(&fa->lock);
    return ok;
}

/* Last fit below `end`: the highest aligned run of `count` free frames. */
static bool search_down(const struct frame_allocator *fa, uint64_t end,
                        uint64_t count, uint64_t align, uint64_t *found)
{
    if (end < count)
        return false;
    uint64_t start = (end - count) & ~(align - 1);

    for (;;) {
        uint64_t top = start + count;   /* the candidate is [start, top) */
        while (top > start && !bit_test(fa->bitmap, top - 1))
            top--;
        if (top == start) {
            *found = start;
            return true;
        }
        /* Frame top - 1 is used: the next candidate ends at or below it. */
        if (top - 1 < count)
            return false;
        start = (top - 1 - count) & ~(align - 1);
    }
}

bool frame_alloc_top(struct frame_allocator *fa, uint64_t count, uint64_t align,
                     uint64_t *pfn)
{
    if (count == 0 || align == 0 || (align & (align - 1)))
        return false;

    spin_lock(&fa->lock);
    uint64_t found;
    bool ok = search_down(fa, fa->nframes, count, align, &found);
    if (ok) {
        for (uint64_t i = found; i < found + count; i++)
            bit_set(fa->bitmap, i);
        fa->free_frames -= count;
        *pfn = found;
    }
    spin_unlock(&fa->lock);
    return ok;
}

bool frame_claim(struct frame_allocator *fa, uint64_t pfn, uint64_t count)
{
    if (count == 0 || pfn >= fa->nframes || count > fa->nframes - pfn)
        return false;

    spin_lock(&fa->lock);
    bool ok = true;
    for (uint64_t i = pfn; i < pfn + count && ok; i++)
        ok = !bit_test(fa->bitmap, i);
    if (ok) {
        for (uint64_t i = pfn; i < pfn + count; i++)
            bit_set(fa->bitmap, i);
        fa->free_frames -= count;
    }
    spin_unlock(&fa->lock);
    return ok;
}

bool frame_free(struct frame_allocator *fa, uint64_t pfn, uint64_t count)
{
    if (pfn >= fa->nframes || count > fa->nframes - pfn)
        return false;

    spin_lock(&fa->lock);
    bool ok = true;
    for (uint64_t i = pfn; i < pfn + count; i++) {
        if (!bit_test(fa->bitmap, i)) {
            ok = false;
            break;
        }
    }
    if (ok) {
        for (uint64_t i = pfn; i < pfn + count; i++)
            bit_clear(fa->bitmap, i);
        fa->free_frames += count;
    }
    spin_unlock(&fa->lock);
    return ok;
}

bool frame_is_free(const struct frame_allocator *fa, uint64_t pfn)
{
    return pfn < fa->nframes && !bit_test(fa->bitmap, pfn);
}
