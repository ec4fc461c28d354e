/*
 * Page faults: handle_mm_fault and its decision table, as in Linux's
 * mm/memory.c.
 *
 *   handle_mm_fault   find the vma, grow the stack, check the access
 *   handle_pte_fault  pte none        -> do_anonymous_page / do_fault
 *                     pte swap entry  -> do_swap_page
 *                     pte PROT_NONE   -> SIGSEGV (the vma forbids it)
 *                     write, !W       -> do_wp_page (copy on write)
 *                     otherwise       -> spurious: flush the stale TLB entry
 *
 * Handlers return VM_FAULT_* bits: 0 on success, VM_FAULT_MAJOR when I/O
 * was needed, VM_FAULT_OOM / SIGBUS / SIGSEGV on failure.  On entry the
 * vmf's vma, address, flags and pgoff are set; on a successful return the
 * PTE maps the page and the TLB holds no stale translation of it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/swap.h"

static const char *const fault_result_names[NR_FAULT_RESULTS] = {
#define FR_NAME_(id, name) [id] = name,
	FAULT_RESULTS(FR_NAME_)
#undef FR_NAME_
};

const char *fault_result_name(unsigned r)
{
	return r < NR_FAULT_RESULTS ? fault_result_names[r] : "?";
}

/* mm:zero_page, mm:anon_page, mm:cow_reuse: @va now maps @pfn. */
static void __cold map_event(struct kernel *k, unsigned type, gva_t va,
			     pfn_t pfn, pfn_t old)
{
	trace_emit(ktrace(k), &(struct trace_event){
		.type = (uint16_t)type, .addr = va, .arg = { pfn, old } });
}

static void *page_host(struct kernel *k, struct page *page)
{
	return page_address(&k->mem, page);
}

static void copy_user_highpage(struct kernel *k, struct page *dst,
			       struct page *src)
{
	memcpy(page_host(k, dst), page_host(k, src), PAGE_SIZE);
}

static struct page *alloc_user_page(struct kernel *k, struct vma *vma,
				    gva_t addr, bool zero)
{
	/* No "page allocation failure" report: a fault that cannot get a
	 * page goes to the OOM killer, which reports (as in Linux). */
	gfp_t gfp = GFP_HIGHUSER_MOVABLE | __GFP_NOWARN |
		    (zero ? __GFP_ZERO : 0);

	return alloc_page_vma(k, gfp, vma, addr);
}

/* Install @pte for vmf->address, replacing whatever was there. */
static void set_pte_at(struct kernel *k, struct vm_fault *vmf, pte_t pte)
{
	set_pte(k, vmf->pte, pte);
}

/*
 * Not present, anonymous vma.  A read maps the shared zero page read-only;
 * a write gets a fresh zeroed page, exclusively ours.
 */
static unsigned do_anonymous_page(struct kernel *k, struct vm_fault *vmf)
{
	struct vma *vma = vmf->vma;
	struct page *page;

	if (!(vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED)) {
		pte_t pte = pfn_pte(k->zero_pfn,
				    mk_pte_prot(vma->vm_flags, false) |
					    PTE_SPECIAL);
		set_pte_at(k, vmf, pte);
		vmf->result = FR_ZERO_PAGE;
		if (trace_on(ktrace(k), EV_ZERO_PAGE))
			map_event(k, EV_ZERO_PAGE, vmf->address, k->zero_pfn, 0);
		return 0;
	}
	if (anon_vma_prepare(k, vma) < 0)
		return VM_FAULT_OOM;
	page = alloc_user_page(k, vma, vmf->address, true);
	if (!page)
		return VM_FAULT_OOM;
	page_add_new_anon_rmap(k, page, vma, vmf->address);
	lru_add_page(k, page);
	mm_add_rss(vma->vm_mm, MM_ANONPAGES, 1);
	pte_t pte = pfn_pte(page_to_pfn(&k->mem, page),
			    mk_pte_prot(vma->vm_flags, true));
	if (vmf->flags & FAULT_FLAG_WRITE)
		pte |= PTE_A | PTE_D;
	set_pte_at(k, vmf, pte);
	vmf->result = FR_ANON;
	if (trace_on(ktrace(k), EV_ANON_PAGE))
		map_event(k, EV_ANON_PAGE, vmf->address,
			  page_to_pfn(&k->mem, page), 0);
	return 0;
}

