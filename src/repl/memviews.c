/*
 * REPL views of memory demand: the working set of each process
 * (--wss-interval, kernel/mm/wss.h) and pressure stall information
 * (/proc/pressure, kernel/kernel/psi.h).  Looking only: nothing here
 * changes the machine.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/seq.h"
#include "kernel/mm/wss.h"
#include "repl/cmds.h"

static void wss_line(struct repl *r, struct task *t)
{
	const struct wss *w = t->wss;
	unsigned long rss = t->mm ? get_mm_rss(t->mm) : 0;

	fprintf(r->out, "%5d %-15s %9lu %9lu %9lu %8lu\n", t->pid, t->comm,
		rss << 2, w ? w->pages << 2 : 0ul, w ? w->peak << 2 : 0ul,
		w ? w->windows : 0ul);
}

REPL_CMD(cmd_wss)
{
	struct task *t;

	(void)rest;
	if (argc > 2) {
		repl_error(r, "wss: expected 'wss' or 'wss PID'");
		return -1;
	}
	if (!r->k->cfg.wss_interval) {
		fprintf(r->out, "working-set estimation is off (start with "
				"--wss-interval N)\n");
		return 0;
	}
	if (argc == 2 && !repl_task(r, argv[1])) {
		repl_error(r, "no process with pid '%s' (see 'ps')", argv[1]);
		return -1;
	}
	fprintf(r->out, "tau = %llu instructions\n",
		(unsigned long long)r->k->cfg.wss_interval);
	fprintf(r->out, "  PID COMM             RSS(kB)   WSS(kB)  peak(kB) "
			"windows\n");
	if (argc == 2) {
		wss_line(r, repl_task(r, argv[1]));
		return 0;
	}
	list_for_each_entry(t, &r->k->tasks, tasks)
		if (t->state != TASK_ZOMBIE)
			wss_line(r, t);
	return 0;
}

REPL_CMD(cmd_pressure)
{
	static const char *const names[] = { "memory", "io", "cpu" };

	(void)rest;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "memory") &&
			 strcmp(argv[1], "io") && strcmp(argv[1], "cpu"))) {
		repl_error(r, "pressure: expected 'pressure [memory|io|cpu]'");
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		struct seq s = { 0 };

		if (argc == 2 && strcmp(argv[1], names[i]))
			continue;
		psi_show(r->k, names[i], &s);
		fprintf(r->out, "%s:\n", names[i]);
		repl_put_seq(r, &s);
	}
	return 0;
}
