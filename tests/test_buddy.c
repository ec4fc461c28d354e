/*
 * Unit tests for the buddy page allocator (src/kernel/page_alloc.c) over a
 * real struct phys booted with mem_boot().
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/mmzone.h"
#include "kernel/mm/vmstat.h"

static struct phys phys;
static struct memory mem;
static struct klog *klog;

static void boot(uint64_t ram, int nodes)
{
	struct mem_boot_config cfg;

	mem_default_boot_config(&cfg);
	cfg.numa_nodes = nodes;
	cr_assert_eq(phys_init(&phys, ram), 0);
	klog = klog_new();
	cr_assert_eq(mem_boot(&mem, &phys, klog, &cfg), 0);
	cr_assert(buddy_sanity(&mem));
}

static void teardown(void)
{
	mem_shutdown(&mem);
	phys_destroy(&phys);
	klog_free(klog);
}

TestSuite(buddy, .fini = teardown);

static void snapshot(unsigned long nr_free[MAX_NUMNODES][MAX_NR_ZONES]
				      [NR_PAGE_ORDERS])
{
	int n, z, o;

	for (n = 0; n < mem.nr_nodes; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			for (o = 0; o <= MAX_ORDER; o++)
				nr_free[n][z][o] = mem.node[n]->node_zones[z]
							   .free_area[o].nr_free;
}

Test(buddy, split_then_merge)
{
	static unsigned long before[MAX_NUMNODES][MAX_NR_ZONES][NR_PAGE_ORDERS];
	static unsigned long after[MAX_NUMNODES][MAX_NR_ZONES][NR_PAGE_ORDERS];
	unsigned long free0;
	struct page *p;

	boot(32 << 20, 1);
	snapshot(before);
	free0 = nr_free_pages(&mem);
	p = alloc_page(&mem, GFP_KERNEL);
	cr_assert_not_null(p);
	cr_assert_eq(page_count(p), 1);
	cr_assert_eq(page_mapcount(p), 0);
	cr_assert_not(PageBuddy(p));
	cr_assert_eq(nr_free_pages(&mem), free0 - 1);
	cr_assert(buddy_sanity(&mem));
	free_page(&mem, p);
	cr_assert(buddy_sanity(&mem));
	cr_assert_eq(nr_free_pages(&mem), free0);
	snapshot(after);
	cr_assert_arr_eq(before, after, sizeof(before));
	cr_assert_eq(mem.alloc_order[0], 1 + mem.alloc_order[0] - 1);
}

Test(buddy, expand_leaves_halves)
{
	struct zone *z;
	struct page *p;
	unsigned long n[NR_PAGE_ORDERS];
	int o;

	boot(32 << 20, 1);
	z = &mem.node[0]->node_zones[ZONE_NORMAL];
	/* Use up every small block so that the next one splits a 4 MiB one. */
	for (o = 0; o < MAX_ORDER; o++)
		while (z->free_area[o].nr_free) {
			p = alloc_pages(&mem, GFP_KERNEL, o);
			cr_assert_not_null(p);
		}
	for (o = 0; o <= MAX_ORDER; o++)
		n[o] = z->free_area[o].nr_free;
	cr_assert_gt(n[MAX_ORDER], 0);
	p = alloc_page(&mem, GFP_KERNEL);
	cr_assert_not_null(p);
	cr_assert_eq(page_to_pfn(&mem, p) % (1u << MAX_ORDER), 0);
	/* One 4 MiB block became one free block of each smaller order. */
	cr_assert_eq(z->free_area[MAX_ORDER].nr_free, n[MAX_ORDER] - 1);
	for (o = 0; o < MAX_ORDER; o++)
		cr_assert_eq(z->free_area[o].nr_free, 1, "order %d", o);
	/* Its buddy is the next page, free at order 0. */
	cr_assert(PageBuddy(p + 1));
	cr_assert_eq((p + 1)->private, 0);
	cr_assert(PageBuddy(p + 2));
	cr_assert_eq((p + 2)->private, 1);
	free_page(&mem, p);
	cr_assert_eq(z->free_area[MAX_ORDER].nr_free, n[MAX_ORDER]);
	for (o = 0; o < MAX_ORDER; o++)
		cr_assert_eq(z->free_area[o].nr_free, 0);
	cr_assert(buddy_sanity(&mem));
}

struct held {
	struct page *page;
	unsigned int order;
};

/* xorshift: deterministic per seed, no libc rand state. */
static uint32_t next_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

