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

/* Print the --dump-proc files on the console (as process 1 exits). */
void dump_proc_files(struct kernel *k);

/* Print the views selected in k->exit_views for @t on the kernel console. */
void report_task_exit(struct kernel *k, struct task *t);

#endif
