/*
 * The kernel's side of the page tables: allocating tables, finding and
 * changing entries, zapping, copying for fork and moving for mremap.
 *
 * The tables live in emulated RAM in frames from the buddy allocator
 * (lowmem, as GFP_KERNEL requires), counted as PageTables in meminfo and in
 * mm->pgtables_bytes (VmPTE).  One geometry description serves both pae
 * (pgd/pmd/pte) and sv32 (pgd/pte, the pmd folded as Linux folds it).
 *
 * TLB rule: whoever clears or downgrades a present entry flushes that page
 * (mmu_flush_page for the running mm, the per-ASID flush otherwise).
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/lib/bug.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/swap.h"

pte_t ptep_get(struct kernel *k, pte_slot_t slot)
{
	return pt_read(k->mmu.geo, slot);
}

void set_pte(struct kernel *k, pte_slot_t slot, pte_t pte)
{
	pt_write(k->mmu.geo, slot, pte);
}

struct page *pgtable_page_alloc(struct kernel *k, struct mm *mm)
{
	struct page *page = alloc_page(&k->mem, GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return NULL;
	SetPagePgtable(page);
	mod_node_page_state(&k->mem, page, NR_PAGETABLE, 1);
	mm->pgtables_bytes += PAGE_SIZE;
	return page;
}

void pgtable_page_free(struct kernel *k, struct mm *mm, pfn_t pfn)
{
	struct page *page = pfn_to_page(&k->mem, pfn);

	ClearPagePgtable(page);
	mod_node_page_state(&k->mem, page, NR_PAGETABLE, -1);
	mm->pgtables_bytes -= PAGE_SIZE;
	__free_pages(&k->mem, page, 0);
}

int pgd_alloc(struct kernel *k, struct mm *mm)
{
	struct page *page = pgtable_page_alloc(k, mm);

	if (!page)
		return -ENOMEM;
	mm->pgd = (gpa_t)page_to_pfn(&k->mem, page) << PAGE_SHIFT;
	return 0;
}

static void *table_host(struct kernel *k, gpa_t table)
{
	void *p = phys_host(&k->phys, table, PAGE_SIZE);

	if (!p)
		kernel_bug(k, "page table at %#llx outside RAM",
			   (unsigned long long)table);
	return p;
}

static pte_slot_t table_slot(struct kernel *k, gpa_t table, int lvl, gva_t va)
{
	const struct pt_geometry *g = k->mmu.geo;

	return (uint8_t *)table_host(k, table) +
	       (size_t)pt_index(g, lvl, va) * g->entry_size;
}

pte_slot_t pte_offset(struct kernel *k, struct mm *mm, gva_t addr, bool alloc)
{
	const struct pt_geometry *g = k->mmu.geo;
	gpa_t table = mm->pgd;

	for (int lvl = 0; lvl < g->nr_levels - 1; lvl++) {
		pte_slot_t slot = table_slot(k, table, lvl, addr);
		pte_t e = ptep_get(k, slot);

		if (!pte_present(e)) {
			/* (a non-present entry that is not none is a hugetlb
			 * reservation: never replaced by a table) */
			if (!alloc || !pte_none(e))
				return NULL;
			struct page *page = pgtable_page_alloc(k, mm);
			if (!page)
				return NULL;
			e = pfn_pte(page_to_pfn(&k->mem, page), PTE_V);
			set_pte(k, slot, e);
		} else if (pte_leaf(e)) {
			/* a huge page maps @addr: no PTE table here (the
			 * huge_*() helpers handle it, or split it first) */
			return NULL;
		}
		table = (gpa_t)pte_pfn(e) << PAGE_SHIFT;
	}
	return table_slot(k, table, g->nr_levels - 1, addr);
}

/* Flush @addr of @mm from the TLB, wherever its translations may be. */
void flush_tlb_page(struct kernel *k, struct mm *mm, gva_t addr)
{
	if (k->mmu.use_asid) {
		/* An mm without an ASID of this generation has nothing in
		 * the TLB. */
		if (mm->asid_gen != k->asid_gen)
			return;
		mmu_flush_page_asid(&k->mmu, addr, mm->asid);
	}
	else if (k->current && k->current->mm == mm)
		mmu_flush_page(&k->mmu, addr);
	else
		return; /* not loaded: a switch to it flushes everything */
	count_vm_event(&k->mem, NR_TLB_LOCAL_FLUSH_ONE);
}

/*
 * Next address after @addr at which the level-@lvl table changes, capped
 * at @end.  A table at level lvl spans 1 << (shift + bits) bytes of va:
 * for the last level (pae) 1 << (12 + 9) = 2 MiB, so the loops over one
 * PTE table pass @lvl = nr_levels - 1 and never step past its 512 slots.
 */
static gva_t level_end(const struct pt_geometry *g, int lvl, gva_t addr,
		       gva_t end)
{
	uint64_t span = 1ull << (g->level[lvl].shift + g->level[lvl].bits);
	uint64_t next = ((uint64_t)addr + span) & ~(span - 1);

	return next - 1 < (uint64_t)end - 1 ? (gva_t)next : end;
}

