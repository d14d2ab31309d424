/* The frame allocator: marking, alignment, limits, exhaustion, frees. */
#include "unit.h"
#include <mica/frame.h>

#define NFRAMES 1000

static uint64_t bitmap[FRAME_BITMAP_BYTES(NFRAMES) / 8];
static struct frame_allocator fa;

static void fresh(uint64_t free_from, uint64_t free_count)
{
    frame_allocator_init(&fa, bitmap, NFRAMES);
    frame_mark_free(&fa, free_from, free_count);
}

static void starts_all_used(void **state)
{
    (void)state;
    uint64_t pfn;
    frame_allocator_init(&fa, bitmap, NFRAMES);
    assert_int_equal(fa.free_frames, 0);
    assert_false(frame_alloc(&fa, 1, 1, 0, &pfn));
}

static void marking_counts_transitions_once(void **state)
{
    (void)state;
    fresh(10, 20);
    frame_mark_free(&fa, 25, 10);             /* overlaps: only 5 new */
    assert_int_equal(fa.free_frames, 25);
    frame_mark_used(&fa, 0, 12);
    assert_int_equal(fa.free_frames, 23);
    frame_mark_free(&fa, 990, 100);           /* clipped at the end */
    assert_int_equal(fa.free_frames, 33);
    frame_mark_free(&fa, 5000, 10);           /* wholly outside */
    assert_int_equal(fa.free_frames, 33);
}

static void allocates_contiguous_and_aligned(void **state)
{
    (void)state;
    uint64_t pfn;
    fresh(3, 600);
    assert_true(frame_alloc(&fa, 10, 1, 0, &pfn));
    assert_int_equal(pfn, 3);
    assert_true(frame_alloc(&fa, 4, 512, 0, &pfn));
    assert_int_equal(pfn, 512);
    assert_true(frame_alloc(&fa, 64, 64, 0, &pfn));
    assert_int_equal(pfn % 64, 0);
    assert_int_equal(fa.free_frames, 600 - 78);
    for (uint64_t i = pfn; i < pfn + 64; i++)
        assert_false(frame_is_free(&fa, i));
}

static void skips_holes_too_small(void **state)
{
    (void)state;
    uint64_t pfn;
    fresh(0, 0);
    frame_mark_free(&fa, 100, 3);
    frame_mark_free(&fa, 200, 8);
    assert_true(frame_alloc(&fa, 5, 1, 0, &pfn));
    assert_int_equal(pfn, 200);
    assert_false(frame_alloc(&fa, 4, 1, 0, &pfn));
    assert_true(frame_alloc(&fa, 3, 1, 0, &pfn));
    assert_int_equal(pfn, 205);
    assert_true(frame_alloc(&fa, 3, 1, 0, &pfn));
    assert_int_equal(pfn, 100);
    assert_false(frame_alloc(&fa, 1, 1, 0, &pfn));
}

static void honours_limit(void **state)
{
    (void)state;
    uint64_t pfn;
    fresh(0, 0);
    frame_mark_free(&fa, 50, 10);
    frame_mark_free(&fa, 500, 10);
    assert_false(frame_alloc(&fa, 1, 1, 50, &pfn));
    assert_false(frame_alloc(&fa, 11, 1, 0, &pfn));
    assert_true(frame_alloc(&fa, 10, 1, 60, &pfn));
    assert_int_equal(pfn, 50);
    assert_false(frame_alloc(&fa, 1, 1, 60, &pfn));
    assert_true(frame_alloc(&fa, 1, 1, 0, &pfn));
    assert_int_equal(pfn, 500);
}

static void exhausts_then_recovers_after_free(void **state)
{
    (void)state;
    uint64_t pfn, first = 0;
    fresh(0, NFRAMES);
    for (int i = 0; i < NFRAMES; i++) {
        assert_true(frame_alloc(&fa, 1, 1, 0, &pfn));
        if (i == 0)
            first = pfn;
    }
    assert_false(frame_alloc(&fa, 1, 1, 0, &pfn));
    assert_true(frame_free(&fa, first, 1));
    assert_true(frame_alloc(&fa, 1, 1, 0, &pfn));
    assert_int_equal(pfn, first);
}

