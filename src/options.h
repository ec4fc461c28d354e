/*
 * The options every front end that runs a program shares (run, repl,
 * script, gdb): one parser, one boot, one exit path.
 *
 * A front end does, in this order, unwinding through one label:
 *
 *	struct run_options o;
 *	struct kernel *k = NULL;
 *	int argi, r, status;
 *
 *	run_options_init(&o, "run");
 *	r = parse_run_options(argc, argv, &o, &argi);
 *	if (r) {
 *		status = r == RUN_OPTIONS_HELP ? 0 : 2;
 *		goto out;
 *	}
 *	k = malloc(sizeof(*k));
 *	status = k ? run_options_boot(&o, k) : 1;
 *	if (status)
 *		goto out;		(k is not booted)
 *	status = run_options_spawn(&o, k, argc - argi, argv + argi);
 *	if (!status)
 *		status = run_options_finish(&o, k, kernel_run(k));
 *	kernel_shutdown(k);
 *   out:
 *	free(k);
 *	run_options_free(&o);
 *	return status;
 *
 * Every error prints exactly one line on stderr, "mmulab: " followed by
 * the option or file it is about, and usage errors mean exit status 2.
 * Nothing here calls exit().
 */
#ifndef MMULAB_OPTIONS_H
#define MMULAB_OPTIONS_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "gdb/gdbstub.h"
#include "kernel/kernel.h"
#include "trace/sink.h"
#include "views/meter.h"
#include "views/pictures.h"

#define RUN_OPTIONS_MAX_DUMP 16
#define RUN_OPTIONS_MAX_SYSCTL 16

/* parse_run_options() returned: --help was printed on stdout (exit 0). */
#define RUN_OPTIONS_HELP 1

struct run_options {
	struct kernel_config cfg;	/* what kernel_boot() gets */
	const char *cmd;		/* subcommand, for messages ("run") */
	bool stats;			/* --stats */
	bool stats_all;			/* --stats=all: every counter */
	uint64_t sample;		/* --sample N: instructions; 0 = off */
	const char *csv;		/* --csv FILE of --sample */
	bool no_progress;		/* --no-progress */
	struct meter meter;		/* --sample/--csv, progress line */
	bool json;			/* --json (with --stats or --stats-file) */
	const char *stats_file;		/* --stats-file FILE, or NULL */
	unsigned exit_views;		/* --on-exit: EXIT_VIEW_* bits */
	struct pictures pics;		/* --pgtable-dot, --physmap-svg,
					 * --report (opened at boot) */
	int gdb_port;			/* --gdb PORT; -1 = no stub */
	enum gdb_detach gdb_detach;	/* --gdb-detach run|kill */
	uint64_t gdb_reverse;		/* --gdb-reverse N; 0 = off */
	struct exit_views *views;	/* their subscriber, once booted */
	char *root_copy;		/* --root DIR:ro: DIR */

	/* ---- private to options.c: read only through the calls below ---- */
	char **env;			/* the guest environment, NULL-ended */
	size_t nr_env;
	const char *dump_proc[RUN_OPTIONS_MAX_DUMP];
	int nr_dump_proc;
	struct {
		const char *arg;	/* "vm.NAME=VALUE" as given */
		char name[64];		/* NAME */
		const char *value;	/* VALUE */
	} sysctl[RUN_OPTIONS_MAX_SYSCTL];
	int nr_sysctl;
	const char *numa_policy;	/* --numa-policy, parsed at the end */
	const char *swap[8];		/* --swap specs (MAX_SWAPFILES) */
	int nr_swap;
	int nr_args;			/* argv[1 .. nr_args] were options */
	char **args;			/* (for the JSON's "options") */
	const char *prog;		/* the program spawned, or NULL */
	int prog_argc;
	char **prog_argv;
	FILE *stats_fp;			/* --stats-file, opened at boot */
	struct trace_output_opts trace_opts; /* --trace... as given */
	struct trace_output trace;	/* its sink, opened after parsing */
	struct {			/* MMU events get the running pid */
		struct kernel *k;
		trace_fn fn;
		void *arg;
	} trace_mmu;
	bool signals_installed;
	const char *record_refs;	/* --record-refs FILE, or NULL */
	struct refrec *refrec;		/* its recorder, once booted */
};

/* Defaults (those of kernel_default_config), the host's environment. */
void run_options_init(struct run_options *o, const char *cmd);

/*
 * Parse the options in @argv[1 ..] (argv[0] is the subcommand's name),
 * stopping at the first operand.  Returns 0 with *@argi the index of the
 * first operand (the program; == @argc when there is none),
 * RUN_OPTIONS_HELP after printing the help on stdout, or -1 after printing
 * one line naming the bad option on stderr (a usage error: exit 2).
 * Options that are parsed but not built into this binary (--trace,
 * --swap, --policy) are a usage error naming the option.
 */
int parse_run_options(int argc, char **argv, struct run_options *o,
		      int *argi) __must_check;

/*
 * Print the OPTIONS part of the help text on @f.
 */
void run_options_usage(FILE *f);

/*
 * Boot @k as @o says: kernel_boot, the --sysctl settings, the --on-exit
 * views, the --stats-file (created now, so that a bad path fails before
 * the guest runs), and SIGINT/SIGTERM/SIGHUP/SIGQUIT handlers that stop
 * the run at the next slice (see run_options_stopped()).  Returns 0, or
 * the exit status to leave with (1: the machine cannot boot; 2: a bad
 * option value found at boot, e.g. --ram too small for --numa, or a
 * --stats-file that cannot be created) after printing one line; then @k
 * is not booted and needs no kernel_shutdown().
 */
/* kernel_shutdown(), then the exit-view subscriber goes (it watches the
 * last tasks end). */
void run_options_shutdown(struct run_options *o, struct kernel *k);
int run_options_boot(struct run_options *o, struct kernel *k) __must_check;

/*
 * Create pid 1 from @argv[0] (a host path) with @argv, then check every
 * --dump-proc name against procfs so a typo fails before the guest runs.
 * Returns 0, or 2 after one line naming the program or the option.  @k
 * stays booted either way.
 */
int run_options_spawn(struct run_options *o, struct kernel *k, int argc,
		      char **argv) __must_check;

/*
 * After kernel_run() returned @status: when a signal stopped the run,
 * write every file's dirty pages back and print one line, and the status
 * becomes 128+signal; print --stats on stderr (starting on a line of its
 * own) and write --stats-file.  Returns the exit status (1 if the stats
 * file cannot be written, after one line naming it).  Call it at most
 * once, and only after run_options_boot() succeeded.
 */
int run_options_finish(struct run_options *o, struct kernel *k, int status);

/*
 * Run @k to its end as mmulab run does: kernel_run(), or through the
 * meter (--sample, the progress line) and the report's samples.
 */
int run_options_run(struct run_options *o, struct kernel *k);

/* The host signal that asked the run to stop, or 0. */
int run_options_stopped(void);

/*
 * Forget the stop request, so that kernel_run() may go on (a REPL that
 * returns to its prompt on Ctrl-C).  Without it, a second signal of the
 * kind kills mmulab at once.
 */
void run_options_resume(void);

/* Free what parsing allocated and restore the default signal actions. */
void run_options_free(struct run_options *o);

#endif
