/*
 * What the memory manager shares between its files (Linux mm/internal.h):
 * page-table helpers, mlock and overcommit accounting.
 */
#ifndef MMULAB_KERNEL_MM_INTERNAL_H
#define MMULAB_KERNEL_MM_INTERNAL_H

#include "kernel/mm/mm.h"
#include "kernel/mm/mm_types.h"
#include "types.h"

struct kernel;

/* ---- pgtable.c ----------------------------------------------------------- */
void flush_tlb_page(struct kernel *k, struct mm *mm, gva_t addr);
pte_t mk_pte_prot(unsigned long vm_flags, bool writable);

/* Mlocked pages (mlock.c): PG_mlocked, NR_MLOCK and the unevictable
 * list.  A page is unlocked when its last mapping goes or its vma is
 * munlocked. */
void mlock_page(struct kernel *k, struct page *page);
void munlock_page(struct kernel *k, struct page *page);
/* Lock or unlock the present pages of [start, end) of @vma. */
void mlock_range(struct kernel *k, struct vma *vma, gva_t start, gva_t end,
		 bool lock);

/* ---- overcommit accounting (mmap.c) ------------------------------------ */
/* Charge @npages of commitment (VM_ACCOUNT); 0 or -ENOMEM per policy. */
int vm_acct_memory(struct kernel *k, long npages) __must_check;
void vm_unacct_memory(struct kernel *k, long npages);

#endif
