/*
 * mincore: which pages of a range are resident (Linux mm/mincore.c).
 */
#include <errno.h>
#include <string.h>

#include "kernel/mm/huge_mm.h"
#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/mman.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/swap.h"

long sys_mincore(struct kernel *k, gva_t start, uint32_t len, gva_t vec)
{
	struct mm *mm = k->current->mm;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((uint64_t)start + len > TASK_SIZE)
		return -ENOMEM;
	uint32_t pages = (uint32_t)(((uint64_t)len + PAGE_SIZE - 1) >>
				    PAGE_SHIFT);
	for (uint32_t i = 0; i < pages; i++) {
		gva_t a = start + (i << PAGE_SHIFT);
		struct vma *vma = vma_lookup(mm, a);
		if (!vma)
			return -ENOMEM;
	}
	for (uint32_t i = 0; i < pages; i++) {
		gva_t a = start + (i << PAGE_SHIFT);
		struct vma *vma = vma_lookup(mm, a);
		uint8_t v = 0;
		pte_slot_t slot = pte_offset(k, mm, a, false);
		pte_t pte = slot ? ptep_get(k, slot) : huge_pte_for(k, mm, a);
		if (pte_present(pte) || pte_protnone(pte)) {
			v = 1;
		} else if (pte_none(pte) && vma->vm_file) {
			/* Linux reports page-cache residency for files. */
			unsigned long idx = linear_page_index(vma, a);
			v = filemap_find_page(k, vma->vm_file, idx) != NULL;
		} else if (pte_is_swap(pte)) {
			/* Swapped out: resident while still in the swap
			 * cache (Linux's mincore_page on the swap space). */
			v = lookup_swap_cache(k, pte) != NULL;
		}
		if (copy_to_user(k, vec + i, &v, 1) < 0)
			return -EFAULT;
	}
	return 0;
}
