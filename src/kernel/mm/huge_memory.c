/*
 * Transparent huge pages for anonymous memory and the page-table side of
 * every huge leaf (Linux mm/huge_memory.c).  See huge_mm.h for the model.
 *
 * A THP fault: an anonymous private vma, THP enabled for it ("always", or
 * "madvise" and MADV_HUGEPAGE), the aligned huge range around the address
 * entirely inside the vma and no PTE table there yet.  Then one block of
 * order 9 (pae) / 10 (sv32) is allocated without direct reclaim, zeroed and
 * mapped by a leaf at the PMD level: thp_fault_alloc.  When the buddy has
 * no such block: thp_fault_fallback, and the fault maps 4 KiB as before.
 *
 * Splitting (split_huge_pmd): a new PTE table gets one entry per 4 KiB
 * page with the leaf's bits, replaces the leaf, and the pages join the LRU:
 * thp_split_pmd and thp_split_page (the block is split with the mapping).
 * Unlike Linux, a fork splits the parent's THPs before copying (Linux
 * shares the PMD and splits on the first copy-on-write).
 *
 * Reclaim: a THP's head page sits on its node's thp_list from the fault
 * to the split or unmap.  When reclaim wants more anonymous pages than
 * the inactive list holds, thp_reclaim_split takes THPs from that list,
 * oldest first, with a second chance by the leaf's Accessed bit (cleared,
 * and the huge TLB entry flushed, when set), and splits the idle ones:
 * their pages join the inactive anonymous list and go to swap one by one,
 * as Linux splits a THP before swapping it without THP_SWAP.
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/lib/seq.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/vmstat.h"

unsigned hpage_shift(const struct kernel *k)
{
	const struct pt_geometry *g = k->mmu.geo;

	return g->level[g->nr_levels - 2].shift;
}

static unsigned hpage_nr(const struct kernel *k)
{
	return 1u << (hpage_shift(k) - PAGE_SHIFT);
}

static unsigned hpage_order(const struct kernel *k)
{
	return hpage_shift(k) - PAGE_SHIFT;
}

pte_slot_t pmd_offset(struct kernel *k, struct mm *mm, gva_t addr, bool alloc)
{
	const struct pt_geometry *g = k->mmu.geo;
	int plvl = g->nr_levels - 2;
	gpa_t table = mm->pgd;

	if (!table)
		return NULL;
	for (int lvl = 0; lvl < plvl; lvl++) {
		pte_slot_t slot = (uint8_t *)phys_host(&k->phys, table,
						       PAGE_SIZE) +
				  (size_t)pt_index(g, lvl, addr) * g->entry_size;
		pte_t e = ptep_get(k, slot);

		if (!pte_present(e)) {
			struct page *page;

			if (!alloc)
				return NULL;
			page = pgtable_page_alloc(k, mm);
			if (!page)
				return NULL;
			e = pfn_pte(page_to_pfn(&k->mem, page), PTE_V);
			set_pte(k, slot, e);
		} else if (pte_leaf(e)) {
			return NULL;
		}
		table = (gpa_t)pte_pfn(e) << PAGE_SHIFT;
	}
	return (uint8_t *)phys_host(&k->phys, table, PAGE_SIZE) +
	       (size_t)pt_index(g, plvl, addr) * g->entry_size;
}

bool huge_pmd_mapped(struct kernel *k, struct mm *mm, gva_t addr, pte_t *pte)
{
	pte_slot_t slot = pmd_offset(k, mm, addr, false);
	pte_t e = slot ? ptep_get(k, slot) : 0;

	if (!pte_leaf(e))
		return false;
	if (pte)
		*pte = e;
	return true;
}

pte_t huge_pte_for(struct kernel *k, struct mm *mm, gva_t addr)
{
	pte_t e;

	if (!huge_pmd_mapped(k, mm, addr, &e))
		return 0;
	return pfn_pte(pte_pfn(e) + ((addr & (hpage_size(k) - 1)) >>
				     PAGE_SHIFT),
		       (uint32_t)(e & PTE_FLAGS_MASK));
}

static bool thp_vma_allowed(const struct kernel *k, const struct vma *vma)
{
	unsigned long f = vma->vm_flags;

	if (vma->vm_file || (f & (VM_SHARED | VM_HUGETLB | VM_GROWSDOWN |
				  VM_NOHUGEPAGE)))
		return false;
	switch (k->mem.thp_mode) {
	case THP_ALWAYS:
		return true;
	case THP_MADVISE:
		return f & VM_HUGEPAGE;
	default:
		return false;
	}
}

int thp_vma_eligible(const struct kernel *k, const struct vma *vma)
{
	uint32_t hsize = hpage_size(k);

	return thp_vma_allowed(k, vma) &&
	       ALIGN_UP((uint64_t)vma->vm_start, hsize) + hsize <= vma->vm_end;
}

static struct page *nth_page(struct kernel *k, struct page *head, unsigned i)
{
	return pfn_to_page(&k->mem, page_to_pfn(&k->mem, head) + i);
}

/* A new THP for @haddr of @vma, mapped by @pmd. */
static unsigned do_huge_anonymous_page(struct kernel *k, struct vm_fault *vmf,
				       pte_slot_t pmd, gva_t haddr)
{
	struct vma *vma = vmf->vma;
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) |
		    __GFP_NOWARN | __GFP_NORETRY | __GFP_ZERO;
	unsigned nr = hpage_nr(k);
	struct page *head;
	pte_t pte;

	if (anon_vma_prepare(k, vma) < 0)
		return VM_FAULT_OOM;
	head = alloc_pages(&k->mem, gfp, hpage_order(k));
	if (!head) {
		count_vm_event(&k->mem, THP_FAULT_FALLBACK);
		return VM_FAULT_FALLBACK;
	}
	for (unsigned i = 0; i < nr; i++) {
		struct page *p = nth_page(k, head, i);

		if (i)
			set_page_count(p, 1);
		page_add_new_anon_rmap(k, p, vma, haddr + i * PAGE_SIZE);
	}
	mm_add_rss(vma->vm_mm, MM_ANONPAGES, nr);
	if (vma->vm_flags & VM_LOCKED)
		for (unsigned i = 0; i < nr; i++)
			mlock_page(k, nth_page(k, head, i));
	mod_node_page_state(&k->mem, head, NR_ANON_THPS, 1);
	list_add_tail(&head->lru, &page_pgdat(&k->mem, head)->thp_list);
	vma->vm_mm->nr_thp++;
	pte = pfn_pte(page_to_pfn(&k->mem, head),
		      mk_pte_prot(vma->vm_flags, true) | PTE_A);
	if (vmf->flags & FAULT_FLAG_WRITE)
		pte |= PTE_D;
	set_pte(k, pmd, pte);
	count_vm_event(&k->mem, THP_FAULT_ALLOC);
	vmf->result = FR_ANON;
	return 0;
}