/*
 * Not present, file-backed vma: map the page-cache page (read fault or
 * shared mapping), or copy it into a private anonymous page (write fault
 * on a private mapping: do_cow_fault).
 */
static unsigned do_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct vma *vma = vmf->vma;
	bool major = false, oom = false;
	unsigned ret = 0;

	/* A read fault first maps what is cached around it (minor). */
	if (!(vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_LOCKED) &&
	    do_fault_around(k, vmf)) {
		vmf->result = FR_FILE_MINOR;
		return 0;
	}
	struct page *page = filemap_fault(k, vma, vmf->pgoff, &major, &oom);

	if (!page)
		return oom ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	if (major)
		ret |= VM_FAULT_MAJOR;
	vmf->result = major ? FR_FILE_MAJOR : FR_FILE_MINOR;

	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED)) {
		struct page *copy;
		if (anon_vma_prepare(k, vma) < 0 ||
		    !(copy = alloc_user_page(k, vma, vmf->address, false))) {
			release_page(k, page);
			return VM_FAULT_OOM;
		}
		copy_user_highpage(k, copy, page);
		release_page(k, page);
		page_add_new_anon_rmap(k, copy, vma, vmf->address);
		lru_add_page(k, copy);
		mm_add_rss(vma->vm_mm, MM_ANONPAGES, 1);
		set_pte_at(k, vmf,
			   pfn_pte(page_to_pfn(&k->mem, copy),
				   mk_pte_prot(vma->vm_flags, true) | PTE_A |
					   PTE_D));
		vmf->result = FR_FILE_COW;
		return ret;
	}
	/* The PTE now holds the reference filemap_get_page gave us. */
	page_add_file_rmap(k, page);
	mm_add_rss(vma->vm_mm, mm_counter_file(page), 1);
	/* Shared pages start read-only even in a writable mapping, so the
	 * first store comes through do_wp_page and dirties the page (Linux's
	 * write-notify); a write fault maps them writable and dirty at once. */
	bool writable = (vma->vm_flags & VM_SHARED) &&
			(vmf->flags & FAULT_FLAG_WRITE);
	pte_t pte = pfn_pte(page_to_pfn(&k->mem, page),
			    mk_pte_prot(vma->vm_flags, writable) | PTE_A);
	if (writable) {
		pte |= PTE_D;
		set_page_dirty(k, page);
	}
	set_pte_at(k, vmf, pte);
	return ret;
}

/*
 * Write to a present, write-protected page of a writable vma.  Reuse the
 * page in place when we are its only user (an exclusive anonymous page
 * mapped once): that is pgreuse, the COW avoided.  Otherwise copy it,
 * point our PTE at the copy and drop our hold on the original.
 */
