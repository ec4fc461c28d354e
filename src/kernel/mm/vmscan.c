/*
 * Page reclaim (Linux mm/vmscan.c): free user pages when the buddy
 * allocator runs low, in two contexts that share one engine.
 *
 *  - direct reclaim: an allocation that found every zone below its min
 *    watermark calls try_to_free_pages (through mem->reclaim_hook) and
 *    retries while it makes progress; allocstall_<zone> counts the stalls;
 *  - kswapd: an allocation that dips below the low watermark wakes it
 *    (mem->kswapd_hook), and the run loop calls kswapd_run between time
 *    slices, in virtual time: each node below low is reclaimed until its
 *    zones are above their high watermarks (balance_pgdat).  It is
 *    deterministic: the same run makes the same decisions at the same
 *    instruction.
 *
 * Each node has its own LRU lists (pgdat->lru); direct reclaim shrinks
 * the nodes in order at each priority, kswapd one node at a time.
 *
 * The engine (shrink_node) scans the four evictable LRU lists:
 *
 *   active ---- shrink_active_list (pgrefill, pgdeactivate) ---> inactive
 *     ^                                                             |
 *     +-- pgactivate: referenced twice --- shrink_inactive_list ----+
 *                                          (pgscan, pgsteal)        v
 *                                                                  freed
 *
 * with the anon:file balance of vm.swappiness (anon gets swappiness, file
 * 200 - swappiness of the scan; no anon scan without free swap).  Second
 * chance comes from the Accessed bit: page_referenced finds every PTE
 * mapping the page through the reverse map (anon_vma chains for anonymous
 * pages, the address spaces mapping the file for page cache), clears A
 * and flushes that TLB entry, so only an access after the scan sets it
 * again.  A page referenced once is kept (PG_referenced), twice activated.
 *
 * What freeing costs, by kind:
 *   clean file page     unmap, drop from the page cache
 *   dirty file page     unmap, write back to the host file, drop
 *   anonymous page      slot + swap cache (add_to_swap), unmap (PTEs get
 *                       the swap entry), write the slot, drop
 *   swap-cache page     already on the device and clean: unmap, drop
 *   mlocked             never scanned (unevictable list)
 *   shmem               not reclaimed in this version (kept active)
 * A page someone holds an extra reference to (a fault handler between its
 * lookup and its PTE update, a copy in progress) is skipped.
 */
#include <errno.h>

#include "kernel/kernel/psi.h"
#include "kernel/kernel/sched.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/replace.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/swap.h"

#define DEF_PRIORITY 12		/* first pass scans lru_size >> 12 */
#define SWAP_CLUSTER_MAX 32ul	/* pages per batch */

struct scan_control {
	struct pglist_data *pgdat;	/* the node being shrunk */
	unsigned long nr_to_reclaim;	/* stop once this many are freed */
	gfp_t gfp_mask;			/* of the allocation that stalled */
	unsigned order;
	int priority;			/* scan lru_size >> priority a pass */
	bool may_swap;			/* anonymous pages may go to swap */
	bool kswapd;			/* counted as kswapd (else direct) */
	bool ignore_references;		/* MADV_PAGEOUT: reclaim even if used */
	unsigned long nr_scanned;	/* inactive pages looked at */
	unsigned long nr_reclaimed;	/* pages freed */
};

static unsigned long lru_size(const struct pglist_data *pgdat,
			      enum lru_list l)
{
	return node_page_state(pgdat, NR_LRU_BASE + l);
}

/* ---- the reverse map walk ----------------------------------------------------- */

/* Called for each PTE mapping the page; false stops the walk. */
typedef bool (*rmap_one_t)(struct kernel *k, struct page *page,
			   struct vma *vma, gva_t addr, pte_slot_t slot,
			   pte_t pte, void *arg);

/* Find @page in @vma (at its linear index) and call @fn if it is there. */
static bool rmap_visit(struct kernel *k, struct page *page, struct vma *vma,
		       rmap_one_t fn, void *arg)
{
	unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

	if (page->index < vma->vm_pgoff ||
	    page->index - vma->vm_pgoff >= pages || !vma->vm_mm->pgd ||
	    (vma->vm_flags & VM_HUGETLB))
		return true;
	gva_t addr = vma->vm_start +
		     (gva_t)((page->index - vma->vm_pgoff) << PAGE_SHIFT);
	pte_slot_t slot = pte_offset(k, vma->vm_mm, addr, false);
	if (!slot)
		return true;
	pte_t pte = ptep_get(k, slot);
	if (!(pte_present(pte) || pte_protnone(pte)) || (pte & PTE_SPECIAL) ||
	    pte_pfn(pte) != page_to_pfn(&k->mem, page))
		return true;
	return fn(k, page, vma, addr, slot, pte, arg);
}

