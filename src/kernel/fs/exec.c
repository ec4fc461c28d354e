/*
 * exec: a new address space from an ELF image, and the initial stack.
 *
 * PT_LOAD segments become private file mappings of the executable, demand
 * paged through the page cache (text shared with every process running the
 * same file, data copied on write); the bss tail of the last file page is
 * zeroed as Linux's padzero does and the rest of the bss is anonymous
 * memory.  The stack is a VM_GROWSDOWN vma under STACK_TOP.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel/perf_event.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/string.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/pagemap.h"
#include "loader/elf.h"

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* RV32IMAC: bit (letter - 'A') per single-letter extension. */
#define ELF_HWCAP ((1u << ('I' - 'A')) | (1u << ('M' - 'A')) | \
		   (1u << ('A' - 'A')) | (1u << ('C' - 'A')))

#define STACK_INITIAL (128u << 10) /* Linux's stack_expand */
#define MAX_ARG_STRLEN (PAGE_SIZE * 32)
#define ARG_MAX (PAGE_SIZE * 32)	/* the floor of the argument space */
#define _STK_LIM (8u << 20)

/*
 * Linux's bprm_stack_limits: the argv and envp strings with their
 * pointers may fill a quarter of RLIMIT_STACK, never more than 3/4 of
 * _STK_LIM and never less than ARG_MAX, whatever their number.
 * Examples: RLIMIT_STACK 8 MiB -> 2 MiB; 64 MiB -> 6 MiB; 256 KiB ->
 * 128 KiB (the floor).
 */
size_t exec_arg_limit(const struct task *t)
{
	uint64_t limit = _STK_LIM / 4 * 3;
	uint64_t quarter = t->rlim[RLIMIT_STACK].rlim_cur / 4;

	if (quarter < limit)
		limit = quarter;
	if (limit < ARG_MAX)
		limit = ARG_MAX;
	return (size_t)limit;
}

static unsigned long seg_vm_flags(uint32_t f)
{
	unsigned long fl = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (f & ELF_SEG_R)
		fl |= VM_READ;
	if (f & ELF_SEG_W)
		fl |= VM_WRITE;
	if (f & ELF_SEG_X)
		fl |= VM_EXEC;
	return fl;
}

static int map_vma(struct kernel *k, struct mm *mm, gva_t start, gva_t end,
		   unsigned long flags, struct inode *file, unsigned long pgoff)
{
	struct vma *vma;
	long npages = (end - start) >> PAGE_SHIFT;

	if (end <= start)
		return 0;
	/* Segments sharing a page: the later one replaces the page, as
	 * Linux's elf_map does with MAP_FIXED. */
	if (find_vma_intersection(mm, start, end) &&
	    do_munmap(k, mm, start, end - start) < 0)
		return -ENOMEM;
	if (end > TASK_SIZE)
		return -EINVAL;
	if (!file && (flags & VM_WRITE)) {
		if (vm_acct_memory(k, npages) < 0)
			return -ENOMEM;
		flags |= VM_ACCOUNT;
	} else if (file && (flags & VM_WRITE)) {
		if (vm_acct_memory(k, npages) < 0)
			return -ENOMEM;
		flags |= VM_ACCOUNT;
	}
	vma = vma_alloc(k, mm);
	if (!vma) {
		if (flags & VM_ACCOUNT)
			vm_unacct_memory(k, npages);
		return -ENOMEM;
	}
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_pgoff = file ? pgoff : start >> PAGE_SHIFT;
	vma->vm_file = file ? inode_ref(file) : NULL;
	vma_link(mm, vma);
	vm_stat_account(mm, flags, npages);
	return 0;
}

/* Lay out the segments of @img in @mm. */
static int map_segments(struct kernel *k, struct mm *mm, struct elf_image *img,
			struct inode *file)
{
	gva_t elf_bss = 0, elf_brk = 0;