/* Release what one user PTE holds.  The caller clears the slot. */
static void zap_pte(struct kernel *k, struct vma *vma, gva_t addr, pte_t pte)
{
	struct mm *mm = vma->vm_mm;

	if (pte_present(pte) || pte_protnone(pte)) {
		pfn_t pfn = pte_pfn(pte);

		if (pte_present(pte))
			flush_tlb_page(k, mm, addr);
		if (pte & PTE_SPECIAL)
			return;
		struct page *page = pfn_to_page(&k->mem, pfn);
		if (PageAnon(page))
			mm_add_rss(mm, MM_ANONPAGES, -1);
		else
			mm_add_rss(mm, mm_counter_file(page), -1);
		if (pte & PTE_D && !PageAnon(page))
			set_page_dirty(k, page);
		page_remove_rmap(k, page);
		if (PageSwapCache(page))
			try_to_free_swap(k, page, false);
		release_page(k, page);
	} else if (pte_is_swap(pte)) {
		mm_add_rss(mm, MM_SWAPENTS, -1);
		swap_free_entry(k, pte);
	}
}

void for_each_pte(struct kernel *k, struct mm *mm, gva_t start, gva_t end,
		  pte_visit_t fn, void *arg)
{
	const struct pt_geometry *g = k->mmu.geo;
	int last = g->nr_levels - 1;
	gva_t addr = start;

	while (addr < end) {
		gva_t next = level_end(g, last, addr, end);
		pte_slot_t slot = pte_offset(k, mm, addr, false);

		if (!slot) {
			addr = next;
			continue;
		}
		for (; addr < next; addr += PAGE_SIZE,
		     slot = (uint8_t *)slot + g->entry_size) {
			pte_t pte = ptep_get(k, slot);
			if (!pte_none(pte))
				fn(k, slot, addr, pte, arg);
		}
	}
}

static void zap_one(struct kernel *k, pte_slot_t slot, gva_t addr, pte_t pte,
		    void *vma)
{
	set_pte(k, slot, 0);
	zap_pte(k, vma, addr, pte);
}

void zap_page_range(struct kernel *k, struct vma *vma, gva_t start, gva_t end)
{
	if (unlikely((vma->vm_flags & VM_HUGETLB) || vma->vm_mm->nr_thp))
		huge_zap_range(k, vma, start, end);
	for_each_pte(k, vma->vm_mm, start, end, zap_one, vma);
}

static void free_table(struct kernel *k, struct mm *mm, gpa_t table, int lvl)
{
	const struct pt_geometry *g = k->mmu.geo;

	if (lvl < g->nr_levels - 1) {
		uint8_t *host = table_host(k, table);
		unsigned n = 1u << g->level[lvl].bits;

		for (unsigned i = 0; i < n; i++) {
			pte_t e = pt_read(g, host + (size_t)i * g->entry_size);
			if (pte_present(e) && !pte_leaf(e))
				free_table(k, mm, (gpa_t)pte_pfn(e) << PAGE_SHIFT,
					   lvl + 1);
		}
	}
	pgtable_page_free(k, mm, table >> PAGE_SHIFT);
}

void free_pgtables(struct kernel *k, struct mm *mm)
{
	if (!mm->pgd)
		return;
	free_table(k, mm, mm->pgd, 0);
	mm->pgd = 0;
}

/*
 * Copy one PTE for fork.  Private writable pages become read-only in both
 * parent and child so the first write to either copies (do_wp_page); the
 * parent's entry is flushed because it was downgraded.
 */
static int copy_one_pte(struct kernel *k, struct mm *dst, struct mm *src,
			struct vma *vma, pte_slot_t dslot, pte_slot_t sslot,
			gva_t addr)
{
	pte_t pte = ptep_get(k, sslot);

	if (pte_is_swap(pte)) {
		if (swap_duplicate(k, pte) < 0)
			return -ENOMEM;
		mm_add_rss(dst, MM_SWAPENTS, 1);
		set_pte(k, dslot, pte);
		return 0;
	}
	if (!(pte & PTE_SPECIAL)) {
		struct page *page = pfn_to_page(&k->mem, pte_pfn(pte));
		get_page(page);
		if (PageAnon(page)) {
			page_add_anon_rmap(k, page);
			ClearPageAnonExclusive(page);
			mm_add_rss(dst, MM_ANONPAGES, 1);
		} else {
			page_add_file_rmap(k, page);
			mm_add_rss(dst, mm_counter_file(page), 1);
		}
	}
	if (!(vma->vm_flags & VM_SHARED) && (pte & PTE_W)) {
		pte &= ~(pte_t)PTE_W;
		set_pte(k, sslot, pte);
		if (pte_present(pte))
			flush_tlb_page(k, src, addr);
	}
	/* The child starts with clean, unreferenced entries, as Linux's
	 * pte_mkold on fork; dirtiness stays on the page. */
	if (!(vma->vm_flags & VM_SHARED))
		pte &= ~(pte_t)PTE_A;
	set_pte(k, dslot, pte);
	return 0;
}