static unsigned do_wp_page(struct kernel *k, struct vm_fault *vmf)
{
	struct vma *vma = vmf->vma;
	pte_t orig = vmf->orig_pte;
	struct page *old = NULL, *copy;

	if (vma->vm_flags & VM_SHARED) {
		/* Shared file page, write-protected to track dirtying. */
		struct page *page = pfn_to_page(&k->mem, pte_pfn(orig));
		set_page_dirty(k, page);
		set_pte_at(k, vmf, orig | PTE_W | PTE_A | PTE_D);
		flush_tlb_page(k, vma->vm_mm, vmf->address);
		vmf->result = FR_WRITE_NOTIFY;
		return 0;
	}
	if (!(orig & PTE_SPECIAL))
		old = pfn_to_page(&k->mem, pte_pfn(orig));
	/* A swap-cache page whose slot no other PTE holds: drop the slot,
	 * and the page may be reused in place. */
	if (old && PageAnon(old) && PageSwapCache(old) &&
	    page_mapcount(old) == 1)
		try_to_free_swap(k, old, true);
	if (old && PageAnon(old) && page_mapcount(old) == 1 &&
	    page_count(old) == 1) {
		SetPageAnonExclusive(old);
		set_pte_at(k, vmf, orig | PTE_W | PTE_A | PTE_D);
		flush_tlb_page(k, vma->vm_mm, vmf->address);
		count_vm_event(&k->mem, PGREUSE);
		vmf->result = FR_COW_REUSE;
		if (trace_on(ktrace(k), EV_COW_REUSE))
			map_event(k, EV_COW_REUSE, vmf->address,
				  pte_pfn(orig), pte_pfn(orig));
		return 0;
	}
	/* Pin the original across the allocations: reclaim skips pinned
	 * pages, so it stays mapped here and its contents stay valid. */
	if (old)
		get_page(old);
	if (anon_vma_prepare(k, vma) < 0 ||
	    !(copy = alloc_user_page(k, vma, vmf->address, old == NULL))) {
		if (old)
			page_ref_dec(old);
		return VM_FAULT_OOM;
	}
	if (old) {
		copy_user_highpage(k, copy, old);
		page_ref_dec(old);
	}
	page_add_new_anon_rmap(k, copy, vma, vmf->address);
	lru_add_page(k, copy);
	if (old) {
		if (PageAnon(old)) {
			mm_add_rss(vma->vm_mm, MM_ANONPAGES, -1);
		} else {
			mm_add_rss(vma->vm_mm, mm_counter_file(old), -1);
		}
		page_remove_rmap(k, old);
	}
	mm_add_rss(vma->vm_mm, MM_ANONPAGES, 1);
	set_pte_at(k, vmf,
		   pfn_pte(page_to_pfn(&k->mem, copy),
			   mk_pte_prot(vma->vm_flags, true) | PTE_A | PTE_D));
	/* The old translation may be cached: it must go before we return. */
	flush_tlb_page(k, vma->vm_mm, vmf->address);
	vmf->result = FR_COW_COPY;
	if (trace_on(ktrace(k), EV_COW_COPY))
		map_event(k, EV_COW_COPY, vmf->address,
			  page_to_pfn(&k->mem, copy), pte_pfn(orig));
	if (old)
		release_page(k, old);
	return 0;
}

/*
 * Not present, the PTE holds a swap entry.  Find the page in the swap
 * cache, or read it from the device with its neighbours (readahead): a
 * major fault that charges the modelled device latency to the virtual
 * clock.  The page is mapped read-only, unless this is a write by the
 * slot's only user: then the slot is dropped and the page, exclusively
 * ours again, is mapped writable.  A write to a page others still share
 * goes on to do_wp_page.  An I/O error is SIGBUS; the PTE keeps its entry
 * and nothing is lost.
 */
static unsigned do_swap_page(struct kernel *k, struct vm_fault *vmf)
{
	struct vma *vma = vmf->vma;
	pte_t entry = vmf->orig_pte;
	unsigned ret = 0;
	struct page *page;
	bool writable = false;

	if (anon_vma_prepare(k, vma) < 0)
		return VM_FAULT_OOM;
	page = lookup_swap_cache(k, entry);
	if (page) {
		if (TestClearPageReadahead(page))
			swap_ra_hit(k, entry);
	} else {
		int err;

		page = swapin_readahead(k, entry, &err, vma, vmf->address);
		if (!page)
			return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
		ret = VM_FAULT_MAJOR;
		/* --cost charges swap_io per page read instead */
		if (!k->cfg.cost.on)
			k->cpu.cycle += SWAP_READ_LATENCY_NS;
		psi_memstall(k, k->cfg.cost.on ? k->cfg.cost.swap_io :
			     SWAP_READ_LATENCY_NS, true);
		if (workingset_refault(k, page, workingset_anon_key(entry),
				       false)) {
			lru_del_page(k, page);
			SetPageActive(page);
			lru_add_page(k, page);
		}
	}
	/* Reclaim never touches swap entries, so the PTE is the one we saw;
	 * check anyway, as Linux's pte_same does. */
	if (ptep_get(k, vmf->pte) != entry)
		return ret;
	get_page(page); /* the PTE's reference */
	if (!PageAnon(page)) {
		/* Its first mapping since it came in.  Other processes of
		 * the fork tree may hold the slot too: the root anon_vma
		 * reaches all their vmas (Linux's __page_set_anon_rmap for
		 * a page that is not exclusive). */
		struct anon_vma *root = vma->anon_vma->root;

		root->refcount++;
		page->mapping = (void *)((uintptr_t)root | PAGE_MAPPING_ANON);
		page->index = vmf->pgoff;
		page->_mapcount = 0;
		mod_node_page_state(&k->mem, page, NR_ANON_MAPPED, 1);
	} else {
		page_add_anon_rmap(k, page);
	}
	mm_add_rss(vma->vm_mm, MM_SWAPENTS, -1);
	mm_add_rss(vma->vm_mm, MM_ANONPAGES, 1);
	swap_free_entry(k, entry);
	if ((vmf->flags & FAULT_FLAG_WRITE) && page_mapcount(page) == 1 &&
	    try_to_free_swap(k, page, true)) {
		SetPageAnonExclusive(page);
		writable = true;
	} else if (vm_swap_full(k)) {
		/* Swap is short: give the slot back if no PTE needs it;
		 * reclaim will find a new one when the page goes out. */
		try_to_free_swap(k, page, true);
	}
	pte_t pte = pfn_pte(page_to_pfn(&k->mem, page),
			    mk_pte_prot(vma->vm_flags, writable) | PTE_A);
	if (writable)
		pte |= PTE_D;
	set_pte_at(k, vmf, pte);
	if ((vmf->flags & FAULT_FLAG_WRITE) && !writable) {
		vmf->orig_pte = pte;
		ret |= do_wp_page(k, vmf);
	}
	vmf->result = FR_SWAP_IN;
	return ret;
}

