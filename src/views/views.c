/*
 * Views built on the per-process procfs data, in the formats of the
 * procps tools learners already know: a `ps -o pid,ppid,stat,vsz,rss,
 * min_flt,maj_flt,comm` listing and `pmap -x`.
 */
#include <string.h>

#include "kernel/fs/proc.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/pagemap.h"
#include "views/views.h"

void show_ps(struct kernel *k, struct seq *s)
{
	struct task *t;

	seq_printf(s, "%5s %5s %-4s %8s %8s %8s %8s %s\n", "PID", "PPID",
		   "STAT", "VSZ", "RSS", "MINFL", "MAJFL", "COMMAND");
	list_for_each_entry(t, &k->tasks, tasks) {
		const char *st = t->state == TASK_ZOMBIE    ? "Z"
				 : t == k->current	    ? "R"
				 : t->state == TASK_RUNNING ? "R"
							    : "S";
		unsigned long vsz = t->mm ? t->mm->total_vm << 2 : 0;
		unsigned long rss = t->mm ? get_mm_rss(t->mm) << 2 : 0;

		seq_printf(s, "%5d %5d %-4s %8lu %8lu %8lu %8lu %s%s\n",
			   t->pid, t->parent ? t->parent->pid : 0, st, vsz,
			   rss, t->min_flt, t->maj_flt, t->comm,
			   t->state == TASK_ZOMBIE ? " <defunct>" : "");
	}
}

struct pmap_count {
	unsigned long rss, dirty; /* kB */
};

static void pmap_pte(struct kernel *k, pte_slot_t slot, gva_t addr, pte_t pte,
		     void *arg)
{
	struct pmap_count *c = arg;

	(void)slot;
	(void)addr;
	if ((!pte_present(pte) && !pte_protnone(pte)) || (pte & PTE_SPECIAL))
		return;
	c->rss += 4;
	if ((pte & PTE_D) || PageDirty(pfn_to_page(&k->mem, pte_pfn(pte))))
		c->dirty += 4;
}

/* pmap's Mode column: r w x s R (R = no swap space reserved). */
static void pmap_mode(const struct vma *vma, char *m)
{
	m[0] = vma->vm_flags & VM_READ ? 'r' : '-';
	m[1] = vma->vm_flags & VM_WRITE ? 'w' : '-';
	m[2] = vma->vm_flags & VM_EXEC ? 'x' : '-';
	m[3] = vma->vm_flags & VM_MAYSHARE ? 's' : '-';
	m[4] = vma->vm_flags & VM_NORESERVE ? 'R' : '-';
	m[5] = '\0';
}

void show_pmap_x(struct kernel *k, struct task *t, struct seq *s)
{
	struct mm *mm = t->mm;
	struct vma *vma;
	unsigned long tk = 0, trss = 0, tdirty = 0;

	seq_printf(s, "%d:   %s\n", t->pid, t->comm);
	seq_printf(s, "Address   Kbytes     RSS   Dirty Mode  Mapping\n");
	if (!mm)
		goto total;
	list_for_each_entry(vma, &mm->vmas, list) {
		unsigned long rss, dirty;
		char mode[6];
		const char *name;

		struct pmap_count c = {0, 0};
		for_each_pte(k, mm, vma->vm_start, vma->vm_end, pmap_pte, &c);
		rss = c.rss;
		dirty = c.dirty;
		pmap_mode(vma, mode);
		if (vma->vm_file) {
			const char *slash = strrchr(vma->vm_file->path, '/');
			name = slash ? slash + 1 : vma->vm_file->path;
		} else if (vma->vm_start <= mm->start_stack &&
			   vma->vm_end >= mm->start_stack) {
			name = "[ stack ]";
		} else if (vma->vm_start <= mm->brk &&
			   vma->vm_end >= mm->start_brk &&
			   mm->brk > mm->start_brk) {
			name = "[ heap ]";
		} else {
			name = "[ anon ]";
		}
		unsigned long kb = (vma->vm_end - vma->vm_start) >> 10;
		seq_printf(s, "%08x %7lu %7lu %7lu %s %s\n", vma->vm_start, kb,
			   rss, dirty, mode, name);
		tk += kb;
		trss += rss;
		tdirty += dirty;
	}
total:
	seq_printf(s, "-------- ------- ------- -------\n");
	seq_printf(s, "total kB %7lu %7lu %7lu\n", tk, trss, tdirty);
}

void report_task_exit(struct kernel *k, struct task *t)
{
	static const struct {
		unsigned bit;
		const char *file;
	} files[] = {
		{EXIT_VIEW_MAPS, "maps"},
		{EXIT_VIEW_SMAPS, "smaps"},
		{EXIT_VIEW_STATUS, "status"},
	};
	FILE *out = k->cfg.kmsg ? k->cfg.kmsg : stderr;
	struct seq s = {0};

	seq_printf(&s, "==== exit of %d (%s) ====\n", t->pid, t->comm);
	if (k->exit_views & EXIT_VIEW_PS)
		show_ps(k, &s);
	if (k->exit_views & EXIT_VIEW_PMAP)
		show_pmap_x(k, t, &s);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[64];
		if (!(k->exit_views & files[i].bit))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/%s", t->pid,
			 files[i].file);
		(void)procfs_read(k, path, &s);
	}
	fflush(stdout);
	fwrite(s.buf, 1, s.len, out);
	fflush(out);
	seq_free(&s);
}

void dump_proc_files(struct kernel *k)
{
	FILE *out = k->cfg.kmsg ? k->cfg.kmsg : stderr;

	fflush(stdout);
	for (int i = 0; i < k->cfg.nr_dump_proc; i++) {
		struct seq s = {0};
		char path[256];
		snprintf(path, sizeof(path), "/proc/%s", k->cfg.dump_proc[i]);
		if (procfs_read(k, path, &s) < 0)
			fprintf(out, "mmulab: --dump-proc: no such file %s\n",
				path);
		else
			fwrite(s.buf, 1, s.len, out);
		seq_free(&s);
	}
	fflush(out);
}
