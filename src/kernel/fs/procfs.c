/*
 * procfs: the text of /proc files, generated when opened (a snapshot, as
 * seq_file gives for small files).  Formats follow fs/proc/ and mm/vmstat.c
 * byte for byte where the reference file documents them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fs/proc.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/swap.h"
#include "kernel/kernel/sysctl.h"
#include "kernel/mm/vmstat.h"
#include "kernel/mm/wss.h"

/* ---- per-process files ----------------------------------------------------------- */

static const char *vma_name(struct task *t, struct vma *vma, char *buf,
			    size_t len)
{
	struct mm *mm = t->mm;

	if (vma->vm_file)
		return vma->vm_file->i_name;
	if (vma->vm_flags & VM_HUGETLB)
		return "/anon_hugepage (deleted)";	/* as Linux names it */
	/* Every piece of a split heap is [heap] (Linux 6.1's test). */
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk &&
	    mm->brk > mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return "[stack]";
	(void)buf;
	(void)len;
	return NULL;
}

static void show_map_header(struct seq *s, struct task *t, struct vma *vma)
{
	char buf[64];
	unsigned long ino = 0;
	unsigned dev_major = 0, dev_minor = 0;
	uint64_t off = 0;
	const char *name = vma_name(t, vma, buf, sizeof(buf));
	size_t start = s->len;

	if (vma->vm_file) {
		ino = (unsigned long)vma->vm_file->ino;
		dev_major = (unsigned)((vma->vm_file->dev >> 8) & 0xfff);
		dev_minor = (unsigned)((vma->vm_file->dev & 0xff) |
				       ((vma->vm_file->dev >> 12) & 0xfff00));
		off = (uint64_t)vma->vm_pgoff << PAGE_SHIFT;
	}
	seq_printf(s, "%08x-%08x %c%c%c%c %08llx %02x:%02x %lu ",
		   vma->vm_start, vma->vm_end,
		   vma->vm_flags & VM_READ ? 'r' : '-',
		   vma->vm_flags & VM_WRITE ? 'w' : '-',
		   vma->vm_flags & VM_EXEC ? 'x' : '-',
		   vma->vm_flags & VM_MAYSHARE ? 's' : 'p',
		   (unsigned long long)off, dev_major, dev_minor, ino);
	if (name) {
		/* Pad to column 49 (25 + 6 * sizeof(void *) - 1 on 32-bit). */
		size_t col = s->len - start;
		for (; col < 48; col++)
			seq_puts(s, " ");
		seq_printf(s, " %s", name);
	}
	seq_puts(s, "\n");
}

static void show_maps(struct seq *s, struct task *t)
{
	struct vma *vma;

	list_for_each_entry(vma, &t->mm->vmas, list)
		show_map_header(s, t, vma);
}

struct smaps_acc {
	uint64_t rss, pss, pss_dirty, pss_anon, pss_file, pss_shmem,
		shared_clean, shared_dirty, private_clean, private_dirty,
		referenced, anon, swap, locked, anon_huge, hugetlb_shared,
		hugetlb_private;
	uint64_t lazyfree;	/* MADV_FREE'd pages not written since */
};

#define PSS_SHIFT 12

struct smaps_walk {
	struct vma *vma;
	struct smaps_acc *acc;
};

