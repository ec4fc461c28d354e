/*
 * Physical memory of the guest kernel: boot (e820 -> memblock -> nodes and
 * zones -> buddy), the zoned buddy page allocator, and the counters behind
 * /proc/meminfo, /proc/vmstat and friends.
 *
 * All state hangs off one struct memory, passed explicitly.  The layout
 * follows 32-bit x86 Linux, which mmulab borrows on purpose (RISC-V Linux
 * has no HighMem):
 *
 *   guest physical
 *   0         16 MiB                 896 MiB                      RAM end
 *   +---------+-----------------------+------------------------------+
 *   | DMA     | Normal                | HighMem                      |
 *   +---------+-----------------------+------------------------------+
 *   \_______ lowmem: kernel objects, page tables, slab, mem_map ______/
 *
 * With --numa N the usable RAM is cut into N nodes of equal span, and each
 * node has the zones that its span crosses.  Node distance is 10 local and
 * 10 + 10 * |i - j| remote.
 *
 * Allocation (alloc_pages_node) walks the preferred node's zonelist: nodes
 * by distance, and in each node the zones from the highest the GFP flags
 * allow down to DMA.  __GFP_HIGHMEM allows HighMem, plain GFP_KERNEL stops at
 * Normal, __GFP_DMA allows only DMA.  A zone is used only when its free
 * pages stay above a watermark plus the lowmem_reserve protecting it from
 * allocations that could have gone higher: the fast path needs "low", the
 * slow path "min" (less for __GFP_HIGH / __GFP_ATOMIC), then the reclaim
 * hook is called, and finally the allocation fails (returns NULL).
 */
#ifndef MMULAB_KERNEL_MEMORY_H
#define MMULAB_KERNEL_MEMORY_H

#include "kernel/lib/list.h"
#include "kernel/mm/mm_types.h"
#include "kernel/lib/printk.h"
#include "mmu/phys.h"
#include "types.h"

#define MAX_ORDER 10		    /* largest block: 2^10 pages = 4 MiB */
#define NR_PAGE_ORDERS (MAX_ORDER + 1)
#define MAX_NUMNODES 8
#define NUMA_NO_NODE (-1)
#define LOCAL_DISTANCE 10
#define REMOTE_DISTANCE 20

#define DMA_ZONE_END (16ull << 20)	/* ZONE_DMA below 16 MiB */
#define LOWMEM_END (896ull << 20)	/* ZONE_NORMAL below 896 MiB */
#define KERNEL_IMAGE_START (1ull << 20) /* see boot.c */
#define KERNEL_IMAGE_SIZE (1ull << 20)

enum zone_type {
	ZONE_DMA,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	MAX_NR_ZONES,
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK,
};

/* Per-zone counters, in pages (names: vmstat.h, in /proc/vmstat order). */
enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_INACTIVE_ANON,	/* NR_ZONE_LRU_BASE + LRU_INACTIVE_ANON */
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,	/* dirty + writeback + unstable */
	NR_MLOCK,
	NR_BOUNCE,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS,
};

/* NUMA allocation events per zone (Linux's numa_stat_item), in the
 * order /proc/vmstat prints them after the zone items. */
enum numa_stat_item {
	NUMA_HIT,	/* allocated on the preferred node */
	NUMA_MISS,	/* allocated here though another node was preferred */
	NUMA_FOREIGN,	/* preferred here, allocated elsewhere */
	NUMA_INTERLEAVE_HIT,
	NUMA_LOCAL,	/* allocated on the node of the allocating CPU */
	NUMA_OTHER,	/* allocated on another node than the CPU's */
	NR_VM_NUMA_EVENT_ITEMS,
};
#define NR_ZONE_LRU_BASE NR_ZONE_INACTIVE_ANON

