/*
 * Unit tests for the slab allocator and kmalloc (src/kernel/slab.c) over a
 * booted struct memory.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "kernel/mm/mmzone.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/vmstat.h"

#ifdef CONFIG_DEBUG_MM
#define SLAB_DEBUG 1
#define SLAB_DEBUG_STRIDE 120u /* 104 + redzone 8 + free pointer 8 */
#else
#define SLAB_DEBUG 0
#define SLAB_DEBUG_STRIDE 104u
#endif

static struct phys phys;
static struct memory mem;
static struct klog *klog;

static void setup(void)
{
	struct mem_boot_config cfg;

	mem_default_boot_config(&cfg);
	cr_assert_eq(phys_init(&phys, 32 << 20), 0);
	klog = klog_new();
	cr_assert_eq(mem_boot(&mem, &phys, klog, &cfg), 0);
}

static void teardown(void)
{
	mem_shutdown(&mem);
	phys_destroy(&phys);
	klog_free(klog);
}

TestSuite(slab, .init = setup, .fini = teardown);

static bool in_guest_ram(const void *p, size_t len)
{
	const uint8_t *b = p;

	return b >= phys.ram && b + len <= phys.ram + phys.size;
}

static unsigned long nr_slabs(const struct kmem_cache *s)
{
	return s->nr_full + s->nr_partial + s->nr_free;
}

Test(slab, boot_caches_exist)
{
	char name[32];
	unsigned int sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512,
				 1024, 2048, 4096, 8192 };
	size_t i;
	struct kmem_cache *kc = kmem_cache_find(&mem, "kmem_cache");

	cr_assert_not_null(kc);
	cr_assert_eq(kc, mem.kmem_cache);
	/* The kmem_cache cache holds its own descriptor, in guest RAM. */
	cr_assert(in_guest_ram(kc, sizeof(*kc)));
	cr_assert_eq(virt_to_page(&mem, kc)->slab_cache, kc);
	cr_assert(kmem_cache_sanity(kc));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct kmem_cache *s;

		snprintf(name, sizeof(name), "kmalloc-%u", sizes[i]);
		s = kmem_cache_find(&mem, name);
		cr_assert_not_null(s, "%s", name);
		cr_assert_eq(s->object_size, sizes[i]);
		cr_assert(in_guest_ram(s, sizeof(*s)));
		cr_assert_eq(virt_to_page(&mem, s)->slab_cache, kc);
	}
}

