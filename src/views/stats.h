/*
 * --stats: every counter of a run, as text or one JSON object whose keys
 * use the /proc/vmstat and meminfo names, plus "tlb" and "instructions".
 */
#ifndef MMULAB_KERNEL_STATS_H
#define MMULAB_KERNEL_STATS_H

#include <stdio.h>

#include "kernel/kernel.h"

/* The version of the JSON object's layout (docs/stats-json.md). */
#define STATS_JSON_SCHEMA_VERSION 1
/* Bumped by each addition within a version. */
#define STATS_JSON_SCHEMA_MINOR 2

/* What the JSON says about the run besides the counters. */
struct stats_run {
	char **options;		/* the options as given, */
	int nr_options;		/* nr_options of them */
	const char *program;	/* host path of the program, or NULL */
	char **argv;		/* its argv, argc entries */
	int argc;
	int exit_status;	/* what mmulab exits with */
	int stop_signal;	/* host signal that stopped the run, or 0 */
};

/* Every counter on @f, as text or as one JSON object on one line. */
void print_stats(struct kernel *k, FILE *f, bool json);

/* The same, and in JSON the "run" facts of @run (NULL: left out). */
void print_stats_run(struct kernel *k, FILE *f, bool json,
		     const struct stats_run *run);

/* The same; as text, !@all gives the short summary of --stats (as perf
 * stat), @all every counter (--stats=all). */
void print_stats_mode(struct kernel *k, FILE *f, bool json, bool all,
		      const struct stats_run *run);

/* Every process that ran (the exited ones, then the live ones, charged
 * up to now), by pid, in *@out (malloc'ed; free it).  Returns how many. */
size_t stats_processes(struct kernel *k, struct task_record **out);

#endif
