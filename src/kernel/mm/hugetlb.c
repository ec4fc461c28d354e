/*
 * The hugetlb pool and MAP_HUGETLB mappings (Linux mm/hugetlb.c).
 *
 * vm.nr_hugepages sets the pool: each page is one buddy block of the huge
 * page size (order 9 = 2 MiB under pae, order 10 = 4 MiB under sv32),
 * taken when the pool grows (as many as the buddy can give, like Linux)
 * and given back when it shrinks.  meminfo shows HugePages_Total/Free/
 * Rsvd/Surp and Hugetlb.
 *
 * Reservations as Linux makes them: mmap(MAP_HUGETLB) rounds the length up
 * to the huge page size and reserves that many free pool pages, or fails
 * with ENOMEM; a private mapping marks each slot HUGETLB_RESV_PMD, and its
 * first fault consumes the reservation (HugePages_Rsvd goes down,
 * HugePages_Free too).  Unmapping an unfaulted slot gives the reservation
 * back.  A forked child inherits no reservation: its faults take an
 * unreserved free page or get SIGBUS.  A shared mapping (MAP_SHARED |
 * MAP_HUGETLB) has all its pages faulted in at mmap time, so a child
 * shares exactly the parent's pages.  Private mappings are copied on write
 * at huge-page granularity after fork.
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/vmstat.h"

static unsigned order_of(const struct kernel *k)
{
	return hpage_shift(k) - PAGE_SHIFT;
}

static unsigned long nr_of(const struct kernel *k)
{
	return 1ul << order_of(k);
}

int hugetlb_set_pool(struct kernel *k, unsigned long n)
{
	struct memory *mem = &k->mem;
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) |
		    __GFP_NOWARN | __GFP_NORETRY;

	if (n > (1ul << 20))
		return -EINVAL;
	/* a shrink below the pages in use leaves them as surplus */
	while (mem->hugepages_surp && mem->hugepages_total - mem->hugepages_surp
					      < n) {
		mem->hugepages_surp--;
	}
	while (mem->hugepages_total - mem->hugepages_surp < n) {
		struct page *page = alloc_pages(mem, gfp, order_of(k));

		if (!page)
			break;	/* as many as the buddy can give */
		list_add_tail(&page->lru, &mem->hugepage_freelist);
		mem->hugepages_total++;
		mem->hugepages_free++;
	}
	while (mem->hugepages_total > n &&
	       mem->hugepages_free > mem->hugepages_rsvd) {
		struct page *page = list_first_entry(&mem->hugepage_freelist,
						     struct page, lru);

		list_del(&page->lru);
		INIT_LIST_HEAD(&page->lru);
		mem->hugepages_total--;
		mem->hugepages_free--;
		__free_pages(mem, page, order_of(k));
	}
	if (mem->hugepages_total > n)
		mem->hugepages_surp = mem->hugepages_total - n;
	return 0;
}

/*
 * A surplus page (vm.nr_overcommit_hugepages) from the buddy into the free
 * pool: htlb_buddy_alloc_success/fail.  0 or -ENOMEM.
 */
static int alloc_surplus_page(struct kernel *k)
{
	struct memory *mem = &k->mem;
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) |
		    __GFP_NOWARN | __GFP_NORETRY;
	struct page *page;

	if (mem->hugepages_surp >= mem->nr_overcommit_hugepages)
		return -ENOMEM;
	page = alloc_pages(mem, gfp, order_of(k));
	if (!page) {
		count_vm_event(mem, HTLB_BUDDY_PGALLOC_FAIL);
		return -ENOMEM;
	}
	count_vm_event(mem, HTLB_BUDDY_PGALLOC);
	list_add_tail(&page->lru, &mem->hugepage_freelist);
	mem->hugepages_total++;
	mem->hugepages_free++;
	mem->hugepages_surp++;
	return 0;
}

/* Give free surplus pages nobody has reserved back to the buddy. */
static void return_unused_surplus_pages(struct kernel *k)
{
	struct memory *mem = &k->mem;

	while (mem->hugepages_surp && mem->hugepages_free > mem->hugepages_rsvd) {
		struct page *page = list_first_entry(&mem->hugepage_freelist,
						     struct page, lru);

		list_del(&page->lru);
		INIT_LIST_HEAD(&page->lru);
		mem->hugepages_total--;
		mem->hugepages_free--;
		mem->hugepages_surp--;
		__free_pages(mem, page, order_of(k));
	}
}

long hugetlb_reserve(struct kernel *k, uint32_t len)
{
	struct memory *mem = &k->mem;
	uint64_t hlen = ALIGN_UP((uint64_t)len, (uint64_t)hpage_size(k));
	unsigned long nr = (unsigned long)(hlen >> hpage_shift(k));

	if (hlen > TASK_SIZE)
		return -ENOMEM;
	/* short of free pages: surplus ones, within the overcommit */
	while (mem->hugepages_free - mem->hugepages_rsvd < nr) {
		if (alloc_surplus_page(k) < 0) {
			return_unused_surplus_pages(k);
			return -ENOMEM;
		}
	}
	mem->hugepages_rsvd += nr;
	return (long)hlen;
}

void hugetlb_unreserve(struct kernel *k, unsigned long nr)
{
	k->mem.hugepages_rsvd -= nr;
	return_unused_surplus_pages(k);
}

