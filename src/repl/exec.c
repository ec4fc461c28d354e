/*
 * Loading and running the program from the REPL.
 */
#include <stdlib.h>
#include <string.h>

#include "repl/cmds.h"

REPL_CMD(cmd_load)
{
	char err[256];

	if (argc < 2) {
		repl_error(r, "load: which program? (load PROG.elf [ARGS...])");
		return -1;
	}
	if (repl_load(r, argv[1], argv + 1, err, sizeof(err)) < 0) {
		repl_error(r, "load: %s: %s", argv[1], err);
		return -1;
	}
	fprintf(r->out, "loaded %s: pid %d, entry 0x%08x, %u symbols\n",
		argv[1], r->k->init->pid, r->img.entry, r->img.nr_syms);
	return 0;
}

static void report_exit(struct repl *r)
{
	int st = r->exit_status;

	if (st >= 128)
		fprintf(r->out, "[pid 1 killed by signal %d; exit status %d]\n",
			st - 128, st);
	else
		fprintf(r->out, "[pid 1 exited with status %d]\n", st);
}

static int resume(struct repl *r)
{
	fflush(r->out);
	r->exit_status = kernel_run(r->k);
	r->exited = true;
	fflush(stdout);
	report_exit(r);
	return 0;
}

REPL_CMD(cmd_run)
{
	if (!r->k && !r->prog) {
		repl_error(r, "run: no program loaded (try 'load PROG')");
		return -1;
	}
	if (r->exited) {
		/* Start over on a fresh machine, as gdb's run does. */
		char err[256], *prog = strdup(r->prog);
		char **av = r->argv;
		r->argv = NULL;
		int e = prog ? repl_load(r, prog, av, err, sizeof(err)) : -1;
		for (char **a = av; a && *a; a++)
			free(*a);
		free(av);
		free(prog);
		if (e < 0) {
			repl_error(r, "run: cannot reload: %s", err);
			return -1;
		}
	}
	return resume(r);
}

REPL_CMD(cmd_continue)
{
	if (r->exited) {
		repl_error(r, "continue: the program has exited (try 'run')");
		return -1;
	}
	return resume(r);
}