/* Per-node counters, in pages unless the name says otherwise. */
enum node_stat_item {
	NR_INACTIVE_ANON,	/* NR_LRU_BASE + LRU_INACTIVE_ANON */
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B,	/* in pages here (Linux: bytes) */
	NR_SLAB_UNRECLAIMABLE_B, /* in pages here (Linux: bytes) */
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	WORKINGSET_NODES,
	WORKINGSET_REFAULT_ANON,
	WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_ANON,
	WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_ANON,
	WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM,
	NR_ANON_MAPPED,		/* AnonPages */
	NR_FILE_MAPPED,		/* Mapped */
	NR_FILE_PAGES,		/* page cache incl. shmem and swap cache */
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_WRITEBACK_TEMP,
	NR_SHMEM,
	NR_SHMEM_THPS,
	NR_SHMEM_PMDMAPPED,
	NR_FILE_THPS,
	NR_FILE_PMDMAPPED,
	NR_ANON_THPS,
	NR_VMSCAN_WRITE,
	NR_VMSCAN_IMMEDIATE,
	NR_DIRTIED,
	NR_WRITTEN,
	NR_THROTTLED_WRITTEN,
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED,
	NR_KERNEL_STACK_KB,	/* in kB, as Linux */
	NR_PAGETABLE,		/* user page-table pages */
	NR_SECONDARY_PAGETABLE,
	NR_SWAPCACHE,
	NR_VM_NODE_STAT_ITEMS,
};
#define NR_LRU_BASE NR_INACTIVE_ANON
#define NR_SLAB_RECLAIMABLE NR_SLAB_RECLAIMABLE_B
#define NR_SLAB_UNRECLAIMABLE NR_SLAB_UNRECLAIMABLE_B
#define NR_KERNEL_STACK NR_KERNEL_STACK_KB

/* Computed items shown between node stats and events in /proc/vmstat. */
enum writeback_stat_item {
	NR_DIRTY_THRESHOLD,
	NR_DIRTY_BG_THRESHOLD,
	NR_VM_WRITEBACK_STAT_ITEMS,
};

/* Event counters, in /proc/vmstat order (mm/vmstat.c vmstat_text). */
enum vm_event_item {
	PGPGIN,
	PGPGOUT,
	PSWPIN,
	PSWPOUT,
	PGALLOC_DMA,		/* + zone index */
	PGALLOC_NORMAL,
	PGALLOC_HIGH,
	ALLOCSTALL_DMA,		/* + zone index */
	ALLOCSTALL_NORMAL,
	ALLOCSTALL_HIGH,
	PGSKIP_DMA,
	PGSKIP_NORMAL,
	PGSKIP_HIGH,
	PGFREE,
	PGACTIVATE,
	PGDEACTIVATE,
	PGLAZYFREE,
	PGFAULT,
	PGMAJFAULT,
	PGLAZYFREED,
	PGREFILL,
	PGREUSE,
	PGSTEAL_KSWAPD,
	PGSTEAL_DIRECT,
	PGSTEAL_KHUGEPAGED,
	PGSCAN_KSWAPD,
	PGSCAN_DIRECT,
	PGSCAN_KHUGEPAGED,
	PGSCAN_DIRECT_THROTTLE,
	PGSCAN_ANON,
	PGSCAN_FILE,
	PGSTEAL_ANON,
	PGSTEAL_FILE,
	PGINODESTEAL,
	SLABS_SCANNED,
	KSWAPD_INODESTEAL,
	KSWAPD_LOW_WMARK_HIT_QUICKLY,
	KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	PAGEOUTRUN,
	PGROTATED,
	DROP_PAGECACHE,
	DROP_SLAB,
	OOM_KILL,
	HTLB_BUDDY_PGALLOC,
	HTLB_BUDDY_PGALLOC_FAIL,
	UNEVICTABLE_PGCULLED,
	UNEVICTABLE_PGSCANNED,
	UNEVICTABLE_PGRESCUED,
	UNEVICTABLE_PGMLOCKED,
	UNEVICTABLE_PGMUNLOCKED,
	UNEVICTABLE_PGCLEARED,
	UNEVICTABLE_PGSTRANDED,
	THP_FAULT_ALLOC,
	THP_FAULT_FALLBACK,
	THP_COLLAPSE_ALLOC,
	THP_COLLAPSE_ALLOC_FAILED,
	THP_SPLIT_PAGE,
	THP_SPLIT_PMD,
	THP_ZERO_PAGE_ALLOC,
	THP_SWPOUT,
	THP_SWPOUT_FALLBACK,
	NR_TLB_REMOTE_FLUSH,
	NR_TLB_REMOTE_FLUSH_RECEIVED,
	NR_TLB_LOCAL_FLUSH_ALL,
	NR_TLB_LOCAL_FLUSH_ONE,
	SWAP_RA,
	SWAP_RA_HIT,
	NR_VM_EVENT_ITEMS,
};
/* The brief's and older kernels' spellings. */
#define UNEVICTABLE_PGS_MLOCKED UNEVICTABLE_PGMLOCKED
#define UNEVICTABLE_PGS_MUNLOCKED UNEVICTABLE_PGMUNLOCKED

