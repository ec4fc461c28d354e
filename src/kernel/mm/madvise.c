/*
 * madvise: advice about a range -- discard, populate, fork and dump
 * behaviour (Linux mm/madvise.c).
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/mman.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"

static bool madvise_behavior_valid(int b)
{
	switch (b) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD:
	case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
		return true;
	}
	return false;
}

/*
 * MADV_FREE of one PTE (madvise_free_pte_range): a swapped-out page is
 * simply forgotten; a present anonymous page this process alone maps is
 * made clean and old and moved to the inactive file list without
 * PG_swapbacked (mark_page_lazyfree).  Reclaim then discards it instead of
 * swapping it -- unless a store sets the PTE's dirty bit first, which
 * cancels the free and keeps the data.
 */
static void free_pte(struct kernel *k, pte_slot_t slot, gva_t addr, pte_t pte,
		     void *arg)
{
	struct vma *vma = arg;
	struct page *page;

	if (pte_is_swap(pte)) {
		set_pte(k, slot, 0);
		swap_free_entry(k, pte);
		mm_add_rss(vma->vm_mm, MM_SWAPENTS, -1);
		return;
	}
	if (!pte_present(pte) || (pte & PTE_SPECIAL))
		return;
	page = pfn_to_page(&k->mem, pte_pfn(pte));
	if (!PageAnon(page) || page_mapcount(page) != 1 ||
	    PageSwapCache(page) || PageUnevictable(page) || !PageLRU(page))
		return;
	if (pte & (PTE_A | PTE_D)) {
		set_pte(k, slot, pte & ~(pte_t)(PTE_A | PTE_D));
		flush_tlb_page(k, vma->vm_mm, addr);
	}
	ClearPageDirty(page);
	if (!PageSwapBacked(page))
		return; /* already lazily freed */
	lru_del_page(k, page);
	ClearPageActive(page);
	ClearPageReferenced(page);
	ClearPageSwapBacked(page);
	lru_add_page(k, page);
	count_vm_event(&k->mem, PGLAZYFREE);
}

static void willneed_pte(struct kernel *k, pte_slot_t slot, gva_t addr,
			 pte_t pte, void *arg)
{
	(void)slot;
	if (pte_is_swap(pte))
		swapin_willneed(k, pte, arg, addr);	/* arg: the vma */
}

/*
 * MADV_WILLNEED (madvise_willneed): a file range is read into the page
 * cache now; swapped-out anonymous pages come back into the swap cache
 * (swapin_walk), to be mapped by a minor fault later.
 */
static void madvise_willneed(struct kernel *k, struct vma *vma, gva_t start,
			     gva_t end)
{
	if (vma->vm_file) {
		unsigned long first = linear_page_index(vma, start);
		filemap_willneed(k, vma->vm_file, first,
				 first + ((end - start) >> PAGE_SHIFT) - 1);
		return;
	}
	for_each_pte(k, vma->vm_mm, start, end, willneed_pte, vma);
}

/* MADV_REMOVE: free the backing store of a shared writable mapping's range
 * (a hole punched in the file or shmem object). */
static int madvise_remove(struct kernel *k, struct vma *vma, gva_t start,
			  gva_t end)
{
	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!vma->vm_file || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (!(vma->vm_flags & VM_WRITE))
		return -EACCES;
	unsigned long first = linear_page_index(vma, start);
	return filemap_punch_hole(k, vma->vm_file, first,
				  first + ((end - start) >> PAGE_SHIFT) - 1);
}

static int madvise_vma(struct kernel *k, struct vma *vma, gva_t start,
		       gva_t end, int behavior)
{
	unsigned long newflags = vma->vm_flags;

	switch (behavior) {
	case MADV_DONTNEED:
	case MADV_FREE:
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		if (behavior == MADV_FREE) {
			if (vma->vm_file || (vma->vm_flags & VM_SHARED))
				return -EINVAL;
			for_each_pte(k, vma->vm_mm, start, end, free_pte, vma);
			return 0;
		}
		zap_page_range(k, vma, start, end);
		return 0;
	case MADV_REMOVE:
		return madvise_remove(k, vma, start, end);
	case MADV_COLD:
	case MADV_PAGEOUT:
		/* a PMD-mapped THP is off the LRU: split it to reclaim it */
		if (vma->vm_mm->nr_thp)
			huge_split_range(k, vma, start, end);
		return madvise_cold_or_pageout(k, vma, start, end,
					       behavior == MADV_PAGEOUT);
	case MADV_WILLNEED:
		madvise_willneed(k, vma, start, end);
		return 0;
	case MADV_MERGEABLE: case MADV_UNMERGEABLE:
		return 0;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE: {
		bool w = behavior == MADV_POPULATE_WRITE;
		if (!(vma->vm_flags & (w ? VM_WRITE : VM_READ)))
			return -EINVAL;
		int err = populate_range(k, vma->vm_mm, start, end, w);
		return err == -EFAULT ? -EFAULT : err;
	}
	case MADV_NORMAL:
		newflags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_RANDOM:
		newflags = (newflags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_SEQUENTIAL:
		newflags = (newflags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_DONTFORK:
		newflags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		newflags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		newflags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		newflags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		newflags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		newflags &= ~VM_DONTDUMP;
		break;
	case MADV_HUGEPAGE:
		newflags = (newflags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		newflags = (newflags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	}
	if (newflags == vma->vm_flags)
		return 0;
	if (start > vma->vm_start && split_vma(k, vma, start, true) < 0)
		return -ENOMEM;
	if (end < vma->vm_end && split_vma(k, vma, end, false) < 0)
		return -ENOMEM;
	vma->vm_flags = newflags;
	vma_merge_neighbours(k, vma);
	return 0;
}

long sys_madvise(struct kernel *k, gva_t start, uint32_t len, int behavior)
{
	struct mm *mm = k->current->mm;
	int unmapped_error = 0;
	gva_t end;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	/* A length that wraps when rounded up is invalid, not empty. */
	if ((uint64_t)len + PAGE_SIZE - 1 > 0xffffffffull)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	gva_t addr = start;
	while (addr < end) {
		struct vma *vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= end)
			return -ENOMEM;
		if (vma->vm_start > addr) {
			unmapped_error = -ENOMEM;
			addr = vma->vm_start;
		}
		gva_t tmp = vma->vm_end < end ? vma->vm_end : end;
		int err = madvise_vma(k, vma, addr, tmp, behavior);
		if (err)
			return err;
		addr = tmp;
	}
	return unmapped_error;
}