static void rejects_bad_requests_and_double_free(void **state)
{
    (void)state;
    uint64_t pfn;
    fresh(0, 100);
    assert_false(frame_alloc(&fa, 0, 1, 0, &pfn));
    assert_false(frame_alloc(&fa, 1, 3, 0, &pfn));
    assert_false(frame_alloc(&fa, 1, 0, 0, &pfn));
    assert_true(frame_alloc(&fa, 4, 1, 0, &pfn));
    assert_true(frame_free(&fa, pfn, 4));
    assert_false(frame_free(&fa, pfn, 4));            /* double free */
    assert_false(frame_free(&fa, NFRAMES - 1, 2));    /* past the end */
    assert_false(frame_free(&fa, UINT64_MAX, 2));
    assert_int_equal(fa.free_frames, 100);
}

static void allocates_from_the_top(void **state)
{
    (void)state;
    uint64_t pfn;
    fresh(100, 800);                        /* frames 100..899 free */
    assert_true(frame_alloc_top(&fa, 10, 1, &pfn));
    assert_int_equal(pfn, 890);
    assert_true(frame_alloc_top(&fa, 4, 16, &pfn));
    assert_int_equal(pfn, 880);             /* highest 16-aligned run below 890 */
    assert_true(frame_alloc_top(&fa, 14, 1, &pfn));
    assert_int_equal(pfn, 866);
    frame_mark_used(&fa, 850, 1);
    assert_true(frame_alloc_top(&fa, 100, 1, &pfn));
    assert_int_equal(pfn, 750);             /* frame 850 is used: 750..849 */
    assert_false(frame_alloc_top(&fa, 700, 1, &pfn));
    assert_false(frame_alloc_top(&fa, 1, 3, &pfn));
    assert_false(frame_alloc_top(&fa, 0, 1, &pfn));
    assert_int_equal(fa.free_frames, 800 - 10 - 4 - 1 - 14 - 100);
}

static void top_fit_finds_the_last_hole(void **state)
{
    (void)state;
    uint64_t pfn;
    fresh(0, 5);                            /* only frames 0..4 free */
    assert_false(frame_alloc_top(&fa, 6, 1, &pfn));
    assert_true(frame_alloc_top(&fa, 5, 1, &pfn));
    assert_int_equal(pfn, 0);
    assert_false(frame_alloc_top(&fa, 1, 1, &pfn));
}

static void claims_only_free_frames(void **state)
{
    (void)state;
    fresh(10, 20);                          /* frames 10..29 free */
    assert_true(frame_claim(&fa, 12, 4));
    assert_int_equal(fa.free_frames, 16);
    assert_false(frame_claim(&fa, 14, 4));  /* 14 and 15 are taken */
    assert_false(frame_claim(&fa, 28, 4));  /* 30 and 31 are not RAM */
    assert_false(frame_claim(&fa, NFRAMES - 1, 2));
    assert_false(frame_claim(&fa, 20, 0));
    assert_int_equal(fa.free_frames, 16);
    assert_true(frame_claim(&fa, 16, 14));
    assert_int_equal(fa.free_frames, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(starts_all_used),
        cmocka_unit_test(marking_counts_transitions_once),
        cmocka_unit_test(allocates_contiguous_and_aligned),
        cmocka_unit_test(skips_holes_too_small),
        cmocka_unit_test(honours_limit),
        cmocka_unit_test(exhausts_then_recovers_after_free),
        cmocka_unit_test(rejects_bad_requests_and_double_free),
        cmocka_unit_test(allocates_from_the_top),
        cmocka_unit_test(top_fit_finds_the_last_hole),
        cmocka_unit_test(claims_only_free_frames),
    };
    return RUN(tests);
}