static void smaps_pte(struct kernel *k, pte_slot_t slot, gva_t addr,
		      pte_t pte, void *arg)
{
	struct smaps_walk *w = arg;
	struct smaps_acc *a = w->acc;

	(void)slot;
	(void)addr;
	if (pte_is_swap(pte)) {
		a->swap += PAGE_SIZE;
		return;
	}
	if (pte & PTE_SPECIAL)
		return; /* the zero page is not counted */
	struct page *page = pfn_to_page(&k->mem, pte_pfn(pte));
	int mapcount = page_mapcount(page);
	bool dirty = (pte & PTE_D) || PageDirty(page);
	uint64_t pss = (uint64_t)PAGE_SIZE << PSS_SHIFT;

	if (mapcount < 1)
		mapcount = 1;
	a->rss += PAGE_SIZE;
	if (pte & PTE_A)
		a->referenced += PAGE_SIZE;
	if (PageAnon(page))
		a->anon += PAGE_SIZE;
	if (PageAnon(page) && !PageSwapBacked(page) && !dirty)
		a->lazyfree += PAGE_SIZE;
	if (mapcount >= 2) {
		pss /= (uint64_t)mapcount;
		if (dirty)
			a->shared_dirty += PAGE_SIZE;
		else
			a->shared_clean += PAGE_SIZE;
	} else {
		if (dirty)
			a->private_dirty += PAGE_SIZE;
		else
			a->private_clean += PAGE_SIZE;
	}
	a->pss += pss;
	if (dirty)
		a->pss_dirty += pss;
	if (PageAnon(page))
		a->pss_anon += pss;
	else if (page->mapping &&
		 ((struct inode *)page->mapping)->kind == INODE_MEM)
		a->pss_shmem += pss;
	else
		a->pss_file += pss;
	if (w->vma->vm_flags & VM_LOCKED)
		a->locked += pss;
}

static void smaps_account_vma(struct kernel *k, struct vma *vma,
			      struct smaps_acc *a)
{
	struct smaps_walk w = {vma, a};

	for_each_pte(k, vma->vm_mm, vma->vm_start, vma->vm_end, smaps_pte, &w);
	/* huge leaves, which the PTE walk does not see */
	struct huge_usage u;
	huge_vma_usage(k, vma, &u);
	a->rss += u.rss;
	a->anon += u.anon_huge;
	a->anon_huge += u.anon_huge;
	a->referenced += u.referenced;
	a->private_dirty += u.dirty;
	a->private_clean += u.rss - u.dirty;
	a->pss += u.rss << PSS_SHIFT;
	a->pss_anon += u.rss << PSS_SHIFT;
	a->pss_dirty += u.dirty << PSS_SHIFT;
	if (vma->vm_flags & VM_LOCKED)
		a->locked += u.rss << PSS_SHIFT;
	a->hugetlb_shared += u.hugetlb_shared;
	a->hugetlb_private += u.hugetlb_private;
}

static void show_vmflags(struct seq *s, unsigned long f)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} mn[] = {
		{VM_READ, "rd"},       {VM_WRITE, "wr"},    {VM_EXEC, "ex"},
		{VM_SHARED, "sh"},     {VM_MAYREAD, "mr"},  {VM_MAYWRITE, "mw"},
		{VM_MAYEXEC, "me"},    {VM_MAYSHARE, "ms"}, {VM_GROWSDOWN, "gd"},
		{VM_LOCKED, "lo"},     {VM_SEQ_READ, "sr"}, {VM_RAND_READ, "rr"},
		{VM_DONTCOPY, "dc"},   {VM_DONTEXPAND, "de"},
		{VM_ACCOUNT, "ac"},    {VM_NORESERVE, "nr"},
		{VM_HUGETLB, "ht"},    {VM_WIPEONFORK, "wf"},
		{VM_DONTDUMP, "dd"},   {VM_HUGEPAGE, "hg"},
		{VM_NOHUGEPAGE, "nh"},
	};
	seq_puts(s, "VmFlags: ");
	for (size_t i = 0; i < ARRAY_SIZE(mn); i++)
		if (f & mn[i].flag)
			seq_printf(s, "%s ", mn[i].name);
	seq_puts(s, "\n");
}

#define KB(x) ((unsigned long)((x) >> 10))

