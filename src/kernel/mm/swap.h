/*
 * The LRU lists (mm/swap.c), the swap devices (mm/swapfile.c), the swap
 * cache (mm/swap_state.c) and reclaim (mm/vmscan.c), as Linux's
 * include/linux/swap.h gathers them.
 *
 * A swap entry is a non-present PTE (mmu/pte.h): type = index of the swap
 * device in k->swap_info, offset = slot in that device (slot 0 is the
 * header page, so an entry is never 0).  Each slot has a count in
 * swap_map: the PTEs holding the entry, plus SWAP_HAS_CACHE while a page
 * of the swap cache holds its contents in RAM.  The slot is free when
 * both are gone.
 */
#ifndef MMULAB_KERNEL_MM_SWAP_H
#define MMULAB_KERNEL_MM_SWAP_H

#include <stddef.h>

#include "kernel/mm/mm_types.h"
#include "mmu/pte.h"

struct kernel;
struct seq;
struct vm_fault;
struct vma;

/* ---- swap.c: the LRU lists reclaim scans -------------------------------- */
/* Put a newly mapped or cached page on its LRU list (inactive first). */
void lru_add_page(struct kernel *k, struct page *page);
/* Take @page off its LRU list (before it is freed or while isolated). */
void lru_del_page(struct kernel *k, struct page *page);
/* Set or clear PG_unevictable and move @page to the list that calls for. */
void lru_move(struct kernel *k, struct page *page, bool unevictable);

/* ---- swapfile.c: swap devices and slots --------------------------------- */
#define MAX_SWAPFILES 8		/* swap types that fit the PTE's type bits */
#define SWAP_HAS_CACHE 0x8000u	/* swap_map: the swap cache holds the slot */
#define SWAP_MAP_MAX 0x7fffu	/* most PTE references one slot can have */
#define SWAP_MAP_BAD 0x7fffu	/* a bad slot listed in the header */
#define SWAP_FLAG_PREFER 0x8000	/* swapon(2) flags: priority given */
#define SWAP_FLAG_PRIO_MASK 0x7fff

/* Modelled device latency of one swap read (charged to the virtual clock
 * on a major fault), in ns: a fast SSD's 4 KiB random read. */
#define SWAP_READ_LATENCY_NS 80000u

struct swap_info_struct {
	int type;		/* index in k->swap_info */
	int prio;		/* higher is used first */
	bool writeok;		/* usable for new slots (not during swapoff) */
	int fd;			/* host file, O_RDWR */
	char path[256];		/* as given, for /proc/swaps */
	unsigned long max;	/* slots in the file incl. the header slot */
	unsigned long pages;	/* usable slots (max - 1 - bad ones) */
	unsigned long inuse_pages;
	unsigned long cluster_next; /* where the next slot search starts */
	/* Readahead window (Linux's __swapin_nr_pages): grows while the
	 * pages read ahead get used, falls back to 1 when they do not. */
	unsigned ra_hits;	/* readahead pages used since the last one */
	unsigned ra_last;	/* pages the last readahead read */
	unsigned long ra_prev;	/* slot of the last swap-in */
	uint16_t *swap_map;	/* per slot: PTE count | SWAP_HAS_CACHE */
	struct page **cache;	/* per slot: the swap-cache page or NULL */
};

/*
 * Attach the swap file described by @spec ("FILE[:SIZE][:prio=N]", the
 * --swap option): with SIZE the file is created (or re-initialised when it
 * already holds a swap signature) with a version-1 SWAPSPACE2 header as
 * mkswap writes; without, it must exist with a valid header.  Returns 0, or
 * -1 with a one-line reason in @err.
 */
int swap_setup(struct kernel *k, const char *spec, char *err, size_t errlen)
	__must_check;
/* Turn every swap device off (pages must be back already) and free it. */
void swap_shutdown(struct kernel *k);

/* Allocate a free slot on the best device; 0 when swap is full or absent. */
pte_t get_swap_page(struct kernel *k);
/* Drop one PTE reference to @entry (zap); frees the slot, and the swap
 * cache page when nothing maps it, when it was the last. */
void swap_free_entry(struct kernel *k, pte_t entry);
/* Take one more PTE reference to @entry (fork).  0 or -ENOMEM. */
int swap_duplicate(struct kernel *k, pte_t entry) __must_check;
/* PTE references left to @entry's slot (without the cache bit). */
unsigned swap_count(struct kernel *k, pte_t entry);
struct swap_info_struct *swap_info_get(struct kernel *k, pte_t entry);
/* The slot @off of @si lost a reference: free it when none is left. */
void swapcache_slot_release(struct kernel *k, struct swap_info_struct *si,
			    unsigned long off);
/* Read / write the slot of @entry from / into @page.  0 or -EIO. */
int swap_readpage(struct kernel *k, struct page *page, pte_t entry)
	__must_check;
