/*
 * Address spaces: struct mm, VMAs, anon_vma reverse mapping, the kernel's
 * page-table code and the page-fault entry point.
 *
 * Every object here lives in emulated RAM, allocated from its slab cache
 * (mm_struct, vm_area_struct, anon_vma, anon_vma_chain), so kernel memory
 * shows up in /proc/slabinfo and counts under memory pressure.
 */
#ifndef MMULAB_KERNEL_MM_H
#define MMULAB_KERNEL_MM_H

#include "kernel/lib/list.h"
#include "kernel/mm/mm_types.h"
#include "kernel/mm/mempolicy.h"
#include "mmu/pte.h"
#include "types.h"

struct kernel;
struct inode;

/*
 * The rv32 user address-space layout (no randomisation).  TASK_SIZE, the
 * top of user space, is PAGE_OFFSET of the user/kernel split (--vmsplit):
 * 0xc0000000 with 3G/1G (the default), 0x80000000 with 2G/2G, 0x40000000
 * with 1G/3G.  Like Linux's it reads the running kernel (@k in scope).
 */
#define TASK_SIZE_DEFAULT 0xc0000000u
#define TASK_SIZE (k->task_size)
#define STACK_TOP TASK_SIZE
#define MMAP_MIN_ADDR 0x1000u		/* vm.mmap_min_addr */
#define STACK_GUARD_GAP (256u << PAGE_SHIFT) /* stack_guard_gap */
#define MIN_GAP (128u << 20)		/* below the stack for mmap_base */
#define DEFAULT_MAX_MAP_COUNT 65530

/* vm_flags, with Linux's values. */
#define VM_NONE 0x00000000ul
#define VM_READ 0x00000001ul
#define VM_WRITE 0x00000002ul
#define VM_EXEC 0x00000004ul
#define VM_SHARED 0x00000008ul
#define VM_MAYREAD 0x00000010ul
#define VM_MAYWRITE 0x00000020ul
#define VM_MAYEXEC 0x00000040ul
#define VM_MAYSHARE 0x00000080ul
#define VM_GROWSDOWN 0x00000100ul
#define VM_LOCKONFAULT 0x00000800ul
#define VM_LOCKED 0x00002000ul
#define VM_SEQ_READ 0x00008000ul
#define VM_RAND_READ 0x00010000ul
#define VM_DONTCOPY 0x00020000ul
#define VM_DONTEXPAND 0x00040000ul
#define VM_ACCOUNT 0x00100000ul
#define VM_NORESERVE 0x00200000ul
#define VM_HUGETLB 0x00400000ul
#define VM_WIPEONFORK 0x02000000ul
#define VM_DONTDUMP 0x04000000ul
#define VM_HUGEPAGE 0x20000000ul
#define VM_NOHUGEPAGE 0x40000000ul

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)

struct anon_vma {
	struct anon_vma *root;	/* the root of this anon_vma tree */
	struct anon_vma *parent; /* the parent (for the degree counting) */
	int refcount;		/* vmas + pages pointing here via chains */
	unsigned degree;	/* child anon_vmas + vmas using it */
	struct list_head chains; /* anon_vma_chain.same_anon_vma */
};

/* Links one vma with one anon_vma (Linux's many-to-many rmap glue). */
struct anon_vma_chain {
	struct vma *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* in vma->anon_vma_chain */
	struct list_head same_anon_vma; /* in anon_vma->chains */
};

struct vma {
	gva_t vm_start;		/* first byte */
	gva_t vm_end;		/* first byte after */
	unsigned long vm_flags;
	unsigned long vm_pgoff;	/* offset in the file, in pages; for anonymous
				 * memory vm_start >> PAGE_SHIFT */
	struct inode *vm_file;	/* a reference, or NULL if anonymous */
	struct anon_vma *anon_vma;
	struct list_head anon_vma_chain;
	struct mm *vm_mm;
	struct list_head list;	/* in mm->vmas, sorted by address */
	/* The address index: a treap keyed by vm_start. */
	struct vma *left, *right;
	uint32_t prio;
	struct mempolicy vm_policy; /* mbind's; MPOL_DEFAULT: the task's */
};

enum mm_counter { MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES,
		  NR_MM_COUNTERS };

