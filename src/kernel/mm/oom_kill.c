/*
 * The OOM killer (Linux mm/oom_kill.c): when reclaim cannot free enough
 * for a page fault, kill the process whose death frees the most memory.
 *
 * Policy (oom_badness) is apart from mechanism (select_bad_process,
 * oom_kill_process), as in Linux:
 *
 *   points = rss (anon + file + shmem) + swap entries + page-table pages
 *          + oom_score_adj * totalpages / 1000     (totalpages: RAM + swap)
 *
 * tasks with oom_score_adj -1000 are never chosen.  Unlike Linux, pid 1 is
 * a candidate: in mmulab it is the program being run, not an init daemon,
 * and `mmulab run` then exits 137 (128 + SIGKILL).
 *
 * The report goes to the kernel log in Linux's format: "invoked
 * oom-killer", Mem-Info (show_free_areas), the task table, the
 * constraint line, "Out of memory: Killed process ..." and the reaper's
 * line.  The victim gets SIGKILL and its memory is reaped at once
 * (task_exit tears its address space down), as the oom_reaper does.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/kernel/signal.h"
#include "kernel/lib/seq.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/vmstat.h"

#define OOM_SCORE_ADJ_MIN (-1000)
#define K(pages) ((pages) << (PAGE_SHIFT - 10))

static unsigned long oom_totalpages(struct kernel *k)
{
	return k->mem.totalram_pages + k->mem.swap_total_pages;
}

long oom_badness(struct kernel *k, struct task *t, unsigned long totalpages)
{
	struct mm *mm = t->mm;
	long points, adj;

	(void)k;
	if (!mm || t->state == TASK_ZOMBIE ||
	    t->oom_score_adj == OOM_SCORE_ADJ_MIN || t->state == TASK_VFORK)
		return LONG_MIN;
	points = (long)get_mm_rss(mm) + mm->rss[MM_SWAPENTS] +
		 (long)(mm->pgtables_bytes / PAGE_SIZE);
	adj = (long)t->oom_score_adj * (long)(totalpages / 1000);
	return points + adj;
}

unsigned long oom_score(struct kernel *k, struct task *t)
{
	unsigned long totalpages = oom_totalpages(k);
	long points = oom_badness(k, t, totalpages);

	if (points == LONG_MIN || !totalpages)
		return 0;
	/* proc_oom_score: normalised to 0..2000, shown as 2/3 of it. */
	points = 1000 + points * 1000 / (long)totalpages;
	if (points < 0)
		points = 0;
	return (unsigned long)points * 2 / 3;
}

/* The task with the highest badness (ties: the first, lowest pid). */
static struct task *select_bad_process(struct kernel *k)
{
	unsigned long totalpages = oom_totalpages(k);
	struct task *t, *chosen = NULL;
	long chosen_points = LONG_MIN;

	list_for_each_entry(t, &k->tasks, tasks) {
		long points = oom_badness(k, t, totalpages);
		if (points == LONG_MIN || points <= chosen_points)
			continue;
		chosen = t;
		chosen_points = points;
	}
	return chosen;
}

static void dump_tasks(struct kernel *k)
{
	struct task *t;

	printk(k->log, "Tasks state (memory values in pages):\n");
	printk(k->log, "[  pid  ]   uid  tgid total_vm      rss "
		       "pgtables_bytes swapents oom_score_adj name\n");
	list_for_each_entry(t, &k->tasks, tasks) {
		struct mm *mm = t->mm;
		if (!mm || t->state == TASK_ZOMBIE)
			continue;
		printk(k->log, "[%7d] %5d %5d %8lu %8lu %8lu %8lu         %5d %s\n",
		       t->pid, 0, t->pid, mm->total_vm, get_mm_rss(mm),
		       mm->pgtables_bytes, (unsigned long)mm->rss[MM_SWAPENTS],
		       t->oom_score_adj, t->comm);
	}
}