Test(buddy, random_alloc_free_property, .timeout = 120)
{
	static unsigned long before[MAX_NUMNODES][MAX_NR_ZONES][NR_PAGE_ORDERS];
	static unsigned long after[MAX_NUMNODES][MAX_NR_ZONES][NR_PAGE_ORDERS];
	static struct held held[4096];
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE,
				      GFP_DMA, GFP_ATOMIC };
	uint32_t seed;
	unsigned long free0;

	boot(24 << 20, 2);
	snapshot(before);
	free0 = nr_free_pages(&mem);
	for (seed = 1; seed <= 200; seed++) {
		uint32_t rs = seed * 2654435761u;
		int nheld = 0, step;

		for (step = 0; step < 500; step++) {
			uint32_t r = next_rand(&rs);

			if (nheld < (int)ARRAY_SIZE(held) && (r & 3) != 0 &&
			    (nheld == 0 || (r & 4))) {
				unsigned int order = (r >> 8) % 6;
				int nid = (r >> 12) & 1;
				gfp_t gfp = gfps[(r >> 16) % ARRAY_SIZE(gfps)] |
					    __GFP_NOWARN;
				struct page *p = alloc_pages_node(&mem, nid, gfp,
								  order);

				if (p) {
					cr_assert_eq(page_to_pfn(&mem, p) &
							     ((1u << order) - 1),
						     0);
					held[nheld].page = p;
					held[nheld++].order = order;
				}
			} else if (nheld) {
				int i = (int)((r >> 4) % (uint32_t)nheld);

				__free_pages(&mem, held[i].page, held[i].order);
				held[i] = held[--nheld];
			}
			cr_assert(buddy_sanity(&mem), "seed %u step %d", seed,
				  step);
		}
		while (nheld) {
			nheld--;
			__free_pages(&mem, held[nheld].page, held[nheld].order);
		}
		cr_assert(buddy_sanity(&mem));
		cr_assert_eq(nr_free_pages(&mem), free0, "seed %u", seed);
		snapshot(after);
		cr_assert_arr_eq(before, after, sizeof(before), "seed %u", seed);
	}
	cr_assert_eq(mem.bad_pages, 0);
}

/* Allocate order-0 pages with @gfp until NULL; returns how many. */
static unsigned long drain(gfp_t gfp, struct page ***list, unsigned long *cap,
			   unsigned long n)
{
	struct page *p;

	while ((p = alloc_page(&mem, gfp | __GFP_NOWARN))) {
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			*list = realloc(*list, *cap * sizeof(**list));
		}
		(*list)[n++] = p;
	}
	return n;
}

Test(buddy, exhaustion_and_watermarks)
{
	struct page **list = NULL;
	unsigned long cap = 0, n, n_atomic, free0, want_atomic = 0, i;
	int z;

	boot(64 << 20, 1);
	free0 = nr_free_pages(&mem);
	n = drain(GFP_KERNEL, &list, &cap, 0);
	cr_assert_gt(n, 0);
	cr_assert_eq(nr_free_pages(&mem), free0 - n);
	/*
	 * A normal allocation stops when free <= min + lowmem_reserve of
	 * every lowmem zone: exactly there, since order-0 steps are 1.
	 */
	for (z = ZONE_DMA; z <= ZONE_NORMAL; z++) {
		struct zone *zn = &mem.node[0]->node_zones[z];
		long min = (long)min_wmark_pages(zn), atomic_min;

		cr_assert_eq((long)zone_page_state(zn, NR_FREE_PAGES),
			     min + zn->lowmem_reserve[ZONE_NORMAL], "zone %d", z);
		/* GFP_ATOMIC: __GFP_HIGH halves min, __GFP_ATOMIC takes a
		 * further quarter. */
		atomic_min = min - min / 2;
		atomic_min -= atomic_min / 4;
		want_atomic += (unsigned long)(min - atomic_min);
	}
	cr_assert_null(alloc_page(&mem, GFP_KERNEL | __GFP_NOWARN));
	cr_assert_gt(mem.alloc_fail, 0);
	n_atomic = drain(GFP_ATOMIC, &list, &cap, n) - n;
	cr_assert_eq(n_atomic, want_atomic);
	/* __GFP_NOFAIL ignores the watermarks as the last resort. */
	{
		struct page *p = alloc_page(&mem, GFP_KERNEL | __GFP_NOFAIL);

		cr_assert_not_null(p);
		free_page(&mem, p);
	}
	/* Free everything: back to the boot state. */
	for (i = 0; i < n + n_atomic; i++)
		free_page(&mem, list[i]);
	cr_assert_eq(nr_free_pages(&mem), free0);
	cr_assert(buddy_sanity(&mem));
	free(list);
}