static bool access_permitted(const struct vma *vma, unsigned flags)
{
	/* FOLL_FORCE: a private mapping is written through a COW copy. */
	if ((flags & (FAULT_FLAG_WRITE | FAULT_FLAG_FORCE)) ==
		    (FAULT_FLAG_WRITE | FAULT_FLAG_FORCE) &&
	    !(vma->vm_flags & VM_SHARED))
		return true;
	if (flags & FAULT_FLAG_WRITE)
		return vma->vm_flags & VM_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		return vma->vm_flags & VM_EXEC;
	return vma->vm_flags & (VM_READ | VM_WRITE);
}

static unsigned handle_pte_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct vma *vma = vmf->vma;
	pte_t pte;

	vmf->pte = pte_offset(k, vma->vm_mm, vmf->address, true);
	if (!vmf->pte)
		return VM_FAULT_OOM;
	pte = vmf->orig_pte = ptep_get(k, vmf->pte);

	if (pte_none(pte))
		return vma->vm_file ? do_fault(k, vmf)
				    : do_anonymous_page(k, vmf);
	if (pte_is_swap(pte))
		return do_swap_page(k, vmf);
	if (pte_protnone(pte)) {
		vmf->accerr = true;
		return VM_FAULT_SIGSEGV;
	}
	if ((vmf->flags & FAULT_FLAG_WRITE) && !(pte & PTE_W))
		return do_wp_page(k, vmf);
	/* The PTE already allows the access: the TLB held an older, stricter
	 * translation (a permission upgrade needs no flush on Linux either).
	 * Drop it; the hardware sets A/D on the retry. */
	flush_tlb_page(k, vma->vm_mm, vmf->address);
	vmf->result = FR_SPURIOUS;
	return 0;
}

/* Grow a VM_GROWSDOWN vma down to cover @addr, within RLIMIT_STACK and
 * keeping the guard gap to the vma below.  Returns 0 or -ENOMEM. */
static int expand_stack(struct kernel *k, struct vma *vma, gva_t addr)
{
	struct mm *mm = vma->vm_mm;
	struct task *t = k->current;
	gva_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	struct vma *prev = vma_prev(mm, vma);
	uint64_t size = (uint64_t)vma->vm_end - start;
	unsigned long grow = (vma->vm_start - start) >> PAGE_SHIFT;

	if (t && size > t->rlim[RLIMIT_STACK].rlim_cur)
		return -ENOMEM;
	if (prev && start - prev->vm_end < STACK_GUARD_GAP)
		return -ENOMEM;
	if (start < MMAP_MIN_ADDR)
		return -ENOMEM;
	if (t && t->rlim[RLIMIT_AS].rlim_cur != RLIM_INFINITY &&
	    ((uint64_t)mm->total_vm + grow) << PAGE_SHIFT >
		    t->rlim[RLIMIT_AS].rlim_cur)
		return -ENOMEM;
	vma->vm_pgoff -= grow;
	/* Changing vm_start re-keys the treap; do it through unlink/link. */
	vma_unlink(mm, vma);
	vma->vm_start = start;
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	return 0;
}

