/*
 * Address-space lifecycle and the mapping system calls: brk, mmap2, munmap,
 * with Linux's argument checks and errno values, and overcommit
 * accounting.  mprotect, mremap, madvise, mincore, mlock and msync live in
 * files of their own, as in Linux's mm/.
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
	mm->task_size = TASK_SIZE;
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
	mm->nr_thp = mm->hugetlb_pages = 0;
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
		dst->vm_policy = src->vm_policy;
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
bool may_expand_vm(struct kernel *k, struct mm *mm, unsigned long flags,
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
				  MAP_HUGETLB | MAP_FIXED_NOREPLACE |
				  (int)(MAP_HUGE_MASK << MAP_HUGE_SHIFT);
		if (flags & ~known)
			return -EOPNOTSUPP;
		type = MAP_SHARED;
	}
	bool huge = flags & MAP_HUGETLB;
	if (huge) {
		/* anonymous only (no hugetlbfs); MAP_HUGE_2MB/4MB or none */
		unsigned hs = ((unsigned)flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;
		uint64_t hlen = ALIGN_UP((uint64_t)len, (uint64_t)hpage_size(k));

		if (file || (hs && hs != hpage_shift(k)))
			return -EINVAL;
		if (hlen > TASK_SIZE)
			return -ENOMEM;
		len = (uint32_t)hlen;
		npages = len >> PAGE_SHIFT;
		if ((flags & MAP_FIXED) && (addr & (hpage_size(k) - 1)))
			return -EINVAL;
	}
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
	if (huge)
		vm_flags |= VM_HUGETLB | VM_DONTEXPAND;

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
		if (huge) {
			/* room for a huge-page aligned start */
			uint32_t h = hpage_size(k);
			addr = get_unmapped_area(mm, 0, len + h - PAGE_SIZE);
			addr = addr ? ALIGN_UP(addr, h) : 0;
		} else {
			addr = get_unmapped_area(mm, addr, len);
		}
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
	if (huge) {
		/* The pool reservation below is its accounting; a private
		 * MAP_NORESERVE mapping has none (SIGBUS when the pool is
		 * empty at the fault, as in Linux). */
		if ((flags & MAP_NORESERVE) && !(vm_flags & VM_SHARED))
			vm_flags |= VM_NORESERVE;
	} else if (!(vm_flags & VM_SHARED) && (vm_flags & VM_WRITE) && account)
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

	if (huge && !(vm_flags & VM_NORESERVE)) {
		long r = hugetlb_reserve(k, len);
		if (r < 0)
			return r;
	}
	struct inode *shm = NULL;
	if (!file && (vm_flags & VM_SHARED) && !huge) {
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
		if (huge && !(vm_flags & VM_NORESERVE))
			hugetlb_unreserve(k, len >> hpage_shift(k));
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
	if (huge && hugetlb_setup_vma(k, vma) < 0) {
		if (do_munmap(k, mm, addr, len))
			return -ENOMEM;	/* cannot fail: no split needed */
		return -ENOMEM;
	}
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
