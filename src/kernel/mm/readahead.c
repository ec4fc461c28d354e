/*
 * File readahead, as Linux's mm/readahead.c.
 *
 * Each open file (and, for faults, each inode) keeps a file_ra_state: the
 * window [start, start + size) last read ahead, of which the trailing
 * async_size pages are still ahead of the reader.  The first of those
 * carries PG_readahead; a reader reaching it starts the next window before
 * it is needed (asynchronous readahead).  A miss on a page not cached
 * starts a synchronous window sized from the request (get_init_ra_size),
 * and each step along a sequential stream doubles it, or quadruples it
 * while small (get_next_ra_size), up to ra_pages (read_ahead_kb = 128 KiB,
 * 32 pages).
 *
 * ra_ondemand() is the decision alone (ondemand_readahead): it looks at
 * the cache only through the two queries of struct ra_cache, so the unit
 * tests drive it with a model cache.  page_cache_ra_unbounded() then reads
 * the pages that are missing, marking the async page.
 */
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/pagemap.h"

static unsigned long roundup_pow_of_two(unsigned long n)
{
	unsigned long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

unsigned long ra_init_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow_of_two(size);

	if (newsize <= max / 32)
		newsize = newsize * 4;
	else if (newsize <= max / 4)
		newsize = newsize * 2;
	else
		newsize = max;
	return newsize;
}