unsigned huge_fault(struct kernel *k, struct vm_fault *vmf)
{
	struct vma *vma = vmf->vma;
	struct mm *mm = vma->vm_mm;
	uint32_t hsize = hpage_size(k);
	gva_t haddr = vmf->address & ~(hsize - 1);
	bool hugetlb = vma->vm_flags & VM_HUGETLB;
	pte_slot_t pmd;
	pte_t e;

	if (!hugetlb) {
		bool allowed = thp_vma_allowed(k, vma) &&
			       haddr >= vma->vm_start &&
			       (uint64_t)haddr + hsize <= vma->vm_end;

		if (!allowed && !mm->nr_thp)
			return VM_FAULT_FALLBACK;
		pmd = pmd_offset(k, mm, haddr, allowed);
		if (!pmd)
			return allowed ? VM_FAULT_OOM : VM_FAULT_FALLBACK;
		e = ptep_get(k, pmd);
		if (pte_leaf(e)) {
			/* The leaf allows what the vma allows (a THP is
			 * never shared): the TLB held an older entry. */
			flush_tlb_page(k, mm, vmf->address);
			vmf->result = FR_SPURIOUS;
			return 0;
		}
		if (!allowed || !pte_none(e))
			return VM_FAULT_FALLBACK;
		return do_huge_anonymous_page(k, vmf, pmd, haddr);
	}
	pmd = pmd_offset(k, mm, haddr, true);
	if (!pmd)
		return VM_FAULT_OOM;
	return hugetlb_fault(k, vmf, pmd, haddr);
}