int swap_writepage(struct kernel *k, struct page *page) __must_check;
/* Free swap slots, all devices (for reclaim's anon/file balance). */
unsigned long nr_free_swap_pages(struct kernel *k);
/* More than half of the swap space is in use (Linux's vm_swap_full):
 * swap-cache pages then give their slots back when they are used. */
bool vm_swap_full(struct kernel *k);
/* /proc/swaps */
void show_swaps(struct kernel *k, struct seq *s);
long sys_swapon(struct kernel *k, gva_t upath, int flags);
long sys_swapoff(struct kernel *k, gva_t upath);

/* ---- swap_state.c: the swap cache --------------------------------------- */
/* The page caching @entry, or NULL (no reference taken). */
struct page *lookup_swap_cache(struct kernel *k, pte_t entry);
/* A page brought in by readahead was used (swap_ra_hit): the window may
 * grow. */
void swap_ra_hit(struct kernel *k, pte_t entry);
/* Give anonymous @page a swap slot and put it in the swap cache, dirty.
 * False when no slot is free. */
bool add_to_swap(struct kernel *k, struct page *page);
/* Take @page out of the swap cache (dropping the cache's reference and the
 * slot's cache bit; the slot is freed when no PTE holds it). */
void delete_from_swap_cache(struct kernel *k, struct page *page);
/* Drop @page's swap slot and cache when no PTE refers to the slot any
 * more and @page is not mapped (or is mapped only by the caller's PTE when
 * @mapped_ok).  True when it was dropped. */
bool try_to_free_swap(struct kernel *k, struct page *page, bool mapped_ok);
/*
 * Bring the slot of @entry into the swap cache with its neighbours (an
 * aligned window of up to 2^page-cluster slots that grows while readahead
 * pages get used, as swap_cluster_readahead does).  Returns
 * the page for @entry (no reference taken), or NULL with *@err = -ENOMEM
 * or -EIO.  The pages come from the memory policy of @vma at @addr (the
 * faulting page), or of the task when @vma is NULL, as a fault's would.
 */
struct page *swapin_readahead(struct kernel *k, pte_t entry, int *err,
			      struct vma *vma, gva_t addr);
/* Read @entry, mapped at @addr of @vma, into the swap cache if it is not
 * there (MADV_WILLNEED). */
void swapin_willneed(struct kernel *k, pte_t entry, struct vma *vma,
		     gva_t addr);

/* ---- vmscan.c: reclaim --------------------------------------------------- */
/* Plug direct reclaim and the kswapd wake-up into the page allocator. */
void vmscan_init(struct kernel *k);
/* Background reclaim between time slices: run when woken or below the low
 * watermark, until every zone is above high (or nothing more can go). */
void kswapd_run(struct kernel *k);
/* Reclaim as much as possible (drop_caches, tests): pages freed. */
unsigned long shrink_all_memory(struct kernel *k, unsigned long nr);
/* Unmap @page from every PTE (anonymous: PTEs get its swap entry).  False
 * when a VM_LOCKED mapping keeps it (it is mlocked then). */
bool try_to_unmap(struct kernel *k, struct page *page);
/* madvise MADV_COLD (deactivate) / MADV_PAGEOUT (reclaim now) for the
 * pages of [start, end) that only @vma maps.  0 or -EINVAL (locked). */
int madvise_cold_or_pageout(struct kernel *k, struct vma *vma, gva_t start,
			    gva_t end, bool pageout);
/* PTEs mapping @page with the Accessed bit, cleared (and flushed). */
int page_referenced(struct kernel *k, struct page *page,
		    unsigned long *vm_flags);

/* ---- workingset.c: refault detection ----------------------------------- */
/* Shadow keys: a file page (host device, inode, index) or a swap slot. */
uint64_t workingset_file_key(uint64_t dev, uint64_t ino, unsigned long index);
uint64_t workingset_anon_key(pte_t entry);
/* Reclaim evicts @page: leave its shadow under @key. */
void workingset_eviction(struct kernel *k, struct page *page, uint64_t key);
/* A page was activated: the age moves on. */
void workingset_age(struct kernel *k);
/* The slot of @key is reused for other data: drop its shadow. */
void workingset_forget(struct kernel *k, uint64_t key);
/* @page (not on the LRU yet) faults back in under @key: count the refault;
 * true when it should start on the active list (counted as activated). */
bool workingset_refault(struct kernel *k, struct page *page, uint64_t key,
			bool file);
void workingset_shutdown(struct kernel *k);

/* ---- oom_kill.c ---------------------------------------------------------- */
/*
 * An allocation for the current task failed after reclaim: choose a victim
 * by oom_badness, print Linux's report, kill it and reap its memory.
 * Returns true when the caller may retry (a victim other than the current
 * task died), false when the current task itself was killed.
 */
bool out_of_memory(struct kernel *k, gfp_t gfp, unsigned order);
/* The badness of @t in pages (LONG_MIN: never killed). */
struct task;
long oom_badness(struct kernel *k, struct task *t, unsigned long totalpages);
/* /proc/PID/oom_score */
unsigned long oom_score(struct kernel *k, struct task *t);

#endif
