/*
 * Address-space lifecycle and the memory system calls: brk, mmap2, munmap,
 * mprotect, mremap, madvise, mincore, mlock family, msync -- with Linux's
 * argument checks and errno values.
 */
#include <errno.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"

/* Linux mmap constants (asm-generic). */
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x0100
#define MAP_DENYWRITE 0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4
#define MLOCK_ONFAULT 1
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

#define O_ACCMODE 3
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_APPEND 02000

void mm_add_rss(struct mm *mm, enum mm_counter c, long v)
{
	mm->rss[c] += v;
}

unsigned long get_mm_rss(const struct mm *mm)
{
	return mm->rss[MM_FILEPAGES] + mm->rss[MM_ANONPAGES] +
	       mm->rss[MM_SHMEMPAGES];
}

/* Linux's vm_stat_account: total_vm and its exec/stack/data split. */
void vm_stat_account(struct mm *mm, unsigned long flags, long npages)
{
	mm->total_vm += npages;
	if ((flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
		mm->exec_vm += npages;
	else if (flags & VM_GROWSDOWN)
		mm->stack_vm += npages;
	else if ((flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
		mm->data_vm += npages;
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
}

int vm_acct_memory(struct kernel *k, long npages)
{
	struct memory *mem = &k->mem;

	switch (mem->overcommit_memory) {
	case 1: /* always */
		break;
	case 2: { /* never: Committed_AS stays below CommitLimit */
		long limit = (long)vm_commit_limit(mem);
		if ((long)mem->committed_pages + npages > limit)
			return -ENOMEM;
		break;
	}
	default: /* heuristic: refuse only what could never fit */
		if ((unsigned long)npages >
		    mem->totalram_pages + mem->swap_total_pages)
			return -ENOMEM;
		break;
	}
	mem->committed_pages += npages;
	return 0;
}

void vm_unacct_memory(struct kernel *k, long npages)
{
	k->mem.committed_pages -= npages;
}

struct mm *mm_alloc(struct kernel *k)
{
	struct mm *mm = kmem_cache_zalloc(k->mm_cachep, GFP_KERNEL);

	if (!mm)
		return NULL;
	INIT_LIST_HEAD(&mm->vmas);
	mm->users = 1;
	mm->mmap_base = STACK_TOP - MIN_GAP;
	if (pgd_alloc(k, mm) < 0) {
		kmem_cache_free(k->mm_cachep, mm);
		return NULL;
	}
	/* The ASID is assigned when the mm is first switched to. */
	mm->asid = 0;
	mm->asid_gen = 0;
	return mm;
}

/* Unmap every vma and free the page tables: exit and exec. */
static void exit_mmap(struct kernel *k, struct mm *mm)
{
	struct vma *vma, *tmp;

	list_for_each_entry_safe(vma, tmp, &mm->vmas, list) {
		zap_page_range(k, vma, vma->vm_start, vma->vm_end);
		if (vma->vm_flags & VM_ACCOUNT)
			vm_unacct_memory(k, (vma->vm_end - vma->vm_start) >>
						    PAGE_SHIFT);
		vma_unlink(mm, vma);
		unlink_anon_vmas(k, vma);
		vma_free(k, vma);
	}
	mm->total_vm = mm->locked_vm = mm->data_vm = 0;
	mm->exec_vm = mm->stack_vm = 0;
	free_pgtables(k, mm);
	if (k->mmu.use_asid && mm->asid_gen == k->asid_gen)
		mmu_flush_asid(&k->mmu, mm->asid);
}

void mmput(struct kernel *k, struct mm *mm)
{
	if (--mm->users > 0)
		return;
	exit_mmap(k, mm);
	if (mm->exe_file)
		inode_put(k, mm->exe_file);
	kmem_cache_free(k->mm_cachep, mm);
}

struct mm *dup_mm(struct kernel *k, struct mm *old)
{
	struct mm *mm = mm_alloc(k);
	struct vma *src;

	if (!mm)
		return NULL;
	gpa_t pgd = mm->pgd;
	uint16_t asid = mm->asid;
	uint32_t asid_gen = mm->asid_gen;
	struct list_head keep = mm->vmas;
	(void)keep;
	memcpy(mm, old, sizeof(*mm));
	mm->pgd = pgd;
	mm->asid = asid;
	mm->asid_gen = asid_gen;
	mm->users = 1;
	INIT_LIST_HEAD(&mm->vmas);
	mm->vma_root = NULL;
	mm->map_count = 0;
	mm->total_vm = mm->locked_vm = mm->data_vm = 0;
	mm->exec_vm = mm->stack_vm = 0;
	memset(mm->rss, 0, sizeof(mm->rss));
	mm->pgtables_bytes = PAGE_SIZE;
	mm->def_flags = 0;
	if (mm->exe_file)
		inode_ref(mm->exe_file);

	list_for_each_entry(src, &old->vmas, list) {
		long npages = (src->vm_end - src->vm_start) >> PAGE_SHIFT;

		if (src->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, src->vm_flags, 0);
			continue;
		}
		if ((src->vm_flags & VM_ACCOUNT) &&
		    vm_acct_memory(k, npages) < 0)
			goto fail;
		struct vma *dst = vma_alloc(k, mm);
		if (!dst) {
			if (src->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(k, npages);
			goto fail;
		}
		dst->vm_start = src->vm_start;
		dst->vm_end = src->vm_end;
		dst->vm_flags = src->vm_flags & ~VM_LOCKED_MASK;
		dst->vm_pgoff = src->vm_pgoff;
		dst->vm_file = src->vm_file ? inode_ref(src->vm_file) : NULL;
		vma_link(mm, dst);
		vm_stat_account(mm, dst->vm_flags, npages);
		if (src->vm_flags & VM_WIPEONFORK) {
			/* The child sees fresh zero pages there. */
			continue;
		}
		if (anon_vma_fork(k, dst, src) < 0)
			goto fail;
		if (copy_page_range(k, mm, old, dst, src) < 0)
			goto fail;
	}
	return mm;
fail:
	mmput(k, mm);
	return NULL;
}

/* ---- brk ------------------------------------------------------------------ */

/* Does [addr, addr+len) fit the task's RLIMIT_AS? */
static bool may_expand_vm(struct kernel *k, struct mm *mm, unsigned long flags,
			  unsigned long npages)
{
	struct task *t = k->current;

	if (!t)
		return true;
	if (t->rlim[RLIMIT_AS].rlim_cur != RLIM_INFINITY &&
	    ((uint64_t)mm->total_vm + npages) << PAGE_SHIFT >
		    t->rlim[RLIMIT_AS].rlim_cur)
		return false;
	if ((flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE &&
	    t->rlim[RLIMIT_DATA].rlim_cur != RLIM_INFINITY &&
	    ((uint64_t)mm->data_vm + npages) << PAGE_SHIFT >
		    t->rlim[RLIMIT_DATA].rlim_cur)
		return false;
	return true;
}

/*
 * Map [addr, addr+len) anonymous with @flags, merging with the vma below
 * when possible.  The range must be free.  Returns 0 or -ENOMEM.
 */
static int do_brk_flags(struct kernel *k, struct mm *mm, gva_t addr,
			uint32_t len, unsigned long flags)
{
	long npages = len >> PAGE_SHIFT;
	struct vma *vma;

	if (!may_expand_vm(k, mm, flags, npages))
		return -ENOMEM;
	if (mm->map_count >= k->mem.max_map_count)
		return -ENOMEM;
	if (vm_acct_memory(k, npages) < 0)
		return -ENOMEM;
	vma = vma_alloc(k, mm);
	if (!vma) {
		vm_unacct_memory(k, npages);
		return -ENOMEM;
	}
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = flags | VM_ACCOUNT;
	vma->vm_pgoff = addr >> PAGE_SHIFT;
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, npages);
	vma = vma_merge_neighbours(k, vma);
	if (vma->vm_flags & VM_LOCKED) {
		mm->locked_vm += npages;
		if (populate_range(k, mm, addr, addr + len, true) < 0)
			return -ENOMEM;
	}
	return 0;
}

long sys_brk(struct kernel *k, gva_t brk)
{
	struct mm *mm = k->current->mm;
	gva_t newbrk, oldbrk;

	if (brk < mm->start_brk)
		return mm->brk;
	newbrk = ALIGN_UP(brk, PAGE_SIZE);
	oldbrk = ALIGN_UP(mm->brk, PAGE_SIZE);
	if (newbrk == oldbrk) {
		mm->brk = brk;
		return brk;
	}
	/* RLIMIT_DATA covers the heap: the data segment plus brk. */
	struct task *t = k->current;
	if (t->rlim[RLIMIT_DATA].rlim_cur != RLIM_INFINITY &&
	    (uint64_t)brk - mm->start_brk + (mm->end_data - mm->start_data) >
		    t->rlim[RLIMIT_DATA].rlim_cur)
		return mm->brk;
	if (brk <= mm->brk) {
		/* Shrinking: unmap what was given back. */
		if (do_munmap(k, mm, newbrk, oldbrk - newbrk) < 0)
			return mm->brk;
		mm->brk = brk;
		return brk;
	}
	/* Growing: the new part must not run into another mapping or the
	 * stack guard gap. */
	struct vma *next = find_vma(mm, oldbrk);
	if (next && newbrk + ((next->vm_flags & VM_GROWSDOWN)
				      ? STACK_GUARD_GAP : 0) > next->vm_start)
		return mm->brk;
	if (newbrk > TASK_SIZE || newbrk < oldbrk)
		return mm->brk;
	if (do_brk_flags(k, mm, oldbrk, newbrk - oldbrk,
			 VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
				 VM_MAYEXEC | mm->def_flags) < 0)
		return mm->brk;
	mm->brk = brk;
	return brk;
}

/* ---- mmap ----------------------------------------------------------------- */

static unsigned long calc_vm_prot_bits(int prot)
{
	return (prot & PROT_READ ? VM_READ : 0) |
	       (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/*
 * The core of mmap: validate, pick the address, unmap what MAP_FIXED
 * replaces, create (or merge) the vma.  Returns the address or -errno.
 */
static long do_mmap(struct kernel *k, gva_t addr, uint32_t len, int prot,
		    int flags, struct file *file, uint32_t pgoff)
{
	struct mm *mm = k->current->mm;
	unsigned long vm_flags;
	uint32_t type = flags & MAP_TYPE;
	long npages;

	if (!len)
		return -EINVAL;
	if ((uint64_t)len + PAGE_SIZE - 1 > 0xffffffffull)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len > TASK_SIZE)
		return -ENOMEM;
	npages = len >> PAGE_SHIFT;
	/* The file offset range must not wrap (32-bit pgoff on rv32). */
	if ((uint32_t)(pgoff + (uint32_t)npages) < pgoff)
		return -EOVERFLOW;
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE) {
		const int known = MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS |
				  MAP_GROWSDOWN | MAP_DENYWRITE |
				  MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE |
				  MAP_POPULATE | MAP_NONBLOCK | MAP_STACK |
				  MAP_HUGETLB | MAP_FIXED_NOREPLACE;
		if (flags & ~known)
			return -EOPNOTSUPP;
		type = MAP_SHARED;
	}
	if (flags & MAP_HUGETLB)
		return -EINVAL; /* no hugetlbfs pool configured */
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_FIXED) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if ((uint64_t)addr + len > TASK_SIZE || addr < MMAP_MIN_ADDR)
			return addr < MMAP_MIN_ADDR ? -EPERM : -ENOMEM;
	}

	vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE |
		   VM_MAYEXEC | mm->def_flags;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;

	if (file) {
		if (file->kind != FILE_HOST || !file->inode || file->is_dir)
			return -ENODEV;
		unsigned acc = file->flags & O_ACCMODE;
		if (acc == O_WRONLY)
			return -EACCES;
		if (type == MAP_SHARED) {
			if ((prot & PROT_WRITE) && acc != O_RDWR)
				return -EACCES;
			if ((prot & PROT_WRITE) && (file->flags & O_APPEND))
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (acc != O_RDWR)
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		}
	} else {
		if (type == MAP_SHARED) {
			/* Backed by a shmem inode, created below once every
			 * check has passed; its page offsets start at 0. */
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			pgoff = 0;
		} else {
			pgoff = addr >> PAGE_SHIFT;
		}
	}

	/* Choose the address. */
	if (flags & MAP_FIXED) {
		if ((flags & MAP_FIXED_NOREPLACE) &&
		    find_vma_intersection(mm, addr, addr + len))
			return -EEXIST;
	} else {
		addr = get_unmapped_area(mm, addr, len);
		if (!addr)
			return -ENOMEM;
		if (!file && !(vm_flags & VM_SHARED))
			pgoff = addr >> PAGE_SHIFT;
	}

	if (!may_expand_vm(k, mm, vm_flags, npages))
		return -ENOMEM;
	if ((vm_flags & VM_LOCKED) && k->current && !capable(k, CAP_IPC_LOCK)) {
		uint64_t lim = k->current->rlim[RLIMIT_MEMLOCK].rlim_cur;
		if (lim != RLIM_INFINITY &&
		    ((uint64_t)mm->locked_vm + npages) << PAGE_SHIFT > lim)
			return -EAGAIN;
	}
	/* Private writable memory is charged against the commit limit. */
	bool account = !(flags & MAP_NORESERVE) || k->mem.overcommit_memory == 2;
	if (!(vm_flags & VM_SHARED) && (vm_flags & VM_WRITE) && account)
		vm_flags |= VM_ACCOUNT;
	else if (!(vm_flags & VM_SHARED) && (vm_flags & VM_WRITE))
		vm_flags |= VM_NORESERVE;

	if ((flags & MAP_FIXED) && find_vma_intersection(mm, addr, addr + len)) {
		int err = do_munmap(k, mm, addr, len);
		if (err)
			return err;
	}
	if (mm->map_count >= k->mem.max_map_count)
		return -ENOMEM;
	if ((vm_flags & VM_ACCOUNT) && vm_acct_memory(k, npages) < 0)
		return -ENOMEM;

	struct inode *shm = NULL;
	if (!file && (vm_flags & VM_SHARED)) {
		shm = shmem_inode_create(k, len);
		if (!shm)
			return -ENOMEM;
	}
	struct vma *vma = vma_alloc(k, mm);
	if (!vma) {
		if (shm)
			inode_put(k, shm);
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory(k, npages);
		return -ENOMEM;
	}
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;
	/* The vma takes the shmem inode's creation reference. */
	vma->vm_file = file ? inode_ref(file->inode) : shm;
	vma_link(mm, vma);
	vm_stat_account(mm, vm_flags, npages);
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += npages;
	vma_merge_neighbours(k, vma);

	if ((vm_flags & VM_LOCKED) ||
	    ((flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)) {
		/* Errors are not reported: the mapping exists regardless. */
		(void)populate_range(k, mm, addr, addr + len,
				     !(vm_flags & VM_SHARED) ||
					     (vm_flags & VM_WRITE));
	}
	return addr;
}

long sys_mmap(struct kernel *k, gva_t addr, uint32_t len, int prot, int flags,
	      int fd, uint32_t pgoff)
{
	struct file *file = NULL;
	long ret;

	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget(k, fd);
		if (!file)
			return -EBADF;
	}
	ret = do_mmap(k, addr, len, prot, flags, file, pgoff);
	if (file)
		fput(k, file);
	return ret;
}

long sys_munmap(struct kernel *k, gva_t addr, uint32_t len)
{
	if ((addr & (PAGE_SIZE - 1)) || !len)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || (uint64_t)addr + len > TASK_SIZE)
		return -EINVAL;
	return do_munmap(k, k->current->mm, addr, len);
}

/* ---- mprotect --------------------------------------------------------------- */

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
							VM_SHARED |
							VM_NORESERVE))) {
		if (vm_acct_memory(k, npages) < 0)
			return -ENOMEM;
		newflags |= VM_ACCOUNT;
	}
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

