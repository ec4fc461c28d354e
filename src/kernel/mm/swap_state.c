/*
 * The swap cache: pages that have a swap slot and are in RAM at the same
 * time, found by swap entry (Linux mm/swap_state.c).
 *
 * It is what makes a slot shared by several PTEs (after fork) come back as
 * one page: the first fault reads the slot into a page of the cache, the
 * others find it there.  Reclaim also goes through it: add_to_swap gives a
 * page a slot and puts it in the cache, try_to_unmap replaces the PTEs by
 * the entry, pageout writes the slot, and only then is the page freed.
 *
 * A page in the cache has PG_swapcache, page->private = its entry, one
 * reference held by the cache, and the slot's SWAP_HAS_CACHE bit.  It
 * counts in NR_SWAPCACHE and, as in Linux, in NR_FILE_PAGES (meminfo's
 * Cached subtracts it again).
 */
#include <errno.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/mempolicy.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/swap.h"

static void swap_cache_account(struct kernel *k, struct page *page, long d)
{
	mod_node_page_state(&k->mem, page, NR_SWAPCACHE, d);
	mod_node_page_state(&k->mem, page, NR_FILE_PAGES, d);
}

struct page *lookup_swap_cache(struct kernel *k, pte_t entry)
{
	struct swap_info_struct *si = swap_info_get(k, entry);

	return si->cache[swp_offset(entry)];
}

/* Insert @page for @entry, whose slot already has SWAP_HAS_CACHE. */
static void add_to_swap_cache(struct kernel *k, struct page *page,
			      pte_t entry)
{
	struct swap_info_struct *si = swap_info_get(k, entry);

	si->cache[swp_offset(entry)] = page;
	si->swap_map[swp_offset(entry)] |= SWAP_HAS_CACHE;
	get_page(page);
	SetPageSwapCache(page);
	SetPageSwapBacked(page);
	page->private = (unsigned long)entry;
	swap_cache_account(k, page, 1);
}

bool add_to_swap(struct kernel *k, struct page *page)
{
	pte_t entry = get_swap_page(k);

	if (!entry)
		return false;
	add_to_swap_cache(k, page, entry);
	/* The slot holds nothing yet: the page must be written. */
	SetPageDirty(page);
	return true;
}

void delete_from_swap_cache(struct kernel *k, struct page *page)
{
	pte_t entry = page->private;
	struct swap_info_struct *si = swap_info_get(k, entry);
	unsigned long off = swp_offset(entry);

	si->cache[off] = NULL;
	ClearPageSwapCache(page);
	ClearPageDirty(page);
	page->private = 0;
	swap_cache_account(k, page, -1);
	si->swap_map[off] &= ~SWAP_HAS_CACHE;
	swapcache_slot_release(k, si, off);
	release_page(k, page);
}

bool try_to_free_swap(struct kernel *k, struct page *page, bool mapped_ok)
{
	if (!PageSwapCache(page) || swap_count(k, page->private))
		return false;
	if (!mapped_ok && page_mapped(page))
		return false;
	delete_from_swap_cache(k, page);
	return true;
}

/* A new page holding slot @entry read from the device, in the cache and
 * on the inactive anon list; NULL with *@err on failure. */
static struct page *read_swap_cache_async(struct kernel *k, pte_t entry,
					  gfp_t gfp, int *err,
					  struct vma *vma, gva_t addr)
{
	struct page *page = alloc_page_vma(k, gfp, vma, addr);

	if (!page) {
		*err = -ENOMEM;
		return NULL;
	}
	if (swap_readpage(k, page, entry) < 0) {
		__free_pages(&k->mem, page, 0);
		*err = -EIO;
		return NULL;
	}
	add_to_swap_cache(k, page, entry);
	SetPageUptodate(page);
	page_ref_dec(page); /* the cache's reference is the only one */
	lru_add_page(k, page);
	return page;
}

void swap_ra_hit(struct kernel *k, pte_t entry)
{
	count_vm_event(&k->mem, SWAP_RA_HIT);
	swap_info_get(k, entry)->ra_hits++;
}

/*
 * Pages to read around a swap-in of slot @off (Linux's __swapin_nr_pages):
 * hits + 2 rounded up to a power of two, at most 2^page-cluster; with no
 * hit only a sequential fault (next to the previous one) reads 2; and the
 * window halves at most per step.  Worked example: 5 hits -> 7 -> 8 pages.
 */
static unsigned long swapin_nr_pages(struct kernel *k,
				     struct swap_info_struct *si,
				     unsigned long off)
{
	unsigned long max = 1ul << k->mem.page_cluster;
	unsigned long pages = si->ra_hits + 2, last = si->ra_last;

	if (max == 1)
		return 1;
	if (pages == 2) {
		if (off != si->ra_prev + 1 && off + 1 != si->ra_prev)
			pages = 1;
	} else {
		unsigned long p = 2;
		while (p < pages)
			p <<= 1;
		pages = p;
	}
	if (pages > max)
		pages = max;
	if (pages < last / 2)
		pages = last / 2; /* do not shrink too fast */
	si->ra_hits = 0;
	si->ra_last = (unsigned)pages;
	si->ra_prev = off;
	return pages;
}

struct page *swapin_readahead(struct kernel *k, pte_t entry, int *err,
			      struct vma *vma, gva_t addr)
{
	struct swap_info_struct *si = swap_info_get(k, entry);
	unsigned long off = swp_offset(entry);
	unsigned long win = swapin_nr_pages(k, si, off);
	unsigned long start = off & ~(win - 1), end = start + win;
	struct page *page;

	*err = 0;
	page = read_swap_cache_async(k, entry, GFP_HIGHUSER_MOVABLE, err, vma,
				     addr);
	if (!page || win == 1)
		return page;
	/* Pin the page while its neighbours come in: their allocations
	 * must not reclaim it. */
	get_page(page);
	if (end > si->max)
		end = si->max;
	for (unsigned long o = start ? start : 1; o < end; o++) {
		uint16_t map = si->swap_map[o];
		int e;

		if (o == off || si->cache[o] || !(map & SWAP_MAP_MAX) ||
		    map == SWAP_MAP_BAD)
			continue;
		/* Readahead is optional: never reclaim for it. */
		struct page *ra = read_swap_cache_async(
			k, swp_entry_pte((unsigned)si->type, o),
			(GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) |
				__GFP_NOWARN,
			&e, vma, addr);
		if (!ra)
			break;
		SetPageReadahead(ra);
		count_vm_event(&k->mem, SWAP_RA);
	}
	page_ref_dec(page);
	return page;
}

/* MADV_WILLNEED on anonymous memory (swapin_walk): start reading @entry
 * into the swap cache now, without reclaiming for it. */
void swapin_willneed(struct kernel *k, pte_t entry, struct vma *vma,
		     gva_t addr)
{
	int err;

	if (lookup_swap_cache(k, entry))
		return;
	(void)read_swap_cache_async(k, entry,
				    (GFP_HIGHUSER_MOVABLE &
				     ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN,
				    &err, vma, addr);
}
