/*
 * mremap: shrink, grow in place, or move a mapping with its page tables
 * (Linux mm/mremap.c).
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/bug.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/mman.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"

/*
 * Move [addr, addr+old_len), which is exactly @vma, to a new vma at
 * [dst, dst+new_len) with its page tables (Linux mm/mremap.c move_vma).
 * @npages_new is the growth to charge.  On entry the destination is free.
 * Returns @dst, or -ENOMEM with nothing changed but the split edges of
 * the old range: a move that fails midway puts back the entries it had
 * moved (that cannot fail: their old tables are still there) and removes
 * the new vma, so no byte of the old range is lost.
 */
static long move_vma(struct kernel *k, struct vma *vma, gva_t addr,
		     uint32_t old_len, uint32_t new_len, gva_t dst, int flags,
		     long npages_new)
{
	struct mm *mm = vma->vm_mm;
	long acct = (flags & MREMAP_DONTUNMAP) ? new_len >> PAGE_SHIFT
					       : npages_new;
	bool charged = (vma->vm_flags & VM_ACCOUNT) && acct > 0;
	struct vma *nv = vma_alloc(k, mm);

	if (!nv)
		return -ENOMEM;
	if (charged && vm_acct_memory(k, acct) < 0) {
		vma_free(k, nv);
		return -ENOMEM;
	}
	nv->vm_start = dst;
	nv->vm_end = dst + new_len;
	nv->vm_flags = vma->vm_flags;
	nv->vm_policy = vma->vm_policy;
	nv->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	nv->vm_file = vma->vm_file ? inode_ref(vma->vm_file) : NULL;
	if (anon_vma_clone(k, nv, vma) < 0)
		goto free_nv;
	nv->anon_vma = vma->anon_vma;
	vma_link(mm, nv);
	vm_stat_account(mm, nv->vm_flags, new_len >> PAGE_SHIFT);
	if (nv->vm_flags & VM_LOCKED)
		mm->locked_vm += new_len >> PAGE_SHIFT;
	uint32_t moved = move_page_tables(k, vma, addr, nv, dst, old_len);
	if (moved < old_len)
		goto move_back;
	if (flags & MREMAP_DONTUNMAP) {
		/* The old range stays mapped, now empty. */
		vma->vm_flags &= ~VM_LOCKED_MASK;
	} else if (old_len) {
		/* The pages have moved: the old vma has none left. */
		if (vma->vm_flags & VM_ACCOUNT) {
			vm_unacct_memory(k, old_len >> PAGE_SHIFT);
			vma->vm_flags &= ~VM_ACCOUNT;
		}
		int err = do_munmap(k, mm, addr, old_len);
		if (err)
			return err;
	}
	if (nv->vm_flags & VM_LOCKED)
		(void)populate_range(k, mm, dst, dst + new_len, true);
	vma_merge_neighbours(k, nv);
	return dst;

move_back:
	if (move_page_tables(k, nv, dst, vma, addr, moved) != moved)
		kernel_bug(k, "mremap: moving %#x back to %#x failed", dst, addr);
	/* The new vma is empty now; its charge is only the growth (undone
	 * below), not the whole of it as removing it would undo. */
	nv->vm_flags &= ~VM_ACCOUNT;
	if (do_munmap(k, mm, dst, new_len) < 0)
		kernel_bug(k, "mremap: cannot remove the new vma at %#x", dst);
	if (charged)
		vm_unacct_memory(k, acct);
	return -ENOMEM;
free_nv:
	if (charged)
		vm_unacct_memory(k, acct);
	vma_free(k, nv);
	return -ENOMEM;
}