struct mm {
	gpa_t pgd;		/* physical address of the root table */
	struct list_head vmas;	/* sorted by address */
	struct vma *vma_root;	/* treap root */
	int map_count;
	int users;		/* tasks sharing this mm (CLONE_VM/vfork) */
	uint16_t asid;
	uint32_t asid_gen;	/* generation of asid; stale = none assigned */
	gva_t start_code, end_code, start_data, end_data;
	gva_t start_brk, brk, start_stack;
	gva_t arg_start, arg_end, env_start, env_end;
	gva_t mmap_base;
	gva_t task_size;	/* TASK_SIZE when it was made */
	/*
	 * The top-down search's memory (Linux 2.6's free_area_cache): the
	 * top of the last range it returned, and the largest hole it
	 * skipped above that.  A request larger than that hole cannot fit above, so the
	 * next search starts here: a run of mmaps costs O(log n) each, not
	 * a walk over every vma.  0 = search from mmap_base.  Removing a vma
	 * (the only thing that widens a hole) resets it.
	 */
	gva_t free_area_cache;
	uint32_t cached_hole_size;
	gva_t sigpage;		/* the sigreturn trampoline page, 0 = none */
	unsigned long total_vm, locked_vm, data_vm, exec_vm, stack_vm;
	unsigned long hiwater_rss, hiwater_vm;
	unsigned long nr_swapout;	/* pages reclaim unmapped to swap */
	unsigned long def_flags;	/* VM_LOCKED after mlockall(MCL_FUTURE) */
	long rss[NR_MM_COUNTERS];
	unsigned long pgtables_bytes;
	struct inode *exe_file;
	unsigned long nr_thp;		/* THPs mapped by PMD leaves */
	unsigned long hugetlb_pages;	/* hugetlb mapped, 4 KiB pages */
};

/* ---- VMAs (vma.c) -------------------------------------------------------- */

/* The first vma with vm_end > @addr, or NULL. O(log n). */
struct vma *find_vma(struct mm *mm, gva_t addr);
/* The vma containing @addr, or NULL. */
struct vma *vma_lookup(struct mm *mm, gva_t addr);
/* The vma ending at or before @addr's vma: the predecessor in address order. */
struct vma *vma_prev(struct mm *mm, struct vma *vma);
struct vma *vma_next(struct mm *mm, struct vma *vma);
/* The first vma intersecting [start, end), or NULL. */
struct vma *find_vma_intersection(struct mm *mm, gva_t start, gva_t end);

struct vma *vma_alloc(struct kernel *k, struct mm *mm);
void vma_free(struct kernel *k, struct vma *vma);
/* Link @vma into @mm (it must not overlap anything). */
void vma_link(struct mm *mm, struct vma *vma);
void vma_unlink(struct mm *mm, struct vma *vma);

/*
 * The invariants of @mm's vmas: the list is in address order, each vma
 * page aligned, non-empty, owned by @mm, with no overlap; the treap is a
 * search tree on vm_start, heap-ordered on its priorities, holding the
 * list's vmas in the list's order; map_count counts them.  Returns NULL
 * when they hold, else what is broken.  O(map_count).
 */
const char *vma_sanity_why(struct mm *mm);
static inline bool vma_sanity(struct mm *mm)
{
	return !vma_sanity_why(mm);
}

/*
 * Split @vma at @addr (page aligned, strictly inside).  The new vma is the
 * lower part when @new_below, else the upper part.  Returns 0 or -ENOMEM.
 */
int split_vma(struct kernel *k, struct vma *vma, gva_t addr, bool new_below)
	__must_check;

/*
 * Merge @vma with its neighbours when they are compatible (same flags, same
 * file with contiguous offsets, compatible anon_vma).  Returns the merged
 * vma (which may be a neighbour; @vma may be freed).
 */
struct vma *vma_merge_neighbours(struct kernel *k, struct vma *vma);

/* Unmap [start, end): split the edge vmas, zap their pages and free them.
 * Returns 0 or -ENOMEM (when a split fails, nothing has been unmapped). */
int do_munmap(struct kernel *k, struct mm *mm, gva_t start, uint32_t len)
	__must_check;

/*
 * Find a free range of @len bytes (top-down below mmap_base, as Linux's
 * legacy-free 32-bit layout does), honouring @hint when it is free.
 * Returns the address, or 0 when no range fits.
 */
