/*
 * procps-style views of the guest's processes, for the command line and
 * (later) the REPL.
 */
#ifndef MMULAB_KERNEL_VIEWS_H
#define MMULAB_KERNEL_VIEWS_H

#include "kernel/kernel.h"
#include "kernel/lib/seq.h"

/* `ps -o pid,ppid,stat,vsz,rss,min_flt,maj_flt,comm` of every task. */
void show_ps(struct kernel *k, struct seq *s);

/* `pmap -x PID` of @t. */
void show_pmap_x(struct kernel *k, struct task *t, struct seq *s);

/* Views printed for each task as it exits (--on-exit). */
#define EXIT_VIEW_PS 0x1
#define EXIT_VIEW_PMAP 0x2
#define EXIT_VIEW_MAPS 0x4
#define EXIT_VIEW_SMAPS 0x8
#define EXIT_VIEW_STATUS 0x10

/*
 * --on-exit and --dump-proc: subscribe to sched:sched_process_exit, which
 * the kernel emits as a task starts to exit, its memory still whole.  At
 * each exit print the EXIT_VIEW_* @views of the task, and when process 1
 * exits the @nr_dump /proc files @dump (names under /proc, kept by the
 * caller) -- all on the kernel console.  Returns a handle for
 * exit_views_detach(), or NULL when no sink slot is free (or no memory).
 */
struct exit_views;
struct exit_views *exit_views_attach(struct kernel *k, unsigned views,
				     const char *const *dump, int nr_dump);
void exit_views_detach(struct kernel *k, struct exit_views *ev);

#endif
