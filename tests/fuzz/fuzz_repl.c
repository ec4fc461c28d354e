/*
 * fuzz_repl: the REPL's expression evaluator and command interpreter.
 *
 * The first byte chooses what the rest is:
 *
 *	0: one expression for expr_eval(), with names and memory answered
 *	   by a deterministic stub (a hash of the name; memory below 64 KiB
 *	   readable, above it not)
 *	1: command lines for repl_exec() on a REPL without a machine
 *	2: command lines on a REPL with a machine: the guest ELF named by
 *	   $MMULAB_FUZZ_ELF (default guest/bin/hello.elf), loaded once per
 *	   input; commands that run the guest for long (run, continue,
 *	   until, finish, step, next, load), gdb (it waits for one) and
 *	   the pictures written to files (physmap, pgtable --dot) are left
 *	   out, stepi/nexti run one instruction
 *
 * Nothing typed may crash the REPL, leak, or read outside what it owns;
 * the sanitizers judge.  Output goes to /dev/null.
 *
 *   make fuzz FUZZ_TARGETS=fuzz_repl [FUZZ_TIME=60]   (needs clang;
 *   make check runs it a few seconds, tests/fuzz/run.sh)
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl/repl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int stub_lookup(void *arg, const char *name, struct expr_val *out,
		       char *err, size_t errlen)
{
	uint64_t h = 1469598103934665603ull;

	(void)arg;
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	if (h % 5 == 0) {
		snprintf(err, errlen, "unknown name '%s'", name);
		return -1;
	}
	*out = (struct expr_val){ .flt = h % 7 == 0, .i = (int64_t)(h >> 8),
				  .f = (double)(h % 1000) / 7.0 };
	return 0;
}

static int stub_read(void *arg, uint64_t addr, unsigned size, uint64_t *out,
		     char *err, size_t errlen)
{
	(void)arg;
	if (addr + size > 0x10000) {
		snprintf(err, errlen, "cannot read 0x%llx",
			 (unsigned long long)addr);
		return -1;
	}
	*out = (addr * 2654435761u) & (size == 8 ? ~0ull
						 : (1ull << (8 * size)) - 1);
	return 0;
}

/* Commands that would run the guest for long, wait for a connection
 * (gdb) or touch host files (physmap --svg, pgtable --dot FILE). */
static bool skipped(const char *line)
{
	static const char *const slow[] = { "run", "continue", "until",
					    "finish", "step", "next", "load",
					    "gdb", "physmap" };
	char word[32];
	size_t n = 0;

	while (*line == ' ' || *line == '\t')
		line++;
	while (line[n] && !isspace((unsigned char)line[n]) && line[n] != '/' &&
	       n < sizeof(word) - 1) {
		word[n] = line[n];
		n++;
	}
	word[n] = '\0';
	const struct repl_cmd *c = repl_find_cmd(word);
	if (!c)
		return false;
	for (size_t i = 0; i < sizeof(slow) / sizeof(slow[0]); i++)
		if (!strcmp(c->name, slow[i]))
			return true;
	/* pgtable --dot FILE would write a host file */
	if (!strcmp(c->name, "pgtable") && strstr(line, "--dot"))
		return true;
	/* stepi and nexti: one instruction only */
	if (!strcmp(c->name, "stepi") || !strcmp(c->name, "nexti"))
		return line[n] && strspn(line + n, " \t") != strlen(line + n);
	return false;
}

static void run_lines(struct repl *r, const char *text, bool filter)
{
	const char *p = text;

	while (*p && !r->quit) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n);
		if (!line)
			return;
		if (!filter || !skipped(line))
			repl_exec(r, line);
		free(line);
		p += n + (p[n] == '\n');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	char *text;

	if (size < 1 || size > 4096)
		return 0;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	switch (data[0] % 3) {
	case 0: {
		struct expr_ops ops = { stub_lookup, stub_read, NULL };
		struct expr_val v;
		struct expr_cmp cmp;
		char err[128], buf[64];
		if (expr_eval(text, &ops, &v, &cmp, err, sizeof(err)) == 0) {
			expr_format(v, buf, sizeof(buf));
			(void)expr_true(v);
			(void)expr_int(v);
		} else if (!err[0]) {
			abort();	/* an error always says why */
		}
		break;
	}
	case 1:
	case 2: {
		struct repl r;
		repl_init(&r, devnull, devnull);
		r.source = "fuzz";
		if (data[0] % 3 == 2) {
			const char *elf = getenv("MMULAB_FUZZ_ELF");
			char err[256];
			char *argv[] = { NULL, NULL };
			argv[0] = (char *)(elf ? elf : "guest/bin/hello.elf");
			if (repl_load(&r, argv[0], argv, err, sizeof(err)) < 0) {
				repl_destroy(&r);
				break;
			}
		}
		run_lines(&r, text, true);
		repl_destroy(&r);
		break;
	}
	}
	free(text);
	return 0;
}