Test(buddy, failure_is_logged_unless_nowarn)
{
	struct page **list = NULL;
	unsigned long cap = 0;
	struct seq s = { 0 };

	boot(16 << 20, 1);
	drain(GFP_KERNEL, &list, &cap, 0);
	klog_dump(klog, &s);
	cr_assert_null(strstr(seq_text(&s), "page allocation failure"));
	cr_assert_null(alloc_page(&mem, GFP_KERNEL));
	seq_reset(&s);
	klog_dump(klog, &s);
	cr_assert(strstr(seq_text(&s), "swapper: page allocation failure: order:0, "
				       "mode:0xcc0(GFP_KERNEL), nodemask=(null)"),
		  "%s", seq_text(&s));
	seq_free(&s);
	free(list);
}

Test(buddy, zone_fallback_order_1g)
{
	struct page *p;
	int i;

	boot(1ull << 30, 1);
	for (i = 0; i < 64; i++) {
		p = alloc_page(&mem, GFP_KERNEL);
		cr_assert_not_null(p);
		cr_assert_not(PageHighMem(p));
		cr_assert_eq(page_zonenum(p), ZONE_NORMAL);
		cr_assert(page_to_pfn(&mem, p) < (LOWMEM_END >> PAGE_SHIFT));
	}
	for (i = 0; i < 64; i++) {
		p = alloc_page(&mem, GFP_HIGHUSER_MOVABLE);
		cr_assert_not_null(p);
		cr_assert(PageHighMem(p));
		cr_assert(page_to_pfn(&mem, p) >= (LOWMEM_END >> PAGE_SHIFT));
	}
	p = alloc_page(&mem, GFP_DMA);
	cr_assert_not_null(p);
	cr_assert_eq(page_zonenum(p), ZONE_DMA);
	cr_assert(page_to_pfn(&mem, p) < (DMA_ZONE_END >> PAGE_SHIFT));
	cr_assert_eq(mem.vm_events[PGALLOC_HIGH], 64);
	cr_assert_eq(mem.vm_events[PGALLOC_DMA], 1);
	cr_assert_geq(mem.vm_events[PGALLOC_NORMAL], 64);
}

Test(buddy, highmem_exhausted_falls_back_to_normal)
{
	struct page **list = NULL;
	unsigned long cap = 0, n = 0;
	struct page *p;

	boot(1ull << 30, 1);
	/* Take HighMem down to its low watermark. */
	while ((p = alloc_page(&mem, GFP_HIGHUSER | __GFP_NOWARN)) &&
	       PageHighMem(p)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			list = realloc(list, cap * sizeof(*list));
		}
		list[n++] = p;
	}
	cr_assert_not_null(p);
	cr_assert_eq(page_zonenum(p), ZONE_NORMAL);
	free(list);
}

Test(buddy, normal_exhausted_falls_back_to_dma)
{
	struct zone *normal;
	struct page *p;
	unsigned long n = 0;

	boot(64 << 20, 1);
	normal = &mem.node[0]->node_zones[ZONE_NORMAL];
	/* Normal serves GFP_KERNEL until it reaches its low watermark. */
	while ((p = alloc_page(&mem, GFP_KERNEL)) &&
	       page_zonenum(p) == ZONE_NORMAL)
		n++;
	cr_assert_not_null(p);
	cr_assert_gt(n, 0);
	cr_assert_eq(page_zonenum(p), ZONE_DMA);
	cr_assert_leq(zone_page_state(normal, NR_FREE_PAGES),
		      low_wmark_pages(normal));
	cr_assert_gt(zone_page_state(normal, NR_FREE_PAGES),
		     min_wmark_pages(normal));
}

Test(buddy, gfp_zero)
{
	struct page *p;
	unsigned char *a;
	int i;

	boot(16 << 20, 1);
	p = alloc_pages(&mem, GFP_KERNEL, 2);
	cr_assert_not_null(p);
	memset(page_address(&mem, p), 0xaa, 4 * PAGE_SIZE);
	__free_pages(&mem, p, 2);
	p = alloc_pages(&mem, GFP_KERNEL | __GFP_ZERO, 2);
	cr_assert_not_null(p);
	a = page_address(&mem, p);
	for (i = 0; i < 4 * (int)PAGE_SIZE; i++)
		cr_assert_eq(a[i], 0, "byte %d", i);
	cr_assert_eq((uint8_t *)a - phys.ram,
		     (ptrdiff_t)(page_to_pfn(&mem, p) << PAGE_SHIFT));
}