static void dump_header(struct kernel *k, struct task *victim, gfp_t gfp,
			unsigned order)
{
	struct task *cur = k->current;
	char flags[200];
	struct seq s = {0};

	printk(k->log, "%s invoked oom-killer: gfp_mask=%#x(%s), order=%u, "
		       "oom_score_adj=%d\n",
	       cur ? cur->comm : "swapper", gfp,
	       gfp_flags_string(gfp, flags, sizeof(flags)), order,
	       cur ? cur->oom_score_adj : 0);
	printk(k->log, "CPU: 0 PID: %d Comm: %s Not tainted 6.1.0-mmulab #1\n",
	       cur ? cur->pid : 0, cur ? cur->comm : "swapper");
	show_free_areas(&k->mem, &s);
	if (s.buf)
		printk(k->log, "%s", s.buf);
	seq_free(&s);
	if (k->mem.oom_dump_tasks)
		dump_tasks(k);
	if (victim)
		printk(k->log, "oom-kill:constraint=CONSTRAINT_NONE,"
			       "nodemask=(null),cpuset=/,mems_allowed=0,"
			       "global_oom,task_memcg=/,task=%s,pid=%d,uid=0\n",
		       victim->comm, victim->pid);
}

/* SIGKILL @victim and everyone sharing its mm; their memory goes now. */
static void oom_kill_process(struct kernel *k, struct task *victim)
{
	struct mm *mm = victim->mm;
	struct task *t;
	int pid = victim->pid;
	char comm[TASK_COMM_LEN];

	memcpy(comm, victim->comm, sizeof(comm));
	printk(k->log, "Out of memory: Killed process %d (%s) "
		       "total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, "
		       "shmem-rss:%lukB, UID:0 pgtables:%lukB "
		       "oom_score_adj:%d\n",
	       pid, comm, K(mm->total_vm),
	       K((unsigned long)mm->rss[MM_ANONPAGES]),
	       K((unsigned long)mm->rss[MM_FILEPAGES]),
	       K((unsigned long)mm->rss[MM_SHMEMPAGES]),
	       mm->pgtables_bytes >> 10, victim->oom_score_adj);
	count_vm_event(&k->mem, OOM_KILL);
	if (trace_on(ktrace(k), EV_OOM))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_OOM,
			.arg = { (uint64_t)pid,
				 (uint64_t)oom_badness(k, victim,
						       oom_totalpages(k)),
				 (uint64_t)(int64_t)victim->oom_score_adj },
			.str = victim->comm });
	/* Others sharing the mm first (CLONE_VM), the victim last: it may
	 * be the current task, and nothing runs for it after that. */
	for (bool found = true; found;) {
		found = false;
		list_for_each_entry(t, &k->tasks, tasks) {
			if (t != victim && t->mm == mm &&
			    t->state != TASK_ZOMBIE) {
				task_exit(k, t, 0, LX_SIGKILL);
				found = true;
				break;
			}
		}
	}
	task_exit(k, victim, 0, LX_SIGKILL);
	printk(k->log, "oom_reaper: reaped process %d (%s), now anon-rss:0kB, "
		       "file-rss:0kB, shmem-rss:0kB\n",
	       pid, comm);
}

/* panic_on_oom: the machine stops; every task dies, run exits 137. */
static void oom_panic(struct kernel *k)
{
	struct task *t;

	printk(k->log, "Kernel panic - not syncing: Out of memory: "
		       "system-wide panic_on_oom is enabled\n");
	k->oom_panic = true;
	for (bool found = true; found;) {
		found = false;
		list_for_each_entry(t, &k->tasks, tasks) {
			if (t->state != TASK_ZOMBIE && t != k->current) {
				task_exit(k, t, 0, LX_SIGKILL);
				found = true;
				break;
			}
		}
	}
	if (k->current && k->current->state != TASK_ZOMBIE)
		task_exit(k, k->current, 0, LX_SIGKILL);
}

bool out_of_memory(struct kernel *k, gfp_t gfp, unsigned order)
{
	struct task *cur = k->current, *victim;

	if (k->mem.panic_on_oom) {
		dump_header(k, NULL, gfp, order);
		oom_panic(k);
		return false;
	}
	if (k->mem.oom_kill_allocating_task && cur &&
	    oom_badness(k, cur, oom_totalpages(k)) != LONG_MIN)
		victim = cur;
	else
		victim = select_bad_process(k);
	if (!victim)
		victim = cur; /* nothing else may die: the faulting task */
	if (!victim)
		return false;
	/* The report is rate-limited as Linux's oom_rs (5 s, 10); the
	 * "Killed process" line is not. */
	if (___ratelimit(k->log, klog_ratelimit_site(k->log, "oom_kill:dump"),
			 "oom_kill_process"))
		dump_header(k, victim, gfp, order);
	oom_kill_process(k, victim);
	return victim != cur;
}