/* The fields of __show_smap, Rss onwards; the rollup adds the Pss split. */
static void show_smap_fields(struct seq *s, const struct smaps_acc *a,
			     bool rollup)
{
	seq_printf(s, "%-16s%8lu kB\n", "Rss:", KB(a->rss));
	seq_printf(s, "%-16s%8lu kB\n", "Pss:", KB(a->pss >> PSS_SHIFT));
	seq_printf(s, "%-16s%8lu kB\n", "Pss_Dirty:",
		   KB(a->pss_dirty >> PSS_SHIFT));
	if (rollup) {
		seq_printf(s, "%-16s%8lu kB\n", "Pss_Anon:",
			   KB(a->pss_anon >> PSS_SHIFT));
		seq_printf(s, "%-16s%8lu kB\n", "Pss_File:",
			   KB(a->pss_file >> PSS_SHIFT));
		seq_printf(s, "%-16s%8lu kB\n", "Pss_Shmem:",
			   KB(a->pss_shmem >> PSS_SHIFT));
	}
	seq_printf(s, "%-16s%8lu kB\n", "Shared_Clean:", KB(a->shared_clean));
	seq_printf(s, "%-16s%8lu kB\n", "Shared_Dirty:", KB(a->shared_dirty));
	seq_printf(s, "%-16s%8lu kB\n", "Private_Clean:",
		   KB(a->private_clean));
	seq_printf(s, "%-16s%8lu kB\n", "Private_Dirty:",
		   KB(a->private_dirty));
	seq_printf(s, "%-16s%8lu kB\n", "Referenced:", KB(a->referenced));
	seq_printf(s, "%-16s%8lu kB\n", "Anonymous:", KB(a->anon));
	seq_printf(s, "%-16s%8lu kB\n", "KSM:", 0ul);
	seq_printf(s, "%-16s%8lu kB\n", "LazyFree:", KB(a->lazyfree));
	seq_printf(s, "%-16s%8lu kB\n", "AnonHugePages:", KB(a->anon_huge));
	seq_printf(s, "%-16s%8lu kB\n", "ShmemPmdMapped:", 0ul);
	seq_printf(s, "%-16s%8lu kB\n", "FilePmdMapped:", 0ul);
	seq_printf(s, "%-16s%8ld kB\n", "Shared_Hugetlb:",
		   (long)KB(a->hugetlb_shared));
	seq_printf(s, "%-16s%8ld kB\n", "Private_Hugetlb:",
		   (long)KB(a->hugetlb_private));
	seq_printf(s, "%-16s%8lu kB\n", "Swap:", KB(a->swap));
	seq_printf(s, "%-16s%8lu kB\n", "SwapPss:", KB(a->swap));
	seq_printf(s, "%-16s%8lu kB\n", "Locked:", KB(a->locked >> PSS_SHIFT));
}

static void acc_add(struct smaps_acc *t, const struct smaps_acc *a)
{
	const uint64_t *src = (const uint64_t *)a;
	uint64_t *dst = (uint64_t *)t;

	for (size_t i = 0; i < sizeof(*a) / sizeof(uint64_t); i++)
		dst[i] += src[i];
}

/* A maps-style header: the prefix, then the name padded to column 49. */
static void show_header_named(struct seq *s, gva_t start, gva_t end,
			      const char *name)
{
	size_t first = s->len;

	seq_printf(s, "%08x-%08x ---p 00000000 00:00 0 ", start, end);
	for (size_t col = s->len - first; col < 48; col++)
		seq_puts(s, " ");
	seq_printf(s, " %s\n", name);
}

