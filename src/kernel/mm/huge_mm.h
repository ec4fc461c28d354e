/*
 * Huge pages (Linux include/linux/huge_mm.h and hugetlb.h): the hugetlb
 * pool and MAP_HUGETLB mappings (hugetlb.c), and transparent huge pages for
 * anonymous memory (huge_memory.c).  Both map a huge page with one leaf
 * entry one level above the PTE tables: a PMD leaf of 2 MiB under pae, a
 * PGD leaf of 4 MiB under sv32 (whose PMD is folded into the PGD).
 *
 * A THP is an order-9 (pae) or order-10 (sv32) buddy block whose 4 KiB
 * pages are each an ordinary anonymous page (own reference, mapcount,
 * anon rmap) mapped through the one PMD leaf; while so mapped they are off
 * the LRU lists (the head is on its node's thp_list), and splitting the
 * PMD (partial munmap, mprotect, mremap, madvise(DONTNEED), fork, or
 * reclaim when the THP was not used since its last look) maps them with
 * 512 PTEs and puts them on the LRU, where reclaim may swap them one by
 * one.
 *
 * A hugetlb page is a block of the same order kept in the pool
 * (vm.nr_hugepages); its head page's reference count counts the mappings.
 * It is never split, swapped or reclaimed.
 */
#ifndef MMULAB_KERNEL_MM_HUGE_MM_H
#define MMULAB_KERNEL_MM_HUGE_MM_H

#include "kernel/mm/mm.h"
#include "kernel/mm/mm_types.h"
#include "types.h"

struct pglist_data;

struct kernel;
struct seq;

/* handle_mm_fault: not a huge-page fault, take the PTE path. */
#define VM_FAULT_FALLBACK 0x0800

/* /sys/kernel/mm/transparent_hugepage/enabled (mem->thp_mode) */
enum thp_mode { THP_MADVISE = 0, THP_ALWAYS, THP_NEVER };

/* log2 of the huge page size: 21 (pae) or 22 (sv32). */
unsigned hpage_shift(const struct kernel *k);
static inline uint32_t hpage_size(const struct kernel *k)
{
	return 1u << hpage_shift(k);
}

/* The entry one level above the PTE tables for @addr (allocating the
 * tables above it when @alloc); NULL when absent or out of memory. */
pte_slot_t pmd_offset(struct kernel *k, struct mm *mm, gva_t addr, bool alloc);

/* Huge-page faults: VM_FAULT_FALLBACK when @vmf is none of ours. */
unsigned huge_fault(struct kernel *k, struct vm_fault *vmf);

/*
 * The huge side of the page-table walks in pgtable.c, called before they
 * walk PTEs: whole huge pages inside [start, end) are zapped / reprotected
 * / shared with the child as a unit; a THP only partly inside is split
 * first (thp_split_pmd), so the PTE walk then sees it.
 */
void huge_zap_range(struct kernel *k, struct vma *vma, gva_t start,
		    gva_t end);
void huge_protect_range(struct kernel *k, struct vma *vma, gva_t start,
			gva_t end, unsigned long newflags);
int huge_copy_range(struct kernel *k, struct mm *dst, struct mm *src,
		    struct vma *dst_vma, struct vma *src_vma);
/* mlock/munlock the THPs of [start, end) of @vma (splitting one only
 * partly inside); mlock.c calls it before its PTE walk. */
void huge_mlock_range(struct kernel *k, struct vma *vma, gva_t start,
		      gva_t end, bool lock);
/* Split every THP mapped in [start, end) of @vma (mremap, madvise). */
void huge_split_range(struct kernel *k, struct vma *vma, gva_t start,
		      gva_t end);
/*
 * Reclaim wants @want more anonymous pages on @pgdat's inactive list:
 * split idle THPs of the node, oldest first (a THP whose leaf has the
 * Accessed bit loses it and waits for the next look).  Returns the pages
 * that joined the LRU.
 */
unsigned long thp_reclaim_split(struct kernel *k, struct pglist_data *pgdat,
				unsigned long want);

/* Is @addr of @mm mapped by a huge leaf?  Its entry in *@pte if so. */
bool huge_pmd_mapped(struct kernel *k, struct mm *mm, gva_t addr, pte_t *pte);

/* The 4 KiB entry a huge leaf amounts to for @addr (its frame, the
 * leaf's bits), or 0 when no huge leaf maps @addr: for mincore, pagemap
 * and views that look at one page. */
pte_t huge_pte_for(struct kernel *k, struct mm *mm, gva_t addr);

/* THPeligible in smaps: would a fault in @vma get a THP? */
int thp_vma_eligible(const struct kernel *k, const struct vma *vma);

/* /proc/PID/smaps of one vma: the bytes huge leaves map. */
struct huge_usage {
	uint64_t rss, anon_huge, hugetlb_private, hugetlb_shared;
	uint64_t referenced, dirty;
};
void huge_vma_usage(struct kernel *k, struct vma *vma, struct huge_usage *u);

/* ---- shared by both files ----------------------------------------------- */
/* A hugetlb slot reserved for a private mapping and not faulted yet: a
 * non-present entry the walker faults on (as a swap entry, type 31
 * offset 0, which no swap area ever hands out). */
#define HUGETLB_RESV_PMD ((pte_t)0x3e)
struct page *pgtable_page_alloc(struct kernel *k, struct mm *mm);
void pgtable_page_free(struct kernel *k, struct mm *mm, pfn_t pfn);
/* hugetlb.c: a pool page for a fault in @vma (from the reservation when
 * @reserved), zeroed, with one reference; NULL when the pool is empty. */
struct page *hugetlb_alloc_page(struct kernel *k, bool reserved);
/* Drop one mapping's reference; the last returns the page to the pool. */
void hugetlb_put_page(struct kernel *k, struct page *page);
unsigned hugetlb_fault(struct kernel *k, struct vm_fault *vmf,
		       pte_slot_t pmd, gva_t haddr);

/* ---- hugetlb.c ----------------------------------------------------------- */
/* vm.nr_hugepages: grow or shrink the pool; 0 or -EINVAL. */
int hugetlb_set_pool(struct kernel *k, unsigned long n);
/*
 * mmap(MAP_HUGETLB): round @len up to the huge page size, reserve that
 * many pool pages (-ENOMEM when the pool lacks them).  Returns the rounded
 * length or -errno.
 */
long hugetlb_reserve(struct kernel *k, uint32_t len);
void hugetlb_unreserve(struct kernel *k, unsigned long nr);
/* After the vma exists: mark its slots reserved (private) or fault every
 * huge page in now (shared: the pages are then shared with children). */
int hugetlb_setup_vma(struct kernel *k, struct vma *vma);
/* Is splitting @vma at @addr allowed (huge-page aligned)? */
bool hugetlb_split_ok(const struct kernel *k, const struct vma *vma,
		      gva_t addr);

/* /sys/kernel/mm/transparent_hugepage/enabled text, and its parser. */
void thp_mode_show(const struct kernel *k, struct seq *s);
int thp_mode_set(struct kernel *k, const char *text);

#endif
