/*
 * msync: write shared file mappings back (Linux mm/msync.c).
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/mman.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"

long sys_msync(struct kernel *k, gva_t start, uint32_t len, int flags)
{
	struct mm *mm = k->current->mm;
	int unmapped = 0;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	uint64_t end = ALIGN_UP((uint64_t)start + len, PAGE_SIZE);
	if (end > TASK_SIZE)
		return -ENOMEM;
	gva_t addr = start;
	while (addr < end) {
		struct vma *vma = find_vma(mm, addr);
		if (!vma)
			return -ENOMEM;
		if (vma->vm_start >= end)
			return -ENOMEM;
		if (vma->vm_start > addr) {
			unmapped = -ENOMEM;
			addr = vma->vm_start;
		}
		gva_t tmp = vma->vm_end < end ? vma->vm_end : (gva_t)end;
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			return -EBUSY;
		if ((flags & MS_SYNC) && vma->vm_file &&
		    (vma->vm_flags & VM_SHARED))
			filemap_write_and_wait(k, vma->vm_file);
		addr = tmp;
	}
	return unmapped;
}