	mm->start_code = img->start_code;
	mm->end_code = img->end_code;
	mm->start_data = img->start_data;
	mm->end_data = img->end_data;
	for (unsigned i = 0; i < img->nr_segs; i++) {
		const struct elf_segment *s = &img->seg[i];
		gva_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		gva_t fend = ALIGN_UP(s->vaddr + s->filesz, PAGE_SIZE);
		gva_t mend = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
		unsigned long flags = seg_vm_flags(s->flags);
		unsigned long pgoff = (s->offset - (s->vaddr - start)) >>
				      PAGE_SHIFT;
		int err;

		if (s->filesz) {
			err = map_vma(k, mm, start, fend, flags, file, pgoff);
			if (err)
				return err;
		} else {
			fend = start;
		}
		err = map_vma(k, mm, fend, mend, flags, NULL, 0);
		if (err)
			return err;
		if (s->memsz > s->filesz && s->vaddr + s->filesz > elf_bss)
			elf_bss = s->vaddr + s->filesz;
		if (s->vaddr + s->memsz > elf_brk)
			elf_brk = s->vaddr + s->memsz;
	}
	/* padzero: the file page holding the start of the bss carries
	 * whatever follows the data in the file; clear it. */
	if (elf_bss & (PAGE_SIZE - 1)) {
		static const uint8_t zeros[PAGE_SIZE];
		uint32_t n = PAGE_SIZE - (elf_bss & (PAGE_SIZE - 1));
		if (copy_to_user(k, elf_bss, zeros, n) < 0)
			return -EFAULT;
	}
	mm->start_brk = mm->brk = ALIGN_UP(elf_brk, PAGE_SIZE);
	return 0;
}

/* Push @len bytes below *sp; returns the new address. */
static int push(struct kernel *k, gva_t *sp, const void *data, uint32_t len)
{
	*sp -= len;
	return copy_to_user(k, *sp, data, len);
}

static int build_stack(struct kernel *k, struct mm *mm, struct elf_image *img,
		       const char *execfn, char *const argv[],
		       char *const envp[], gva_t *sp_out)
{
	int argc = 0, envc = 0;
	gva_t sp = STACK_TOP;
	uint32_t zero = 0;

	while (argv && argv[argc])
		argc++;
	while (envp && envp[envc])
		envc++;
	gva_t *uargv = calloc((size_t)argc + 1, sizeof(gva_t));
	gva_t *uenvp = calloc((size_t)envc + 1, sizeof(gva_t));
	int err = -ENOMEM;
	if (!uargv || !uenvp)
		goto out;
	err = -EFAULT;
	if (push(k, &sp, &zero, 4) < 0)
		goto out;
	if (push(k, &sp, execfn, (uint32_t)strlen(execfn) + 1) < 0)
		goto out;
	gva_t execfn_at = sp;
	mm->env_end = sp;
	for (int i = envc - 1; i >= 0; i--) {
		if (push(k, &sp, envp[i], (uint32_t)strlen(envp[i]) + 1) < 0)
			goto out;
		uenvp[i] = sp;
	}
	mm->env_start = mm->arg_end = sp;
	for (int i = argc - 1; i >= 0; i--) {
		if (push(k, &sp, argv[i], (uint32_t)strlen(argv[i]) + 1) < 0)
			goto out;
		uargv[i] = sp;
	}
	mm->arg_start = sp;
	uint8_t rnd[16];
	kernel_random(k, rnd, sizeof(rnd));
	sp = ALIGN_DOWN(sp, 16);
	if (push(k, &sp, rnd, 16) < 0)
		goto out;
	gva_t random_at = sp;

	uint32_t auxv[] = {
		AT_HWCAP, ELF_HWCAP,
		AT_PAGESZ, PAGE_SIZE,
		AT_CLKTCK, 100,
		AT_PHDR, img->phdr_vaddr,
		AT_PHENT, img->phent,
		AT_PHNUM, img->phnum,
		AT_BASE, 0,
		AT_FLAGS, 0,
		AT_ENTRY, img->entry,
		AT_UID, (uint32_t)getuid(),
		AT_EUID, (uint32_t)geteuid(),
		AT_GID, (uint32_t)getgid(),
		AT_EGID, (uint32_t)getegid(),
		AT_SECURE, 0,
		AT_RANDOM, random_at,
		AT_EXECFN, execfn_at,
		AT_NULL, 0,
	};
	uint32_t words = 1 + (uint32_t)argc + 1 + (uint32_t)envc + 1 +
			 (uint32_t)ARRAY_SIZE(auxv);
	sp = ALIGN_DOWN(sp - words * 4, 16);
	gva_t p = sp;
	uint32_t v = (uint32_t)argc;
	if (copy_to_user(k, p, &v, 4) < 0)
		goto out;
	p += 4;
	if (copy_to_user(k, p, uargv, ((uint32_t)argc + 1) * 4) < 0)
		goto out;
	p += ((uint32_t)argc + 1) * 4;
	if (copy_to_user(k, p, uenvp, ((uint32_t)envc + 1) * 4) < 0)
		goto out;
	p += ((uint32_t)envc + 1) * 4;
	if (copy_to_user(k, p, auxv, sizeof(auxv)) < 0)
		goto out;
	mm->start_stack = sp;
	*sp_out = sp;
	err = 0;
out:
	free(uargv);
	free(uenvp);
	return err;
}