/*
 * Call @fn for every PTE that maps @page.  Anonymous pages: the vmas
 * chained to the page's anon_vma (fork links every descendant's vma to
 * its ancestors' anon_vmas).  File pages: the vmas of every address space
 * mapping the file (there is no i_mmap tree; an mm shared by several
 * tasks is visited once per task, harmless since a second visit no longer
 * finds the page).
 */
static void rmap_walk(struct kernel *k, struct page *page, rmap_one_t fn,
		      void *arg)
{
	if (PageAnon(page)) {
		struct anon_vma *av =
			(void *)((uintptr_t)page->mapping &
				 ~(uintptr_t)PAGE_MAPPING_ANON);
		struct anon_vma_chain *avc;

		list_for_each_entry(avc, &av->chains, same_anon_vma)
			if (!rmap_visit(k, page, avc->vma, fn, arg))
				return;
	} else if (page->mapping && !PageSwapCache(page)) {
		struct inode *inode = page->mapping;
		struct task *t;
		struct vma *vma;

		list_for_each_entry(t, &k->tasks, tasks) {
			if (!t->mm)
				continue;
			list_for_each_entry(vma, &t->mm->vmas, list)
				if (vma->vm_file == inode &&
				    !rmap_visit(k, page, vma, fn, arg))
					return;
		}
	}
}

struct referenced_arg {
	int referenced;
	unsigned long vm_flags;
};

static bool page_referenced_one(struct kernel *k, struct page *page,
				struct vma *vma, gva_t addr, pte_slot_t slot,
				pte_t pte, void *arg)
{
	struct referenced_arg *ra = arg;

	(void)page;
	if (vma->vm_flags & VM_LOCKED) {
		ra->vm_flags |= VM_LOCKED;
		return false;
	}
	if (pte & PTE_A) {
		set_pte(k, slot, pte & ~(pte_t)PTE_A);
		if (pte_present(pte))
			flush_tlb_page(k, vma->vm_mm, addr);
		ra->referenced++;
	}
	ra->vm_flags |= vma->vm_flags;
	return true;
}

int page_referenced(struct kernel *k, struct page *page,
		    unsigned long *vm_flags)
{
	struct referenced_arg ra = {0, 0};

	if (page_mapped(page))
		rmap_walk(k, page, page_referenced_one, &ra);
	*vm_flags = ra.vm_flags;
	return ra.referenced;
}

struct unmap_arg {
	bool ok;
};

/*
 * Take one PTE's mapping of @page away.  Anonymous (swap-cache) pages
 * leave their swap entry in the PTE, which takes a slot reference; file
 * pages leave it empty (the next fault finds the page cache again).  The
 * hardware dirty bit moves to the page, the TLB entry goes, and the PTE's
 * page reference is dropped (the cache still holds one).
 */
static bool try_to_unmap_one(struct kernel *k, struct page *page,
			     struct vma *vma, gva_t addr, pte_slot_t slot,
			     pte_t pte, void *arg)
{
	struct unmap_arg *ua = arg;
	struct mm *mm = vma->vm_mm;

	if (vma->vm_flags & VM_LOCKED) {
		mlock_page(k, page);
		ua->ok = false;
		return false;
	}
	if (PageSwapCache(page)) {
		pte_t entry = page->private;
		if (swap_duplicate(k, entry) < 0) {
			ua->ok = false;
			return false;
		}
		set_pte(k, slot, entry);
		mm_add_rss(mm, MM_ANONPAGES, -1);
		mm_add_rss(mm, MM_SWAPENTS, 1);
		mm->nr_swapout++;
		if (pte & PTE_D)
			SetPageDirty(page);
	} else if (PageAnon(page)) {
		/* Lazily freed (MADV_FREE): a store since then cancels the
		 * free -- the page is anonymous again and stays. */
		if ((pte & PTE_D) || PageDirty(page)) {
			SetPageSwapBacked(page);
			ua->ok = false;
			return false;
		}
		set_pte(k, slot, 0);
		mm_add_rss(mm, MM_ANONPAGES, -1);
	} else {
		set_pte(k, slot, 0);
		mm_add_rss(mm, mm_counter_file(page), -1);
		if (pte & PTE_D)
			set_page_dirty(k, page);
	}
	if (pte_present(pte))
		flush_tlb_page(k, mm, addr);
	page_remove_rmap(k, page);
	page_ref_dec(page);
	return true;
}