struct page *hugetlb_alloc_page(struct kernel *k, bool reserved)
{
	struct memory *mem = &k->mem;
	struct page *page;

	if (!reserved && mem->hugepages_free <= mem->hugepages_rsvd &&
	    alloc_surplus_page(k) < 0)
		return NULL;
	if (list_empty(&mem->hugepage_freelist))
		return NULL;
	page = list_first_entry(&mem->hugepage_freelist, struct page, lru);
	list_del(&page->lru);
	INIT_LIST_HEAD(&page->lru);
	mem->hugepages_free--;
	if (reserved)
		mem->hugepages_rsvd--;
	memset(page_address(mem, page), 0, (size_t)PAGE_SIZE << order_of(k));
	return page;	/* the pool's reference is the mapping's now */
}

void hugetlb_put_page(struct kernel *k, struct page *page)
{
	struct memory *mem = &k->mem;

	if (page_count(page) > 1) {
		page_ref_dec(page);
		return;
	}
	if (mem->hugepages_surp) {
		mem->hugepages_surp--;
		mem->hugepages_total--;
		__free_pages(mem, page, order_of(k));
		return;
	}
	list_add(&page->lru, &mem->hugepage_freelist);
	mem->hugepages_free++;
}

static pte_t huge_leaf(struct kernel *k, struct page *page,
		       unsigned long vm_flags, bool writable, bool write)
{
	pte_t prot = mk_pte_prot(vm_flags, writable);

	/* PROT_NONE: still a leaf (V with no R/W/X would point to a page
	 * table), but one the program may not use: no U */
	if (!(prot & PTE_RWX))
		prot = PTE_V | PTE_R;
	return pfn_pte(page_to_pfn(&k->mem, page),
		       (uint32_t)prot | PTE_A | (write ? PTE_D : 0));
}

unsigned hugetlb_fault(struct kernel *k, struct vm_fault *vmf, pte_slot_t pmd,
		       gva_t haddr)
{
	struct vma *vma = vmf->vma;
	struct mm *mm = vma->vm_mm;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	pte_t e = ptep_get(k, pmd);
	struct page *page, *old;

	if (pte_none(e) || e == HUGETLB_RESV_PMD) {
		page = hugetlb_alloc_page(k, e == HUGETLB_RESV_PMD);
		if (!page)
			return VM_FAULT_SIGBUS;
		set_pte(k, pmd, huge_leaf(k, page, vma->vm_flags, true, write));
		mm->hugetlb_pages += nr_of(k);
		vmf->result = FR_ANON;
		return 0;
	}
	if (!pte_leaf(e))
		return VM_FAULT_SIGBUS;	/* a PTE table in a hugetlb vma */
	if (!write || (e & PTE_W) || !(vma->vm_flags & VM_WRITE)) {
		flush_tlb_page(k, mm, vmf->address);
		vmf->result = FR_SPURIOUS;
		return 0;
	}
	/* a write to a private page shared with a fork: copy on write */
	old = pfn_to_page(&k->mem, pte_pfn(e));
	if (page_count(old) == 1) {
		set_pte(k, pmd, e | PTE_W | PTE_D | PTE_A);
		flush_tlb_page(k, mm, haddr);
		vmf->result = FR_COW_REUSE;
		return 0;
	}
	page = hugetlb_alloc_page(k, false);
	if (!page)
		return VM_FAULT_SIGBUS;	/* Linux too, without a reservation */
	memcpy(page_address(&k->mem, page), page_address(&k->mem, old),
	       (size_t)PAGE_SIZE << order_of(k));
	set_pte(k, pmd, huge_leaf(k, page, vma->vm_flags, true, true));
	flush_tlb_page(k, mm, haddr);
	hugetlb_put_page(k, old);
	vmf->result = FR_COW_COPY;
	return 0;
}

int hugetlb_setup_vma(struct kernel *k, struct vma *vma)
{
	struct mm *mm = vma->vm_mm;
	bool shared = vma->vm_flags & VM_SHARED;
	uint32_t hsize = hpage_size(k);

	if (vma->vm_flags & VM_NORESERVE)
		return 0;	/* private MAP_NORESERVE: faults take free pages */

	for (gva_t a = vma->vm_start; a < vma->vm_end; a += hsize) {
		pte_slot_t pmd = pmd_offset(k, mm, a, true);
		struct page *page;

		if (!pmd)
			goto fail;
		if (!shared) {
			set_pte(k, pmd, HUGETLB_RESV_PMD);
			continue;
		}
		page = hugetlb_alloc_page(k, true);
		if (!page)
			goto fail;
		set_pte(k, pmd, huge_leaf(k, page, vma->vm_flags,
					  vma->vm_flags & VM_WRITE, false));
		mm->hugetlb_pages += nr_of(k);
		continue;
fail:
		/* the slots from @a on hold no reservation: give them back;
		 * the caller unmaps the vma */
		hugetlb_unreserve(k, (vma->vm_end - a) >> hpage_shift(k));
		return -ENOMEM;
	}
	return 0;
}

bool hugetlb_split_ok(const struct kernel *k, const struct vma *vma,
		      gva_t addr)
{
	return !(vma->vm_flags & VM_HUGETLB) || !(addr & (hpage_size(k) - 1));
}