/* The LRU lists of a node (mm/swap.c keeps them, mm/vmscan.c scans). */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS,
};

struct free_area {
	struct list_head free_list; /* head pages of free 2^order blocks */
	unsigned long nr_free;	    /* blocks (not pages) on the list */
};

struct pglist_data;

struct zone {
	const char *name;	  /* "DMA", "Normal", "HighMem" */
	int node;
	enum zone_type idx;
	struct pglist_data *zone_pgdat;
	pfn_t zone_start_pfn;
	unsigned long spanned_pages; /* pfn range, holes included */
	unsigned long present_pages; /* RAM pages in the range */
	unsigned long managed_pages; /* present minus boot reservations */
	unsigned long pcp_batch;     /* LIFO batch, fixed at boot (zoneinfo) */
	unsigned long watermark[NR_WMARK];
	unsigned long watermark_boost;
	/*
	 * lowmem_reserve[j]: pages this zone keeps back from an allocation
	 * that could have used zone j (j > this zone).  /proc/zoneinfo
	 * "protection".
	 */
	long lowmem_reserve[MAX_NR_ZONES];
	struct free_area free_area[NR_PAGE_ORDERS];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	unsigned long numa_stat[NR_VM_NUMA_EVENT_ITEMS]; /* numa_hit ... */
};

static inline pfn_t zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}

static inline bool zone_spans_pfn(const struct zone *z, pfn_t pfn)
{
	return pfn >= z->zone_start_pfn && pfn < zone_end_pfn(z);
}

static inline bool is_highmem(const struct zone *z)
{
	return z->idx == ZONE_HIGHMEM;
}

#define min_wmark_pages(z) ((z)->watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z) ((z)->watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->watermark[WMARK_HIGH] + (z)->watermark_boost)

/* Fallback order of one node: every populated zone, nearest node first. */
struct zonelist {
	int nr;
	struct zone *zones[MAX_NUMNODES * MAX_NR_ZONES];
};

struct pglist_data {
	int node_id;
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelist;
	pfn_t node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
	long vm_stat[NR_VM_NODE_STAT_ITEMS];
	struct list_head lru[NR_LRU_LISTS]; /* the node's LRU lists */
	/* The head pages of the node's THPs mapped by PMD leaves, oldest
	 * first, linked through page->lru (they are off the LRU lists):
	 * reclaim splits them from here (huge_memory.c). */
	struct list_head thp_list;
	int kswapd_failures;	/* >= 16 prints all_unreclaimable? yes */
};
typedef struct pglist_data pg_data_t;

#define MEMBLOCK_MAX 64

struct memblock_region {
	gpa_t base;
	uint64_t size;
};

struct memblock_type {
	int cnt;
	struct memblock_region regions[MEMBLOCK_MAX]; /* sorted, disjoint */
};

/* Boot-time allocator: RAM ranges and the reserved parts of them. */
struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
};

#define KMALLOC_NR_CACHES 13 /* kmalloc-8 .. kmalloc-8192 */

struct kmem_cache;

struct tracer;