int exec_image(struct kernel *k, struct task *t, struct elf_image *img,
	       int fd, const char *path, const char *shown,
	       char *const argv[], char *const envp[])
{
	struct mm *mm, *old = t->mm;
	struct inode *file;
	size_t total = 0;
	gva_t sp;
	int err;

	for (int i = 0; argv && argv[i]; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (n > MAX_ARG_STRLEN)
			return -E2BIG;
		total += n + 4;
	}
	for (int i = 0; envp && envp[i]; i++) {
		size_t n = strlen(envp[i]) + 1;
		if (n > MAX_ARG_STRLEN)
			return -E2BIG;
		total += n + 4;
	}
	if (total > exec_arg_limit(t))
		return -E2BIG;

	file = inode_get_host(k, fd, shown);
	if (!file)
		return -ENOMEM;
	mm = mm_alloc(k);
	if (!mm) {
		inode_put(k, file);
		return -ENOMEM;
	}
	mm->exe_file = file; /* its path is /proc/PID/exe's target */
	/* Linux's mmap_base(): the stack limit, clamped to [128 MiB,
	 * 5/6 of the address space], below the stack. */
	uint64_t gap = t->rlim[RLIMIT_STACK].rlim_cur;
	const uint64_t max_gap = (uint64_t)TASK_SIZE / 6 * 5;
	if (gap < MIN_GAP)
		gap = MIN_GAP;
	if (gap > max_gap)
		gap = max_gap;
	mm->mmap_base = STACK_TOP - (gva_t)ALIGN_UP(gap, (uint64_t)PAGE_SIZE);

	/* Build the new image with the new mm loaded, so the padzero and the
	 * stack writes fault through it as user accesses would. */
	t->mm = mm;
	switch_mm(k, mm);
	err = map_segments(k, mm, img, file);
	if (!err)
		err = map_vma(k, mm, STACK_TOP - STACK_INITIAL, STACK_TOP,
			      VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
				      VM_MAYEXEC | VM_GROWSDOWN,
			      NULL, 0);
	if (!err)
		err = build_stack(k, mm, img, path, argv, envp, &sp);
	if (err) {
		t->mm = old;
		switch_mm(k, old);
		mmput(k, mm);
		return err;
	}
	if (old)
		mmput(k, old);
	memset(t->regs, 0, sizeof(t->regs));
	t->regs[2] = sp;
	t->pc = img->entry;
	const char *base = strrchr(path, '/');
	strscpy(t->comm, base ? base + 1 : path, sizeof(t->comm));
	t->sas_sp = t->sas_size = 0;
	/* Handlers do not survive exec; ignored signals do. */
	for (int i = 0; i < NR_SIGNALS; i++)
		if (t->sigaction[i].handler > 1)
			memset(&t->sigaction[i], 0, sizeof(t->sigaction[i]));
	if (t->files && t->files->refcount > 1) {
		/* Linux's unshare_files: a table shared through CLONE_FILES
		 * stays intact for the others. */
		struct files *own = files_dup(k, t->files);
		if (own) {
			files_put(k, t->files);
			t->files = own;
		}
	}
	if (t->files)
		files_close_on_exec(k, t->files);
	perf_event_exec(k, t);
	return 0;
}