Test(buddy, numa_preference_and_distance)
{
	struct page **list = NULL;
	unsigned long cap = 0, n = 0;
	struct page *p;

	boot(96 << 20, 3);
	p = alloc_pages_node(&mem, 1, GFP_KERNEL, 0);
	cr_assert_eq(page_to_nid(&mem, p), 1);
	p = alloc_pages_node(&mem, 2, GFP_KERNEL, 3);
	cr_assert_eq(page_to_nid(&mem, p), 2);
	p = alloc_page(&mem, GFP_KERNEL);
	cr_assert_eq(page_to_nid(&mem, p), 0);
	/* Node 0's fallback: node 1 (distance 20) before node 2 (30). */
	cr_assert_eq(mem.node_distance[0][2], 30);
	/* __GFP_THISNODE never leaves the node: drain node 0 with it. */
	while ((p = alloc_pages_node(&mem, 0, GFP_KERNEL | __GFP_THISNODE |
						      __GFP_NOWARN, 0))) {
		cr_assert_eq(page_to_nid(&mem, p), 0);
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			list = realloc(list, cap * sizeof(*list));
		}
		list[n++] = p;
	}
	cr_assert_gt(n, 0);
	p = alloc_pages_node(&mem, 0, GFP_KERNEL, 0);
	cr_assert_not_null(p);
	cr_assert_eq(page_to_nid(&mem, p), 1);
	/* Node 2 prefers node 1 too when it runs dry; it is not dry yet. */
	p = alloc_pages_node(&mem, 2, GFP_KERNEL, 0);
	cr_assert_eq(page_to_nid(&mem, p), 2);
	free(list);
}

Test(buddy, fail_nth)
{
	struct page *a, *b, *c, *d;
	unsigned long fails;

	boot(16 << 20, 1);
	fails = mem.alloc_fail;
	mem.fail_nth = 3;
	a = alloc_page(&mem, GFP_KERNEL);
	b = alloc_page(&mem, GFP_KERNEL);
	c = alloc_page(&mem, GFP_KERNEL | __GFP_NOWARN);
	d = alloc_page(&mem, GFP_KERNEL);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_null(c);
	cr_assert_not_null(d);
	cr_assert_eq(mem.fail_nth, 0);
	cr_assert_eq(mem.alloc_fail, fails + 1);
	/* __GFP_NOFAIL is exempt and does not count down. */
	mem.fail_nth = 1;
	cr_assert_not_null(alloc_page(&mem, GFP_KERNEL | __GFP_NOFAIL));
	cr_assert_eq(mem.fail_nth, 1);
	cr_assert_null(alloc_page(&mem, GFP_KERNEL | __GFP_NOWARN));
}