struct memory {
	struct phys *phys;
	struct klog *log;
	struct tracer *trace;	/* the machine's events (NULL: none) */
	int nr_nodes;
	struct pglist_data *node[MAX_NUMNODES]; /* host heap */
	int node_distance[MAX_NUMNODES][MAX_NUMNODES];
	struct memblock memblock;

	/* mem_map[pfn] for every frame of RAM; lives in guest lowmem. */
	struct page *mem_map;
	gpa_t mem_map_pa;
	pfn_t nr_frames;	/* entries of mem_map (= phys->nr_frames) */
	pfn_t min_low_pfn;	/* first usable pfn */
	pfn_t max_low_pfn;	/* end of lowmem (exclusive) */
	pfn_t max_pfn;		/* end of usable RAM (exclusive) */
	pfn_t lowmem_end_pfn;	/* ZONE_NORMAL ends here (the split's) */

	unsigned long totalram_pages;	   /* managed pages, all zones */
	unsigned long totalhigh_pages;	   /* managed pages of HighMem */
	unsigned long totalreserve_pages;  /* see calculate_totalreserve */
	unsigned long physpages;	   /* present pages, all zones */

	/* Counters. */
	unsigned long vm_events[NR_VM_EVENT_ITEMS];
	unsigned long alloc_order[NR_PAGE_ORDERS]; /* successful allocs */
	unsigned long free_order[NR_PAGE_ORDERS];  /* blocks freed */
	unsigned long alloc_fail;		   /* NULL returns */
	unsigned long bad_pages;		   /* "Bad page state" */
	unsigned long sanity_tick;	/* CONFIG_DEBUG_MM: buddy operations,
					 * a full buddy_sanity every 1024 */

	/* Updated by other parts of the kernel, shown in meminfo. */
	unsigned long swap_total_pages;
	unsigned long swap_free_pages;
	long committed_pages;		/* Committed_AS */
	unsigned long buffer_pages;	/* Buffers */
	unsigned long hugepages_total, hugepages_free;
	unsigned long hugepages_rsvd, hugepages_surp;
	unsigned long hugepage_size_kb;	/* 2048 (pae) or 4096 (sv32) */
	struct list_head hugepage_freelist; /* free pool pages (hugetlb.c) */
	unsigned long nr_overcommit_hugepages; /* surplus allowed (sysctl) */
	int thp_mode;			/* enum thp_mode (huge_mm.h) */
	unsigned long vmalloc_total_kb, vmalloc_used_kb, percpu_kb;

	/* Sysctls (/proc/sys/vm), Linux defaults set by mem_boot. */
	int min_free_kbytes;
	int user_min_free_kbytes;	/* -1 = computed */
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[MAX_NR_ZONES];
	int overcommit_memory;		/* 0 heuristic, 1 always, 2 never */
	int overcommit_ratio;
	unsigned long overcommit_kbytes;
	unsigned long admin_reserve_kbytes;
	unsigned long user_reserve_kbytes;
	int swappiness;
	int dirty_ratio;
	int dirty_background_ratio;
	int dirty_expire_centisecs;	/* 3000: dirty data older goes */
	int dirty_writeback_centisecs;	/* 500: the flusher's period; 0 off */
	int page_cluster;
	int vfs_cache_pressure;
	int max_map_count;
	int oom_dump_tasks;
	int oom_kill_allocating_task;
	int panic_on_oom;

	/*
	 * Fault injection: when non-zero, counts down on every allocation
	 * attempt (alloc_pages_node, __GFP_NOFAIL excepted) and the attempt
	 * that brings it to zero fails.  1 = the next attempt fails.
	 */
	unsigned long fail_nth;

