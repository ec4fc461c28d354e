/*
 * Views built on the per-process procfs data, in the formats of the
 * procps tools learners already know: a `ps -o pid,ppid,stat,vsz,rss,
 * min_flt,maj_flt,comm` listing and `pmap -x`.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/huge_mm.h"
#include "kernel/fs/proc.h"
#include "kernel/kernel/sched.h"
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
		struct huge_usage hu;
		huge_vma_usage(k, vma, &hu);
		rss = c.rss + (unsigned long)((hu.rss + hu.hugetlb_private +
					       hu.hugetlb_shared) >> 10);
		dirty = c.dirty + (unsigned long)(hu.dirty >> 10);
		pmap_mode(vma, mode);
		if (vma->vm_file) {
			const char *slash = strrchr(vma->vm_file->i_name, '/');
			name = slash ? slash + 1 : vma->vm_file->i_name;
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

static void report_task_exit(struct kernel *k, struct task *t,
			     unsigned views)
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
	if (views & EXIT_VIEW_PS)
		show_ps(k, &s);
	if (views & EXIT_VIEW_PMAP)
		show_pmap_x(k, t, &s);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[64];
		if (!(views & files[i].bit))
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

static void dump_proc_files(struct kernel *k, const char *const *dump,
			    int nr_dump)
{
	FILE *out = k->cfg.kmsg ? k->cfg.kmsg : stderr;

	fflush(stdout);
	for (int i = 0; i < nr_dump; i++) {
		struct seq s = {0};
		char path[256];
		snprintf(path, sizeof(path), "/proc/%s", dump[i]);
		if (procfs_read(k, path, &s) < 0)
			fprintf(out, "mmulab: --dump-proc: no such file %s\n",
				path);
		else
			fwrite(s.buf, 1, s.len, out);
		seq_free(&s);
	}
	fflush(out);
}

struct exit_views {
	struct kernel *k;
	int handle;
	unsigned views;
	const char *const *dump;
	int nr_dump;
};

static void on_exit_event(void *arg, const struct trace_event *ev)
{
	struct exit_views *ex = arg;
	struct task *t = find_task(ex->k, (int)ev->arg[0]);

	if (!t)
		return;
	if (ex->views)
		report_task_exit(ex->k, t, ex->views);
	if (ev->arg[4] && ex->nr_dump) /* process 1 */
		dump_proc_files(ex->k, ex->dump, ex->nr_dump);
}

struct exit_views *exit_views_attach(struct kernel *k, unsigned views,
				     const char *const *dump, int nr_dump)
{
	struct exit_views *ex = calloc(1, sizeof(*ex));

	if (!ex)
		return NULL;
	*ex = (struct exit_views){ k, -1, views, dump, nr_dump };
	ex->handle = trace_add_sink(ktrace(k), TRACE_BIT(EV_EXIT),
				    on_exit_event, ex);
	if (ex->handle < 0) {
		free(ex);
		return NULL;
	}
	return ex;
}

void exit_views_detach(struct kernel *k, struct exit_views *ex)
{
	if (!ex)
		return;
	trace_remove_sink(ktrace(k), ex->handle);
	free(ex);
}
