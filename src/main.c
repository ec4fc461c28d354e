/*
 * mmulab command line: the subcommands; nothing else.  The options they
 * share are parsed, booted and finished in options.c.
 *
 *   mmulab run [OPTIONS] PROG.elf [ARGS...]
 *
 * Usage errors exit 2 with one line on stderr naming the bad option.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "gdb/gdbstub.h"
#include "options.h"
#include "repl/repl.h"
#include "views/pictures.h"
#include "views/replay.h"
#include "views/views.h"
#include "views/watch.h"

static const char usage_text[] =
	"Usage: mmulab run [OPTIONS] PROG.elf [ARGS...]\n"
	"       mmulab repl [OPTIONS] [PROG.elf [ARGS...]]\n"
	"       mmulab script [OPTIONS] FILE\n"
	"       mmulab replay FILE --frames N[,N...] [OPTIONS]  (replay --help)\n"
	"       mmulab help --man | --markdown   (the REPL's commands)\n"
	"       mmulab --help | --version\n"
	"\n"
	"Run a static RV32IMAC Linux ELF program on an emulated MMU under a\n"
	"Linux-like guest kernel.  The exit status is the program's, or\n"
	"128+N when signal N killed it (or when host signal N stopped the\n"
	"run: SIGINT, SIGTERM, SIGHUP and SIGQUIT write file data back first).\n"
	"\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
	run_options_usage(f);
}

/* mmulab run: boot, run the program to its end, report. */
static int cmd_run(int argc, char **argv)
{
	struct run_options o;
	struct kernel *k = NULL;
	int argi, status;

	run_options_init(&o, "run");
	status = parse_run_options(argc, argv, &o, &argi);
	if (status) {
		status = status == RUN_OPTIONS_HELP ? 0 : 2;
		goto out;
	}
	if (argi >= argc) {
		fprintf(stderr, "mmulab: run: no program given (try 'mmulab "
				"--help')\n");
		status = 2;
		goto out;
	}
	k = malloc(sizeof(*k));
	if (!k) {
		fprintf(stderr, "mmulab: out of memory\n");
		status = 1;
		goto out;
	}
	status = run_options_boot(&o, k);
	if (status)
		goto out;
	/* MMULAB_WATCH, MMULAB_STEP: for tests only (views/watch.h). */
	const char *watch_file = getenv("MMULAB_WATCH");
	struct watch *watch = watch_file ? watch_attach(k) : NULL;
	status = run_options_spawn(&o, k, argc - argi, argv + argi);
	if (!status) {
		const char *step = getenv("MMULAB_STEP");
		int st = o.gdb_port >= 0
				 ? gdbstub_serve(k, o.gdb_port, o.gdb_detach,
						 o.gdb_reverse)
			 : step ? watch_run_stepped(k, strtoull(step, NULL, 0) ?: 1)
				: run_options_run(&o, k);
		if (st < 0) {
			fprintf(stderr, "mmulab: --gdb: cannot listen on port "
					"%d: %s\n",
				o.gdb_port, strerror(-st));
			st = 1;
		}
		if (watch && watch_detach(k, watch, watch_file) < 0)
			fprintf(stderr, "mmulab: cannot write %s\n", watch_file);
		watch = NULL;
		status = run_options_finish(&o, k, st);
	}
	if (watch)
		(void)watch_detach(k, watch, NULL);
	run_options_shutdown(&o, k);
out:
	free(k);
	run_options_free(&o);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "mmulab: no command given (try 'mmulab --help')\n");
		return 2;
	}
	if (!strcmp(argv[1], "help") && argc > 2 && !strcmp(argv[2], "--man")) {
		repl_print_man(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc > 2 &&
	    !strcmp(argv[2], "--markdown")) {
		repl_print_markdown(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		fprintf(stderr, "mmulab: help: unknown argument '%s' (help, "
				"help --man or help --markdown)\n", argv[2]);
		return 2;
	}
	if (!strcmp(argv[1], "repl"))
		return repl_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "script"))
		return script_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mmulab %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return replay_main(argc - 1, argv + 1, stdout);
	fprintf(stderr, "mmulab: unknown command '%s' (try 'mmulab --help')\n",
		argv[1]);
	return 2;
}
