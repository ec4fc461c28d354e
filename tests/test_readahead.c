/*
 * Unit tests for the readahead window logic (src/kernel/mm/readahead.c),
 * driven with a model page cache: the initial window from the request
 * size, its growth along a sequential stream up to the maximum, the
 * marker hit without state (interleaved readers), the sequential miss
 * after a read that ended at the page, the history a stream leaves in the
 * cache, and a small random read that leaves the state alone.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel/mm/mm.h"
#include "kernel/mm/pagemap.h"

#define MAXP 32 /* read_ahead_kb 128 */

static bool cached[4096];

static bool present(void *ctx, unsigned long index)
{
	(void)ctx;
	return index < sizeof(cached) && cached[index];
}

static const struct ra_cache cache = { present, NULL };

static struct file_ra_state fresh(void)
{
	struct file_ra_state ra;

	file_ra_state_init(&ra);
	memset(cached, 0, sizeof(cached));
	return ra;
}

/* What the I/O side would do with a window: cache its pages. */
static void fill(const struct file_ra_state *ra)
{
	for (unsigned long i = ra->start; i < ra->start + ra->size; i++)
		cached[i] = true;
}

Test(readahead, init_size_from_the_request)
{
	cr_assert_eq(ra_init_size(1, MAXP), 4, "tiny reads: 4x");
	cr_assert_eq(ra_init_size(2, MAXP), 4, "2 <= max/4: 2x");
	cr_assert_eq(ra_init_size(3, MAXP), 8, "rounded up to 4, then 2x");
	cr_assert_eq(ra_init_size(8, MAXP), 16, "8 <= max/4: 2x");
	cr_assert_eq(ra_init_size(9, MAXP), MAXP, "larger: the maximum");
	cr_assert_eq(ra_init_size(1, 64), 4);
	cr_assert_eq(ra_init_size(2, 64), 8, "2 <= 64/32: 4x");
}

Test(readahead, next_size_doubles_up_to_max)
{
	cr_assert_eq(ra_next_size(1, MAXP), 4, "below max/16: 4x");
	cr_assert_eq(ra_next_size(4, MAXP), 8);
	cr_assert_eq(ra_next_size(8, MAXP), 16);
	cr_assert_eq(ra_next_size(16, MAXP), 32);
	cr_assert_eq(ra_next_size(32, MAXP), MAXP, "never beyond max");
	cr_assert_eq(ra_next_size(32, 64), 64, "2x under SEQUENTIAL's 64");
}

Test(readahead, first_read_at_zero_opens_an_initial_window)
{
	struct file_ra_state ra = fresh();

	cr_assert_eq(ra_ondemand(&ra, &cache, MAXP, 0, 1, false), RA_WINDOW);
	cr_assert_eq(ra.start, 0);
	cr_assert_eq(ra.size, 4);
	cr_assert_eq(ra.async_size, 3, "the marker on page 1");
}

Test(readahead, sequential_marker_hits_grow_the_window)
{
	struct file_ra_state ra = fresh();
	unsigned long want_start[] = { 4, 12, 28, 60, 92 };
	unsigned want_size[] = { 8, 16, 32, 32, 32 };

	ra_ondemand(&ra, &cache, MAXP, 0, 1, false);
	fill(&ra);
	for (int i = 0; i < 5; i++) {
		/* The reader reaches the marker page. */
		unsigned long marker = ra.start + ra.size - ra.async_size;
		cr_assert_eq(ra_ondemand(&ra, &cache, MAXP, marker, 1, true),
			     RA_WINDOW);
		cr_assert_eq(ra.start, want_start[i], "step %d: start %lu", i,
			     ra.start);
		cr_assert_eq(ra.size, want_size[i], "step %d: size %u", i,
			     ra.size);
		cr_assert_eq(ra.async_size, ra.size, "all of it ahead");
		fill(&ra);
	}
}

Test(readahead, large_request_is_capped_and_merged)
{
	struct file_ra_state ra = fresh();

	/* 64 pages asked at 0: the window is the maximum, the marker at
	 * once, so the next window merges in (ra.size == async_size). */
	cr_assert_eq(ra_ondemand(&ra, &cache, MAXP, 0, 64, false), RA_WINDOW);
	cr_assert_eq(ra.start, 0);
	cr_assert_eq(ra.size, MAXP);
	cr_assert_eq(ra.async_size, MAXP / 2);
}

Test(readahead, sequential_miss_after_the_last_read)
{
	struct file_ra_state ra = fresh();

	ra.prev_pos = 10 * 4096 + 100; /* the last read ended in page 10 */
	cr_assert_eq(ra_ondemand(&ra, &cache, MAXP, 11, 1, false), RA_WINDOW);
	cr_assert_eq(ra.start, 11);
	cr_assert_eq(ra.size, 4);
}

Test(readahead, random_small_read_leaves_the_state)
{
	struct file_ra_state ra = fresh();

	ra.prev_pos = 3 * 4096;
	ra.start = 0;
	ra.size = 4;
	ra.async_size = 3;
	cr_assert_eq(ra_ondemand(&ra, &cache, MAXP, 500, 1, false), RA_PLAIN);
	cr_assert_eq(ra.start, 0);
	cr_assert_eq(ra.size, 4);
}

Test(readahead, history_in_the_cache_means_a_stream)
{
	struct file_ra_state ra = fresh();

	/* Another reader left pages 200..215 cached: a read at 216 is the
	 * continuation of a stream (try_context_readahead). */
	for (int i = 200; i < 216; i++)
		cached[i] = true;
	ra.prev_pos = 0;
	cr_assert_eq(ra_ondemand(&ra, &cache, MAXP, 216, 1, false), RA_WINDOW);
	cr_assert_eq(ra.start, 216);
	cr_assert_eq(ra.size, 17, "history 16 + the request");
	cr_assert_eq(ra.async_size, 1);
}

Test(readahead, marker_hit_without_state_uses_the_cache)
{
	struct file_ra_state ra = fresh();

	/* Pages 100..107 cached by a reader whose state we do not have. */
	for (int i = 100; i < 108; i++)
		cached[i] = true;
	ra.prev_pos = 0;
	cr_assert_eq(ra_ondemand(&ra, &cache, MAXP, 104, 1, true), RA_WINDOW);
	cr_assert_eq(ra.start, 108, "from the first page missing");
	cr_assert_eq(ra.size, 10, "the old window 4 + 1, doubled");
	cr_assert_eq(ra.async_size, 10);
}
