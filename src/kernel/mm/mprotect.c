/*
 * mprotect: change the access rights of a range, splitting and merging
 * vmas (Linux mm/mprotect.c).
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

/* Give [start, end) of @vma the flags @newflags, splitting as needed. */
static int mprotect_fixup(struct kernel *k, struct vma *vma, gva_t start,
			  gva_t end, unsigned long newflags)
{
	struct mm *mm = vma->vm_mm;
	long npages = (end - start) >> PAGE_SHIFT;

	if (newflags == vma->vm_flags)
		return 0;
	/* Making private memory writable charges it, as Linux does. */
	if ((newflags & VM_WRITE) && !(vma->vm_flags & (VM_ACCOUNT | VM_WRITE |
							VM_SHARED | VM_HUGETLB |
							VM_NORESERVE))) {
		if (vm_acct_memory(k, npages) < 0)
			return -ENOMEM;
		newflags |= VM_ACCOUNT;
	}
	if (!hugetlb_split_ok(k, vma, start) || !hugetlb_split_ok(k, vma, end))
		return -EINVAL;	/* hugetlb: huge-page aligned only */
	if (start > vma->vm_start && split_vma(k, vma, start, true) < 0)
		return -ENOMEM;
	if (end < vma->vm_end && split_vma(k, vma, end, false) < 0)
		return -ENOMEM;
	vm_stat_account(mm, vma->vm_flags, -npages);
	vma->vm_flags = newflags;
	vm_stat_account(mm, vma->vm_flags, npages);
	change_protection(k, vma, start, end, newflags);
	vma_merge_neighbours(k, vma);
	return 0;
}

long sys_mprotect(struct kernel *k, gva_t start, uint32_t len, int prot)
{
	struct mm *mm = k->current->mm;
	unsigned long reqprot = calc_vm_prot_bits(prot);
	gva_t end;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN |
		     PROT_GROWSUP))
		return -EINVAL;
	if ((prot & (PROT_GROWSDOWN | PROT_GROWSUP)) ==
	    (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!len)
		return 0;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = start + len;
	if (!len || end <= start)
		return -ENOMEM;

	/* The whole range must be mapped, without holes, or nothing changes
	 * beyond the first hole (Linux's behaviour: ENOMEM). */
	struct vma *vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	gva_t nstart = start;
	for (;;) {
		unsigned long newflags =
			reqprot | (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* A permission the mapping may never have. */
		if ((newflags & VM_WRITE) && !(vma->vm_flags & VM_MAYWRITE))
			return -EACCES;
		if ((newflags & VM_READ) && !(vma->vm_flags & VM_MAYREAD))
			return -EACCES;
		if ((newflags & VM_EXEC) && !(vma->vm_flags & VM_MAYEXEC))
			return -EACCES;
		gva_t tmp = vma->vm_end < end ? vma->vm_end : end;
		gva_t vend = vma->vm_end;
		int err = mprotect_fixup(k, vma, nstart, tmp, newflags);
		if (err)
			return err;
		nstart = tmp;
		if (nstart >= end)
			return 0;
		vma = find_vma(mm, nstart);
		if (!vma || vma->vm_start != nstart || vend != nstart)
			return -ENOMEM;
	}
}