static unsigned long buddyinfo_kb(const char *text)
{
	unsigned long kb = 0;
	const char *line = text;

	while (line && *line) {
		unsigned long c[NR_PAGE_ORDERS];
		int o;

		cr_assert_eq(sscanf(line + 22,
				    "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu",
				    &c[0], &c[1], &c[2], &c[3], &c[4], &c[5],
				    &c[6], &c[7], &c[8], &c[9], &c[10]), 11);
		for (o = 0; o <= MAX_ORDER; o++)
			kb += (c[o] << o) * 4;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return kb;
}

Test(buddy, buddyinfo_adds_up_to_memfree)
{
	struct seq bi = { 0 }, mi = { 0 };
	unsigned long memfree;
	uint32_t rs = 7;
	int i;

	boot(1ull << 30, 2);
	for (i = 0; i < 3000; i++) {
		unsigned int order = next_rand(&rs) % 4;
		gfp_t gfp = (next_rand(&rs) & 1) ? GFP_KERNEL : GFP_HIGHUSER;

		cr_assert_not_null(alloc_pages_node(&mem, i & 1, gfp, order));
		if (i % 3 == 0) {
			struct page *p = alloc_page(&mem, GFP_KERNEL);

			free_page(&mem, p);
		}
	}
	show_buddyinfo(&mem, &bi);
	show_meminfo(&mem, &mi);
	cr_assert(sscanf(strstr(seq_text(&mi), "MemFree:"), "MemFree: %lu kB",
			 &memfree) == 1);
	cr_assert_eq(buddyinfo_kb(seq_text(&bi)), memfree);
	cr_assert_eq(memfree, nr_free_pages(&mem) * 4);
	seq_free(&bi);
	seq_free(&mi);
}

Test(buddy, refcount_and_bad_pages)
{
	struct page *p;
	unsigned long free0;

	boot(16 << 20, 1);
	free0 = nr_free_pages(&mem);
	p = alloc_page(&mem, GFP_KERNEL);
	get_page(p);
	cr_assert_eq(page_count(p), 2);
	put_page(&mem, p);
	cr_assert_eq(nr_free_pages(&mem), free0 - 1);
	put_page(&mem, p);
	cr_assert_eq(nr_free_pages(&mem), free0);
	/* Double free: reported, nothing corrupted. */
	put_page(&mem, p);
	cr_assert_eq(mem.bad_pages, 1);
	cr_assert(buddy_sanity(&mem));
	/* Freeing a still-mapped page leaks it with a report. */
	p = alloc_page(&mem, GFP_KERNEL);
	p->_mapcount = 0;
	free_page(&mem, p);
	cr_assert_eq(mem.bad_pages, 2);
	cr_assert_eq(nr_free_pages(&mem), free0 - 1);
	cr_assert(buddy_sanity(&mem));
}

static unsigned long hook_calls;

static unsigned long give_back(struct memory *m, void *arg, gfp_t gfp,
			       unsigned int order)
{
	struct page **stash = arg;

	hook_calls++;
	if (!*stash)
		return 0;
	free_page(m, *stash);
	*stash = NULL;
	return 1;
}

Test(buddy, reclaim_hook_runs_before_failing)
{
	struct page **list = NULL, *stash, *p;
	unsigned long cap = 0;

	boot(16 << 20, 1);
	drain(GFP_KERNEL, &list, &cap, 0);
	/* Keep one page aside for the "reclaimer", then hit the wall. */
	stash = drain(GFP_ATOMIC, &list, &cap, 0) ? list[0] : NULL;
	cr_assert_not_null(stash);
	mem.reclaim_hook = give_back;
	mem.reclaim_arg = &stash;
	p = alloc_page(&mem, GFP_ATOMIC | __GFP_NOWARN);
	cr_assert_null(p, "atomic allocations do not reclaim");
	cr_assert_eq(hook_calls, 0);
	p = alloc_page(&mem, GFP_ATOMIC | __GFP_DIRECT_RECLAIM);
	cr_assert_not_null(p);
	cr_assert_eq(hook_calls, 1);
	cr_assert_gt(mem.vm_events[ALLOCSTALL_NORMAL], 0);
	/* No progress: one more call, then failure. */
	cr_assert_null(alloc_page(&mem, GFP_ATOMIC | __GFP_DIRECT_RECLAIM |
						__GFP_NOWARN));
	cr_assert_eq(hook_calls, 2);
	free(list);
}

Test(buddy, orders_and_limits)
{
	struct page *p;

	boot(32 << 20, 1);
	cr_assert_null(alloc_pages(&mem, GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1));
	p = alloc_pages(&mem, GFP_KERNEL, MAX_ORDER);
	cr_assert_not_null(p);
	cr_assert_eq(page_to_pfn(&mem, p) % (1u << MAX_ORDER), 0);
	cr_assert_eq(mem.alloc_order[MAX_ORDER], 1);
	__free_pages(&mem, p, MAX_ORDER);
	cr_assert_eq(mem.free_order[MAX_ORDER], 1);
	cr_assert(buddy_sanity(&mem));
	cr_assert_eq(virt_to_page(&mem, (char *)page_address(&mem, p) + 100), p);
	cr_assert(pfn_valid(&mem, 0));
	cr_assert_not(pfn_valid(&mem, phys.nr_frames));
}

Test(buddy, gfp_flag_names)
{
	char buf[128];

	cr_assert_str_eq(gfp_flags_string(GFP_KERNEL, buf, sizeof(buf)),
			 "GFP_KERNEL");
	cr_assert_str_eq(gfp_flags_string(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, buf,
					  sizeof(buf)),
			 "GFP_HIGHUSER_MOVABLE|__GFP_ZERO");
	cr_assert_str_eq(gfp_flags_string(GFP_ATOMIC, buf, sizeof(buf)),
			 "GFP_ATOMIC");
	cr_assert_eq(gfp_zone(GFP_DMA), ZONE_DMA);
	cr_assert_eq(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	cr_assert_eq(gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
}
