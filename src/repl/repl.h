/*
 * The REPL: a learner's cockpit over one emulated machine.
 *
 * One command table (commands.c) drives the interpreter, `help`, tab
 * completion and the man page's REPL section.  The same commands run from
 * a terminal (readline, history in ~/.mmulab_history), from a pipe
 * (`mmulab repl < FILE`) or from a script (`mmulab script FILE`), where a
 * failed `expect` makes the exit status 1.
 *
 * Nothing typed can crash it: every bad command or argument gets one line
 * on stderr ("did you mean ...") and the REPL carries on.
 */
#ifndef MMULAB_REPL_REPL_H
#define MMULAB_REPL_REPL_H

#include <stdio.h>

#include "kernel/kernel.h"
#include "loader/elf.h"
#include "repl/expr.h"

#define REPL_MAX_BREAKS 32
#define REPL_MAX_VARS 32
#define REPL_MAX_ARGS 64

struct repl_break {
	int id;			/* as shown by `info break`, from 1 */
	bool used;
	bool is_watch;		/* watch VA (on stores) instead of break */
	uint32_t addr;
	char what[64];		/* as typed: "main", "0x10074" */
	uint64_t hits;
};

struct repl_var {
	char name[32];
	struct expr_val val;
};

struct repl {
	/* The machine: NULL until `load` (or a PROG on the command line). */
	struct kernel *k;
	struct kernel_config cfg;
	char **envp;			/* the guest's environment */
	struct elf_image img;		/* the program's symbols */
	bool have_img;
	char *prog;			/* host path of the loaded program */
	char **argv;			/* its argv (owned, NULL-terminated) */
	bool exited;			/* every task has exited */
	int exit_status;		/* run's status once exited */

	/* Where commands come from and where output goes. */
	FILE *out;			/* command output (stdout) */
	FILE *err;			/* one-line errors (stderr) */
	bool interactive;		/* a terminal: no file:line prefixes */
	const char *source;		/* script name for messages */
	int lineno;
	int nr_errors;			/* bad commands in a script */
	int nr_failed;			/* failed `expect`s */
	bool quit;

	struct repl_break brk[REPL_MAX_BREAKS];
	int next_break_id;
	struct repl_var vars[REPL_MAX_VARS];

	/* Effective access time model (stats, set eat.ma / eat.fault). */
	double eat_ma_ns;		/* one memory access */
	double eat_fault_ns;		/* one page fault, on average */
};

/* A fresh REPL with no machine, writing to @out and @err. */
void repl_init(struct repl *r, FILE *out, FILE *err);
/* Shut the machine down and free everything. */
void repl_destroy(struct repl *r);

/*
 * Run one command line.  Returns 0, or -1 when it failed (the reason is
 * already printed); r->quit is set by `quit`.
 */
int repl_exec(struct repl *r, const char *line);

/*
 * `mmulab repl [OPTIONS] [PROG [ARGS]]` and `mmulab script FILE`.
 * Returns the process exit status.
 */
int repl_main(int argc, char **argv);
int script_main(int argc, char **argv);

/* ---- shared between the REPL's files ------------------------------------ */

struct repl_cmd {
	const char *name;
	const char *args;	/* synopsis of the arguments */
	const char *help;	/* one line */
	const char *more;	/* long help, or NULL */
	/* @argv[0] is the command word as typed; @rest is the text after
	 * it, untokenised (expect, echo, set). */
	int (*fn)(struct repl *r, int argc, char **argv, const char *rest);
	unsigned flags;
};

#define CMD_KERNEL	0x1	/* needs a booted machine */
#define CMD_COMPLETE_SYM 0x2	/* tab-completes symbols */
#define CMD_COMPLETE_PID 0x4	/* tab-completes PIDs */
#define CMD_COMPLETE_PROC 0x8	/* tab-completes /proc paths */
#define CMD_COMPLETE_CMD 0x10	/* tab-completes command names */
#define CMD_COMPLETE_FILE 0x20	/* tab-completes host files */

extern const struct repl_cmd repl_cmds[];
extern const size_t repl_nr_cmds;

/* The command named @name (or a unique prefix, or an alias). */
const struct repl_cmd *repl_find_cmd(const char *name);

/* Print one error line: "script.mmu:12: " prefix when not interactive. */
void repl_error(struct repl *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Evaluate an expression against the machine; -1 after printing why. */
int repl_eval(struct repl *r, const char *text, struct expr_val *v,
	      struct expr_cmp *cmp);
/* An address from an expression (symbol+off, $sp, 0x...); -1 on error. */
int repl_addr(struct repl *r, const char *text, uint32_t *addr);

/* The task named by @pid (or the current one when @pid is NULL). */
struct task *repl_task(struct repl *r, const char *pid);

/* "main+12" for @addr into @buf ("" when no symbol is near). */
const char *repl_symbolize(struct repl *r, uint32_t addr, char *buf,
			   size_t len);

/* Side-effect-free guest reads (no A/D, no TLB, no walk counters). */
int repl_read_va(struct repl *r, struct mm *mm, uint32_t va, void *buf,
		 size_t len);

/* A REPL variable (set $x = ...), added when @add and absent; NULL if
 * not found or no slot is left. */
struct repl_var *repl_var(struct repl *r, const char *name, bool add);

/* Effective access time: p = faults / memory references, and
 * eat = (1 - p) * ma + p * fault_time in ns. */
void repl_eat(struct repl *r, double *p, double *eat);

/* The man page's REPL section (troff), from the command table. */
void repl_print_man(FILE *f);

/* The interactive front end (interactive.c). */
int repl_interactive(struct repl *r);

/* Command groups, one file each. */
int repl_load(struct repl *r, const char *prog, char **argv, char *err,
	      size_t errlen);

#endif