/* Map the THP of leaf @e at @pmd (for @haddr) with a PTE table instead. */
static int split_huge_pmd(struct kernel *k, struct vma *vma, pte_slot_t pmd,
			  gva_t haddr)
{
	const struct pt_geometry *g = k->mmu.geo;
	struct mm *mm = vma->vm_mm;
	pte_t e = ptep_get(k, pmd);
	pfn_t pfn = pte_pfn(e);
	unsigned nr = hpage_nr(k);
	struct page *table = pgtable_page_alloc(k, mm);
	uint8_t *host;

	if (!table)
		return -ENOMEM;
	list_del_init(&pfn_to_page(&k->mem, pfn)->lru); /* off thp_list */
	host = page_address(&k->mem, table);
	for (unsigned i = 0; i < nr; i++)
		pt_write(g, host + (size_t)i * g->entry_size,
			 pfn_pte(pfn + i, (uint32_t)(e & PTE_FLAGS_MASK)));
	set_pte(k, pmd, pfn_pte(page_to_pfn(&k->mem, table), PTE_V));
	flush_tlb_page(k, mm, haddr);
	for (unsigned i = 0; i < nr; i++) {
		struct page *p = pfn_to_page(&k->mem, pfn + i);

		lru_add_page(k, p);
		if (vma->vm_flags & VM_LOCKED)
			mlock_page(k, p);
	}
	mod_node_page_state(&k->mem, pfn_to_page(&k->mem, pfn), NR_ANON_THPS,
			    -1);
	mm->nr_thp--;
	count_vm_event(&k->mem, THP_SPLIT_PMD);
	count_vm_event(&k->mem, THP_SPLIT_PAGE);
	return 0;
}

/* Unmap the THP at @pmd: its pages go like zapped 4 KiB pages. */
static void zap_huge_pmd(struct kernel *k, struct vma *vma, pte_slot_t pmd,
			 gva_t haddr)
{
	struct mm *mm = vma->vm_mm;
	pfn_t pfn = pte_pfn(ptep_get(k, pmd));
	unsigned nr = hpage_nr(k);

	set_pte(k, pmd, 0);
	flush_tlb_page(k, mm, haddr);
	list_del_init(&pfn_to_page(&k->mem, pfn)->lru); /* off thp_list */
	mod_node_page_state(&k->mem, pfn_to_page(&k->mem, pfn), NR_ANON_THPS,
			    -1);
	mm->nr_thp--;
	mm_add_rss(mm, MM_ANONPAGES, -(long)nr);
	for (unsigned i = 0; i < nr; i++) {
		struct page *p = pfn_to_page(&k->mem, pfn + i);

		page_remove_rmap(k, p);
		release_page(k, p);
	}
}

/* Zap the hugetlb slot @pmd (a leaf, a reservation or none). */
static void zap_hugetlb_pmd(struct kernel *k, struct vma *vma, pte_slot_t pmd,
			    gva_t haddr)
{
	pte_t e = ptep_get(k, pmd);

	if (e == HUGETLB_RESV_PMD) {
		set_pte(k, pmd, 0);
		hugetlb_unreserve(k, 1);
		return;
	}
	if (!pte_leaf(e))
		return;
	set_pte(k, pmd, 0);
	flush_tlb_page(k, vma->vm_mm, haddr);
	vma->vm_mm->hugetlb_pages -= hpage_nr(k);
	hugetlb_put_page(k, pfn_to_page(&k->mem, pte_pfn(e)));
}

/*
 * Visit each huge slot overlapping [start, end): @whole tells whether it
 * lies entirely inside.  The slot is NULL-free: absent tables are skipped.
 */
#define for_each_huge_slot(k, mm, start, end, haddr, pmd, whole)              \
	for (gva_t haddr = (start) & ~(hpage_size(k) - 1), _e = (end);        \
	     haddr < _e && haddr >= ((start) & ~(hpage_size(k) - 1));         \
	     haddr += hpage_size(k))                                          \
		for (pte_slot_t pmd = pmd_offset(k, mm, haddr, false); pmd;   \
		     pmd = NULL)                                              \
			for (bool whole = haddr >= (start) &&                 \
					  (uint64_t)haddr + hpage_size(k) <=  \
						  _e, _once = true;           \
			     _once; _once = false)

void huge_zap_range(struct kernel *k, struct vma *vma, gva_t start, gva_t end)
{
	struct mm *mm = vma->vm_mm;

	for_each_huge_slot(k, mm, start, end, haddr, pmd, whole) {
		if (vma->vm_flags & VM_HUGETLB) {
			if (whole)
				zap_hugetlb_pmd(k, vma, pmd, haddr);
			continue;
		}
		if (!pte_leaf(ptep_get(k, pmd)))
			continue;
		if (whole)
			zap_huge_pmd(k, vma, pmd, haddr);
		else
			(void)split_huge_pmd(k, vma, pmd, haddr);
	}
}