bool try_to_unmap(struct kernel *k, struct page *page)
{
	struct unmap_arg ua = {true};

	rmap_walk(k, page, try_to_unmap_one, &ua);
	return ua.ok && !page_mapped(page);
}

/*
 * A lazily freed anonymous page (MADV_FREE) still clean: discarded, not
 * swapped; its PTEs go empty, so it reads back as zeros (pglazyfreed).
 */
static bool shrink_lazyfree_page(struct kernel *k, struct page *page,
				 struct scan_control *sc)
{
	get_page(page); /* the unmapping must not free it under us */
	if (page_mapped(page) && !try_to_unmap(k, page)) {
		page_ref_dec(page);
		return false;
	}
	if (PageDirty(page) || page_count(page) != 1) {
		page_ref_dec(page);
		return false;
	}
	count_vm_event(&k->mem, sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT);
	count_vm_event(&k->mem, PGSTEAL_FILE); /* it sat on the file list */
	count_vm_event(&k->mem, PGLAZYFREED);
	release_page(k, page);
	return true;
}

/* ---- the inactive list ---------------------------------------------------------- */

enum page_references {
	PAGEREF_RECLAIM,
	PAGEREF_RECLAIM_CLEAN,
	PAGEREF_KEEP,
	PAGEREF_ACTIVATE,
};

/* Linux's folio_check_references: mapped pages start with a reference
 * from their fault, so a page must be seen used twice to stay. */
static enum page_references page_check_references(struct kernel *k,
						  struct page *page)
{
	unsigned long vm_flags;
	int referenced_ptes = page_referenced(k, page, &vm_flags);
	bool referenced_page = TestClearPageReferenced(page);

	if (vm_flags & VM_LOCKED) {
		mlock_page(k, page);
		return PAGEREF_KEEP;
	}
	if (referenced_ptes) {
		SetPageReferenced(page);
		if (referenced_page || referenced_ptes > 1)
			return PAGEREF_ACTIVATE;
		if ((vm_flags & VM_EXEC) && !PageSwapBacked(page))
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	if (referenced_page && !PageSwapBacked(page))
		return PAGEREF_RECLAIM_CLEAN;
	return PAGEREF_RECLAIM;
}

/* References a page on the LRU has when nobody but its mappings and its
 * cache holds it. */
static bool page_is_pinned(const struct page *page)
{
	int expected = page_mapcount(page);

	if (PageSwapCache(page) || (page->mapping && !PageAnon(page)))
		expected++;
	return page_count(page) != expected;
}

/*
 * Try to free one isolated inactive page.  Returns true when it was freed;
 * otherwise the page goes back (PG_active set when it earned activation).
 */
static bool shrink_page(struct kernel *k, struct page *page,
			struct scan_control *sc)
{
	bool anon = PageAnon(page) || PageSwapCache(page);

