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
#include "options.h"
#include "loader/elf.h"
#include "repl/expr.h"
#include "trace/event.h"

struct insn;

/* Set by SIGINT: a running guest stops and the prompt comes back. */
extern volatile int repl_interrupted;

#define REPL_MAX_BREAKS 32
#define REPL_MAX_VARS 32
#define REPL_MAX_ARGS 64

enum break_kind { BK_BREAK, BK_WATCH, BK_CATCH };

enum catch_kind {
	CATCH_FAULT, CATCH_COW, CATCH_SWAP, CATCH_OOM, CATCH_SYSCALL,
	CATCH_SIGNAL, CATCH_EXEC, CATCH_FORK,
};

struct repl_break {
	int id;			/* as shown by `info break`, from 1 */
	bool used;
	bool temp;		/* tbreak: deleted when hit */
	enum break_kind kind;
	uint32_t addr;		/* break, watch */
	int pid;		/* watch: whose memory (0 = pid 1) */
	enum catch_kind what_catch;
	int sysno;		/* catch syscall NR, -1 = any */
	bool watch_valid;	/* watch_val holds a value seen */
	bool watch_ok;		/* the word was readable */
	uint32_t watch_val;
	char what[64];		/* as typed: "main", "0x10074" */
	uint64_t hits;
};

struct repl_lines;		/* the DWARF line table (source.c) */

#define REPL_STEP_EVENTS 64

struct repl_var {
	char name[32];
	struct expr_val val;
};

struct repl {
	/* The machine: NULL until `load` (or a PROG on the command line). */
	struct kernel *k;
	struct run_options opts;	/* the machine's options (run's) */
	struct elf_image img;		/* the program's symbols */
	bool have_img;
	char *prog;			/* host path of the loaded program */
	char **argv;			/* its argv (owned, NULL-terminated) */
	bool exited;			/* every task has exited */
	int exit_status;		/* run's status once exited */
	/* Machine options: those the REPL started with, those of the last
	 * `load --OPTION ... PROG` (owned copies: opts points into them). */
	char **start_opts;
	int nr_start_opts;
	char **load_opts;
	int nr_load_opts;

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

	/* Sinks on the machine's tracer (exec.c). */
	int catch_handle, step_handle, mmu_step_handle;
	bool catch_events_on;		/* a catchpoint waits for events */
	bool caught;			/* the catch sink saw its event */
	struct trace_event caught_ev;
	struct trace_event step_events[REPL_STEP_EVENTS];
	unsigned nr_step_events;
	int nr_tasks_seen;
	uint64_t cow_copies, cow_reuses;	/* since load (events) */
	struct repl_lines *lines;	/* NULL: no DWARF line information */

	/* Effective access time model (stats, set eat.ma / eat.fault). */
	double eat_ma_ns;		/* one memory access */
	double eat_fault_ns;		/* one page fault, on average */
	unsigned eat_set;		/* 1: eat.ma set, 2: eat.fault set (else
					 * --cost gives them) */
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
/* With --cost: the cycles the model charged per memory reference, plus
 * the one cycle of the reference itself; 0 without --cost. */
double repl_eat_measured(struct repl *r);

/* Decode the instruction at @pc (from memory, or the ELF file where the
 * page is not present yet): 0, or -1 when nothing is there. */
int repl_fetch_insn(struct repl *r, struct mm *mm, uint32_t pc,
		    struct insn *in);

/* The instruction at @pc in objdump syntax, targets with <symbol+0xoff>;
 * its length and bits.  0, or -1 when nothing is there. */
int repl_disasm_at(struct repl *r, struct mm *mm, uint32_t pc, char *text,
		   size_t len, unsigned *ilen, uint32_t *bits);

/*
 * A code location: "*ADDR", "SYMBOL[+OFF]", "FILE:LINE", "LINE" (in the
 * current file) or any expression.  0 and *addr, or -1 after an error.
 */
int repl_location(struct repl *r, const char *spec, uint32_t *addr);

/* Source lines (source.c; all are no-ops without DWARF). */
void repl_lines_load(struct repl *r, const char *path);
void repl_lines_free(struct repl *r);
/* Line of @pc (> 0), or 0 when unknown. */
int repl_line_of(struct repl *r, uint32_t pc);
/* @pc starts a statement (is_stmt): a place where `step` stops. */
bool repl_is_stmt(struct repl *r, uint32_t pc);
/* "hello.c:12" for @pc into @buf; false when unknown. */
bool repl_source_of(struct repl *r, uint32_t pc, char *buf, size_t len);
/* Print "hello.c:12\t<the text of the line>" for @pc (nothing if unknown). */
void repl_show_source(struct repl *r, uint32_t pc);
/* The first statement address of FILE:LINE; 0 or -1. */
int repl_line_addr(struct repl *r, const char *file, int line,
		   uint32_t *addr);
/* Print lines around @line of @file (NULL: the file of the last stop). */
int repl_list(struct repl *r, const char *file, int line);

/* Called by repl_load() on the new machine (exec.c). */
void repl_after_load(struct repl *r);

/* The man page's REPL section (troff), from the command table. */
void repl_print_man(FILE *f);
/* The command reference of docs/repl.md (Markdown), from the same table. */
void repl_print_markdown(FILE *f);

/* The interactive front end (interactive.c). */
int repl_interactive(struct repl *r);

/* Command groups, one file each. */
/*
 * `load --ram 16M --swap FILE:SIZE PROG`: @argv[0 .. @argc-1] start with
 * machine options (as mmulab run's); they are added to the options the
 * REPL was started with and replace those of an earlier load, for this
 * load and the later ones.  Returns the index in @argv of PROG, or -1
 * after one line on stderr naming the bad option.
 */
int repl_load_options(struct repl *r, int argc, char **argv);
int repl_load(struct repl *r, const char *prog, char **argv, char *err,
	      size_t errlen);

#endif