	/*
	 * Reclaim hook for the allocation slow path, NULL until vmscan plugs
	 * in.  Called when an allocation that may reclaim
	 * (__GFP_DIRECT_RECLAIM) found no zone above its min watermark;
	 * returns the pages it freed (0 = no progress).  The allocator
	 * retries after each call with progress, at most
	 * MAX_RECLAIM_RETRIES times, then fails.  The hook may itself
	 * allocate (with reclaim it would recurse: it should not).
	 */
	unsigned long (*reclaim_hook)(struct memory *mem, void *arg,
				      gfp_t gfp, unsigned int order);
	void *reclaim_arg;
	int in_reclaim;		/* recursion guard for the hook */
	/* --policy other than lru2: its state (mm/replace.c), else NULL. */
	struct repl_state *repl;
	/*
	 * Called (when set, and the GFP flags allow __GFP_KSWAPD_RECLAIM)
	 * each time an allocation misses the low watermark and enters the
	 * slow path, like Linux's wakeup_kswapd.  Return value ignored.
	 */
	unsigned long (*kswapd_hook)(struct memory *mem, void *arg,
				     gfp_t gfp, unsigned int order);
	void *kswapd_arg;
	/* Name of the running task for messages; NULL prints "swapper". */
	const char *current_comm;

	/* Slab state (slab.c). */
	struct list_head slab_caches;		/* newest first */
	struct kmem_cache *kmem_cache;		/* cache of kmem_caches */
	struct kmem_cache *kmalloc_caches[KMALLOC_NR_CACHES];
	unsigned long slab_errors;		/* debug-check failures */
};

#define MAX_RECLAIM_RETRIES 16

/* ---- boot ------------------------------------------------------------------ */

struct mem_boot_config {
	int numa_nodes;		/* 1..MAX_NUMNODES */
	long min_free_kbytes;	/* -1 = computed from lowmem (Linux) */
	unsigned long hugepage_size_kb; /* 2048 (pae), 4096 (sv32); 0 = 2048 */
	/* End of lowmem: (4G - PAGE_OFFSET) - 128 MiB of vmalloc space;
	 * 0 = LOWMEM_END (896 MiB, the 3G/1G split). */
	uint64_t lowmem_bytes;
};

/* numa_nodes 1, min_free_kbytes computed. */
void mem_default_boot_config(struct mem_boot_config *cfg);

/*
 * Bring up physical memory over @phys (already initialised, e820 map
 * filled): log the e820 map, build memblock, reserve frame 0, the holes, the
 * kernel image and mem_map, create nodes and zones, free everything else
 * into the buddy allocator, compute watermarks and start the slab
 * allocator.  Logs like Linux into @log (may be NULL).  Returns 0, -EINVAL
 * for a bad config (e.g. more nodes than RAM allows) or -ENOMEM.  On
 * failure nothing needs undoing but mem_shutdown() is safe.
 */
int mem_boot(struct memory *mem, struct phys *phys, struct klog *log,
	     const struct mem_boot_config *cfg) __must_check;

/* Free host-side state (nodes).  Guest RAM itself belongs to @mem->phys. */
void mem_shutdown(struct memory *mem);

/*
 * Recompute watermarks, lowmem_reserve and totalreserve_pages from the
 * sysctls (min_free_kbytes, watermark_scale_factor, lowmem_reserve_ratio);
 * call after changing any of them.  Linux: setup_per_zone_wmarks and
 * setup_per_zone_lowmem_reserve.
 */
void setup_per_zone_wmarks(struct memory *mem);
void setup_per_zone_lowmem_reserve(struct memory *mem);

/* Linux's default min_free_kbytes: sqrt(lowmem_kB * 16) in [128, 262144]. */
int calculate_min_free_kbytes(const struct memory *mem);

/* ---- memblock (boot allocator; memblock.c) ------------------------------- */

/* Add RAM / mark a range reserved.  Page-granular callers; 0 or -ENOMEM. */
int memblock_add(struct memory *mem, gpa_t base, uint64_t size) __must_check;
int memblock_reserve(struct memory *mem, gpa_t base, uint64_t size)
	__must_check;

/*
 * Find @size bytes aligned to @align inside [start, end) that are memory and
 * not reserved, highest first (Linux allocates top-down), and reserve them.
 * Returns the guest physical address or 0 when nothing fits.
 */
gpa_t memblock_alloc_range(struct memory *mem, uint64_t size, uint64_t align,
			   gpa_t start, gpa_t end);

bool memblock_is_memory(const struct memory *mem, gpa_t pa);
bool memblock_is_reserved(const struct memory *mem, gpa_t pa);