void huge_split_range(struct kernel *k, struct vma *vma, gva_t start,
		      gva_t end)
{
	if (vma->vm_flags & VM_HUGETLB)
		return;
	for_each_huge_slot(k, vma->vm_mm, start, end, haddr, pmd, whole) {
		(void)whole;
		if (pte_leaf(ptep_get(k, pmd)))
			(void)split_huge_pmd(k, vma, pmd, haddr);
	}
}

void huge_mlock_range(struct kernel *k, struct vma *vma, gva_t start,
		      gva_t end, bool lock)
{
	if (vma->vm_flags & VM_HUGETLB)
		return;	/* never reclaimed anyway */
	for_each_huge_slot(k, vma->vm_mm, start, end, haddr, pmd, whole) {
		pte_t e = ptep_get(k, pmd);

		if (!pte_leaf(e))
			continue;
		if (!whole) {
			(void)split_huge_pmd(k, vma, pmd, haddr);
			continue;	/* the PTE walk does the pages */
		}
		for (unsigned i = 0; i < hpage_nr(k); i++) {
			struct page *p = pfn_to_page(&k->mem, pte_pfn(e) + i);

			if (lock)
				mlock_page(k, p);
			else
				munlock_page(k, p);
		}
	}
}

void huge_protect_range(struct kernel *k, struct vma *vma, gva_t start,
			gva_t end, unsigned long newflags)
{
	for_each_huge_slot(k, vma->vm_mm, start, end, haddr, pmd, whole) {
		pte_t e = ptep_get(k, pmd), ne;
		bool writable;

		if (!pte_leaf(e))
			continue;
		if (!whole) {
			if (!(vma->vm_flags & VM_HUGETLB))
				(void)split_huge_pmd(k, vma, pmd, haddr);
			continue;
		}
		if (!(newflags & VM_ACCESS_FLAGS)) {
			/* PROT_NONE: keep the page, forbid every access */
			ne = pfn_pte(pte_pfn(e), PTE_PROT_NONE) |
			     (e & (PTE_A | PTE_D));
			if (vma->vm_flags & VM_HUGETLB) {
				/* no PROT_NONE huge entries: the walker would
				 * see a swap entry; keep a leaf without U */
				ne = pfn_pte(pte_pfn(e), PTE_V | PTE_R) |
				     (e & (PTE_A | PTE_D));
			} else {
				(void)split_huge_pmd(k, vma, pmd, haddr);
				continue;
			}
		} else {
			struct page *head = pfn_to_page(&k->mem, pte_pfn(e));

			writable = (vma->vm_flags & VM_HUGETLB)
					   ? ((newflags & VM_SHARED) ||
					      page_count(head) == 1)
					   : true;
			ne = pfn_pte(pte_pfn(e), 0) | (e & (PTE_A | PTE_D)) |
			     mk_pte_prot(newflags, writable);
		}
		set_pte(k, pmd, ne);
		flush_tlb_page(k, vma->vm_mm, haddr);
	}
}

int huge_copy_range(struct kernel *k, struct mm *dst, struct mm *src,
		    struct vma *dst_vma, struct vma *src_vma)
{
	bool hugetlb = src_vma->vm_flags & VM_HUGETLB;

	for_each_huge_slot(k, src, src_vma->vm_start, src_vma->vm_end, haddr,
			   pmd, whole) {
		pte_t e = ptep_get(k, pmd);
		pte_slot_t dpmd;

		(void)whole;
		if (!pte_leaf(e))
			continue;
		if (!hugetlb) {
			/* the PTE copy that follows shares the pages */
			if (split_huge_pmd(k, src_vma, pmd, haddr) < 0)
				return -ENOMEM;
			continue;
		}
		dpmd = pmd_offset(k, dst, haddr, true);
		if (!dpmd)
			return -ENOMEM;
		get_page(pfn_to_page(&k->mem, pte_pfn(e)));
		if (!(src_vma->vm_flags & VM_SHARED)) {
			/* copy-on-write at huge granularity */
			if (e & PTE_W) {
				e &= ~(pte_t)PTE_W;
				set_pte(k, pmd, e);
				flush_tlb_page(k, src, haddr);
			}
			e &= ~(pte_t)PTE_A;
		}
		set_pte(k, dpmd, e);
		dst->hugetlb_pages += hpage_nr(k);
	}
	(void)dst_vma;
	return 0;
}

/* ---- reclaim -------------------------------------------------------------- */

/* The PMD leaf that maps THP @head (the one mapping: a THP is never
 * shared), with its vma and address; NULL when none does. */