static uint16_t fault_tev_flags(unsigned flags)
{
	return (flags & FAULT_FLAG_WRITE ? TEV_WRITE : 0) |
	       (flags & FAULT_FLAG_INSTRUCTION ? TEV_EXEC : 0);
}

/*
 * The one place a fault is accounted, as Linux's mm_account_fault(): the
 * task's min_flt/maj_flt (faults the kernel takes for it -- MAP_POPULATE,
 * mlock, copies to and from user memory -- count too), /proc/vmstat's
 * pgmajfault, the RSS high-water mark, and the mm:fault_done event.
 * pgfault itself is counted on entry to handle_pte_fault.
 */
static void mm_account_fault(struct kernel *k, struct mm *mm,
			     struct vm_fault *vmf, unsigned ret)
{
	bool guest = !(vmf->flags & FAULT_FLAG_FORCE);

	if ((ret & VM_FAULT_MAJOR) && guest)
		count_vm_event(&k->mem, PGMAJFAULT);
	if (guest) {
		enum fault_result r = ret & VM_FAULT_OOM      ? FR_OOM
				      : ret & VM_FAULT_SIGBUS ? FR_SIGBUS
				      : ret & VM_FAULT_SIGSEGV ? FR_SIGSEGV
							       : vmf->result;

		if (r < NR_FAULT_RESULTS) {
			k->fault_kinds[r]++;
			if (k->current)
				k->current->acct.faults[r]++;
		}
		if (unlikely(k->cfg.cost.on) && !(ret & VM_FAULT_ERROR))
			k->cpu.cycle += ret & VM_FAULT_MAJOR
						? k->cfg.cost.major_fault
						: k->cfg.cost.minor_fault;
	}
	if (!(ret & VM_FAULT_ERROR)) {
		if (k->current && guest) {
			if (ret & VM_FAULT_MAJOR)
				k->current->maj_flt++;
			else
				k->current->min_flt++;
		}
		unsigned long rss = get_mm_rss(mm);
		if (rss > mm->hiwater_rss)
			mm->hiwater_rss = rss;
	}
	if (trace_on(ktrace(k), EV_FAULT_DONE)) {
		enum fault_result r = ret & VM_FAULT_OOM      ? FR_OOM
				      : ret & VM_FAULT_SIGBUS ? FR_SIGBUS
				      : ret & VM_FAULT_SIGSEGV ? FR_SIGSEGV
							       : vmf->result;
		pte_t pte = vmf->pte ? ptep_get(k, vmf->pte) : 0;

		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_FAULT_DONE, .addr = vmf->real_address,
			.flags = fault_tev_flags(vmf->flags),
			.arg = { r, ret, vmf->grew,
				 pte_present(pte) ? pte_pfn(pte) : 0,
				 vmf->accerr } });
	}
}