static void show_smaps(struct kernel *k, struct seq *s, struct task *t,
		       bool rollup)
{
	struct vma *vma;
	struct smaps_acc total = {0};

	list_for_each_entry(vma, &t->mm->vmas, list) {
		struct smaps_acc a = {0};
		smaps_account_vma(k, vma, &a);
		if (rollup) {
			acc_add(&total, &a);
			continue;
		}
		show_map_header(s, t, vma);
		seq_printf(s, "%-16s%8lu kB\n", "Size:",
			   KB((uint64_t)(vma->vm_end - vma->vm_start)));
		unsigned long pgkb = vma->vm_flags & VM_HUGETLB
					     ? hpage_size(k) >> 10 : 4ul;
		seq_printf(s, "%-16s%8lu kB\n", "KernelPageSize:", pgkb);
		seq_printf(s, "%-16s%8lu kB\n", "MMUPageSize:", pgkb);
		show_smap_fields(s, &a, false);
		seq_printf(s, "THPeligible:    %d\n", thp_vma_eligible(k, vma));
		show_vmflags(s, vma->vm_flags);
	}
	if (rollup && !list_empty(&t->mm->vmas)) {
		struct vma *first = list_first_entry(&t->mm->vmas, struct vma,
						     list);
		struct vma *last = list_entry(t->mm->vmas.prev, struct vma,
					      list);
		show_header_named(s, first->vm_start, last->vm_end, "[rollup]");
		show_smap_fields(s, &total, true);
	}
}

static void show_statm(struct seq *s, struct task *t)
{
	struct mm *mm = t->mm;
	unsigned long text = (ALIGN_UP(mm->end_code, PAGE_SIZE) -
			      ALIGN_DOWN(mm->start_code, PAGE_SIZE)) >>
			     PAGE_SHIFT;
	unsigned long shared = mm->rss[MM_FILEPAGES] + mm->rss[MM_SHMEMPAGES];

	seq_printf(s, "%lu %lu %lu %lu 0 %lu 0\n", mm->total_vm,
		   get_mm_rss(mm), shared, text, mm->data_vm + mm->stack_vm);
}

static void show_status(struct kernel *k, struct seq *s, struct task *t)
{
	struct mm *mm = t->mm;
	static const char *const states[] = {"R (running)", "S (sleeping)",
					     "D (disk sleep)", "Z (zombie)"};
	const char *st = t->state == TASK_RUNNING ? states[0]
			 : t->state == TASK_ZOMBIE ? states[3]
						   : states[1];

	seq_printf(s, "Name:\t%s\n", t->comm);
	seq_printf(s, "Umask:\t0022\n");
	seq_printf(s, "State:\t%s\n", st);
	seq_printf(s, "Tgid:\t%d\n", t->pid);
	seq_printf(s, "Ngid:\t0\n");
	seq_printf(s, "Pid:\t%d\n", t->pid);
	seq_printf(s, "PPid:\t%d\n", t->parent ? t->parent->pid : 0);
	seq_printf(s, "TracerPid:\t0\n");
	seq_printf(s, "Uid:\t0\t0\t0\t0\n");
	seq_printf(s, "Gid:\t0\t0\t0\t0\n");
	seq_printf(s, "FDSize:\t%d\n", MAX_FDS);
	if (mm) {
		unsigned long text = (ALIGN_UP(mm->end_code, PAGE_SIZE) -
				      ALIGN_DOWN(mm->start_code, PAGE_SIZE)) >>
				     PAGE_SHIFT;
		unsigned long rss = get_mm_rss(mm);
		unsigned long hwm = mm->hiwater_rss > rss ? mm->hiwater_rss
							  : rss;
		seq_printf(s, "VmPeak:\t%8lu kB\n", mm->hiwater_vm << 2);
		seq_printf(s, "VmSize:\t%8lu kB\n", mm->total_vm << 2);
		seq_printf(s, "VmLck:\t%8lu kB\n", mm->locked_vm << 2);
		seq_printf(s, "VmPin:\t%8lu kB\n", 0ul);
		seq_printf(s, "VmHWM:\t%8lu kB\n", hwm << 2);
		seq_printf(s, "VmRSS:\t%8lu kB\n", rss << 2);
		seq_printf(s, "RssAnon:\t%8lu kB\n",
			   (unsigned long)mm->rss[MM_ANONPAGES] << 2);
		seq_printf(s, "RssFile:\t%8lu kB\n",
			   (unsigned long)mm->rss[MM_FILEPAGES] << 2);
		seq_printf(s, "RssShmem:\t%8lu kB\n",
			   (unsigned long)mm->rss[MM_SHMEMPAGES] << 2);
		seq_printf(s, "VmData:\t%8lu kB\n", mm->data_vm << 2);
		seq_printf(s, "VmStk:\t%8lu kB\n", mm->stack_vm << 2);
		seq_printf(s, "VmExe:\t%8lu kB\n", text << 2);
		seq_printf(s, "VmLib:\t%8lu kB\n", 0ul);
		seq_printf(s, "VmPTE:\t%8lu kB\n", mm->pgtables_bytes >> 10);
		seq_printf(s, "VmSwap:\t%8lu kB\n",
			   (unsigned long)mm->rss[MM_SWAPENTS] << 2);
		seq_printf(s, "HugetlbPages:\t%8lu kB\n",
			   mm->hugetlb_pages << 2);
		if (k->cfg.wss_interval) {
			/* Non-Linux: the working set of the last window
			 * (mm/wss.h) and its peak. */
			seq_printf(s, "VmWSS:\t%8lu kB\n",
				   t->wss ? t->wss->pages << 2 : 0ul);
			seq_printf(s, "VmWSSPeak:\t%8lu kB\n",
				   t->wss ? t->wss->peak << 2 : 0ul);
		}
	}
	seq_printf(s, "Threads:\t1\n");
	seq_printf(s, "SigPnd:\t%016llx\n",
		   (unsigned long long)t->sig_pending);
	seq_printf(s, "SigBlk:\t%016llx\n",
		   (unsigned long long)t->sig_blocked);
	(void)k;
}