unsigned long ra_next_size(unsigned long cur, unsigned long max)
{
	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

/*
 * Pages that a sequential reader left cached just before @index (Linux's
 * count_history_pages through page_cache_prev_miss), at most @max.
 */
static unsigned long count_history(const struct ra_cache *c,
				   unsigned long index, unsigned long max)
{
	unsigned long n = 0;

	while (n < max && n < index && c->present(c->ctx, index - 1 - n))
		n++;
	return n;
}

enum ra_action ra_ondemand(struct file_ra_state *ra, const struct ra_cache *c,
			   unsigned long max, unsigned long index,
			   unsigned long req, bool hit_marker)
{
	unsigned long prev_index;

	if (!index)
		goto initial;
	/* The expected next step of a sequential stream: push on. */
	if (index == ra->start + ra->size - ra->async_size ||
	    index == ra->start + ra->size) {
		ra->start += ra->size;
		ra->size = (unsigned)ra_next_size(ra->size, max);
		ra->async_size = ra->size;
		goto readit;
	}
	/* A marker hit without a matching state (interleaved readers): the
	 * cache says how far the last window went. */
	if (hit_marker) {
		unsigned long start = index + 1;

		while (start - index <= max && c->present(c->ctx, start))
			start++;
		if (start - index > max)
			return RA_NONE;
		ra->start = start;
		ra->size = (unsigned)(start - index + req);
		ra->size = (unsigned)ra_next_size(ra->size, max);
		ra->async_size = ra->size;
		goto readit;
	}
	if (req > max)
		goto initial;
	/* A sequential miss: the read continues where the last one ended. */
	prev_index = (unsigned long)(ra->prev_pos >> PAGE_SHIFT);
	if (ra->prev_pos != ~0ull && index - prev_index <= 1)
		goto initial;
	/* The traces a sequential stream leaves in the cache. */
	unsigned long hist = count_history(c, index, max);
	if (hist > req) {
		if (hist >= index)
			hist *= 2; /* from the start of the file */
		ra->start = index;
		ra->size = (unsigned)(hist + req < max ? hist + req : max);
		ra->async_size = 1;
		goto readit;
	}
	/* A small random read: read just it, leave the state alone. */
	return RA_PLAIN;

initial:
	ra->start = index;
	ra->size = (unsigned)ra_init_size(req, max);
	ra->async_size = ra->size > req ? ra->size - (unsigned)req : ra->size;
readit:
	/* Would the reader hit this window's own marker at once?  Then merge
	 * the next window into this one. */
	if (index == ra->start && ra->size == ra->async_size) {
		unsigned long add = ra_next_size(ra->size, max);

		if (ra->size + add <= max) {
			ra->async_size = (unsigned)add;
			ra->size += (unsigned)add;
		} else {
			ra->size = (unsigned)max;
			ra->async_size = (unsigned)(max >> 1);
		}
	}
	return RA_WINDOW;
}

/* ---- the I/O side ---------------------------------------------------------- */

static bool cache_present(void *ctx, unsigned long index)
{
	struct ra_ctl *rc = ctx;

	return filemap_find_page(rc->k, rc->inode, index) != NULL;
}

/* readahead:file_readahead, when tracing. */
static void __cold ra_event(struct kernel *k, struct inode *inode,
			    unsigned long index, unsigned long nr,
			    unsigned long lookahead, bool async)
{
	trace_emit(ktrace(k), &(struct trace_event){
		.type = EV_READAHEAD, .addr = (uint64_t)index << PAGE_SHIFT,
		.arg = { index, nr, lookahead, async, inode->ino },
		.str = inode->i_name });
}

/*
 * Read @nr pages from @index that are not cached yet (never beyond EOF),
 * marking page @index + @nr - @lookahead with PG_readahead.  Stops at the
 * first page that cannot be had without trouble (memory short).
 */
void page_cache_ra_unbounded(struct kernel *k, struct inode *inode,
			     unsigned long index, unsigned long nr,
			     unsigned long lookahead, bool async)
{
	if (inode->kind != INODE_HOST || !inode->size)
		return;
	unsigned long end_index = (unsigned long)((inode->size - 1) >>
						  PAGE_SHIFT);
	if (index > end_index)
		return;
	if (nr > end_index - index + 1)
		nr = end_index - index + 1;
	if (trace_on(ktrace(k), EV_READAHEAD))
		ra_event(k, inode, index, nr, lookahead, async);
	for (unsigned long i = 0; i < nr; i++) {
		struct page *page = filemap_find_page(k, inode, index + i);

		if (page)
			continue;
		page = page_cache_alloc_read(k, inode, index + i);
		if (!page)
			break;
		if (i == nr - lookahead)
			SetPageReadahead(page);
	}
}

static void ra_submit(struct ra_ctl *rc, bool async)
{
	struct file_ra_state *ra = rc->ra;

	page_cache_ra_unbounded(rc->k, rc->inode, ra->start, ra->size,
				ra->async_size, async);
}

static unsigned long ra_max(const struct ra_ctl *rc)
{
	return rc->max ? rc->max : rc->ra->ra_pages;
}

void page_cache_sync_ra(struct ra_ctl *rc, unsigned long index,
			unsigned long req)
{
	struct ra_cache c = { cache_present, rc };
	unsigned long max = ra_max(rc);

	if (!max || rc->ra->random) {
		/* No window (read_ahead_kb 0, FADV_RANDOM): the request as
		 * is (force_page_cache_ra). */
		page_cache_ra_unbounded(rc->k, rc->inode, index,
					req ? req : 1, 0, false);
		return;
	}
	switch (ra_ondemand(rc->ra, &c, max, index, req, false)) {
	case RA_WINDOW:
		ra_submit(rc, false);
		break;
	case RA_PLAIN:
		page_cache_ra_unbounded(rc->k, rc->inode, index, req, 0, false);
		break;
	case RA_NONE:
		break;
	}
}

void page_cache_async_ra(struct ra_ctl *rc, struct page *page,
			 unsigned long req)
{
	struct ra_cache c = { cache_present, rc };
	unsigned long max = ra_max(rc);

	if (!max || rc->ra->random)
		return;
	ClearPageReadahead(page);
	if (ra_ondemand(rc->ra, &c, max, page->index, req, true) == RA_WINDOW)
		ra_submit(rc, true);
}

void file_ra_state_init(struct file_ra_state *ra)
{
	memset(ra, 0, sizeof(*ra));
	ra->ra_pages = VM_READAHEAD_PAGES;
	ra->prev_pos = ~0ull;
}

/*
 * The window of a file fault that missed the cache (Linux's
 * do_sync_mmap_readahead): none under MADV_RANDOM; a sequential window of
 * twice ra_pages under MADV_SEQUENTIAL; otherwise read-around, ra_pages
 * centred on the fault, unless faults keep missing (MMAP_LOTSAMISS).
 */
void do_sync_mmap_readahead(struct kernel *k, struct vma *vma,
			    unsigned long pgoff)
{
	struct inode *inode = vma->vm_file;
	struct file_ra_state *ra = &inode->ra;
	struct ra_ctl rc = { k, inode, ra, 0 };

	if ((vma->vm_flags & VM_RAND_READ) || !ra->ra_pages ||
	    inode->kind != INODE_HOST)
		return;
	if (vma->vm_flags & VM_SEQ_READ) {
		rc.max = 2 * ra->ra_pages;
		page_cache_sync_ra(&rc, pgoff, rc.max);
		return;
	}
	if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
		ra->mmap_miss++;
	if (ra->mmap_miss > MMAP_LOTSAMISS)
		return;
	ra->start = pgoff > ra->ra_pages / 2 ? pgoff - ra->ra_pages / 2 : 0;
	ra->size = ra->ra_pages;
	ra->async_size = ra->ra_pages / 4;
	ra_submit(&rc, false);
}

/* A file fault found @page cached (do_async_mmap_readahead). */
void do_async_mmap_readahead(struct kernel *k, struct vma *vma,
			     struct page *page)
{
	struct inode *inode = vma->vm_file;
	struct file_ra_state *ra = &inode->ra;
	struct ra_ctl rc = { k, inode, ra, 0 };

	if ((vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return;
	if (ra->mmap_miss)
		ra->mmap_miss--;
	if (PageReadahead(page)) {
		if (vma->vm_flags & VM_SEQ_READ)
			rc.max = 2 * ra->ra_pages;
		page_cache_async_ra(&rc, page, rc.max ? rc.max : ra->ra_pages);
	}
}