	if (page_is_pinned(page) || PageUnevictable(page))
		return false;
	if (PageSwapBacked(page) && !anon)
		goto activate; /* shmem: no swap for it in this version */
	switch (sc->ignore_references ? PAGEREF_RECLAIM
				      : page_check_references(k, page)) {
	case PAGEREF_ACTIVATE:
		goto activate;
	case PAGEREF_KEEP:
		return false;
	case PAGEREF_RECLAIM_CLEAN:
		if (PageDirty(page))
			return false;
		break;
	case PAGEREF_RECLAIM:
		break;
	}
	if (PageAnon(page) && !PageSwapBacked(page))
		return shrink_lazyfree_page(k, page, sc);
	if (anon && !PageSwapCache(page)) {
		if (!sc->may_swap || !add_to_swap(k, page))
			goto activate;
	}
	if (page_mapped(page) && !try_to_unmap(k, page))
		return false; /* mlocked meanwhile, or swap map full */
	if (PageDirty(page)) {
		int err;

		if (anon) {
			err = swap_writepage(k, page);
			if (!err)
				ClearPageDirty(page);
		} else {
			err = filemap_writepage(k, page);
		}
		if (err) {
			/* Nothing is lost: the page stays, dirty, and an
			 * anonymous one stays in the swap cache. */
			if (anon)
				SetPageDirty(page);
			goto activate;
		}
		mod_node_page_state(&k->mem, page, NR_VMSCAN_WRITE, 1);
	}
	if (page_count(page) != 1)
		return false;
	count_vm_event(&k->mem, sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT);
	count_vm_event(&k->mem, anon ? PGSTEAL_ANON : PGSTEAL_FILE);
	if (anon) {
		workingset_eviction(k, page, workingset_anon_key(page->private));
		delete_from_swap_cache(k, page);
	} else {
		struct inode *inode = page->mapping;
		workingset_eviction(k, page,
				    workingset_file_key(inode->dev, inode->ino,
							page->index));
		filemap_remove_page(k, page);
	}
	return true;
activate:
	/* An active page will not go soon: when swap is short, its slot
	 * serves better elsewhere (a mapped page stays alive without it). */
	if (PageSwapCache(page) && page_mapped(page) && vm_swap_full(k))
		try_to_free_swap(k, page, true);
	SetPageActive(page);
	SetPageWorkingset(page);
	workingset_age(k);
	count_vm_event(&k->mem, PGACTIVATE);
	if (trace_on(ktrace(k), EV_LRU_MOVE))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_LRU_MOVE, .flags = TEV_PHYS,
			.addr = page_to_phys(&k->mem, page),
			.arg = { page_to_pfn(&k->mem, page) } });
	return false;
}

/* Isolate up to @nr pages from the tail of @pgdat's list @l onto @dst. */
static unsigned long isolate_lru_pages(struct kernel *k,
				       struct pglist_data *pgdat,
				       enum lru_list l, unsigned long nr,
				       struct list_head *dst)
{
	unsigned long n = 0;

	while (n < nr && !list_empty(&pgdat->lru[l])) {
		struct page *page = list_last_entry(&pgdat->lru[l],
						    struct page, lru);
		lru_del_page(k, page);
		list_add_tail(&page->lru, dst);
		n++;
	}
	return n;
}

static void shrink_inactive_list(struct kernel *k, enum lru_list l,
				 unsigned long nr, struct scan_control *sc)
{
	LIST_HEAD(pages);
	struct page *page, *tmp;
	unsigned long n = isolate_lru_pages(k, sc->pgdat, l, nr, &pages);
	bool file = l == LRU_INACTIVE_FILE;

	count_vm_events(&k->mem, sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT,
			(long)n);
	count_vm_events(&k->mem, file ? PGSCAN_FILE : PGSCAN_ANON, (long)n);
	sc->nr_scanned += n;
	list_for_each_entry_safe(page, tmp, &pages, lru) {
		list_del_init(&page->lru);
		if (shrink_page(k, page, sc))
			sc->nr_reclaimed++;
		else
			lru_add_page(k, page);
	}
}

static void shrink_active_list(struct kernel *k, enum lru_list l,
			       unsigned long nr, struct scan_control *sc)
{
	LIST_HEAD(pages);
	struct page *page, *tmp;
	unsigned long n = isolate_lru_pages(k, sc->pgdat, l, nr, &pages);

	(void)sc;
	count_vm_events(&k->mem, PGREFILL, (long)n);
	list_for_each_entry_safe(page, tmp, &pages, lru) {
		unsigned long vm_flags = 0;

		list_del_init(&page->lru);
		/* Executable file pages in use stay active (Linux keeps
		 * them: they are expensive to lose); everything else
		 * gets its second chance on the inactive list. */
		if (page_referenced(k, page, &vm_flags) &&
		    (vm_flags & VM_EXEC) && !PageSwapBacked(page)) {
			lru_add_page(k, page);
			continue;
		}
		if (vm_flags & VM_LOCKED) {
			mlock_page(k, page);
		} else {
			ClearPageActive(page);
			count_vm_event(&k->mem, PGDEACTIVATE);
		}
		lru_add_page(k, page);
	}
}

/* Linux's inactive_is_low with inactive_ratio 1 (under 1 GiB). */
static bool inactive_is_low(const struct pglist_data *pgdat,
			    enum lru_list inactive)
{
	return lru_size(pgdat, inactive) < lru_size(pgdat, inactive + 1);
}

