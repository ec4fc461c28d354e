/*
 * mlock, mlock2, munlock, mlockall, munlockall: locked vmas and their
 * pages on the unevictable list (Linux mm/mlock.c).
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/mman.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/swap.h"

/* ---- locked pages --------------------------------------------------------- */

void mlock_page(struct kernel *k, struct page *page)
{
	if (PageMlocked(page))
		return;
	SetPageMlocked(page);
	mod_zone_page_state(page_zone(&k->mem, page), NR_MLOCK, 1);
	count_vm_event(&k->mem, UNEVICTABLE_PGS_MLOCKED);
	lru_move(k, page, true);
}

void munlock_page(struct kernel *k, struct page *page)
{
	if (!PageMlocked(page))
		return;
	ClearPageMlocked(page);
	mod_zone_page_state(page_zone(&k->mem, page), NR_MLOCK, -1);
	count_vm_event(&k->mem, UNEVICTABLE_PGS_MUNLOCKED);
	lru_move(k, page, false);
}

static void mlock_pte(struct kernel *k, pte_slot_t slot, gva_t addr, pte_t pte,
		      void *lock)
{
	(void)slot;
	(void)addr;
	if (!pte_present(pte) || (pte & PTE_SPECIAL))
		return;
	struct page *page = pfn_to_page(&k->mem, pte_pfn(pte));
	if (*(bool *)lock)
		mlock_page(k, page);
	else
		munlock_page(k, page);
}

void mlock_range(struct kernel *k, struct vma *vma, gva_t start, gva_t end,
		 bool lock)
{
	if (unlikely(vma->vm_mm->nr_thp))
		huge_mlock_range(k, vma, start, end, lock);
	for_each_pte(k, vma->vm_mm, start, end, mlock_pte, &lock);
}

/* ---- the system calls -------------------------------------------------------- */

static int apply_mlock(struct kernel *k, gva_t start, gva_t end,
		       unsigned long lockflags)
{
	struct mm *mm = k->current->mm;
	gva_t addr = start;
	struct vma *vma = find_vma(mm, start);

	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	/* Check for holes first. */
	for (struct vma *v = vma; v && v->vm_start < end; v = vma_next(mm, v)) {
		struct vma *n = vma_next(mm, v);
		if (v->vm_end < end && (!n || n->vm_start != v->vm_end))
			return -ENOMEM;
	}
	while (addr < end) {
		vma = find_vma(mm, addr);
		gva_t tmp = vma->vm_end < end ? vma->vm_end : end;
		unsigned long newflags =
			(vma->vm_flags & ~VM_LOCKED_MASK) | lockflags;
		long npages = (tmp - addr) >> PAGE_SHIFT;
		if (newflags != vma->vm_flags) {
			if (addr > vma->vm_start &&
			    split_vma(k, vma, addr, true) < 0)
				return -ENOMEM;
			if (tmp < vma->vm_end &&
			    split_vma(k, vma, tmp, false) < 0)
				return -ENOMEM;
			if ((newflags & VM_LOCKED) &&
			    !(vma->vm_flags & VM_LOCKED))
				mm->locked_vm += npages;
			else if (!(newflags & VM_LOCKED) &&
				 (vma->vm_flags & VM_LOCKED))
				mm->locked_vm -= npages;
			vma->vm_flags = newflags;
			mlock_range(k, vma, vma->vm_start, vma->vm_end,
				    newflags & VM_LOCKED);
			vma = vma_merge_neighbours(k, vma);
		}
		addr = tmp;
	}
	return 0;
}

/* May the current task lock @locked_pages in all?  CAP_IPC_LOCK
 * ignores RLIMIT_MEMLOCK, as in Linux's mm/mlock.c. */
static bool mlock_allowed(struct kernel *k, uint64_t locked_pages)
{
	uint64_t lim = k->current->rlim[RLIMIT_MEMLOCK].rlim_cur;

	return lim == RLIM_INFINITY || (locked_pages << PAGE_SHIFT) <= lim ||
	       capable(k, CAP_IPC_LOCK);
}

long sys_mlock(struct kernel *k, gva_t start, uint32_t len, unsigned flags)
{
	struct mm *mm = k->current->mm;

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	uint64_t end64 = ALIGN_UP((uint64_t)start + len, PAGE_SIZE);
	start = ALIGN_DOWN(start, PAGE_SIZE);
	if (end64 > TASK_SIZE)
		return -ENOMEM;
	gva_t end = (gva_t)end64;
	if (end == start)
		return 0;
	/* Count what is not yet locked in the range against the limit. */
	uint64_t newly = 0;
	for (struct vma *v = find_vma(mm, start); v && v->vm_start < end;
	     v = vma_next(mm, v)) {
		if (v->vm_flags & VM_LOCKED)
			continue;
		gva_t s = v->vm_start > start ? v->vm_start : start;
		gva_t e = v->vm_end < end ? v->vm_end : end;
		newly += (e - s) >> PAGE_SHIFT;
	}
	if (!mlock_allowed(k, mm->locked_vm + newly))
		return -ENOMEM;
	unsigned long lf = VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT
							      : 0);
	int err = apply_mlock(k, start, end, lf);
	if (err)
		return err;
	if (!(flags & MLOCK_ONFAULT))
		(void)populate_range(k, mm, start, end, true);
	return 0;
}

long sys_munlock(struct kernel *k, gva_t start, uint32_t len)
{
	uint64_t end64 = ALIGN_UP((uint64_t)start + len, PAGE_SIZE);

	start = ALIGN_DOWN(start, PAGE_SIZE);
	if (end64 > TASK_SIZE)
		return -ENOMEM;
	if ((gva_t)end64 == start)
		return 0;
	return apply_mlock(k, start, (gva_t)end64, 0);
}

long sys_mlockall(struct kernel *k, int flags)
{
	struct mm *mm = k->current->mm;
	struct vma *v;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	unsigned long lf = VM_LOCKED | (flags & MCL_ONFAULT ? VM_LOCKONFAULT
							    : 0);
	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE)
		mm->def_flags |= lf;
	if (!(flags & MCL_CURRENT))
		return 0;
	if (!mlock_allowed(k, mm->total_vm))
		return -ENOMEM;
	list_for_each_entry(v, &mm->vmas, list) {
		if (!(v->vm_flags & VM_LOCKED))
			mm->locked_vm += (v->vm_end - v->vm_start) >>
					 PAGE_SHIFT;
		v->vm_flags = (v->vm_flags & ~VM_LOCKED_MASK) | lf;
		mlock_range(k, v, v->vm_start, v->vm_end, true);
	}
	if (!(flags & MCL_ONFAULT)) {
		list_for_each_entry(v, &mm->vmas, list)
			(void)populate_range(k, mm, v->vm_start, v->vm_end,
					     true);
	}
	return 0;
}

long sys_munlockall(struct kernel *k)
{
	struct mm *mm = k->current->mm;
	struct vma *v;

	mm->def_flags &= ~VM_LOCKED_MASK;
	list_for_each_entry(v, &mm->vmas, list) {
		v->vm_flags &= ~VM_LOCKED_MASK;
		mlock_range(k, v, v->vm_start, v->vm_end, false);
	}
	mm->locked_vm = 0;
	return 0;
}