static void show_stat(struct kernel *k, struct seq *s, struct task *t)
{
	struct mm *mm = t->mm;
	char state = t->state == TASK_RUNNING ? 'R'
		     : t->state == TASK_ZOMBIE ? 'Z'
					       : 'S';
	unsigned long vsize = mm ? mm->total_vm << PAGE_SHIFT : 0;
	unsigned long rss = mm ? get_mm_rss(mm) : 0;
	unsigned long long start = t->start_time / 10000000ull; /* ticks */

	seq_printf(s,
		   "%d (%s) %c %d %d %d 0 -1 4194304 %lu %lu %lu %lu %llu 0 "
		   "%llu %llu 20 0 1 0 %llu %lu %lu 4294967295 %u %u %u 0 "
		   "0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 %d\n",
		   t->pid, t->comm, state, t->parent ? t->parent->pid : 0, 1, 1,
		   t->min_flt, t->cmin_flt, t->maj_flt, t->cmaj_flt,
		   (unsigned long long)(t->utime / 10000000ull),
		   0ull, 0ull, start, vsize, rss, mm ? mm->start_code : 0,
		   mm ? mm->end_code : 0, mm ? mm->start_stack : 0,
		   t->exit_code);
	(void)k;
}

static void show_cmdline(struct kernel *k, struct seq *s, struct task *t)
{
	struct mm *mm = t->mm;

	if (!mm || mm->arg_end <= mm->arg_start || t != k->current)
		return;
	uint32_t n = mm->arg_end - mm->arg_start;
	char *buf = malloc(n);
	if (buf && copy_from_user(k, buf, mm->arg_start, n) == 0)
		seq_write(s, buf, n);
	free(buf);
}

/* ---- the dispatcher ---------------------------------------------------------------- */

