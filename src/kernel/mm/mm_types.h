/*
 * struct page, page flags and GFP flags of the guest kernel.
 *
 * There is one struct page per frame of guest RAM, in the mem_map array,
 * which itself lives in emulated RAM (allocated from memblock at boot, as
 * Linux does).  Fields are host-sized; the links are host pointers.
 *
 * Field use by state (Linux's overlays, simplified):
 *
 *   free (in the buddy)   PG_buddy on the head page of a free block,
 *                         private = its order, lru on the zone free list,
 *                         _refcount 0.
 *   allocated             _refcount >= 1 on the head page; PG_buddy clear.
 *   user-mapped           _mapcount = mappings - 1 (-1 = unmapped);
 *                         mapping = anon_vma | PAGE_MAPPING_ANON or an
 *                         address_space; index = page offset in it;
 *                         lru on an LRU list when PG_lru.
 *   slab                  PG_slab; slab_cache = owner; freelist = first
 *                         free object; private = objects in use; lru on
 *                         the cache's partial/full/free list.
 *   compound tail         PG_tail; private = pages back to the head page
 *                         (slabs and large kmalloc blocks of order > 0,
 *                         whose head has PG_head).
 *   reserved              PG_reserved, _refcount 1 (holes, kernel image,
 *                         mem_map, memblock allocations).
 *
 * The node id and zone index of a frame are encoded in the top bits of
 * flags (set once at boot), so page_zone() needs no search.
 */
#ifndef MMULAB_KERNEL_MM_TYPES_H
#define MMULAB_KERNEL_MM_TYPES_H

#include "kernel/lib/list.h"
#include "types.h"

struct kmem_cache;

/* ---- GFP flags (values of Linux 5.x include/linux/gfp.h) ---------------- */

typedef unsigned int gfp_t;

#define __GFP_DMA 0x01u		   /* only ZONE_DMA */
#define __GFP_HIGHMEM 0x02u	   /* ZONE_HIGHMEM allowed (and preferred) */
#define __GFP_MOVABLE 0x08u	   /* page can be migrated (user pages) */
#define __GFP_RECLAIMABLE 0x10u	   /* slab of a reclaimable cache */
#define __GFP_HIGH 0x20u	   /* high priority: may use half of min */
#define __GFP_IO 0x40u		   /* may start physical I/O */
#define __GFP_FS 0x80u		   /* may call into the filesystem */
#define __GFP_ZERO 0x100u	   /* return zeroed memory */
#define __GFP_ATOMIC 0x200u	   /* cannot sleep: may dip further below min */
#define __GFP_DIRECT_RECLAIM 0x400u /* may reclaim (calls reclaim_hook) */
#define __GFP_KSWAPD_RECLAIM 0x800u /* may wake kswapd */
#define __GFP_WRITE 0x1000u
#define __GFP_NOWARN 0x2000u	   /* no "page allocation failure" report */
#define __GFP_RETRY_MAYFAIL 0x4000u
#define __GFP_NOFAIL 0x8000u	   /* must not fail: ignores watermarks last */
#define __GFP_NORETRY 0x10000u
#define __GFP_MEMALLOC 0x20000u	   /* may use all reserves */
#define __GFP_COMP 0x40000u
#define __GFP_NOMEMALLOC 0x80000u
#define __GFP_HARDWALL 0x100000u
#define __GFP_THISNODE 0x200000u   /* only the requested node, no fallback */
#define __GFP_ACCOUNT 0x400000u

#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA (GFP_KERNEL | __GFP_DMA)
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/* ---- page flags ----------------------------------------------------------- */

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_slab,
	PG_reserved,
	PG_buddy,	/* head of a free buddy block (Linux: a page type) */
	PG_swapcache,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	PG_writeback,
	PG_pgtable,	/* holds a page table (Linux: a page type) */
	PG_anon_exclusive,
	PG_head,	/* first page of a compound block */
	PG_tail,	/* other pages of a compound block */
	PG_readahead,
	PG_reclaim,
	PG_workingset,
	PG_private,
	__NR_PAGEFLAGS,
};

/* Node id and zone index live in the top bits of page->flags. */
#define PAGE_ZONES_SHIFT 2
#define PAGE_NODES_SHIFT 3
#define PAGE_ZONES_PGSHIFT 28
#define PAGE_NODES_PGSHIFT 24
#define PAGE_ZONES_MASK ((1ul << PAGE_ZONES_SHIFT) - 1)
#define PAGE_NODES_MASK ((1ul << PAGE_NODES_SHIFT) - 1)
#define PAGE_FLAGS_MASK ((1ul << PAGE_NODES_PGSHIFT) - 1) /* PG_* bits */