int copy_page_range(struct kernel *k, struct mm *dst, struct mm *src,
		    struct vma *dst_vma, struct vma *src_vma)
{
	const struct pt_geometry *g = k->mmu.geo;
	int last = g->nr_levels - 1;
	gva_t addr = src_vma->vm_start, end = src_vma->vm_end;

	if (unlikely((src_vma->vm_flags & VM_HUGETLB) || src->nr_thp)) {
		if (huge_copy_range(k, dst, src, dst_vma, src_vma) < 0)
			return -ENOMEM;
	}
	/*
	 * One last-level table at a time: the source table is found once,
	 * the child's is allocated (once) at its first entry that is not
	 * none, and both are then walked slot by slot.
	 */
	while (addr < end) {
		gva_t next = level_end(g, last, addr, end);
		pte_slot_t sslot = pte_offset(k, src, addr, false);
		pte_slot_t dslot = NULL;

		if (!sslot) {
			addr = next;
			continue;
		}
		for (; addr < next; addr += PAGE_SIZE,
		     sslot = (uint8_t *)sslot + g->entry_size,
		     dslot = dslot ? (uint8_t *)dslot + g->entry_size : NULL) {
			if (pte_none(ptep_get(k, sslot)))
				continue;
			if (!dslot) {
				dslot = pte_offset(k, dst, addr, true);
				if (!dslot)
					return -ENOMEM;
			}
			if (copy_one_pte(k, dst, src, src_vma, dslot, sslot,
					 addr) < 0)
				return -ENOMEM;
		}
	}
	(void)dst_vma;
	return 0;
}

/* PTE bits for an entry of a vma with @flags mapping a page that may be
 * written in place (@writable: shared, or an exclusive anonymous page). */
pte_t mk_pte_prot(unsigned long flags, bool writable)
{
	uint32_t prot = vm_page_prot(flags);

	if (!writable)
		prot &= ~PTE_W;
	return prot;
}

struct protect_arg {
	struct vma *vma;
	unsigned long newflags;
};

static void protect_one(struct kernel *k, pte_slot_t slot, gva_t addr,
			pte_t pte, void *arg)
{
	const struct protect_arg *pa = arg;
	unsigned long newflags = pa->newflags;
	bool was_present = pte_present(pte);
	bool writable = false;

	if (!was_present && !pte_protnone(pte))
		return; /* swap entries keep their protection in the vma */
	if (!(pte & PTE_SPECIAL)) {
		struct page *page = pfn_to_page(&k->mem, pte_pfn(pte));
		/* Shared pages stay writable only while dirty (write-notify:
		 * a clean one must fault to be marked dirty). */
		writable = ((newflags & VM_SHARED) && (pte & PTE_D)) ||
			   (PageAnon(page) && PageAnonExclusive(page) &&
			    page_mapcount(page) == 1);
	}
	pte_t npte = pfn_pte(pte_pfn(pte), 0) |
		     (pte & (PTE_A | PTE_D | PTE_SPECIAL));
	if (!(newflags & VM_ACCESS_FLAGS))
		npte |= PTE_PROT_NONE;
	else
		npte |= mk_pte_prot(newflags, writable);
	set_pte(k, slot, npte);
	if (was_present)
		flush_tlb_page(k, pa->vma->vm_mm, addr);
}

void change_protection(struct kernel *k, struct vma *vma, gva_t start,
		       gva_t end, unsigned long newflags)
{
	struct protect_arg pa = {vma, newflags};

	if (unlikely((vma->vm_flags & VM_HUGETLB) || vma->vm_mm->nr_thp))
		huge_protect_range(k, vma, start, end, newflags);
	for_each_pte(k, vma->vm_mm, start, end, protect_one, &pa);
}

/*
 * Move the entries of [old, old+len) to @new_addr.  Returns the bytes
 * moved: @len, or less when a page table for the destination could not be
 * allocated.  The entries below that point have moved; moving them back
 * (@new_vma to @vma) cannot fail, since the tables they came from are
 * still there -- Linux's move_vma relies on the same.
 */
uint32_t move_page_tables(struct kernel *k, struct vma *vma, gva_t old,
			  struct vma *new_vma, gva_t new_addr, uint32_t len)
{
	(void)new_vma;
	struct mm *mm = vma->vm_mm;
	uint32_t off;

	if (unlikely(mm->nr_thp))
		huge_split_range(k, vma, old, old + len);
	for (off = 0; off < len; off += PAGE_SIZE) {
		pte_slot_t s = pte_offset(k, mm, old + off, false);
		if (!s)
			continue;
		pte_t pte = ptep_get(k, s);
		if (pte_none(pte))
			continue;
		pte_slot_t d = pte_offset(k, mm, new_addr + off, true);
		if (!d)
			break;
		set_pte(k, s, 0);
		if (pte_present(pte))
			flush_tlb_page(k, mm, old + off);
		/* new_vma keeps the linear page index of the moved range, so
		 * anonymous pages keep their rmap index. */
		set_pte(k, d, pte);
	}
	return off;
}