/* Scan @nr pages of one kind (anon or file), ageing the active list first
 * when the inactive one is too small. */
static void shrink_lru(struct kernel *k, enum lru_list inactive,
		       unsigned long nr, struct scan_control *sc)
{
	while (nr && sc->nr_reclaimed < sc->nr_to_reclaim) {
		unsigned long batch = nr < SWAP_CLUSTER_MAX ? nr
							    : SWAP_CLUSTER_MAX;
		if (inactive_is_low(sc->pgdat, inactive))
			shrink_active_list(k, inactive + 1, batch, sc);
		if (!lru_size(sc->pgdat, inactive))
			break;
		shrink_inactive_list(k, inactive, batch, sc);
		nr -= batch;
	}
}

/*
 * --policy other than lru2 (mm/replace.c): the policy picks the victims
 * and reclaim frees them, whatever their Accessed bits say now.
 */
static void shrink_node_replace(struct kernel *k, struct scan_control *sc,
				bool can_anon)
{
	LIST_HEAD(pages);
	struct page *page, *tmp;
	unsigned long want = sc->nr_to_reclaim - sc->nr_reclaimed;
	unsigned long scanned[2];
	bool ignore = sc->ignore_references;

	if (want < SWAP_CLUSTER_MAX)
		want = SWAP_CLUSTER_MAX;
	replace_isolate(k, sc->pgdat, can_anon, want, &pages, scanned);
	count_vm_events(&k->mem, sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT,
			(long)(scanned[0] + scanned[1]));
	count_vm_events(&k->mem, PGSCAN_FILE, (long)scanned[0]);
	count_vm_events(&k->mem, PGSCAN_ANON, (long)scanned[1]);
	sc->nr_scanned += scanned[0] + scanned[1];
	sc->ignore_references = true;
	list_for_each_entry_safe(page, tmp, &pages, lru) {
		list_del_init(&page->lru);
		if (shrink_page(k, page, sc))
			sc->nr_reclaimed++;
		else
			lru_add_page(k, page);
	}
	sc->ignore_references = ignore;
}

/*
 * One pass over the node's lists at sc->priority (Linux get_scan_count +
 * shrink_lruvec): each kind scans (size >> priority) pages, weighted by
 * swappiness (anon) against 200 - swappiness (file).
 */
static void shrink_node(struct kernel *k, struct scan_control *sc)
{
	unsigned long anon = lru_size(sc->pgdat, LRU_INACTIVE_ANON) +
			     lru_size(sc->pgdat, LRU_ACTIVE_ANON);
	unsigned long file = lru_size(sc->pgdat, LRU_INACTIVE_FILE) +
			     lru_size(sc->pgdat, LRU_ACTIVE_FILE);
	unsigned long anon_prio = (unsigned long)k->mem.swappiness;
	unsigned long file_prio = 200 - anon_prio;
	unsigned long nr_anon, nr_file;
	/* Anonymous pages can go when a slot is free, or when they are in
	 * the swap cache already (clean ones need no new slot). */
	bool can_anon = sc->may_swap &&
			(nr_free_swap_pages(k) > 0 ||
			 global_node_page_state(&k->mem, NR_SWAPCACHE) > 0);
	/* THPs mapped whole are anonymous memory too, off the lists: reclaim
	 * looks at them in proportion and splits the idle ones
	 * (huge_memory.c). */
	unsigned long thp =
		can_anon ? (unsigned long)node_page_state(sc->pgdat,
							   NR_ANON_THPS)
				   << (hpage_shift(k) - PAGE_SHIFT)
			 : 0;
	unsigned long inactive = lru_size(sc->pgdat, LRU_INACTIVE_ANON);

	if (k->mem.repl) {
		if (thp && anon < SWAP_CLUSTER_MAX)
			thp_reclaim_split(k, sc->pgdat, SWAP_CLUSTER_MAX);
		shrink_node_replace(k, sc, can_anon);
		return;
	}
	anon += thp;
	nr_anon = anon >> sc->priority;
	nr_file = file >> sc->priority;
	if (sc->priority < DEF_PRIORITY - 2) {
		/* Small lists still get scanned when pressure grows. */
		if (!nr_anon)
			nr_anon = anon < SWAP_CLUSTER_MAX ? anon
							  : SWAP_CLUSTER_MAX;
		if (!nr_file)
			nr_file = file < SWAP_CLUSTER_MAX ? file
							  : SWAP_CLUSTER_MAX;
	}
	if (!can_anon || !anon) {
		nr_anon = 0;
	} else if (file) {
		nr_anon = nr_anon * anon_prio * 2 / 200;
		nr_file = nr_file * file_prio * 2 / 200;
		/* swappiness 0 still swaps once the file cache is gone
		 * (the lowest priority scans everything). */
		if (!nr_anon && sc->priority == 0 && !nr_file)
			nr_anon = anon;
	}
	if (thp && nr_anon) {
		/* THPs get their share of the anonymous scan, as they would
		 * on Linux's lists, and what the inactive list lacks */
		unsigned long share = (unsigned long)((uint64_t)nr_anon * thp /
						      anon);

		if (nr_anon > inactive && nr_anon - inactive > share)
			share = nr_anon - inactive;
		if (share)
			thp_reclaim_split(k, sc->pgdat, share);
	}
	shrink_lru(k, LRU_INACTIVE_FILE, nr_file, sc);
	shrink_lru(k, LRU_INACTIVE_ANON, nr_anon, sc);
}