Test(slab, object_reuse)
{
	struct kmem_cache *s = kmem_cache_create(&mem, "reuse", 40, 0, 0);
	void *a, *b, *c;

	cr_assert_not_null(s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_not_null(a);
	cr_assert_neq(a, b);
	cr_assert_eq((char *)b - (char *)a, s->size);
	kmem_cache_free(s, a);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(c, a, "LIFO freelist hands back the freed slot");
	cr_assert_eq(s->nr_inuse, 2);
	cr_assert(kmem_cache_sanity(s));
}

Test(slab, objects_live_in_guest_lowmem)
{
	struct kmem_cache *s = kmem_cache_create(&mem, "where", 200, 0, 0);
	struct page *page;
	void *o = kmem_cache_alloc(s, GFP_HIGHUSER); /* HighMem is ignored */

	cr_assert_not_null(o);
	cr_assert(in_guest_ram(o, 200));
	page = virt_to_page(&mem, o);
	cr_assert(PageSlab(page));
	cr_assert_not(PageHighMem(page));
	cr_assert_eq(page->slab_cache, s);
	cr_assert_eq(page->private, 1);
	cr_assert_eq(page_count(page), 1);
}

Test(slab, growth_and_shrink)
{
	struct kmem_cache *s = kmem_cache_create(&mem, "grow", 256, 0, 0);
	static void *objs[2000];
	unsigned long free0, unrecl0, per, slabs;
	int i;

	cr_assert_not_null(s);
	per = s->objects;
	cr_assert_eq(per, PAGE_SIZE / s->size);
	cr_assert_eq(s->size, SLAB_DEBUG ? 272 : 256);
	cr_assert_eq(s->order, 0);
	free0 = nr_free_pages(&mem);
	unrecl0 = global_node_page_state(&mem, NR_SLAB_UNRECLAIMABLE_B);
	for (i = 0; i < 2000; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		cr_assert_not_null(objs[i]);
	}
	slabs = (2000 + per - 1) / per;
	cr_assert_eq(nr_slabs(s), slabs);
	cr_assert_eq(s->nr_full, 2000 / per);
	cr_assert_eq(global_node_page_state(&mem, NR_SLAB_UNRECLAIMABLE_B),
		     unrecl0 + slabs);
	cr_assert_eq(nr_free_pages(&mem), free0 - slabs);
	cr_assert(kmem_cache_sanity(s));
	for (i = 0; i < 2000; i++)
		kmem_cache_free(s, objs[i]);
	cr_assert(kmem_cache_sanity(s));
	cr_assert_eq(s->nr_inuse, 0);
	/* Empty slabs beyond min_partial went straight back. */
	cr_assert_eq(s->nr_free, s->min_partial);
	cr_assert_eq(nr_slabs(s), s->min_partial);
	cr_assert_eq(kmem_cache_shrink(s), (int)s->min_partial);
	cr_assert_eq(nr_slabs(s), 0);
	cr_assert_eq(nr_free_pages(&mem), free0);
	cr_assert_eq(global_node_page_state(&mem, NR_SLAB_UNRECLAIMABLE_B),
		     unrecl0);
	cr_assert(buddy_sanity(&mem));
}

Test(slab, reclaimable_accounting_and_destroy)
{
	struct kmem_cache *s = kmem_cache_create(&mem, "dentry-ish", 192, 0,
						 SLAB_RECLAIM_ACCOUNT);
	unsigned long r0 = global_node_page_state(&mem, NR_SLAB_RECLAIMABLE_B);
	unsigned long free0 = nr_free_pages(&mem);
	void *o = kmem_cache_alloc(s, GFP_KERNEL);
	struct seq t = { 0 };

	cr_assert_eq(global_node_page_state(&mem, NR_SLAB_RECLAIMABLE_B), r0 + 1);
	/* Destroying a cache in use is refused and logged. */
	kmem_cache_destroy(s);
	cr_assert_eq(kmem_cache_find(&mem, "dentry-ish"), s);
	klog_dump(klog, &t);
	cr_assert(strstr(seq_text(&t), "kmem_cache_destroy dentry-ish: Slab cache "
				       "still has objects"));
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
	cr_assert_null(kmem_cache_find(&mem, "dentry-ish"));
	cr_assert_eq(global_node_page_state(&mem, NR_SLAB_RECLAIMABLE_B), r0);
	cr_assert_eq(nr_free_pages(&mem), free0);
	seq_free(&t);
}

static const char *cache_of(const void *p)
{
	return compound_head(virt_to_page(&mem, p))->slab_cache->name;
}

Test(slab, kmalloc_size_classes)
{
	static const struct {
		size_t size;
		const char *cache;
	} cases[] = {
		{ 1, "kmalloc-8" },	  { 8, "kmalloc-8" },
		{ 9, "kmalloc-16" },	  { 33, "kmalloc-64" },
		{ 65, "kmalloc-96" },	  { 96, "kmalloc-96" },
		{ 97, "kmalloc-128" },	  { 129, "kmalloc-192" },
		{ 193, "kmalloc-256" },	  { 257, "kmalloc-512" },
		{ 1000, "kmalloc-1024" }, { 2048, "kmalloc-2048" },
		{ 4097, "kmalloc-8192" }, { 8192, "kmalloc-8192" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		void *p = kmalloc(&mem, cases[i].size, GFP_KERNEL);

		cr_assert_not_null(p);
		cr_assert(in_guest_ram(p, cases[i].size));
		cr_assert_str_eq(cache_of(p), cases[i].cache, "size %zu",
				 cases[i].size);
		cr_assert_eq(kmalloc_slab(&mem, cases[i].size)->name[0], 'k');
		cr_assert_geq(ksize(&mem, p), cases[i].size);
		kfree(&mem, p);
	}
	cr_assert_eq(kmalloc(&mem, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(&mem, ZERO_SIZE_PTR);
	kfree(&mem, NULL);
	/* Order-3 slabs for the biggest class (slub_max_order). */
	cr_assert_eq(kmem_cache_find(&mem, "kmalloc-8192")->order, 3);
	cr_assert_eq(kmem_cache_find(&mem, "kmalloc-8192")->objects,
		     SLAB_DEBUG ? 3 : 4);
}

Test(slab, large_kmalloc_uses_pages)
{
	unsigned long free0 = nr_free_pages(&mem);
	unsigned long u0 = global_node_page_state(&mem, NR_SLAB_UNRECLAIMABLE_B);
	void *p = kmalloc(&mem, 8193, GFP_KERNEL);
	struct page *page;
	unsigned char *b;

	cr_assert_not_null(p);
	page = virt_to_page(&mem, p);
	cr_assert(PageHead(page));
	cr_assert_not(PageSlab(page));
	cr_assert(PageTail(page + 3));
	cr_assert_eq(compound_head(page + 3), page);
	cr_assert_eq(ksize(&mem, p), 16384);
	cr_assert_eq(nr_free_pages(&mem), free0 - 4);
	cr_assert_eq(global_node_page_state(&mem, NR_SLAB_UNRECLAIMABLE_B), u0 + 4);
	kfree(&mem, p);
	cr_assert_eq(nr_free_pages(&mem), free0);
	cr_assert_eq(global_node_page_state(&mem, NR_SLAB_UNRECLAIMABLE_B), u0);
	cr_assert_not(PageTail(page + 3));
	cr_assert(buddy_sanity(&mem));
	b = kzalloc(&mem, 20000, GFP_KERNEL);
	cr_assert_not_null(b);
	cr_assert_eq(b[19999], 0);
	kfree(&mem, b);
}

Test(slab, kzalloc_zeroes)
{
	unsigned char *p = kmalloc(&mem, 100, GFP_KERNEL);
	int i;

	memset(p, 0x5a, 100);
	kfree(&mem, p);
	p = kzalloc(&mem, 100, GFP_KERNEL);
	for (i = 0; i < 100; i++)
		cr_assert_eq(p[i], 0);
	kfree(&mem, p);
}

Test(slab, slabinfo_row)
{
	struct kmem_cache *s = kmem_cache_create(&mem, "test_cache", 100, 0, 0);
	struct seq t = { 0 };
	char row[256];
	void *o[3];
	int i;

	for (i = 0; i < 3; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	show_slabinfo(&mem, &t);
	cr_assert(strncmp(seq_text(&t), "slabinfo - version: 2.1\n"
					"# name            <active_objs> <num_objs> "
					"<objsize> <objperslab> <pagesperslab> : "
					"tunables <limit> <batchcount> "
					"<sharedfactor> : slabdata <active_slabs> "
					"<num_slabs> <sharedavail>\n", 200) == 0);
	/* 100 bytes -> 104-byte stride, 39 per 4 KiB page (debug: 120, 34). */
	snprintf(row, sizeof(row),
		 "\n%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : "
		 "slabdata %6lu %6lu %6lu\n", "test_cache", 3ul,
		 (unsigned long)(4096 / SLAB_DEBUG_STRIDE), SLAB_DEBUG_STRIDE,
		 4096 / SLAB_DEBUG_STRIDE, 1, 0u, 0u, 0u, 1ul, 1ul, 0ul);
	cr_assert(strstr(seq_text(&t), row), "want%s in:\n%s", row, seq_text(&t));
	cr_assert(strstr(seq_text(&t), "\nkmalloc-8192        "));
	/* Newest first, as Linux's slab_caches list. */
	cr_assert(strstr(seq_text(&t), "test_cache") <
		  strstr(seq_text(&t), "kmalloc-8 "));
	for (i = 0; i < 3; i++)
		kmem_cache_free(s, o[i]);
	seq_free(&t);
}

Test(slab, random_ops_keep_caches_sane)
{
	static void *held[1500];
	static size_t sizes[1500];
	uint32_t x = 12345;
	int n = 0, step;

	for (step = 0; step < 20000; step++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		if (n < 1500 && (n == 0 || (x & 3))) {
			size_t sz = 1 + (x >> 8) % 3000;

			held[n] = kmalloc(&mem, sz, GFP_KERNEL);
			cr_assert_not_null(held[n]);
			memset(held[n], (int)(step & 0xff), sz);
			sizes[n++] = sz;
		} else {
			int i = (int)((x >> 4) % (uint32_t)n);

			kfree(&mem, held[i]);
			held[i] = held[--n];
			sizes[i] = sizes[n];
		}
	}
	for (step = 0; step < KMALLOC_NR_CACHES; step++)
		cr_assert(kmem_cache_sanity(mem.kmalloc_caches[step]));
	while (n)
		kfree(&mem, held[--n]);
	for (step = 0; step < KMALLOC_NR_CACHES; step++) {
		cr_assert(kmem_cache_sanity(mem.kmalloc_caches[step]));
		cr_assert_eq(mem.kmalloc_caches[step]->nr_inuse, 0);
	}
	cr_assert(kmem_cache_shrink_all(&mem) > 0);
	cr_assert(buddy_sanity(&mem));
	cr_assert_eq(mem.slab_errors, 0);
	(void)sizes;
}

Test(slab, slab_page_failure_returns_null)
{
	struct kmem_cache *s = kmem_cache_create(&mem, "fail", 1024, 0, 0);
	void *o;

	mem.fail_nth = 1;
	o = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN);
	cr_assert_null(o);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_not_null(o);
	kmem_cache_free(s, o);
}

Test(slab, hwcache_align)
{
	struct kmem_cache *s = kmem_cache_create(&mem, "aligned", 40, 0,
						 SLAB_HWCACHE_ALIGN);
	void *a = kmem_cache_alloc(s, GFP_KERNEL);
	void *b = kmem_cache_alloc(s, GFP_KERNEL);

	cr_assert_eq(s->align, 64);
	cr_assert_eq(((uint8_t *)a - phys.ram) % 64, 0);
	cr_assert_eq(((uint8_t *)b - phys.ram) % 64, 0);
}

Test(slab, debug_poisoning)
{
#ifdef CONFIG_DEBUG_MM
	struct kmem_cache *s = kmem_cache_create(&mem, "poison", 50, 0, 0);
	unsigned char *o = kmem_cache_alloc(s, GFP_KERNEL);
	unsigned char *o2;
	int i;

	kmem_cache_free(s, o);
	for (i = 0; i < 49; i++)
		cr_assert_eq(o[i], 0x6b);
	cr_assert_eq(o[49], 0xa5);
	/* Use after free is caught at the next allocation of the slot. */
	o[3] = 0;
	o2 = kmem_cache_alloc(s, GFP_KERNEL);
	cr_assert_eq(o2, o);
	cr_assert_eq(mem.slab_errors, 1);
	/* An overflow into the redzone is caught at free. */
	o2[50] = 0;
	kmem_cache_free(s, o2);
	cr_assert_eq(mem.slab_errors, 2);
#else
	cr_skip_test("configure --enable-debug-mm to test poisoning");
#endif
}