/*
 * Call @fn for every maximal range of memory that is not reserved, in
 * ascending order, as [start, end) pfns.
 */
void memblock_for_each_free_range(const struct memory *mem,
				  void (*fn)(void *arg, pfn_t start, pfn_t end),
				  void *arg);

/* Pages of memblock memory inside [start, end). */
unsigned long memblock_memory_pages(const struct memory *mem, pfn_t start,
				    pfn_t end);

/* Append "memblock.memory"/"memblock.reserved" dumps (debugfs format). */
void memblock_dump(const struct memory *mem, struct seq *s);

/* ---- pfn, page, zone ------------------------------------------------------ */

static inline bool pfn_valid(const struct memory *mem, pfn_t pfn)
{
	return pfn < mem->nr_frames;
}

static inline struct page *pfn_to_page(const struct memory *mem, pfn_t pfn)
{
	return mem->mem_map + pfn;
}

static inline pfn_t page_to_pfn(const struct memory *mem,
				const struct page *page)
{
	return (pfn_t)(page - mem->mem_map);
}

static inline gpa_t page_to_phys(const struct memory *mem,
				 const struct page *page)
{
	return (gpa_t)page_to_pfn(mem, page) << PAGE_SHIFT;
}

/* Host pointer to the frame's bytes (contiguous for a 2^order block). */
static inline void *page_address(const struct memory *mem,
				 const struct page *page)
{
	return mem->phys->ram + ((size_t)page_to_pfn(mem, page) << PAGE_SHIFT);
}

/* The page holding host pointer @addr into guest RAM (must be in RAM). */
struct page *virt_to_page(const struct memory *mem, const void *addr);

static inline int page_to_nid(const struct memory *mem,
			      const struct page *page)
{
	(void)mem;
	return (int)((page->flags >> PAGE_NODES_PGSHIFT) & PAGE_NODES_MASK);
}

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((page->flags >> PAGE_ZONES_PGSHIFT) &
				PAGE_ZONES_MASK);
}

static inline struct zone *page_zone(const struct memory *mem,
				     const struct page *page)
{
	return &mem->node[page_to_nid(mem, page)]->node_zones[page_zonenum(page)];
}

static inline struct pglist_data *page_pgdat(const struct memory *mem,
					     const struct page *page)
{
	return mem->node[page_to_nid(mem, page)];
}

static inline bool PageHighMem(const struct page *page)
{
	return page_zonenum(page) == ZONE_HIGHMEM;
}

/* ---- page allocator (page_alloc.c) ---------------------------------------- */

/*
 * Allocate 2^@order contiguous frames, preferring node @nid (NUMA_NO_NODE =
 * node 0) and falling back by distance (not with __GFP_THISNODE).  The head
 * page gets _refcount 1.  __GFP_ZERO zeroes the block.  Returns NULL when no
 * allowed zone can serve it above its watermark (after the reclaim hook);
 * reports "page allocation failure" in the log unless __GFP_NOWARN.
 */
struct page *alloc_pages_node(struct memory *mem, int nid, gfp_t gfp,
			      unsigned int order) __must_check;
struct page *alloc_pages(struct memory *mem, gfp_t gfp, unsigned int order)
	__must_check;
/* alloc_pages_node limited to the nodes of @nodemask (bit n: node n;
 * 0: every node), as an MPOL_BIND allocation. */
struct page *__alloc_pages(struct memory *mem, gfp_t gfp, unsigned int order,
			   int nid, unsigned long nodemask) __must_check;

static inline struct page *alloc_page(struct memory *mem, gfp_t gfp)
{
	return alloc_pages(mem, gfp, 0);
}

/*
 * Allocate and return the host address of 2^@order lowmem frames (like
 * __get_free_pages; __GFP_HIGHMEM is ignored).  NULL on failure.
 */
void *get_free_pages(struct memory *mem, gfp_t gfp, unsigned int order);
void free_pages_addr(struct memory *mem, const void *addr, unsigned int order);