/* Priority DEF_PRIORITY down to 0 until enough is freed, every node at
 * each priority (sc->pgdat set: that node only). */
static unsigned long do_try_to_free_pages(struct kernel *k,
					  struct scan_control *sc)
{
	struct pglist_data *only = sc->pgdat;

	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		for (int n = 0; n < k->mem.nr_nodes; n++) {
			sc->pgdat = only ? only : k->mem.node[n];
			shrink_node(k, sc);
			if (sc->nr_reclaimed >= sc->nr_to_reclaim || only)
				break;
		}
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	sc->pgdat = only;
	return sc->nr_reclaimed;
}

/* The page allocator's reclaim_hook: direct reclaim for one stall. */
static unsigned long try_to_free_pages(struct memory *mem, void *arg,
				       gfp_t gfp, unsigned int order)
{
	struct kernel *k = arg;
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX << order,
		.gfp_mask = gfp,
		.order = order,
		.may_swap = true,
	};
	uint64_t start = kernel_ns(k);
	unsigned long freed;

	(void)mem;
	if (trace_on(ktrace(k), EV_RECLAIM_BEGIN))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_RECLAIM_BEGIN, .arg = { order, gfp } });
	freed = do_try_to_free_pages(k, &sc);
	/* The allocating task stalled on memory for as long as reclaim took
	 * on the virtual clock (swap writes under --cost; Linux's
	 * psi_memstall_enter around try_to_free_pages). */
	if (kernel_ns(k) > start)
		psi_memstall(k, kernel_ns(k) - start, false);
	if (trace_on(ktrace(k), EV_RECLAIM_END))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_RECLAIM_END,
			.arg = { freed, sc.nr_scanned } });
	if (freed)
		for (int n = 0; n < k->mem.nr_nodes; n++)
			k->mem.node[n]->kswapd_failures = 0;
	return freed;
}

/* ---- kswapd ------------------------------------------------------------------- */

static unsigned long kswapd_wakeup(struct memory *mem, void *arg, gfp_t gfp,
				   unsigned int order)
{
	struct kernel *k = arg;

	(void)mem;
	if (!k->kswapd_wake && trace_on(ktrace(k), EV_KSWAPD_WAKE))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_KSWAPD_WAKE, .arg = { 0, order, gfp } });
	k->kswapd_wake = true;
	return 0;
}

/* Pages missing to put every populated zone of @pgdat at watermark @w. */
static unsigned long pgdat_deficit(struct pglist_data *pgdat,
				   enum zone_watermarks w)
{
	unsigned long need = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long free, mark;

		if (!populated_zone(zone))
			continue;
		free = zone_page_state(zone, NR_FREE_PAGES);
		mark = zone->watermark[w] + zone->watermark_boost;
		if (free < mark)
			need += mark - free;
	}
	return need;
}

/* One node's kswapd (Linux balance_pgdat): from below low, reclaim that
 * node's lists until its zones are above high. */