gva_t get_unmapped_area(struct mm *mm, gva_t hint, uint32_t len);

/* Protection bits for the PTEs of a vma (before any COW write protect). */
uint32_t vm_page_prot(unsigned long vm_flags);

/* ---- anon_vma reverse map (rmap.c) ------------------------------------- */

/* Make sure @vma has an anon_vma (on its first anonymous fault). */
int anon_vma_prepare(struct kernel *k, struct vma *vma) __must_check;
/* Attach the child @dst to @src's anon_vmas and give it its own (fork). */
int anon_vma_fork(struct kernel *k, struct vma *dst, struct vma *src)
	__must_check;
/* Make @dst share @src's anon_vma chains (split, mremap). */
int anon_vma_clone(struct kernel *k, struct vma *dst, struct vma *src)
	__must_check;
/* Drop @vma's chains and the anon_vmas nobody uses any more. */
void unlink_anon_vmas(struct kernel *k, struct vma *vma);
void page_add_new_anon_rmap(struct kernel *k, struct page *page,
			    struct vma *vma, gva_t addr);
void page_add_anon_rmap(struct kernel *k, struct page *page);
void page_add_file_rmap(struct kernel *k, struct page *page);
void page_remove_rmap(struct kernel *k, struct page *page);
/* Linear page index of @addr in @vma's mapping. */
static inline unsigned long linear_page_index(const struct vma *vma,
					      gva_t addr)
{
	return ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* ---- page tables (pgtable.c) ------------------------------------------- */

/* A PTE slot in emulated RAM (host pointer to the entry). */
typedef void *pte_slot_t;

pte_t ptep_get(struct kernel *k, pte_slot_t slot);
void set_pte(struct kernel *k, pte_slot_t slot, pte_t pte);

/* Allocate an empty root table for @mm.  Returns 0 or -ENOMEM. */
int pgd_alloc(struct kernel *k, struct mm *mm) __must_check;
/* Free every page-table page of @mm (all PTEs must be cleared already). */
void free_pgtables(struct kernel *k, struct mm *mm);
/*
 * The lowest-level slot for @addr.  With @alloc, creates missing tables
 * (NULL on out of memory); without, NULL when a table is missing.
 */
pte_slot_t pte_offset(struct kernel *k, struct mm *mm, gva_t addr, bool alloc);

/* Called for each non-none PTE by for_each_pte. */
typedef void (*pte_visit_t)(struct kernel *k, pte_slot_t slot, gva_t addr,
			    pte_t pte, void *arg);
/* Visit the non-none PTEs of @mm in [start, end), each last-level table
 * once; missing tables are skipped.  @fn may rewrite the slot. */
void for_each_pte(struct kernel *k, struct mm *mm, gva_t start, gva_t end,
		  pte_visit_t fn, void *arg);

/*
 * Unmap [start, end) of @vma: drop every PTE, release pages and swap
 * entries, adjust RSS, flush the TLB for each cleared present entry.
 */
void zap_page_range(struct kernel *k, struct vma *vma, gva_t start, gva_t end);
/* Copy @src's page tables for fork: share pages, write-protect private
 * writable ones in both.  Returns 0 or -ENOMEM. */
int copy_page_range(struct kernel *k, struct mm *dst, struct mm *src,
		    struct vma *dst_vma, struct vma *src_vma) __must_check;
/* Rewrite the protection of present PTEs in [start, end) of @vma. */
void change_protection(struct kernel *k, struct vma *vma, gva_t start,
		       gva_t end, unsigned long newflags);
/* Move the PTEs of [old, old+len) to @new_addr (mremap); returns the
 * bytes moved, less than @len when a page table allocation failed. */
uint32_t move_page_tables(struct kernel *k, struct vma *vma, gva_t old,
			  struct vma *new_vma, gva_t new_addr, uint32_t len)
	__must_check;

/* ---- mm lifecycle (mmap.c) --------------------------------------------- */

struct mm *mm_alloc(struct kernel *k);
/* Drop a user of @mm; the last one tears everything down. */
void mmput(struct kernel *k, struct mm *mm);
/* Duplicate @old for fork (COW).  Returns the new mm or NULL. */
struct mm *dup_mm(struct kernel *k, struct mm *old);
void mm_add_rss(struct mm *mm, enum mm_counter c, long v);
unsigned long get_mm_rss(const struct mm *mm);
/* Account a vma's size in total_vm/data_vm/... (@sign +1 or -1). */
void vm_stat_account(struct mm *mm, unsigned long flags, long npages);

/* ---- faults (fault.c) -------------------------------------------------- */

#define VM_FAULT_OOM 0x0001
#define VM_FAULT_SIGBUS 0x0002
#define VM_FAULT_MAJOR 0x0004
#define VM_FAULT_SIGSEGV 0x0040
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)