/* ---- mremap ----------------------------------------------------------------- */

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
	if (!old_len)
		return -EINVAL; /* duplicating shared mappings: not supported */

	vma = vma_lookup(mm, addr);
	if (!vma)
		return -EFAULT;
	if ((uint64_t)addr + old_len > vma->vm_end)
		return -EFAULT;

	if (flags & MREMAP_FIXED) {
		if (new_addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if ((uint64_t)new_addr + new_len > TASK_SIZE)
			return -EINVAL;
		if (new_addr < addr + old_len && addr < new_addr + new_len)
			return -EINVAL;
	}

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
	/* Isolate the moved part of the old vma. */
	if (addr > vma->vm_start) {
		if (split_vma(k, vma, addr, true) < 0)
			return -ENOMEM;
	}
	if (addr + old_len < vma->vm_end) {
		if (split_vma(k, vma, addr + old_len, false) < 0)
			return -ENOMEM;
	}
	struct vma *nv = vma_alloc(k, mm);
	if (!nv)
		return -ENOMEM;
	long acct = (flags & MREMAP_DONTUNMAP) ? new_len >> PAGE_SHIFT
					       : npages_new;
	if ((vma->vm_flags & VM_ACCOUNT) && acct > 0 &&
	    vm_acct_memory(k, acct) < 0) {
		vma_free(k, nv);
		return -ENOMEM;
	}
	nv->vm_start = dst;
	nv->vm_end = dst + new_len;
	nv->vm_flags = vma->vm_flags;
	nv->vm_pgoff = vma->vm_pgoff;
	nv->vm_file = vma->vm_file ? inode_ref(vma->vm_file) : NULL;
	if (anon_vma_clone(k, nv, vma) < 0) {
		vma_free(k, nv);
		return -ENOMEM;
	}
	nv->anon_vma = vma->anon_vma;
	vma_link(mm, nv);
	vm_stat_account(mm, nv->vm_flags, new_len >> PAGE_SHIFT);
	if (nv->vm_flags & VM_LOCKED)
		mm->locked_vm += new_len >> PAGE_SHIFT;
	if (move_page_tables(k, vma, addr, nv, dst, old_len) < 0)
		return -ENOMEM;
	if (flags & MREMAP_DONTUNMAP) {
		/* The old range stays mapped, now empty. */
		vma->vm_flags &= ~VM_LOCKED_MASK;
	} else {
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
}

/* ---- madvise, mincore ----------------------------------------------------- */

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23

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
		pte_t pte = slot ? ptep_get(k, slot) : 0;
		if (pte_present(pte) || pte_protnone(pte)) {
			v = 1;
		} else if (pte_none(pte) && vma->vm_file) {
			/* Linux reports page-cache residency for files. */
			unsigned long idx = linear_page_index(vma, a);
			v = filemap_find_page(k, vma->vm_file, idx) != NULL;
		}
		if (copy_to_user(k, vec + i, &v, 1) < 0)
			return -EFAULT;
	}
	return 0;
}

/* ---- mlock ---------------------------------------------------------------- */

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