static void balance_pgdat(struct kernel *k, struct pglist_data *pgdat,
			  bool woken)
{
	struct scan_control sc = {.pgdat = pgdat, .may_swap = true,
				  .kswapd = true, .gfp_mask = GFP_KERNEL};
	unsigned long need;

	if (!woken && !pgdat_deficit(pgdat, WMARK_LOW))
		return;
	/* Hopeless (Linux: kswapd_failures >= MAX_RECLAIM_RETRIES): sleep
	 * until direct reclaim makes progress again. */
	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES)
		return;
	need = pgdat_deficit(pgdat, WMARK_HIGH);
	if (!need) {
		count_vm_event(&k->mem, KSWAPD_HIGH_WMARK_HIT_QUICKLY);
		return;
	}
	count_vm_event(&k->mem, PAGEOUTRUN);
	sc.nr_to_reclaim = need > SWAP_CLUSTER_MAX ? need : SWAP_CLUSTER_MAX;
	do_try_to_free_pages(k, &sc);
	if (pgdat_deficit(pgdat, WMARK_HIGH))
		pgdat->kswapd_failures++;
	else
		pgdat->kswapd_failures = 0;
}

void kswapd_run(struct kernel *k)
{
	bool woken = k->kswapd_wake;

	k->kswapd_wake = false;
	k->mem.in_reclaim++;
	if (k->mem.repl)
		replace_tick(k);
	for (int n = 0; n < k->mem.nr_nodes; n++)
		balance_pgdat(k, k->mem.node[n], woken);
	k->mem.in_reclaim--;
}

unsigned long shrink_all_memory(struct kernel *k, unsigned long nr)
{
	struct scan_control sc = {.nr_to_reclaim = nr, .may_swap = true,
				  .kswapd = true, .gfp_mask = GFP_KERNEL};

	k->mem.in_reclaim++;
	do_try_to_free_pages(k, &sc);
	k->mem.in_reclaim--;
	return sc.nr_reclaimed;
}

/* ---- madvise(MADV_COLD / MADV_PAGEOUT) ------------------------------------------ */

struct madv_arg {
	struct vma *vma;
	bool pageout;
	struct list_head pages;	/* isolated for pageout */
};

/*
 * One PTE of the range: make the page old (clear A, flush), then either
 * deactivate it (cold) or isolate it for reclaim (pageout).  Pages other
 * processes map too are left alone, as Linux does for anonymous ones
 * (reclaiming them would hurt the others).
 */
static void madv_pte(struct kernel *k, pte_slot_t slot, gva_t addr, pte_t pte,
		     void *arg)
{
	struct madv_arg *ma = arg;
	struct page *page;

	if (!pte_present(pte) || (pte & PTE_SPECIAL))
		return;
	page = pfn_to_page(&k->mem, pte_pfn(pte));
	if (!PageLRU(page) || PageUnevictable(page) || page_mapcount(page) != 1)
		return;
	if (pte & PTE_A) {
		set_pte(k, slot, pte & ~(pte_t)PTE_A);
		flush_tlb_page(k, ma->vma->vm_mm, addr);
	}
	ClearPageReferenced(page);
	lru_del_page(k, page);
	if (ma->pageout) {
		list_add_tail(&page->lru, &ma->pages);
		return;
	}
	if (PageActive(page)) {
		ClearPageActive(page);
		count_vm_event(&k->mem, PGDEACTIVATE);
	}
	lru_add_page(k, page);
}

int madvise_cold_or_pageout(struct kernel *k, struct vma *vma, gva_t start,
			    gva_t end, bool pageout)
{
	struct madv_arg ma = {.vma = vma, .pageout = pageout};
	struct scan_control sc = {.nr_to_reclaim = ~0ul, .may_swap = true,
				  .ignore_references = true,
				  .gfp_mask = GFP_KERNEL};
	struct page *page, *tmp;

	if (vma->vm_flags & (VM_LOCKED | VM_HUGETLB))
		return -EINVAL;
	INIT_LIST_HEAD(&ma.pages);
	for_each_pte(k, vma->vm_mm, start, end, madv_pte, &ma);
	if (!pageout)
		return 0;
	k->mem.in_reclaim++;
	list_for_each_entry_safe(page, tmp, &ma.pages, lru) {
		list_del_init(&page->lru);
		if (!shrink_page(k, page, &sc))
			lru_add_page(k, page);
	}
	k->mem.in_reclaim--;
	return 0;
}

void vmscan_init(struct kernel *k)
{
	k->mem.reclaim_hook = try_to_free_pages;
	k->mem.reclaim_arg = k;
	k->mem.kswapd_hook = kswapd_wakeup;
	k->mem.kswapd_arg = k;
}