unsigned handle_mm_fault(struct kernel *k, struct mm *mm, gva_t addr,
			 unsigned flags, bool *accerr)
{
	struct vm_fault vmf = {.real_address = addr,
			       .address = ALIGN_DOWN(addr, PAGE_SIZE),
			       .flags = flags};
	struct vma *vma = find_vma(mm, addr);
	unsigned ret;

	if (trace_on(ktrace(k), EV_FAULT))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_FAULT, .addr = addr,
			.flags = fault_tev_flags(flags),
			.arg = { flags, k->cpu.pc } });
	*accerr = false;
	if (!vma) {
		ret = VM_FAULT_SIGSEGV;
		goto out;
	}
	if (vma->vm_start > addr) {
		gva_t old_start = vma->vm_start;

		if (!(vma->vm_flags & VM_GROWSDOWN) ||
		    expand_stack(k, vma, addr) < 0) {
			ret = VM_FAULT_SIGSEGV;
			goto out;
		}
		vmf.grew = (old_start - vma->vm_start) >> PAGE_SHIFT;
	}
	if (!access_permitted(vma, flags)) {
		*accerr = vmf.accerr = true;
		ret = VM_FAULT_SIGSEGV;
		goto out;
	}
	if (!(flags & FAULT_FLAG_FORCE))
		count_vm_event(&k->mem, PGFAULT);
	vmf.vma = vma;
	vmf.pgoff = linear_page_index(vma, vmf.address);
	ret = VM_FAULT_FALLBACK;
	if (unlikely((vma->vm_flags & (VM_HUGETLB | VM_HUGEPAGE)) ||
		     mm->nr_thp || k->mem.thp_mode == THP_ALWAYS))
		ret = huge_fault(k, &vmf);
	if (ret == VM_FAULT_FALLBACK)
		ret = handle_pte_fault(k, &vmf);
	if (!(ret & VM_FAULT_ERROR) && (vma->vm_flags & VM_LOCKED) && vmf.pte) {
		/* A page faulted into a locked vma is mlocked at once. */
		pte_t pte = ptep_get(k, vmf.pte);
		if (pte_present(pte) && !(pte & PTE_SPECIAL))
			mlock_page(k, pfn_to_page(&k->mem, pte_pfn(pte)));
	}
	if (vmf.accerr)
		*accerr = true;
out:
	mm_account_fault(k, mm, &vmf, ret);
	return ret;
}

int populate_range(struct kernel *k, struct mm *mm, gva_t start, gva_t end,
		   bool write)
{
	for (gva_t a = start; a < end; a += PAGE_SIZE) {
		struct vma *vma = vma_lookup(mm, a);
		bool accerr;

		if (!vma || !(vma->vm_flags & VM_ACCESS_FLAGS))
			continue;
		unsigned flags = FAULT_FLAG_REMOTE;
		if (write && (vma->vm_flags & VM_WRITE))
			flags |= FAULT_FLAG_WRITE;
		pte_slot_t slot = pte_offset(k, mm, a, false);
		pte_t pte;
		if (slot) {
			pte = ptep_get(k, slot);
			if (pte_present(pte) &&
			    (!(flags & FAULT_FLAG_WRITE) || (pte & PTE_W)))
				continue;
		} else if (huge_pmd_mapped(k, mm, a, &pte) &&
			   (!(flags & FAULT_FLAG_WRITE) || (pte & PTE_W))) {
			continue;
		}
		unsigned r = handle_mm_fault(k, mm, a, flags, &accerr);
		if (r & VM_FAULT_OOM)
			return -ENOMEM;
		if (r & VM_FAULT_ERROR)
			return -EFAULT;
	}
	return 0;
}

/* ---- a debugger's access (Linux's access_remote_vm with FOLL_FORCE) ------ */

/*
 * Read what the guest would read at @va (one page at most) without
 * faulting anything in: a present page, the zero page, zeros for an
 * anonymous page never touched, the page cache or else the file itself
 * for a file page not mapped yet.  Nothing changes: no A bit, no counter,
 * no page-cache insertion.  Returns 0 or -EFAULT.
 */
static int peek_page(struct kernel *k, struct mm *mm, gva_t va, uint8_t *buf,
		     size_t n)
{
	struct vma *vma = vma_lookup(mm, va);
	struct mmu_probe probe;
	size_t in = va & (PAGE_SIZE - 1);

	/* A valid leaf (huge ones too), whatever it allows. */
	if (mmu_probe(&k->mmu, mm->pgd, va, ACC_READ, &probe) != -EFAULT)
		return mmu_phys_read(&k->mmu, probe.pa, buf, n);
	pte_slot_t slot = pte_offset(k, mm, va, false);
	pte_t pte = slot ? ptep_get(k, slot) : 0;

	if (pte_protnone(pte))
		return mmu_phys_read(&k->mmu,
				     ((gpa_t)pte_pfn(pte) << PAGE_SHIFT) + in,
				     buf, n);
	if (!vma || !pte_none(pte))
		return -EFAULT; /* unmapped, or swapped out */
	if (!vma->vm_file) {
		memset(buf, 0, n);
		return 0;
	}
	struct inode *inode = vma->vm_file;
	unsigned long index = linear_page_index(vma, va);
	struct page *page = filemap_find_page(k, inode, index);
	if (page) {
		memcpy(buf, (uint8_t *)page_address(&k->mem, page) + in, n);
		return 0;
	}
	if (inode->kind != INODE_HOST)
		goto zero; /* shmem never written: zeros */
	ssize_t r = pread(inode->host_fd, buf, n,
			  (off_t)((uint64_t)index << PAGE_SHIFT) + (off_t)in);
	if (r < 0)
		return -EFAULT;
	memset(buf + r, 0, n - (size_t)r); /* past EOF: zeros */
	return 0;
zero:
	memset(buf, 0, n);
	return 0;
}