int procfs_read(struct kernel *k, const char *path, struct seq *s)
{
	struct memory *mem = &k->mem;
	const char *p = path + 5; /* after "/proc" */

	if (!*p || !strcmp(p, "/"))
		return -EISDIR;
	p++;
	if (!strcmp(p, "meminfo"))
		return show_meminfo(mem, s), 0;
	if (!strcmp(p, "vmstat"))
		return show_vmstat(mem, s), 0;
	if (!strcmp(p, "buddyinfo"))
		return show_buddyinfo(mem, s), 0;
	if (!strcmp(p, "zoneinfo"))
		return show_zoneinfo(mem, s), 0;
	if (!strcmp(p, "slabinfo"))
		return show_slabinfo(mem, s), 0;
	if (!strcmp(p, "swaps"))
		return show_swaps(k, s), 0;
	if (!strcmp(p, "pressure"))
		return -EISDIR;
	if (!strncmp(p, "pressure/", 9))
		return psi_show(k, p + 9, s);
	if (!strcmp(p, "version")) {
		seq_printf(s, "Linux version 6.1.0-mmulab (mmulab) #1 SMP\n");
		return 0;
	}
	if (!strcmp(p, "uptime")) {
		uint64_t ns = kernel_ns(k);
		seq_printf(s, "%llu.%02llu %llu.%02llu\n",
			   (unsigned long long)(ns / 1000000000u),
			   (unsigned long long)(ns / 10000000u % 100),
			   (unsigned long long)(k->idle_ns / 1000000000u),
			   (unsigned long long)(k->idle_ns / 10000000u % 100));
		return 0;
	}
	if (!strcmp(p, "sys") || !strcmp(p, "sys/vm") ||
	    !strcmp(p, "sys/kernel"))
		return -EISDIR;
	if (!strcmp(p, "sys/kernel/threads-max"))
		return seq_printf(s, "%d\n", k->max_threads), 0;
	if (!strncmp(p, "sys/vm/", 7))
		return vm_sysctl_show(k, p + 7, s);
	if (!strcmp(p, "sysrq-trigger"))
		return -EACCES; /* write-only */

	/* PID directories. */
	struct task *t;
	const char *rest;
	if (!strncmp(p, "self", 4) && (p[4] == '/' || !p[4])) {
		t = k->current;
		rest = p + 4;
	} else {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p || (*end && *end != '/'))
			return -ENOENT;
		t = find_task(k, (int)pid);
		if (!t)
			return -ENOENT;
		rest = end;
	}
	if (!*rest || !strcmp(rest, "/"))
		return -EISDIR;
	rest++;
	if (!strcmp(rest, "stat"))
		return show_stat(k, s, t), 0;
	if (!strcmp(rest, "status"))
		return show_status(k, s, t), 0;
	if (!strcmp(rest, "comm"))
		return seq_printf(s, "%s\n", t->comm), 0;
	if (!strcmp(rest, "cmdline"))
		return show_cmdline(k, s, t), 0;
	if (!strcmp(rest, "oom_score"))
		return seq_printf(s, "%lu\n", oom_score(k, t)), 0;
	if (!strcmp(rest, "oom_score_adj"))
		return seq_printf(s, "%d\n", t->oom_score_adj), 0;
	if (!t->mm) {
		/* A zombie: its memory files are empty. */
		if (!strcmp(rest, "maps") || !strcmp(rest, "smaps") ||
		    !strcmp(rest, "statm") || !strcmp(rest, "smaps_rollup") ||
		    !strcmp(rest, "numa_maps"))
			return 0;
		return -ENOENT;
	}
	if (!strcmp(rest, "maps"))
		return show_maps(s, t), 0;
	if (!strcmp(rest, "smaps"))
		return show_smaps(k, s, t, false), 0;
	if (!strcmp(rest, "smaps_rollup"))
		return show_smaps(k, s, t, true), 0;
	if (!strcmp(rest, "statm"))
		return show_statm(s, t), 0;
	if (!strcmp(rest, "numa_maps"))
		return show_numa_maps(k, s, t), 0;
	if (!strcmp(rest, "pagemap"))
		return 0; /* binary, generated at read (procfs_pagemap_read) */
	return -ENOENT;
}

/* /proc/PID/oom_score_adj (or self): the task, or NULL. */
static struct task *oom_adj_task(struct kernel *k, const char *path)
{
	const char *p = path + 6; /* after "/proc/" */
	char *end;
	long pid;

	if (!strncmp(p, "self/", 5))
		return strcmp(p + 5, "oom_score_adj") ? NULL : k->current;
	pid = strtol(p, &end, 10);
	if (end == p || strcmp(end, "/oom_score_adj"))
		return NULL;
	return find_task(k, (int)pid);
}