long sys_mremap(struct kernel *k, gva_t addr, uint32_t old_len,
		uint32_t new_len, int flags, gva_t new_addr)
{
	struct mm *mm = k->current->mm;
	struct vma *vma;

	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len)
		return -EINVAL;
	/* The order of the checks is Linux's: the vma at @addr, then the
	 * destination of a fixed move (overlap: EINVAL), then the old range
	 * (EFAULT when it runs past the vma). */
	vma = vma_lookup(mm, addr);
	if (!vma)
		return -EFAULT;
	if (vma->vm_flags & VM_HUGETLB)
		return -EINVAL;	/* hugetlb mappings are not moved here */
	if (flags & MREMAP_FIXED) {
		if (new_addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if ((uint64_t)new_addr + new_len > TASK_SIZE)
			return -EINVAL;
		if ((uint64_t)new_addr < (uint64_t)addr + old_len &&
		    addr < new_addr + new_len)
			return -EINVAL;
	}
	/* old_len 0 duplicates a shared mapping (the "duplicate shm area"
	 * case); for a private one it would make an unrelated mapping. */
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	if ((uint64_t)addr + old_len > vma->vm_end)
		return -EFAULT;

	/* Shrinking in place. */
	if (!(flags & MREMAP_FIXED) && new_len <= old_len) {
		if (new_len < old_len) {
			int err = do_munmap(k, mm, addr + new_len,
					    old_len - new_len);
			if (err)
				return err;
		}
		return addr;
	}

	/* A fixed move to a smaller size drops the tail first, as Linux's
	 * mremap_to does; then old and new sizes agree. */
	if ((flags & MREMAP_FIXED) && new_len < old_len) {
		int err = do_munmap(k, mm, addr + new_len, old_len - new_len);
		if (err)
			return err;
		old_len = new_len;
		vma = vma_lookup(mm, addr);
		if (!vma)
			return -EFAULT;
	}
	long npages_new = ((long)new_len - (long)old_len) >> PAGE_SHIFT;
	if ((vma->vm_flags & VM_LOCKED) && !capable(k, CAP_IPC_LOCK)) {
		uint64_t lim = k->current->rlim[RLIMIT_MEMLOCK].rlim_cur;
		if (lim != RLIM_INFINITY &&
		    ((uint64_t)mm->locked_vm + npages_new) << PAGE_SHIFT > lim)
			return -EAGAIN;
	}
	/* Growing in place, when the range after it is free. */
	if (!(flags & MREMAP_FIXED) && addr + old_len == vma->vm_end) {
		struct vma *next = vma_next(mm, vma);
		gva_t end = addr + new_len;
		if (end > addr && end <= TASK_SIZE &&
		    (!next || next->vm_start >= end)) {
			if (!may_expand_vm(k, mm, vma->vm_flags, npages_new))
				return -ENOMEM;
			if ((vma->vm_flags & VM_ACCOUNT) &&
			    vm_acct_memory(k, npages_new) < 0)
				return -ENOMEM;
			vma->vm_end = end;
			vm_stat_account(mm, vma->vm_flags, npages_new);
			if (vma->vm_flags & VM_LOCKED) {
				mm->locked_vm += npages_new;
				(void)populate_range(k, mm, addr + old_len,
						     end, true);
			}
			return addr;
		}
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;

	/* Move: a new vma at the destination takes the pages. */
	gva_t dst;
	if (flags & MREMAP_FIXED) {
		int err = do_munmap(k, mm, new_addr, new_len);
		if (err)
			return err;
		dst = new_addr;
	} else {
		dst = get_unmapped_area(mm, 0, new_len);
		if (!dst)
			return -ENOMEM;
	}
	if (!may_expand_vm(k, mm, vma->vm_flags,
			   (flags & MREMAP_DONTUNMAP) ? new_len >> PAGE_SHIFT
						      : npages_new))
		return -ENOMEM;
	/* Isolate the moved part of the old vma (nothing moves when
	 * duplicating). */
	if (old_len && addr > vma->vm_start) {
		if (split_vma(k, vma, addr, true) < 0)
			return -ENOMEM;
	}
	if (old_len && addr + old_len < vma->vm_end) {
		if (split_vma(k, vma, addr + old_len, false) < 0)
			return -ENOMEM;
	}
	return move_vma(k, vma, addr, old_len, new_len, dst, flags, npages_new);
}
