/*
 * The zoned buddy page allocator (Linux mm/page_alloc.c, simplified: no
 * per-cpu lists, no migrate types, no compaction).
 *
 * Each zone keeps free_area[order] lists of free blocks of 2^order pages,
 * each block aligned to its size in pfn space.  Allocation takes the
 * smallest block that fits and splits the rest in halves back onto the lower
 * lists ("expand").  Freeing merges a block with its buddy -- the other half
 * of the block of the next order -- as long as that buddy is free and of the
 * same order, then puts the result on its list.
 *
 * The order-0 paths are short on purpose: an order-0 allocation from a
 * non-empty free_area[0] is a list pop plus counters, and a free stops at
 * the first buddy that is not free.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "kernel/mm/mmzone.h"
#include "kernel/mm/replace.h"
#include "trace/event.h"

/* alloc_flags, as in mm/internal.h */
#define ALLOC_WMARK_MIN WMARK_MIN
#define ALLOC_WMARK_LOW WMARK_LOW
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_WMARK_MASK 0x03
#define ALLOC_NO_WATERMARKS 0x04 /* don't check watermarks at all */
#define ALLOC_HARDER 0x10	 /* try to alloc harder (atomic) */
#define ALLOC_HIGH 0x20		 /* __GFP_HIGH set */

#define PAGE_POISON_BYTE 0x6b

/*
 * Locate the pfn of the buddy of the 2^order block at @pfn: flip bit @order.
 *
 * Worked example, as in Linux's __find_buddy_pfn: the order-1 block at
 * pfn 8 (pages 8-9) has its buddy at 8 ^ (1 << 1) = 10 (pages 10-11); the
 * two together form the order-2 block at 8 & 10 = 8.  The order-1 block at
 * 10 finds its buddy at 10 ^ 2 = 8, the same pair.  One level up, the
 * order-2 block at 8 pairs with 8 ^ 4 = 12, and the merged order-3 block
 * starts at 8 & 12 = 8.
 */
static inline pfn_t find_buddy_pfn(pfn_t pfn, unsigned int order)
{
	return pfn ^ ((pfn_t)1 << order);
}

static inline void add_to_free_list(struct page *page, struct zone *zone,
				    unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	SetPageBuddy(page);
	page->private = order;
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
}

static inline void del_page_from_free_list(struct page *page,
					   struct zone *zone,
					   unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	zone->free_area[order].nr_free--;
}

/*
 * Free the 2^order block at @pfn into @zone, merging with free buddies.
 *
 * A buddy can be merged only when it lies inside the same zone (zones, and
 * nodes, are never crossed: their boundaries need not be aligned to
 * MAX_ORDER) and its head is PG_buddy with the same order.  Holes and
 * reserved frames are never PG_buddy, so they stop merging naturally.
 */
static void __free_one_page(struct memory *mem, struct zone *zone, pfn_t pfn,
			    unsigned int order)
{
	struct page *page;

	zone->vm_stat[NR_FREE_PAGES] += 1l << order;
	while (order < MAX_ORDER) {
		pfn_t buddy_pfn = find_buddy_pfn(pfn, order);
		struct page *buddy;

		if (!zone_spans_pfn(zone, buddy_pfn))
			break;
		buddy = pfn_to_page(mem, buddy_pfn);
		if (!PageBuddy(buddy) || buddy->private != order)
			break;
		del_page_from_free_list(buddy, zone, order);
		pfn &= buddy_pfn;
		order++;
	}
	page = pfn_to_page(mem, pfn);
	add_to_free_list(page, zone, order);
}

/*
 * Split the 2^high block at @page down to 2^low: the upper halves go back
 * on the free lists, largest first.  E.g. low 0, high 3 at pfn 16 frees
 * order 2 at 20, order 1 at 18, order 0 at 17 and returns pfn 16.
 */
static inline void expand(struct zone *zone, struct page *page,
			  unsigned int low, unsigned int high)
{
	unsigned long size = 1ul << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(page + size, zone, high);
	}
}

/* Take a 2^order block from @zone's lists, or NULL. */
static inline struct page *__rmqueue_smallest(struct zone *zone,
					      unsigned int order)
{
	unsigned int o;

	for (o = order; o <= MAX_ORDER; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_page_from_free_list(page, zone, o);
		expand(zone, page, order, o);
		zone->vm_stat[NR_FREE_PAGES] -= 1l << order;
		return page;
	}
	return NULL;
}

enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_HIGHMEM)
		return ZONE_HIGHMEM;
	return ZONE_NORMAL;
}

static bool __zone_watermark_ok(const struct zone *z, unsigned int order,
				unsigned long mark, enum zone_type highest,
				unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;
	unsigned int o;

	free_pages -= (1l << order) - 1;
	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	if (free_pages <= min + z->lowmem_reserve[highest])
		return false;
	if (!order)
		return true;
	/* Enough pages, but is there a block big enough? */
	for (o = order; o <= MAX_ORDER; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

bool zone_watermark_ok(const struct zone *z, unsigned int order,
		       unsigned long mark, enum zone_type highest)
{
	return __zone_watermark_ok(z, order, mark, highest, 0,
				   z->vm_stat[NR_FREE_PAGES]);
}

/* Per-call parameters of one allocation (Linux's struct alloc_context). */
struct alloc_context {
	struct zonelist *zonelist; /* preferred node's fallback list */
	enum zone_type highest;	   /* highest zone the gfp flags allow */
	int nid;		   /* preferred node */
	bool thisnode;		   /* __GFP_THISNODE: no other node */
	unsigned long nodemask;	   /* allowed nodes (bit n: node n); 0 = all */
};

/*
 * Linux's zone_statistics: a hit when the page came from the preferred
 * node, else a miss there and a foreign allocation at the preferred node;
 * local or other relative to the allocating CPU, which is on node 0 (one
 * hart).
 */
static void zone_statistics(struct zone *preferred, struct zone *z,
			    unsigned long nr)
{
	if (z->node == preferred->node) {
		z->numa_stat[NUMA_HIT] += nr;
	} else {
		z->numa_stat[NUMA_MISS] += nr;
		preferred->numa_stat[NUMA_FOREIGN] += nr;
	}
	z->numa_stat[z->node == 0 ? NUMA_LOCAL : NUMA_OTHER] += nr;
}

static struct page *get_page_from_freelist(struct memory *mem, gfp_t gfp,
					   unsigned int order,
					   unsigned int alloc_flags,
					   const struct alloc_context *ac)
{
	int i;

	for (i = 0; i < ac->zonelist->nr; i++) {
		struct zone *zone = ac->zonelist->zones[i];
		struct page *page;

		if (zone->idx > ac->highest)
			continue;
		if (ac->thisnode && zone->node != ac->nid)
			continue;
		if (ac->nodemask && !(ac->nodemask & (1ul << zone->node)))
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			unsigned long mark =
				zone->watermark[alloc_flags & ALLOC_WMARK_MASK];

			if (!__zone_watermark_ok(zone, order, mark,
						 ac->highest, alloc_flags,
						 zone->vm_stat[NR_FREE_PAGES]))
				continue;
		}
		page = __rmqueue_smallest(zone, order);
		if (page) {
			count_vm_events(mem, PGALLOC_DMA + zone->idx,
					1l << order);
			zone_statistics(ac->zonelist->zones[0], zone,
					1ul << order);
			return page;
		}
	}
	return NULL;
}

const char *gfp_flags_string(gfp_t gfp, char *buf, size_t len)
{
	static const struct {
		gfp_t mask;
		const char *name;
	} names[] = {
		{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
		{ GFP_HIGHUSER, "GFP_HIGHUSER" },
		{ GFP_USER, "GFP_USER" },
		{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
		{ GFP_KERNEL, "GFP_KERNEL" },
		{ GFP_NOFS, "GFP_NOFS" },
		{ GFP_ATOMIC, "GFP_ATOMIC" },
		{ GFP_NOIO, "GFP_NOIO" },
		{ GFP_NOWAIT, "GFP_NOWAIT" },
		{ __GFP_DMA, "GFP_DMA" },
		{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
		{ __GFP_MOVABLE, "__GFP_MOVABLE" },
		{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
		{ __GFP_HIGH, "__GFP_HIGH" },
		{ __GFP_IO, "__GFP_IO" },
		{ __GFP_FS, "__GFP_FS" },
		{ __GFP_ZERO, "__GFP_ZERO" },
		{ __GFP_ATOMIC, "__GFP_ATOMIC" },
		{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
		{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
		{ __GFP_WRITE, "__GFP_WRITE" },
		{ __GFP_NOWARN, "__GFP_NOWARN" },
		{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
		{ __GFP_NOFAIL, "__GFP_NOFAIL" },
		{ __GFP_NORETRY, "__GFP_NORETRY" },
		{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
		{ __GFP_COMP, "__GFP_COMP" },
		{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
		{ __GFP_HARDWALL, "__GFP_HARDWALL" },
		{ __GFP_THISNODE, "__GFP_THISNODE" },
		{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	};
	size_t i, used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names) && gfp; i++) {
		int n;

		if ((gfp & names[i].mask) != names[i].mask)
			continue;
		gfp &= ~names[i].mask;
		n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "",
			     names[i].name);
		if (n < 0 || (size_t)n >= len - used)
			return buf;
		used += (size_t)n;
	}
	if (gfp)
		snprintf(buf + used, len - used, "%s%#x", used ? "|" : "", gfp);
	else if (!used)
		snprintf(buf, len, "0");
	return buf;
}

static void warn_alloc(struct memory *mem, gfp_t gfp, unsigned int order)
{
	char flags[200];

	if (gfp & __GFP_NOWARN)
		return;
	/* Rate-limited as Linux's nopage_rs: a fork bomb must not write a
	 * line per failed allocation. */
	printk_ratelimited(mem->log,
	       "%s: page allocation failure: order:%u, mode:%#x(%s), "
	       "nodemask=(null)\n",
	       mem->current_comm ? mem->current_comm : "swapper", order, gfp,
	       gfp_flags_string(gfp, flags, sizeof(flags)));
}

/*
 * Below the low watermark everywhere: try the min watermark (less with
 * __GFP_HIGH / __GFP_ATOMIC), then reclaim through the hook, then give up
 * -- or, for __GFP_NOFAIL, take anything that is left.
 */
static struct page *__alloc_pages_slowpath(struct memory *mem, gfp_t gfp,
					   unsigned int order,
					   const struct alloc_context *ac)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;
	struct page *page;
	int retries;

	if ((gfp & __GFP_KSWAPD_RECLAIM) && mem->kswapd_hook &&
	    !mem->in_reclaim) {
		mem->in_reclaim++;
		mem->kswapd_hook(mem, mem->kswapd_arg, gfp, order);
		mem->in_reclaim--;
	}
	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_HIGH;
	if ((gfp & __GFP_ATOMIC) && !(gfp & __GFP_NOMEMALLOC))
		alloc_flags |= ALLOC_HARDER;
	page = get_page_from_freelist(mem, gfp, order, alloc_flags, ac);
	if (page)
		return page;
	if ((gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC)) {
		page = get_page_from_freelist(mem, gfp, order,
					      ALLOC_NO_WATERMARKS, ac);
		if (page)
			return page;
	}
	if ((gfp & __GFP_DIRECT_RECLAIM) && mem->reclaim_hook &&
	    !mem->in_reclaim) {
		for (retries = 0; retries < MAX_RECLAIM_RETRIES; retries++) {
			unsigned long progress;

			count_vm_event(mem, ALLOCSTALL_DMA + ac->highest);
			mem->in_reclaim++;
			progress = mem->reclaim_hook(mem, mem->reclaim_arg, gfp,
						     order);
			mem->in_reclaim--;
			page = get_page_from_freelist(mem, gfp, order,
						      alloc_flags, ac);
			if (page || !progress)
				break;
		}
		if (page)
			return page;
	}
	if (gfp & __GFP_NOFAIL)
		page = get_page_from_freelist(mem, gfp, order,
					      ALLOC_NO_WATERMARKS, ac);
	return page;
}

/* Make a block just taken from the free lists ready for its user. */
static inline void prep_new_page(struct memory *mem, struct page *page,
				 unsigned int order, gfp_t gfp)
{
	set_page_count(page, 1);
	page->private = 0;
	if (mem->repl)
		replace_page_alloc(mem, page_to_pfn(mem, page), order);
	if (gfp & __GFP_ZERO)
		memset(page_address(mem, page), 0, (size_t)PAGE_SIZE << order);
	mem->alloc_order[order]++;
}

#ifdef CONFIG_DEBUG_MM
/*
 * The cheap form of buddy_sanity, after every allocation and free: the
 * block is aligned to its order and inside one zone, an allocated block
 * is out of the free lists with one reference; every 1024 operations the
 * whole allocator is checked.
 */
static void debug_buddy_op(struct memory *mem, struct page *page,
			   unsigned int order, bool alloc)
{
	const struct zone *z = page_zone(mem, page);
	pfn_t pfn = page_to_pfn(mem, page);

	assert(!(pfn & ((1ul << order) - 1)));
	assert(zone_spans_pfn(z, pfn) &&
	       zone_spans_pfn(z, pfn + (1ul << order) - 1));
	if (alloc)
		assert(!PageBuddy(page) && page_count(page) == 1);
	if (++mem->sanity_tick % 1024 == 0)
		assert(buddy_sanity(mem));
}
#else
static inline void debug_buddy_op(struct memory *mem, struct page *page,
				  unsigned int order, bool alloc)
{
	(void)mem;
	(void)page;
	(void)order;
	(void)alloc;
}
#endif

struct page *alloc_pages_node(struct memory *mem, int nid, gfp_t gfp,
			      unsigned int order)
{
	return __alloc_pages(mem, gfp, order, nid, 0);
}

struct page *__alloc_pages(struct memory *mem, gfp_t gfp, unsigned int order,
			   int nid, unsigned long nodemask)
{
	struct alloc_context ac;
	struct page *page;

	if (order > MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			printk(mem->log,
			       "WARNING: alloc_pages order %u > MAX_ORDER\n",
			       order);
		mem->alloc_fail++;
		return NULL;
	}
	if (nid < 0 || nid >= mem->nr_nodes)
		nid = 0;
	if (unlikely(mem->fail_nth) && !(gfp & __GFP_NOFAIL) &&
	    --mem->fail_nth == 0) {
		mem->alloc_fail++;
		warn_alloc(mem, gfp, order);
		return NULL;
	}
	ac.zonelist = &mem->node[nid]->node_zonelist;
	ac.highest = gfp_zone(gfp);
	ac.nid = nid;
	ac.thisnode = (gfp & __GFP_THISNODE) != 0;
	ac.nodemask = nodemask;

	page = get_page_from_freelist(mem, gfp, order, ALLOC_WMARK_LOW, &ac);
	if (unlikely(!page)) {
		page = __alloc_pages_slowpath(mem, gfp, order, &ac);
		if (!page) {
			mem->alloc_fail++;
			warn_alloc(mem, gfp, order);
			return NULL;
		}
	}
	prep_new_page(mem, page, order, gfp);
	debug_buddy_op(mem, page, order, true);
	if (mem->trace && trace_on(mem->trace, EV_PAGE_ALLOC))
		trace_emit(mem->trace, &(struct trace_event){
			.type = EV_PAGE_ALLOC, .flags = TEV_PHYS,
			.addr = page_to_phys(mem, page),
			.arg = { page_to_pfn(mem, page), order, gfp,
				 page_zonenum(page), page_to_nid(mem, page) } });
	return page;
}

struct page *alloc_pages(struct memory *mem, gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(mem, NUMA_NO_NODE, gfp, order);
}

static void bad_page(struct memory *mem, struct page *page,
		     const char *reason)
{
	printk(mem->log,
	       "BUG: Bad page state in process %s  pfn:%05llx\n"
	       "page:%p refcount:%d mapcount:%d mapping:%p index:%#lx "
	       "pfn:%#llx\n"
	       "flags: %#lx\n"
	       "page dumped because: %s\n",
	       mem->current_comm ? mem->current_comm : "swapper",
	       (unsigned long long)page_to_pfn(mem, page), (void *)page,
	       page->_refcount, page_mapcount(page), page->mapping,
	       page->index, (unsigned long long)page_to_pfn(mem, page),
	       page->flags & PAGE_FLAGS_MASK, reason);
	mem->bad_pages++;
}

/* Flags a page must not carry into the free lists (it would be a bug). */
#define PAGE_FLAGS_CHECK_AT_FREE                                            \
	((1ul << PG_lru) | (1ul << PG_locked) | (1ul << PG_slab) |          \
	 (1ul << PG_writeback) | (1ul << PG_reserved) | (1ul << PG_buddy) | \
	 (1ul << PG_swapcache))

/*
 * Check and clean the block about to be freed.  Returns false (the block is
 * then leaked, as Linux does) when it is in a state no freed page may be.
 */
static bool free_pages_prepare(struct memory *mem, struct page *page,
			       unsigned int order)
{
	const char *reason = NULL;

	if (page->_mapcount != -1)
		reason = "nonzero mapcount";
	else if (page->mapping && !PageAnon(page))
		reason = "non-NULL mapping";
	else if (page->flags & PAGE_FLAGS_CHECK_AT_FREE)
		reason = "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	if (reason) {
		bad_page(mem, page, reason);
		return false;
	}
	page->mapping = NULL;
	page->flags &= ~PAGE_FLAGS_MASK;
	page->private = 0;
#ifdef CONFIG_DEBUG_MM
	memset(page_address(mem, page), PAGE_POISON_BYTE,
	       (size_t)PAGE_SIZE << order);
#else
	(void)order;
#endif
	return true;
}

void __free_pages(struct memory *mem, struct page *page, unsigned int order)
{
	if (unlikely(page->_refcount <= 0)) {
		bad_page(mem, page, PageBuddy(page) ? "double free"
						    : "zero refcount");
		return;
	}
	if (!page_ref_dec_and_test(page))
		return;
	if (!free_pages_prepare(mem, page, order))
		return;
	if (mem->trace && trace_on(mem->trace, EV_PAGE_FREE))
		trace_emit(mem->trace, &(struct trace_event){
			.type = EV_PAGE_FREE, .flags = TEV_PHYS,
			.addr = page_to_phys(mem, page),
			.arg = { page_to_pfn(mem, page), order, 0,
				 page_zonenum(page), page_to_nid(mem, page) } });
	debug_buddy_op(mem, page, order, false);
	__free_one_page(mem, page_zone(mem, page), page_to_pfn(mem, page),
			order);
	count_vm_events(mem, PGFREE, 1l << order);
	mem->free_order[order]++;
}

void memblock_free_pages(struct memory *mem, pfn_t start, pfn_t end)
{
	while (start < end) {
		struct zone *zone = page_zone(mem, pfn_to_page(mem, start));
		pfn_t zend = zone_end_pfn(zone);
		unsigned int order = MAX_ORDER;
		unsigned long i, n;

		if (zend > end)
			zend = end;
		while (order && ((start & ((1ul << order) - 1)) ||
				 start + (1ul << order) > zend))
			order--;
		n = 1ul << order;
		for (i = 0; i < n; i++) {
			struct page *p = pfn_to_page(mem, start + i);

			ClearPageReserved(p);
			set_page_count(p, 0);
		}
		zone->managed_pages += n;
		__free_one_page(mem, zone, start, order);
		count_vm_events(mem, PGFREE, (long)n);
		start += n;
	}
}

struct page *virt_to_page(const struct memory *mem, const void *addr)
{
	const uint8_t *p = addr;

	if (p < mem->phys->ram || p >= mem->phys->ram + mem->phys->size) {
		fprintf(stderr, "mmulab: virt_to_page(%p): not guest RAM\n",
			addr);
		abort();
	}
	return pfn_to_page(mem, (pfn_t)(p - mem->phys->ram) >> PAGE_SHIFT);
}

void *get_free_pages(struct memory *mem, gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(mem, gfp & ~__GFP_HIGHMEM, order);

	return page ? page_address(mem, page) : NULL;
}

void free_pages_addr(struct memory *mem, const void *addr, unsigned int order)
{
	if (addr)
		__free_pages(mem, virt_to_page(mem, addr), order);
}

unsigned long global_zone_page_state(const struct memory *mem,
				     enum zone_stat_item item)
{
	long sum = 0;
	int n, z;

	for (n = 0; n < mem->nr_nodes; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			sum += mem->node[n]->node_zones[z].vm_stat[item];
	return sum < 0 ? 0 : (unsigned long)sum;
}

unsigned long global_node_page_state(const struct memory *mem,
				     enum node_stat_item item)
{
	long sum = 0;
	int n;

	for (n = 0; n < mem->nr_nodes; n++)
		sum += mem->node[n]->vm_stat[item];
	return sum < 0 ? 0 : (unsigned long)sum;
}

unsigned long nr_free_pages(const struct memory *mem)
{
	return global_zone_page_state(mem, NR_FREE_PAGES);
}

unsigned long si_mem_available(const struct memory *mem)
{
	unsigned long wmark_low = 0, pagecache, reclaimable;
	long available;
	int n, z;

	for (n = 0; n < mem->nr_nodes; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			wmark_low += low_wmark_pages(
				&mem->node[n]->node_zones[z]);
	available = (long)nr_free_pages(mem) - (long)mem->totalreserve_pages;
	pagecache = global_node_page_state(mem, NR_ACTIVE_FILE) +
		    global_node_page_state(mem, NR_INACTIVE_FILE);
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	available += (long)pagecache;
	reclaimable = global_node_page_state(mem, NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(mem, NR_KERNEL_MISC_RECLAIMABLE);
	reclaimable -= reclaimable / 2 < wmark_low ? reclaimable / 2
						   : wmark_low;
	available += (long)reclaimable;
	return available < 0 ? 0 : (unsigned long)available;
}

unsigned long vm_commit_limit(const struct memory *mem)
{
	unsigned long allowed;
	unsigned long huge = mem->hugepages_total *
			     (mem->hugepage_size_kb / (PAGE_SIZE / 1024));

	if (mem->overcommit_kbytes)
		allowed = mem->overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = (mem->totalram_pages - huge) *
			  (unsigned long)mem->overcommit_ratio / 100;
	return allowed + mem->swap_total_pages;
}

/* ---- invariant checker ------------------------------------------------------ */

static bool sanity_fail(struct memory *mem, const struct zone *z, pfn_t pfn,
			const char *what)
{
	printk(mem->log, "buddy_sanity: node %d zone %s pfn %#llx: %s\n",
	       z->node, z->name, (unsigned long long)pfn, what);
	return false;
}

static bool zone_sanity(struct memory *mem, struct zone *z)
{
	unsigned long span = z->spanned_pages, pages = 0, blocks = 0, heads;
	unsigned char *seen;
	unsigned int o;
	pfn_t pfn;
	bool ok = true;

	if (!span)
		return true;
	seen = calloc(span, 1);
	if (!seen)
		abort();
	for (o = 0; o <= MAX_ORDER && ok; o++) {
		struct free_area *area = &z->free_area[o];
		unsigned long n = 0;
		struct page *page;

		list_for_each_entry(page, &area->free_list, lru) {
			pfn_t p = page_to_pfn(mem, page), b, i;

			n++;
			if (p & ((1ul << o) - 1))
				ok = sanity_fail(mem, z, p, "misaligned block");
			else if (!zone_spans_pfn(z, p) ||
				 !zone_spans_pfn(z, p + (1ul << o) - 1))
				ok = sanity_fail(mem, z, p, "outside zone");
			else if (!PageBuddy(page) || page->private != o)
				ok = sanity_fail(mem, z, p, "bad buddy mark");
			else if (page_zone(mem, page) != z)
				ok = sanity_fail(mem, z, p, "wrong zone bits");
			if (!ok)
				break;
			for (i = p; i < p + (1ul << o); i++) {
				if (seen[i - z->zone_start_pfn]) {
					ok = sanity_fail(mem, z, i, "overlap");
					break;
				}
				seen[i - z->zone_start_pfn] = 1;
			}
			b = find_buddy_pfn(p, o);
			if (ok && o < MAX_ORDER && zone_spans_pfn(z, b) &&
			    PageBuddy(pfn_to_page(mem, b)) &&
			    pfn_to_page(mem, b)->private == o)
				ok = sanity_fail(mem, z, p, "unmerged buddy");
			if (!ok)
				break;
			pages += 1ul << o;
			blocks++;
		}
		if (ok && n != area->nr_free)
			ok = sanity_fail(mem, z, z->zone_start_pfn,
					 "nr_free mismatch");
	}
	if (ok && pages != (unsigned long)z->vm_stat[NR_FREE_PAGES])
		ok = sanity_fail(mem, z, z->zone_start_pfn,
				 "NR_FREE_PAGES mismatch");
	/* Every PG_buddy page must be a listed head. */
	heads = 0;
	for (pfn = z->zone_start_pfn; ok && pfn < zone_end_pfn(z); pfn++) {
		struct page *page = pfn_to_page(mem, pfn);

		if (PageBuddy(page))
			heads++;
		else if (seen[pfn - z->zone_start_pfn] &&
			 page->_refcount != 0)
			ok = sanity_fail(mem, z, pfn, "free page in use");
	}
	if (ok && heads != blocks)
		ok = sanity_fail(mem, z, z->zone_start_pfn,
				 "stray PG_buddy page");
	free(seen);
	return ok;
}

bool buddy_sanity(struct memory *mem)
{
	int n, z;

	for (n = 0; n < mem->nr_nodes; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (!zone_sanity(mem, &mem->node[n]->node_zones[z]))
				return false;
	return true;
}