/* Low bit of page->mapping: it points to an anon_vma, not an address_space. */
#define PAGE_MAPPING_ANON 0x1ul

struct page {
	unsigned long flags;	/* PG_* bits, node and zone in the top bits */
	int _refcount;		/* users; 0 = free */
	int _mapcount;		/* page-table mappings - 1 (-1 = unmapped) */
	struct list_head lru;	/* LRU, buddy free list or slab list */
	union {
		void *mapping;	/* anon_vma | PAGE_MAPPING_ANON, or file */
		struct kmem_cache *slab_cache; /* PG_slab */
	};
	union {
		unsigned long index; /* page offset within mapping */
		void *freelist;	     /* PG_slab: first free object */
	};
	unsigned long private;	/* buddy order, slab inuse, tail offset, or
				   swap entry for PG_swapcache pages */
};

#define PAGEFLAG(uname, lname)                                              \
	static inline bool Page##uname(const struct page *page)             \
	{                                                                   \
		return (page->flags >> PG_##lname) & 1ul;                   \
	}                                                                   \
	static inline void SetPage##uname(struct page *page)                \
	{                                                                   \
		page->flags |= 1ul << PG_##lname;                           \
	}                                                                   \
	static inline void ClearPage##uname(struct page *page)              \
	{                                                                   \
		page->flags &= ~(1ul << PG_##lname);                        \
	}                                                                   \
	static inline bool TestSetPage##uname(struct page *page)            \
	{                                                                   \
		bool old = Page##uname(page);                               \
		SetPage##uname(page);                                       \
		return old;                                                 \
	}                                                                   \
	static inline bool TestClearPage##uname(struct page *page)          \
	{                                                                   \
		bool old = Page##uname(page);                               \
		ClearPage##uname(page);                                     \
		return old;                                                 \
	}

PAGEFLAG(Locked, locked)
PAGEFLAG(Referenced, referenced)
PAGEFLAG(Uptodate, uptodate)
PAGEFLAG(Dirty, dirty)
PAGEFLAG(LRU, lru)
PAGEFLAG(Active, active)
PAGEFLAG(Slab, slab)
PAGEFLAG(Reserved, reserved)
PAGEFLAG(Buddy, buddy)
PAGEFLAG(SwapCache, swapcache)
PAGEFLAG(SwapBacked, swapbacked)
PAGEFLAG(Unevictable, unevictable)
PAGEFLAG(Mlocked, mlocked)
PAGEFLAG(Writeback, writeback)
PAGEFLAG(Pgtable, pgtable)
PAGEFLAG(AnonExclusive, anon_exclusive)
PAGEFLAG(Head, head)
PAGEFLAG(Tail, tail)
PAGEFLAG(Readahead, readahead)
PAGEFLAG(Reclaim, reclaim)
PAGEFLAG(Workingset, workingset)
PAGEFLAG(Private, private)

/* Linux's spelling for PG_pgtable. */
static inline bool PageTable(const struct page *page)
{
	return PagePgtable(page);
}

static inline bool PageAnon(const struct page *page)
{
	return ((unsigned long)page->mapping & PAGE_MAPPING_ANON) != 0;
}

/* The head page of the compound block holding @page (itself if none). */
static inline struct page *compound_head(struct page *page)
{
	return PageTail(page) ? page - page->private : page;
}

/* ---- reference and map counts (Linux semantics) -------------------------- */

static inline int page_count(const struct page *page)
{
	return page->_refcount;
}

static inline void set_page_count(struct page *page, int v)
{
	page->_refcount = v;
}

static inline void page_ref_inc(struct page *page)
{
	page->_refcount++;
}

static inline void page_ref_dec(struct page *page)
{
	page->_refcount--;
}

/* Drop one reference; true when it was the last. */
static inline bool page_ref_dec_and_test(struct page *page)
{
	return --page->_refcount == 0;
}

/* Take a reference on an allocated page. */
static inline void get_page(struct page *page)
{
	page_ref_inc(page);
}

/* Number of page-table entries mapping @page (0 when unmapped). */
static inline int page_mapcount(const struct page *page)
{
	return page->_mapcount + 1;
}

static inline bool page_mapped(const struct page *page)
{
	return page->_mapcount >= 0;
}

static inline void page_mapcount_reset(struct page *page)
{
	page->_mapcount = -1;
}

#endif