static pte_slot_t thp_pmd(struct kernel *k, struct page *head,
			  struct vma **vmap, gva_t *haddrp)
{
	struct anon_vma *av = (void *)((uintptr_t)head->mapping &
				       ~(uintptr_t)PAGE_MAPPING_ANON);
	pfn_t pfn = page_to_pfn(&k->mem, head);
	struct anon_vma_chain *avc;

	if (!PageAnon(head))
		return NULL;
	list_for_each_entry(avc, &av->chains, same_anon_vma) {
		struct vma *vma = avc->vma;
		unsigned long pages = (vma->vm_end - vma->vm_start) >>
				      PAGE_SHIFT;
		pte_slot_t pmd;
		pte_t e;
		gva_t addr;

		if (head->index < vma->vm_pgoff ||
		    head->index - vma->vm_pgoff >= pages || !vma->vm_mm->pgd)
			continue;
		addr = vma->vm_start +
		       (gva_t)((head->index - vma->vm_pgoff) << PAGE_SHIFT);
		pmd = pmd_offset(k, vma->vm_mm, addr, false);
		if (!pmd)
			continue;
		e = ptep_get(k, pmd);
		if (!pte_leaf(e) || pte_pfn(e) != pfn)
			continue;
		*vmap = vma;
		*haddrp = addr;
		return pmd;
	}
	return NULL;
}

unsigned long thp_reclaim_split(struct kernel *k, struct pglist_data *pgdat,
				unsigned long want)
{
	long nr = node_page_state(pgdat, NR_ANON_THPS);
	unsigned long got = 0;

	/* each THP at most once: a referenced one goes to the tail */
	while (got < want && nr-- > 0 && !list_empty(&pgdat->thp_list)) {
		struct page *head = list_first_entry(&pgdat->thp_list,
						     struct page, lru);
		struct vma *vma;
		gva_t haddr;
		pte_slot_t pmd = thp_pmd(k, head, &vma, &haddr);
		pte_t e;

		list_move_tail(&head->lru, &pgdat->thp_list);
		if (!pmd || (vma->vm_flags & VM_LOCKED))
			continue;
		e = ptep_get(k, pmd);
		if (e & PTE_A) {
			set_pte(k, pmd, e & ~(pte_t)PTE_A);
			flush_tlb_page(k, vma->vm_mm, haddr);
			continue;
		}
		if (split_huge_pmd(k, vma, pmd, haddr) < 0)
			break;	/* no page for the PTE table */
		got += hpage_nr(k);
	}
	return got;
}

void huge_vma_usage(struct kernel *k, struct vma *vma, struct huge_usage *u)
{
	uint64_t hsize = hpage_size(k);

	memset(u, 0, sizeof(*u));
	if (!(vma->vm_flags & VM_HUGETLB) && !vma->vm_mm->nr_thp)
		return;
	for_each_huge_slot(k, vma->vm_mm, vma->vm_start, vma->vm_end, haddr,
			   pmd, whole) {
		pte_t e = ptep_get(k, pmd);

		(void)whole;
		if (!pte_leaf(e))
			continue;
		if (vma->vm_flags & VM_HUGETLB) {
			struct page *head = pfn_to_page(&k->mem, pte_pfn(e));

			if (page_count(head) > 1)
				u->hugetlb_shared += hsize;
			else
				u->hugetlb_private += hsize;
			continue;
		}
		u->rss += hsize;
		u->anon_huge += hsize;
		if (e & PTE_A)
			u->referenced += hsize;
		if (e & PTE_D)
			u->dirty += hsize;
	}
}

void thp_mode_show(const struct kernel *k, struct seq *s)
{
	switch (k->mem.thp_mode) {
	case THP_ALWAYS:
		seq_puts(s, "[always] madvise never\n");
		break;
	case THP_NEVER:
		seq_puts(s, "always madvise [never]\n");
		break;
	default:
		seq_puts(s, "always [madvise] never\n");
		break;
	}
}

int thp_mode_set(struct kernel *k, const char *text)
{
	static const char *const names[] = {
		[THP_MADVISE] = "madvise", [THP_ALWAYS] = "always",
		[THP_NEVER] = "never",
	};
	size_t n = strcspn(text, " \t\n");

	for (int i = 0; i < (int)ARRAY_SIZE(names); i++) {
		if (strlen(names[i]) == n && !strncmp(text, names[i], n) &&
		    !text[n + strspn(text + n, " \t\n")]) {
			k->mem.thp_mode = i;
			return 0;
		}
	}
	return -EINVAL;
}
