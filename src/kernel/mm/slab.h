/*
 * The slab allocator (SLUB-like, Linux names): caches of equal-sized
 * objects carved out of buddy pages, and kmalloc on top of size classes.
 *
 * Objects live in emulated RAM, in lowmem slab pages (never HighMem); the
 * pointers handed out are host pointers into guest RAM (page_address +
 * offset).  Each slab is a 2^order block whose head page is PG_slab with
 * slab_cache = its cache, freelist = first free object (a free object's
 * first word -- or, under CONFIG_DEBUG_MM, the word after its redzone --
 * holds the next free object) and private = objects in use.  A cache keeps
 * its slabs on three lists: full, partial and free (empty).  At most
 * min_partial empty slabs are kept; the rest go back to the buddy.
 *
 * The kmem_cache structs themselves come from the boot "kmem_cache" cache,
 * bootstrapped as Linux does (a cache on the stack allocates its own copy).
 * Slab pages are counted in NR_SLAB_RECLAIMABLE_B (SLAB_RECLAIM_ACCOUNT
 * caches) or NR_SLAB_UNRECLAIMABLE_B, in pages.
 *
 * Under CONFIG_DEBUG_MM every object is followed by an 8-byte redzone
 * (0xbb free, 0xcc allocated) and freed objects are filled with 0x6b
 * ending in 0xa5; kmem_cache_alloc checks the poison and kmem_cache_free
 * the redzone, logging "BUG <cache>: ..." and counting mem->slab_errors.
 */
#ifndef MMULAB_KERNEL_SLAB_H
#define MMULAB_KERNEL_SLAB_H

#include "kernel/mm/mmzone.h"

#define SLAB_HWCACHE_ALIGN 0x00002000ul	  /* align objects to 64 bytes */
#define SLAB_PANIC 0x00040000ul		  /* abort if creation fails */
#define SLAB_RECLAIM_ACCOUNT 0x00020000ul /* count as SReclaimable */
#define SLAB_ACCOUNT 0x04000000ul	  /* accepted, ignored */

#define KMALLOC_MAX_CACHE_SIZE 8192  /* larger kmallocs use alloc_pages */
#define SLAB_MAX_ORDER 3	     /* slub_max_order */
#define SLAB_CACHE_LINE 64
#define KMEM_CACHE_NAME_LEN 32

/* kmalloc(0) returns this: not NULL, but every access faults. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache {
	/* ---- read-only after creation ---- */
	struct memory *mem;
	char name[KMEM_CACHE_NAME_LEN];
	unsigned int object_size; /* bytes the user asked for */
	unsigned int size;	  /* stride between objects (with metadata) */
	unsigned int align;
	unsigned int offset;	  /* where the free pointer sits */
	unsigned int order;	  /* pages per slab = 1 << order */
	unsigned int objects;	  /* objects per slab */
	unsigned long flags;
	unsigned int min_partial; /* empty slabs kept before freeing */
	/* ---- private: state ---- */
	struct list_head list;	  /* in mem->slab_caches */
	struct list_head partial; /* slabs with free and used objects */
	struct list_head full;	  /* slabs without a free object */
	struct list_head free;	  /* empty slabs kept for reuse */
	unsigned long nr_partial, nr_full, nr_free;
	unsigned long nr_inuse;	  /* objects allocated */
	unsigned long alloc_count, free_count; /* lifetime operations */
	int refcount;
};

/*
 * Create the slab allocator: the "kmem_cache" cache and the kmalloc-N
 * caches.  Called by mem_boot.  0 or -ENOMEM.
 */
int kmem_cache_init(struct memory *mem) __must_check;

/*
 * A cache of @size-byte objects aligned to @align (0 = 8;
 * SLAB_HWCACHE_ALIGN rounds up to 64).  @name is copied (truncated to 31
 * chars).  Returns NULL on failure (aborts with SLAB_PANIC) or when @size is
 * 0 or too large for an order-3 slab.
 */
struct kmem_cache *kmem_cache_create(struct memory *mem, const char *name,
				     size_t size, size_t align,
				     unsigned long flags);

/*
 * Allocate one object; __GFP_ZERO zeroes it.  NULL when a new slab was
 * needed and the buddy allocator refused it.
 */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp) __must_check;
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp) __must_check;

/* Free an object of @s (NULL is ignored).  Aborts on a foreign pointer. */
void kmem_cache_free(struct kmem_cache *s, void *obj);

/*
 * Free every empty slab of @s to the buddy allocator.  Returns the number
 * of slabs freed.
 */
int kmem_cache_shrink(struct kmem_cache *s);

/* kmem_cache_shrink on every cache (drop_caches 2).  Returns slabs freed. */
unsigned long kmem_cache_shrink_all(struct memory *mem);

/*
 * Destroy @s.  With objects still allocated this logs "kmem_cache_destroy
 * <name>: Slab cache still has objects" and keeps the cache (as Linux).
 */
void kmem_cache_destroy(struct kmem_cache *s);

/*
 * kmalloc: the smallest of kmalloc-8, -16, -32, -64, -96, -128, -192, -256,
 * -512, -1024, -2048, -4096, -8192 that fits; larger sizes get whole
 * lowmem pages (order = ceil(log2(pages))) from the buddy allocator.
 * kmalloc(0) returns ZERO_SIZE_PTR.  NULL on failure.
 */
void *kmalloc(struct memory *mem, size_t size, gfp_t gfp) __must_check;
void *kzalloc(struct memory *mem, size_t size, gfp_t gfp) __must_check;

/* Free a kmalloc'ed (or kmem_cache_alloc'ed) pointer; NULL/ZERO ok. */
void kfree(struct memory *mem, const void *obj);

/* Usable size of a kmalloc'ed object (its class size). */
size_t ksize(struct memory *mem, const void *obj);

/* The kmalloc cache used for @size bytes, or NULL above 8192. */
struct kmem_cache *kmalloc_slab(struct memory *mem, size_t size);

/* Find a cache by name, or NULL. */
struct kmem_cache *kmem_cache_find(struct memory *mem, const char *name);

/*
 * Check a cache's lists: counts match, every slab is PG_slab and owned by
 * @s, free-list lengths agree with inuse.  Logs the first problem.
 */
bool kmem_cache_sanity(struct kmem_cache *s);

#endif