/*
 * Drop a reference on a 2^@order block allocated with that order; the block
 * returns to the buddy allocator when it was the last.  A page that is
 * still mapped or on the LRU, or a double free, is reported as "Bad page
 * state" and leaked (mem->bad_pages counts them).
 */
void __free_pages(struct memory *mem, struct page *page, unsigned int order);

static inline void free_page(struct memory *mem, struct page *page)
{
	__free_pages(mem, page, 0);
}

/* Drop a reference on an order-0 page; frees it when it was the last. */
static inline void put_page(struct memory *mem, struct page *page)
{
	__free_pages(mem, page, 0);
}

/*
 * Boot only: hand the free frames [start, end) to the buddy allocator
 * (clears PG_reserved, adds them to managed_pages, counts pgfree).
 */
void memblock_free_pages(struct memory *mem, pfn_t start, pfn_t end);

/* Free pages in all zones (NR_FREE_PAGES). */
unsigned long nr_free_pages(const struct memory *mem);

/*
 * Would zone @z give 2^@order pages with @mark as the watermark, for an
 * allocation whose highest allowed zone is @highest?  Linux
 * __zone_watermark_ok without the ALLOC_* adjustments.
 */
bool zone_watermark_ok(const struct zone *z, unsigned int order,
		       unsigned long mark, enum zone_type highest);

/* The highest zone GFP flags allow. */
enum zone_type gfp_zone(gfp_t gfp);

/*
 * Write @gfp as Linux's %pGg does ("GFP_KERNEL|__GFP_ZERO") into @buf;
 * returns @buf.
 */
const char *gfp_flags_string(gfp_t gfp, char *buf, size_t len);

/*
 * Check the buddy invariants of every zone: each free block is aligned to
 * its order, inside its zone, marked PG_buddy with private = order, does
 * not overlap another, has no free buddy of the same order (it would have
 * been merged), and nr_free / NR_FREE_PAGES match the lists.  Logs the
 * first violation; meant for assert() and tests.  O(pages).
 */
bool buddy_sanity(struct memory *mem);

/* ---- counters ---------------------------------------------------------------- */

static inline void count_vm_event(struct memory *mem, enum vm_event_item item)
{
	mem->vm_events[item]++;
}

static inline void count_vm_events(struct memory *mem,
				   enum vm_event_item item, long delta)
{
	mem->vm_events[item] += (unsigned long)delta;
}

static inline void mod_zone_page_state(struct zone *z,
				       enum zone_stat_item item, long delta)
{
	z->vm_stat[item] += delta;
}

static inline unsigned long zone_page_state(const struct zone *z,
					    enum zone_stat_item item)
{
	long v = z->vm_stat[item];

	return v < 0 ? 0 : (unsigned long)v;
}

/* Add @delta to @item of the node holding @page. */
static inline void mod_node_page_state(struct memory *mem, struct page *page,
				       enum node_stat_item item, long delta)
{
	page_pgdat(mem, page)->vm_stat[item] += delta;
}

static inline void inc_node_page_state(struct memory *mem, struct page *page,
				       enum node_stat_item item)
{
	mod_node_page_state(mem, page, item, 1);
}

static inline void dec_node_page_state(struct memory *mem, struct page *page,
				       enum node_stat_item item)
{
	mod_node_page_state(mem, page, item, -1);
}

static inline unsigned long node_page_state(const struct pglist_data *pgdat,
					    enum node_stat_item item)
{
	long v = pgdat->vm_stat[item];

	return v < 0 ? 0 : (unsigned long)v;
}

/* Sums over all nodes / zones (clamped at 0). */
unsigned long global_node_page_state(const struct memory *mem,
				     enum node_stat_item item);
unsigned long global_zone_page_state(const struct memory *mem,
				     enum zone_stat_item item);

/* MemAvailable in pages (mm/show_mem.c si_mem_available). */
unsigned long si_mem_available(const struct memory *mem);

/* CommitLimit in pages (mm/util.c vm_commit_limit). */
unsigned long vm_commit_limit(const struct memory *mem);

#endif