bool procfs_writable(const char *path)
{
	return !strcmp(path, "/proc/sysrq-trigger") ||
	       (!strncmp(path, "/proc/", 6) &&
		strstr(path, "/oom_score_adj")) ||
	       (!strncmp(path, "/proc/sys/vm/", 13) &&
		vm_sysctl_exists(path + 13));
}

long procfs_write(struct kernel *k, const char *path, const char *buf,
		  size_t len)
{
	char text[64];

	if (!strcmp(path, "/proc/sysrq-trigger")) {
		sysrq_write(k, buf, len);
		return (long)len;
	}
	if (len >= sizeof(text))
		return -EINVAL;
	memcpy(text, buf, len);
	text[len] = '\0';
	if (strstr(path, "/oom_score_adj")) {
		struct task *t = oom_adj_task(k, path);
		char *end;
		long v = strtol(text, &end, 10);
		if (!t)
			return -ENOENT;
		if (end == text || (*end && *end != '\n') || v < -1000 ||
		    v > 1000)
			return -EINVAL;
		/* Lowering it needs CAP_SYS_RESOURCE, as in Linux. */
		if (v < t->oom_score_adj && !capable(k, CAP_SYS_RESOURCE))
			return -EACCES;
		t->oom_score_adj = (int)v;
		return (long)len;
	}
	if (strncmp(path, "/proc/sys/vm/", 13))
		return -EBADF;
	int err = vm_sysctl_set(k, path + 13, text);
	return err ? err : (long)len;
}

int procfs_pagemap_pid(struct kernel *k, const char *path)
{
	const char *p = path + 6; /* after "/proc/" */
	size_t len = strlen(path);

	if (strncmp(path, "/proc/", 6) || len < 8 ||
	    strcmp(path + len - 8, "/pagemap"))
		return 0;
	if (!strncmp(p, "self/", 5))
		return k->current ? k->current->pid : 0;
	return atoi(p);
}

/*
 * /proc/PID/pagemap: one 64-bit entry per virtual page (Documentation/
 * admin-guide/mm/pagemap.rst): bit 63 present, 62 swapped, 61 file page
 * or shared anonymous, 56 mapped exactly once, bits 0-54 the frame number
 * (shown: the guest runs as the host user, and mmulab's frames are not
 * secrets) or the swap type and offset.
 */
long procfs_pagemap_read(struct kernel *k, int pid, void *buf, size_t n,
			 uint64_t pos)
{
	struct task *t = find_task(k, pid);
	uint8_t *out = buf;
	size_t done = 0;

	if ((pos | n) & 7)
		return -EINVAL;
	if (!t || !t->mm)
		return 0;
	while (done < n) {
		uint64_t vpn = (pos + done) / 8;
		uint64_t e = 0;

		if (vpn >= (1ull << (32 - PAGE_SHIFT)))
			break;
		gva_t addr = (gva_t)(vpn << PAGE_SHIFT);
		pte_slot_t slot = pte_offset(k, t->mm, addr, false);
		pte_t pte = slot ? ptep_get(k, slot)
				 : huge_pte_for(k, t->mm, addr);
		if (pte_present(pte) || pte_protnone(pte)) {
			e = (1ull << 63) | (pte_pfn(pte) & ((1ull << 55) - 1));
			if (!(pte & PTE_SPECIAL)) {
				struct page *page =
					pfn_to_page(&k->mem, pte_pfn(pte));
				if (!PageAnon(page))
					e |= 1ull << 61;
				if (page_mapcount(page) == 1)
					e |= 1ull << 56;
			}
		} else if (pte_is_swap(pte)) {
			e = (1ull << 62) | (uint64_t)swp_type(pte) |
			    (swp_offset(pte) << 5);
		}
		memcpy(out + done, &e, 8);
		done += 8;
	}
	return (long)done;
}