/*
 * Write @n bytes (one page at most) at @va as ptrace's POKEDATA does.  A
 * page the task owns alone -- present and writable, or an exclusive
 * anonymous page write-protected only by a read-only vma -- is written in
 * place without touching its PTE, so the guest's own next access faults
 * (or not) exactly as it would have.  A page shared with another process,
 * the page cache or the zero page is first copied for this mm through the
 * kernel's COW path (do_wp_page), and a non-present page is faulted in,
 * both with FAULT_FLAG_FORCE: no fault is counted.  Returns 0 or -EFAULT.
 */
static int poke_page(struct kernel *k, struct mm *mm, gva_t va,
		     const uint8_t *buf, size_t n)
{
	for (int tries = 0; tries < 3; tries++) {
		struct vma *vma = vma_lookup(mm, va);
		pte_slot_t slot;
		pte_t pte;
		bool accerr;

		if (!vma)
			return -EFAULT;
		/* A shared mapping is written only when writable. */
		if ((vma->vm_flags & VM_SHARED) && !(vma->vm_flags & VM_WRITE))
			return -EFAULT;
		slot = pte_offset(k, mm, va, false);
		pte = slot ? ptep_get(k, slot) : 0;
		if (!slot && huge_pmd_mapped(k, mm, va, &pte) &&
		    ((pte & PTE_W) || !(vma->vm_flags & VM_HUGETLB))) {
			/* a huge page of ours alone (a THP is never shared) */
			gpa_t pa = ((gpa_t)pte_pfn(pte) << PAGE_SHIFT) +
				   (va & (hpage_size(k) - 1));
			return mmu_phys_write(&k->mmu, pa, buf, n) ? -EFAULT
								   : 0;
		}
		if (pte_protnone(pte))
			return -EFAULT;
		if (pte_present(pte) && !(pte & PTE_SPECIAL)) {
			pfn_t pfn = pte_pfn(pte);
			struct page *page = pfn_to_page(&k->mem, pfn);
			bool mine = (pte & PTE_W) ||
				    (vma->vm_flags & VM_SHARED) ||
				    (PageAnon(page) && page_mapcount(page) == 1 &&
				     page_count(page) == 1);

			if (mine) {
				/* drops the frame's decoded instructions */
				if (mmu_phys_write(&k->mmu,
						   ((gpa_t)pfn << PAGE_SHIFT) +
							   (va & (PAGE_SIZE - 1)),
						   buf, n))
					return -EFAULT;
				if (!PageAnon(page))
					set_page_dirty(k, page);
				return 0;
			}
		}
		unsigned r = handle_mm_fault(k, mm, va,
					     FAULT_FLAG_WRITE | FAULT_FLAG_FORCE |
						     FAULT_FLAG_REMOTE,
					     &accerr);
		if (r & VM_FAULT_ERROR)
			return -EFAULT;
	}
	return -EFAULT;
}

int access_remote_vm(struct kernel *k, struct mm *mm, gva_t va, void *buf,
		     size_t len, bool write)
{
	uint8_t *b = buf;

	if ((uint64_t)va + len > 0x100000000ull)
		return -EFAULT;
	while (len) {
		size_t in = va & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - in < len ? PAGE_SIZE - in : len;
		int r = write ? poke_page(k, mm, va, b, n)
			      : peek_page(k, mm, va, b, n);

		if (r)
			return r;
		va += (gva_t)n;
		b += n;
		len -= n;
	}
	return 0;
}