#define FAULT_FLAG_WRITE 0x01
#define FAULT_FLAG_INSTRUCTION 0x02
#define FAULT_FLAG_USER 0x04
#define FAULT_FLAG_REMOTE 0x08	/* from the kernel (uaccess, populate) */
#define FAULT_FLAG_FORCE 0x10	/* a debugger's write (kernel_poke): a
				 * private read-only vma is writable (COW),
				 * and no fault is counted */

/* Per-fault state, as Linux's struct vm_fault. */
/*
 * How a fault was resolved: arg[0] of EV_FAULT_DONE (docs/events.md).
 * Each handler sets vmf->result; the error kinds come from the VM_FAULT_*
 * bits.  Stack growth is not a kind of its own: it precedes one (arg[2]
 * of the event holds the pages the stack grew by).
 */
#define FAULT_RESULTS(X)                                                    \
	X(FR_NONE, "none")		/* not resolved (kernel bug) */     \
	X(FR_ZERO_PAGE, "zero-page")	/* read: the shared zero page */    \
	X(FR_ANON, "anon")		/* a fresh zeroed page */           \
	X(FR_FILE_MINOR, "file-minor")	/* page cache hit */                \
	X(FR_FILE_MAJOR, "file-major")	/* read from the file */            \
	X(FR_FILE_COW, "file-cow")	/* private write: cache page copied */ \
	X(FR_COW_COPY, "cow-copy")	/* do_wp_page copied */             \
	X(FR_COW_REUSE, "cow-reuse")	/* do_wp_page: ours alone, reused */ \
	X(FR_WRITE_NOTIFY, "write-notify") /* shared page made writable */  \
	X(FR_SWAP_IN, "swap-in")	/* do_swap_page */                  \
	X(FR_SPURIOUS, "spurious")	/* PTE allowed it: stale TLB entry */ \
	X(FR_SIGSEGV, "sigsegv")                                            \
	X(FR_SIGBUS, "sigbus")                                              \
	X(FR_OOM, "oom")

enum fault_result {
#define FR_ENUM_(id, name) id,
	FAULT_RESULTS(FR_ENUM_)
#undef FR_ENUM_
	NR_FAULT_RESULTS
};

/* "cow-copy" for FR_COW_COPY; "?" when out of range. */
const char *fault_result_name(unsigned r);

struct vm_fault {
	struct vma *vma;
	gva_t address;		/* page aligned */
	gva_t real_address;
	unsigned flags;		/* FAULT_FLAG_* */
	unsigned long pgoff;	/* linear_page_index */
	pte_slot_t pte;		/* the slot, once found */
	pte_t orig_pte;
	bool accerr;		/* set when the vma forbade the access */
	enum fault_result result; /* set by the handler that resolved it */
	unsigned long grew;	/* pages the stack grew by first */
};

/*
 * Resolve a fault at @addr in @mm.  Returns 0 or VM_FAULT_* bits; with
 * VM_FAULT_SIGSEGV, *@accerr says SEGV_ACCERR (true) or SEGV_MAPERR.
 */
unsigned handle_mm_fault(struct kernel *k, struct mm *mm, gva_t addr,
			 unsigned flags, bool *accerr);

/*
 * A debugger's access to @mm (kernel_peek/kernel_poke, see kernel.h):
 * copy @len bytes at @va to or from @buf.  Returns 0 or -EFAULT.
 */
int access_remote_vm(struct kernel *k, struct mm *mm, gva_t va, void *buf,
		     size_t len, bool write) __must_check;

/* Populate [start, end) of @mm as if touched (MAP_POPULATE, mlock). */
int populate_range(struct kernel *k, struct mm *mm, gva_t start, gva_t end,
		   bool write);

#endif
