/*
 * The REPL on a terminal: GNU readline with history in ~/.mmulab_history
 * ($HOME honoured) and tab completion of command names, symbols, PIDs and
 * /proc paths.  Ctrl-C at the prompt clears the line; while the guest runs
 * it stops the guest and returns to the prompt (exec.c polls
 * repl_interrupted).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "kernel/kernel/sched.h"
#include "kernel/lib/string.h"
#include "repl/repl.h"

#define HISTORY_MAX 1000

volatile int repl_interrupted;

static struct repl *the_repl;	/* readline's callbacks take no argument */

static void on_sigint(int sig)
{
	(void)sig;
	repl_interrupted = 1;
}

static char *dup_match(const char *s)
{
	return strdup(s);
}

/* Candidate generators: called with state 0 first, then 1, 2, ... */
static char *complete_cmd(const char *text, int state)
{
	static size_t i;
	size_t n = strlen(text);

	if (!state)
		i = 0;
	while (i < repl_nr_cmds) {
		const char *name = repl_cmds[i++].name;
		if (!strncmp(name, text, n))
			return dup_match(name);
	}
	return NULL;
}

static char *complete_sym(const char *text, int state)
{
	static unsigned i;
	size_t n = strlen(text);
	struct repl *r = the_repl;

	if (!state)
		i = 0;
	if (!r->have_img)
		return NULL;
	while (i < r->img.nr_syms) {
		const char *name = r->img.syms[i++].name;
		if (name && name[0] && !strncmp(name, text, n))
			return dup_match(name);
	}
	return NULL;
}

static char *complete_pid(const char *text, int state)
{
	static int next;
	struct repl *r = the_repl;
	size_t n = strlen(text);
	char buf[16];

	if (!state)
		next = 1;
	if (!r->k)
		return NULL;
	for (; next < r->k->next_pid; next++) {
		if (!find_task(r->k, next))
			continue;
		snprintf(buf, sizeof(buf), "%d", next);
		if (!strncmp(buf, text, n)) {
			next++;
			return dup_match(buf);
		}
	}
	return NULL;
}

static char *complete_proc(const char *text, int state)
{
	static const char *const files[] = {
		"/proc/meminfo", "/proc/vmstat", "/proc/buddyinfo",
		"/proc/zoneinfo", "/proc/slabinfo", "/proc/version",
		"/proc/uptime", "/proc/self/maps", "/proc/self/smaps",
		"/proc/self/status",
	};
	static const char *const per_pid[] = { "maps", "smaps", "status",
						"statm", "stat", "cmdline" };
	static char cand[64][40];
	static int nr, i;
	struct repl *r = the_repl;
	size_t n = strlen(text);

	if (!state) {
		nr = i = 0;
		for (size_t j = 0; j < ARRAY_SIZE(files); j++)
			strscpy(cand[nr++], files[j], sizeof(cand[0]));
		for (int pid = 1; r->k && pid < r->k->next_pid; pid++) {
			if (!find_task(r->k, pid))
				continue;
			for (size_t j = 0; j < ARRAY_SIZE(per_pid) &&
					   nr < (int)ARRAY_SIZE(cand); j++)
				snprintf(cand[nr++], sizeof(cand[0]),
					 "/proc/%d/%s", pid, per_pid[j]);
		}
	}
	while (i < nr) {
		const char *c = cand[i++];
		if (!strncmp(c, text, n))
			return dup_match(c);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1;
	/* the first word: a command */
	int i = 0;
	while (i < start && (rl_line_buffer[i] == ' ' ||
			     rl_line_buffer[i] == '\t'))
		i++;
	if (i == start)
		return rl_completion_matches(text, complete_cmd);

	char word[32];
	size_t wl = strcspn(rl_line_buffer + i, " \t/");
	strscpy(word, rl_line_buffer + i, wl + 1 < sizeof(word) ? wl + 1
							       : sizeof(word));
	const struct repl_cmd *c = repl_find_cmd(word);
	if (!c)
		return NULL;
	if (c->flags & CMD_COMPLETE_CMD)
		return rl_completion_matches(text, complete_cmd);
	if (c->flags & CMD_COMPLETE_PROC)
		return rl_completion_matches(text, complete_proc);
	if (c->flags & CMD_COMPLETE_FILE) {
		rl_attempted_completion_over = 0;
		return NULL;	/* readline's file names */
	}
	if ((c->flags & CMD_COMPLETE_PID) && text[0] >= '0' && text[0] <= '9')
		return rl_completion_matches(text, complete_pid);
	if (c->flags & CMD_COMPLETE_SYM)
		return rl_completion_matches(text, complete_sym);
	if (c->flags & CMD_COMPLETE_PID)
		return rl_completion_matches(text, complete_pid);
	return NULL;
}

static char *history_path(void)
{
	const char *home = getenv("HOME");
	char *p;

	if (!home || !*home)
		return NULL;
	if (asprintf(&p, "%s/.mmulab_history", home) < 0)
		return NULL;
	return p;
}

int repl_interactive(struct repl *r)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	char *hist = history_path();
	char *line;

	the_repl = r;
	rl_readline_name = "mmulab";
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t\n\"'";
	using_history();
	stifle_history(HISTORY_MAX);
	if (hist)
		read_history(hist);
	sigemptyset(&sa.sa_mask);
	fprintf(r->out, "mmulab REPL -- 'help' lists the commands, Ctrl-D "
			"leaves%s\n",
		r->k ? "" : "; start with 'load PROG.elf'");
	while (!r->quit) {
		struct sigaction saved;

		/* At the prompt Ctrl-C only interrupts the line; while a
		 * guest runs, the run options' handler stops kernel_step. */
		sigaction(SIGINT, &sa, &saved);
		repl_interrupted = 0;
		line = readline("(mmulab) ");
		sigaction(SIGINT, &saved, NULL);
		run_options_resume();
		if (!line) {
			fputc('\n', r->out);
			break;
		}
		if (line[0] && line[0] != ' ') {
			HIST_ENTRY *last = history_length
						   ? history_get(history_base +
								 history_length -
								 1)
						   : NULL;
			if (!last || strcmp(last->line, line))
				add_history(line);
		}
		repl_exec(r, line);
		free(line);
	}
	if (hist) {
		write_history(hist);
		free(hist);
	}
	return 0;
}
