/*
 * Slab allocator, SLUB-like: one freelist per slab threaded through the free
 * objects, slabs on per-cache partial / full / free lists (one node, no
 * per-cpu slabs: the guest kernel is single-threaded).
 *
 * Object layout (stride s->size):
 *
 *   default:          | object (free pointer in its first word when free) |
 *   CONFIG_DEBUG_MM:  | object | redzone to inuse + 8 | free pointer | pad |
 *
 * where inuse = ALIGN(object_size, 8).  Debug poisoning follows Linux:
 * POISON_FREE 0x6b over a free object, POISON_END 0xa5 in its last byte,
 * SLUB_RED_INACTIVE 0xbb / SLUB_RED_ACTIVE 0xcc in the redzone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "kernel/mm/slab.h"
#include "trace/event.h"

#define POISON_FREE 0x6b
#define POISON_END 0xa5
#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc
#define REDZONE_BYTES 8u
#define FREEPTR_BYTES ((unsigned int)sizeof(void *))

static const unsigned int kmalloc_sizes[KMALLOC_NR_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

#ifdef CONFIG_DEBUG_MM
#define SLAB_DEBUG 1
#else
#define SLAB_DEBUG 0
#endif

static inline void *get_freepointer(const struct kmem_cache *s, void *obj)
{
	void *next;

	memcpy(&next, (char *)obj + s->offset, sizeof(next));
	return next;
}

static inline void set_freepointer(const struct kmem_cache *s, void *obj,
				   void *next)
{
	memcpy((char *)obj + s->offset, &next, sizeof(next));
}

static unsigned int ilog2_u(unsigned long x)
{
	unsigned int r = 0;

	while (x >>= 1)
		r++;
	return r;
}

/* Fill in sizes, order and objects.  Returns -EINVAL when nothing fits. */
static int calculate_sizes(struct kmem_cache *s, size_t size, size_t align)
{
	unsigned long stride, inuse;
	unsigned int order;

	if (!size || size > ((size_t)PAGE_SIZE << SLAB_MAX_ORDER))
		return -EINVAL;
	if (!align)
		align = sizeof(void *);
	if (s->flags & SLAB_HWCACHE_ALIGN) {
		size_t ralign = SLAB_CACHE_LINE;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	align = ALIGN_UP(align, sizeof(void *));
	if (align & (align - 1))
		return -EINVAL;
	inuse = ALIGN_UP(size, sizeof(void *));
	if (SLAB_DEBUG) {
		s->offset = (unsigned int)inuse + REDZONE_BYTES;
		stride = s->offset + FREEPTR_BYTES;
	} else {
		s->offset = 0;
		stride = inuse;
	}
	stride = ALIGN_UP(stride, align);
	s->object_size = (unsigned int)size;
	s->size = (unsigned int)stride;
	s->align = (unsigned int)align;
	for (order = 0; order < SLAB_MAX_ORDER; order++)
		if (((unsigned long)PAGE_SIZE << order) / stride >= 8)
			break;
	if (((unsigned long)PAGE_SIZE << order) / stride < 1)
		return -EINVAL;
	s->order = order;
	s->objects = (unsigned int)(((unsigned long)PAGE_SIZE << order) / stride);
	s->min_partial = ilog2_u(s->size) / 2;
	if (s->min_partial < 5)
		s->min_partial = 5;
	if (s->min_partial > 10)
		s->min_partial = 10;
	return 0;
}

static int init_cache(struct memory *mem, struct kmem_cache *s,
		      const char *name, size_t size, size_t align,
		      unsigned long flags)
{
	memset(s, 0, sizeof(*s));
	s->mem = mem;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->flags = flags;
	INIT_LIST_HEAD(&s->list);
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	INIT_LIST_HEAD(&s->free);
	s->refcount = 1;
	return calculate_sizes(s, size, align);
}

static inline enum node_stat_item slab_stat(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B
						 : NR_SLAB_UNRECLAIMABLE_B;
}

/* Mark pages 1..2^order-1 of a block as tails of @head (and @head). */
static void set_compound(struct page *head, unsigned int order)
{
	unsigned long i;

	if (!order)
		return;
	SetPageHead(head);
	for (i = 1; i < (1ul << order); i++) {
		SetPageTail(head + i);
		head[i].private = i;
	}
}

static void clear_compound(struct page *head, unsigned int order)
{
	unsigned long i;

	ClearPageHead(head);
	for (i = 1; i < (1ul << order); i++) {
		ClearPageTail(head + i);
		head[i].private = 0;
	}
}

static void slab_report(struct kmem_cache *s, const void *obj,
			const char *what)
{
	printk(s->mem->log, "BUG %s (Not tainted): %s\n"
	       "INFO: Object 0x%p @offset=%lu\n", s->name, what, obj,
	       (unsigned long)(((uintptr_t)obj) & ((PAGE_SIZE << s->order) - 1)));
	s->mem->slab_errors++;
}

static void poison_object(const struct kmem_cache *s, void *obj)
{
	unsigned char *p = obj;
	unsigned int inuse = ALIGN_UP(s->object_size, (unsigned int)sizeof(void *));

	memset(p, POISON_FREE, s->object_size - 1);
	p[s->object_size - 1] = POISON_END;
	memset(p + s->object_size, SLUB_RED_INACTIVE,
	       inuse + REDZONE_BYTES - s->object_size);
}

static bool check_bytes(const unsigned char *p, unsigned char v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* Debug: an object leaving the freelist must still be poisoned. */
static void check_alloc(struct kmem_cache *s, void *obj)
{
	unsigned char *p = obj;
	unsigned int inuse = ALIGN_UP(s->object_size, (unsigned int)sizeof(void *));
	size_t rz = inuse + REDZONE_BYTES - s->object_size;

	if (!check_bytes(p, POISON_FREE, s->object_size - 1) ||
	    p[s->object_size - 1] != POISON_END)
		slab_report(s, obj, "Poison overwritten");
	if (!check_bytes(p + s->object_size, SLUB_RED_INACTIVE, rz))
		slab_report(s, obj, "Redzone overwritten");
	memset(p + s->object_size, SLUB_RED_ACTIVE, rz);
}

/* Debug: returns false for a double free (then the free is skipped). */
static bool check_free(struct kmem_cache *s, void *obj)
{
	unsigned char *p = obj;
	unsigned int inuse = ALIGN_UP(s->object_size, (unsigned int)sizeof(void *));
	size_t rz = inuse + REDZONE_BYTES - s->object_size;

	if (check_bytes(p + s->object_size, SLUB_RED_INACTIVE, rz)) {
		slab_report(s, obj, "Object already free");
		return false;
	}
	if (!check_bytes(p + s->object_size, SLUB_RED_ACTIVE, rz))
		slab_report(s, obj, "Redzone overwritten");
	return true;
}

/* Allocate and format a new slab; it is put on s->partial. */
static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct memory *mem = s->mem;
	struct page *page;
	char *base;
	unsigned int i;

	gfp &= ~(__GFP_HIGHMEM | __GFP_ZERO | __GFP_MOVABLE | __GFP_DMA);
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		gfp |= __GFP_RECLAIMABLE;
	page = alloc_pages(mem, gfp, s->order);
	if (!page)
		return NULL;
	set_compound(page, s->order);
	SetPageSlab(page);
	page->slab_cache = s;
	page->private = 0;
	base = page_address(mem, page);
	for (i = 0; i < s->objects; i++) {
		char *obj = base + (size_t)i * s->size;

		if (SLAB_DEBUG)
			poison_object(s, obj);
		set_freepointer(s, obj,
				i + 1 < s->objects ? obj + s->size : NULL);
	}
	page->freelist = base;
	mod_node_page_state(mem, page, slab_stat(s), 1l << s->order);
	list_add(&page->lru, &s->partial);
	s->nr_partial++;
	return page;
}

/* Give an empty slab (already off every list) back to the buddy. */
static void discard_slab(struct kmem_cache *s, struct page *page)
{
	struct memory *mem = s->mem;

	mod_node_page_state(mem, page, slab_stat(s), -(1l << s->order));
	clear_compound(page, s->order);
	ClearPageSlab(page);
	page->slab_cache = NULL;
	page->freelist = NULL;
	page->private = 0;
	__free_pages(mem, page, s->order);
}

/* kmem:kmem_cache_alloc/free: the object's guest physical address. */
static void __cold slab_event(struct kmem_cache *s, unsigned type,
			      const void *obj, gfp_t gfp)
{
	gpa_t pa = (gpa_t)((const uint8_t *)obj - s->mem->phys->ram);

	trace_emit(s->mem->trace, &(struct trace_event){
		.type = (uint16_t)type, .flags = TEV_PHYS, .addr = pa,
		.arg = { s->object_size, s->size, gfp }, .str = s->name });
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	struct page *page;
	void *obj;

	if (likely(!list_empty(&s->partial))) {
		page = list_first_entry(&s->partial, struct page, lru);
	} else if (!list_empty(&s->free)) {
		page = list_first_entry(&s->free, struct page, lru);
		list_move(&page->lru, &s->partial);
		s->nr_free--;
		s->nr_partial++;
	} else {
		page = new_slab(s, gfp);
		if (!page)
			return NULL;
	}
	obj = page->freelist;
	page->freelist = get_freepointer(s, obj);
	page->private++;
	if (!page->freelist) {
		list_move(&page->lru, &s->full);
		s->nr_partial--;
		s->nr_full++;
	}
	s->nr_inuse++;
	s->alloc_count++;
	if (SLAB_DEBUG)
		check_alloc(s, obj);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	if (s->mem->trace && trace_on(s->mem->trace, EV_SLAB_ALLOC))
		slab_event(s, EV_SLAB_ALLOC, obj, gfp);
	return obj;
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}

static void __noinline __cold slab_bug(struct kmem_cache *s, const void *obj,
				       const char *what)
{
	fprintf(stderr, "mmulab: kernel BUG: %s: %s object %p\n",
		s ? s->name : "?", what, obj);
	abort();
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct memory *mem = s->mem;
	struct page *page;
	size_t off;
	bool was_full;

	if (!obj)
		return;
	page = compound_head(virt_to_page(mem, obj));
	if (!PageSlab(page) || page->slab_cache != s)
		slab_bug(s, obj, "wrong slab cache for");
	off = (size_t)((char *)obj - (char *)page_address(mem, page));
	if (off % s->size || off / s->size >= s->objects)
		slab_bug(s, obj, "invalid pointer to");
	if (obj == page->freelist)
		slab_bug(s, obj, "double free of");
	if (mem->trace && trace_on(mem->trace, EV_SLAB_FREE))
		slab_event(s, EV_SLAB_FREE, obj, 0);
	if (SLAB_DEBUG) {
		if (!check_free(s, obj))
			return;
		poison_object(s, obj);
	}
	set_freepointer(s, obj, page->freelist);
	page->freelist = obj;
	was_full = page->private == s->objects;
	page->private--;
	s->nr_inuse--;
	s->free_count++;
	if (was_full) {
		list_move(&page->lru, &s->partial);
		s->nr_full--;
		s->nr_partial++;
	}
	if (page->private == 0) {
		s->nr_partial--;
		if (s->nr_free < s->min_partial) {
			list_move(&page->lru, &s->free);
			s->nr_free++;
		} else {
			list_del(&page->lru);
			discard_slab(s, page);
		}
	}
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	struct page *page, *next;
	int n = 0;

	list_for_each_entry_safe(page, next, &s->free, lru) {
		list_del(&page->lru);
		s->nr_free--;
		discard_slab(s, page);
		n++;
	}
	return n;
}

unsigned long kmem_cache_shrink_all(struct memory *mem)
{
	struct kmem_cache *s;
	unsigned long n = 0;

	list_for_each_entry(s, &mem->slab_caches, list)
		n += (unsigned long)kmem_cache_shrink(s);
	return n;
}

struct kmem_cache *kmem_cache_create(struct memory *mem, const char *name,
				     size_t size, size_t align,
				     unsigned long flags)
{
	struct kmem_cache tmp, *s = NULL;

	if (init_cache(mem, &tmp, name, size, align, flags))
		goto fail;
	s = kmem_cache_alloc(mem->kmem_cache, GFP_KERNEL);
	if (!s)
		goto fail;
	memcpy(s, &tmp, sizeof(*s));
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	INIT_LIST_HEAD(&s->free);
	list_add(&s->list, &mem->slab_caches);
	return s;
fail:
	printk(mem->log, "kmem_cache_create(%s) failed with error %d\n", name,
	       -ENOMEM);
	if (flags & SLAB_PANIC) {
		fprintf(stderr, "mmulab: kernel panic: kmem_cache_create: "
			"Failed to create slab '%s'\n", name);
		abort();
	}
	return NULL;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	struct memory *mem;

	if (!s)
		return;
	mem = s->mem;
	if (--s->refcount > 0)
		return;
	if (s->nr_inuse || s == mem->kmem_cache) {
		printk(mem->log, "kmem_cache_destroy %s: Slab cache still has "
		       "objects when called from kmem_cache_destroy\n", s->name);
		s->refcount++;
		return;
	}
	kmem_cache_shrink(s);
	list_del(&s->list);
	kmem_cache_free(mem->kmem_cache, s);
}

/* Index into kmalloc_sizes for @size (1..8192). */
static unsigned int kmalloc_index(size_t size)
{
	unsigned int i;

	if (size <= 8)
		return 0;
	if (size <= 16)
		return 1;
	if (size <= 32)
		return 2;
	if (size <= 64)
		return 3;
	if (size <= 96)
		return 4;
	if (size <= 128)
		return 5;
	if (size <= 192)
		return 6;
	for (i = 7; kmalloc_sizes[i] < size; i++)
		;
	return i;
}

struct kmem_cache *kmalloc_slab(struct memory *mem, size_t size)
{
	if (!size || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return mem->kmalloc_caches[kmalloc_index(size)];
}

static unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	while (((size_t)PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *kmalloc(struct memory *mem, size_t size, gfp_t gfp)
{
	struct page *page;
	unsigned int order;

	if (!size)
		return ZERO_SIZE_PTR;
	if (likely(size <= KMALLOC_MAX_CACHE_SIZE))
		return kmem_cache_alloc(mem->kmalloc_caches[kmalloc_index(size)],
					gfp);
	order = get_order(size);
	if (order > MAX_ORDER)
		return NULL;
	page = alloc_pages(mem, gfp & ~(__GFP_HIGHMEM | __GFP_MOVABLE), order);
	if (!page)
		return NULL;
	set_compound(page, order);
	SetPageHead(page);
	page->private = order;
	mod_node_page_state(mem, page, NR_SLAB_UNRECLAIMABLE_B, 1l << order);
	return page_address(mem, page);
}

void *kzalloc(struct memory *mem, size_t size, gfp_t gfp)
{
	return kmalloc(mem, size, gfp | __GFP_ZERO);
}

void kfree(struct memory *mem, const void *obj)
{
	struct page *page;
	unsigned int order;

	if (ZERO_OR_NULL_PTR(obj))
		return;
	page = compound_head(virt_to_page(mem, obj));
	if (PageSlab(page)) {
		kmem_cache_free(page->slab_cache, (void *)obj);
		return;
	}
	if (!PageHead(page) || obj != page_address(mem, page))
		slab_bug(NULL, obj, "kfree of a non-kmalloc");
	order = (unsigned int)page->private;
	mod_node_page_state(mem, page, NR_SLAB_UNRECLAIMABLE_B, -(1l << order));
	clear_compound(page, order);
	page->private = 0;
	__free_pages(mem, page, order);
}

size_t ksize(struct memory *mem, const void *obj)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(obj))
		return 0;
	page = compound_head(virt_to_page(mem, obj));
	if (PageSlab(page))
		return page->slab_cache->object_size;
	return (size_t)PAGE_SIZE << page->private;
}

struct kmem_cache *kmem_cache_find(struct memory *mem, const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &mem->slab_caches, list)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static bool cache_fail(struct kmem_cache *s, const char *what)
{
	printk(s->mem->log, "kmem_cache_sanity: %s: %s\n", s->name, what);
	return false;
}

/* Check one list; inuse must satisfy lo <= inuse <= hi for each slab. */
static bool check_list(struct kmem_cache *s, struct list_head *head,
		       unsigned long nr, unsigned long lo, unsigned long hi,
		       unsigned long *inuse)
{
	struct page *page;
	unsigned long n = 0;

	list_for_each_entry(page, head, lru) {
		unsigned long nfree = 0;
		void *obj;

		n++;
		if (!PageSlab(page) || page->slab_cache != s)
			return cache_fail(s, "foreign page on a list");
		if (page->private < lo || page->private > hi)
			return cache_fail(s, "slab on the wrong list");
		for (obj = page->freelist; obj && nfree <= s->objects;
		     obj = get_freepointer(s, obj))
			nfree++;
		if (nfree + page->private != s->objects)
			return cache_fail(s, "freelist length != free objects");
		*inuse += page->private;
	}
	if (n != nr)
		return cache_fail(s, "list count mismatch");
	return true;
}

bool kmem_cache_sanity(struct kmem_cache *s)
{
	unsigned long inuse = 0;

	if (!check_list(s, &s->full, s->nr_full, s->objects, s->objects,
			&inuse) ||
	    !check_list(s, &s->partial, s->nr_partial, 1, s->objects - 1,
			&inuse) ||
	    !check_list(s, &s->free, s->nr_free, 0, 0, &inuse))
		return false;
	if (inuse != s->nr_inuse)
		return cache_fail(s, "nr_inuse mismatch");
	return true;
}

int kmem_cache_init(struct memory *mem)
{
	struct kmem_cache boot, *s;
	struct page *page;
	unsigned int i;

	INIT_LIST_HEAD(&mem->slab_caches);
	if (init_cache(mem, &boot, "kmem_cache", sizeof(struct kmem_cache), 0,
		       SLAB_HWCACHE_ALIGN))
		return -EINVAL;
	s = kmem_cache_zalloc(&boot, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	/*
	 * Bootstrap (mm/slub.c bootstrap()): copy the on-stack cache into
	 * the object it just allocated from itself, then move its lists and
	 * repoint its slabs at the copy.
	 */
	memcpy(s, &boot, sizeof(*s));
	if (list_empty(&boot.partial))
		INIT_LIST_HEAD(&s->partial);
	else
		list_replace(&boot.partial, &s->partial);
	if (list_empty(&boot.full))
		INIT_LIST_HEAD(&s->full);
	else
		list_replace(&boot.full, &s->full);
	INIT_LIST_HEAD(&s->free);
	list_for_each_entry(page, &s->partial, lru)
		page->slab_cache = s;
	list_for_each_entry(page, &s->full, lru)
		page->slab_cache = s;
	list_add(&s->list, &mem->slab_caches);
	mem->kmem_cache = s;

	for (i = 0; i < KMALLOC_NR_CACHES; i++) {
		char name[KMEM_CACHE_NAME_LEN];

		snprintf(name, sizeof(name), "kmalloc-%u", kmalloc_sizes[i]);
		mem->kmalloc_caches[i] = kmem_cache_create(mem, name,
							   kmalloc_sizes[i], 0,
							   0);
		if (!mem->kmalloc_caches[i])
			return -ENOMEM;
	}
	printk(mem->log, "SLUB: HWalign=%d, Order=0-%d, MinObjects=0, CPUs=1, "
	       "Nodes=%d\n", SLAB_CACHE_LINE, SLAB_MAX_ORDER, mem->nr_nodes);
	return 0;
}
