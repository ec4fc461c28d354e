/*
 * Page-table builder for unit tests (see vm_harness.h).
 */
#include <string.h>

#include "vm_harness.h"

#define VMH_RAM (16u << 20)
#define VMH_FIRST_FREE ((2u << 20) >> PAGE_SHIFT)

static pfn_t vmh_alloc(struct vmh *h)
{
	void *p;

	if (h->next_free >= h->phys.nr_frames - 32) /* keep off the top hole */
		return 0;
	p = phys_frame(&h->phys, h->next_free);
	memset(p, 0, PAGE_SIZE);
	return h->next_free++;
}

int vmh_init(struct vmh *h, enum paging_mode mode)
{
	struct mmu_config c;
	pfn_t root;

	memset(h, 0, sizeof(*h));
	if (phys_init(&h->phys, VMH_RAM))
		return -1;
	mmu_default_config(&c);
	c.paging = mode;
	if (mmu_init(&h->mmu, &h->phys, &c)) {
		phys_destroy(&h->phys);
		return -1;
	}
	h->next_free = VMH_FIRST_FREE;
	root = vmh_alloc(h);
	mmu_set_root(&h->mmu, (gpa_t)root << PAGE_SHIFT, 0);
	return 0;
}

/*
 * Host pointer to the entry for @va at the last level, creating missing
 * tables when @alloc.  NULL when a table is missing (and !@alloc), when the
 * frame allocator is empty, or when a huge leaf covers @va.
 */
static void *vmh_leaf_slot(struct vmh *h, gva_t va, bool alloc)
{
	const struct pt_geometry *g = h->mmu.geo;
	gpa_t table = h->mmu.root;
	int last = g->nr_levels - 1;

	for (int lvl = 0;; lvl++) {
		gpa_t pa = table + (gpa_t)pt_index(g, lvl, va) * g->entry_size;
		void *slot = phys_host(&h->phys, pa, g->entry_size);
		pte_t pte;
		pfn_t pfn;

		if (!slot)
			return NULL;
		if (lvl == last)
			return slot;
		pte = pt_read(g, slot);
		if (pte_leaf(pte))
			return NULL;
		if (!pte_present(pte)) {
			if (!alloc)
				return NULL;
			pfn = vmh_alloc(h);
			if (!pfn)
				return NULL;
			pte = pfn_pte(pfn, PTE_V);
			pt_write(g, slot, pte);
		}
		table = pte_pfn(pte) << PAGE_SHIFT;
	}
}

int vmh_map(struct vmh *h, gva_t va, uint32_t len, uint32_t pte_flags)
{
	gva_t start = va & PAGE_MASK;
	uint64_t end = ALIGN_UP((uint64_t)va + len, (uint64_t)PAGE_SIZE);

	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		void *slot = vmh_leaf_slot(h, (gva_t)a, true);
		pfn_t pfn;

		if (!slot)
			return -1;
		pfn = vmh_alloc(h);
		if (!pfn)
			return -1;
		pt_write(h->mmu.geo, slot, pfn_pte(pfn, pte_flags));
		mmu_flush_page(&h->mmu, (gva_t)a);
	}
	return 0;
}

void *vmh_host(struct vmh *h, gva_t va)
{
	const struct pt_geometry *g = h->mmu.geo;
	gpa_t table = h->mmu.root;

	for (int lvl = 0; lvl < g->nr_levels; lvl++) {
		gpa_t pa = table + (gpa_t)pt_index(g, lvl, va) * g->entry_size;
		void *slot = phys_host(&h->phys, pa, g->entry_size);
		pte_t pte;

		if (!slot)
			return NULL;
		pte = pt_read(g, slot);
		if (!pte_present(pte))
			return NULL;
		if (pte_leaf(pte)) {
			gva_t off = va & (((gva_t)1 << g->level[lvl].shift) - 1);

			return phys_host(&h->phys,
					 (pte_pfn(pte) << PAGE_SHIFT) + off, 1);
		}
		table = pte_pfn(pte) << PAGE_SHIFT;
	}
	return NULL;
}

int vmh_protect(struct vmh *h, gva_t va, uint32_t pte_flags)
{
	void *slot = vmh_leaf_slot(h, va, false);
	pte_t pte;

	if (!slot)
		return -1;
	pte = pt_read(h->mmu.geo, slot);
	if (pte_none(pte) || pte_is_swap(pte))
		return -1;
	pt_write(h->mmu.geo, slot, pfn_pte(pte_pfn(pte), pte_flags));
	mmu_flush_page(&h->mmu, va);
	return 0;
}

void vmh_destroy(struct vmh *h)
{
	mmu_destroy(&h->mmu);
	phys_destroy(&h->phys);
}
