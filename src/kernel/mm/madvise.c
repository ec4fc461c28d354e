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

static int madvise_vma(struct kernel *k, struct vma *vma, gva_t start,
		       gva_t end, int behavior)
{
	unsigned long newflags = vma->vm_flags;

	switch (behavior) {
	case MADV_DONTNEED:
	case MADV_FREE:
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		if (behavior == MADV_FREE && vma->vm_file)
			return -EINVAL;
		/* MADV_FREE may discard lazily; discarding now is allowed. */
		zap_page_range(k, vma, start, end);
		return 0;
	case MADV_REMOVE:
		return (vma->vm_flags & VM_SHARED) ? -EOPNOTSUPP : -EINVAL;
	case MADV_COLD:
	case MADV_PAGEOUT:
		/* a PMD-mapped THP is off the LRU: split it to reclaim it */
		if (vma->vm_mm->nr_thp)
			huge_split_range(k, vma, start, end);
		return madvise_cold_or_pageout(k, vma, start, end,
					       behavior == MADV_PAGEOUT);
	case MADV_WILLNEED:
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
