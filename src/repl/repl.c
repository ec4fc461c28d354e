/*
 * The REPL's core: tokenising a line, dispatching through the command
 * table, names for expressions, side-effect-free memory reads, loading a
 * program, and the two entry points (repl, script).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kernel/sched.h"
#include "kernel/lib/string.h"
#include "kernel/mm/vmstat.h"
#include "repl/repl.h"

extern char **environ;

void repl_init(struct repl *r, FILE *out, FILE *err)
{
	memset(r, 0, sizeof(*r));
	run_options_init(&r->opts, "repl");
	r->out = out;
	r->err = err;
	r->next_break_id = 1;
	r->eat_ma_ns = 100.0;
	r->eat_fault_ns = 8e6;	/* 8 ms, the textbook's disk-backed fault */
}

static void unload(struct repl *r)
{
	if (r->k) {
		fflush(stdout);
		run_options_shutdown(&r->opts, r->k);
		free(r->k);
		r->k = NULL;
	}
	if (r->have_img)
		elf_free(&r->img);
	r->have_img = false;
	repl_lines_free(r);
	if (r->argv)
		for (char **a = r->argv; *a; a++)
			free(*a);
	free(r->argv);
	r->argv = NULL;
	free(r->prog);
	r->prog = NULL;
	r->exited = false;
	r->exit_status = 0;
}

static void free_load_opts(char **all, int from, int n)
{
	if (!all)
		return;
	for (int i = 0; i < n; i++)
		free(all[from + i]);
	free(all);
}

void repl_destroy(struct repl *r)
{
	unload(r);
	run_options_free(&r->opts);
	free_load_opts(r->load_opts, r->nr_start_opts + 1, r->nr_load_opts);
	r->load_opts = NULL;
}

int repl_load_options(struct repl *r, int argc, char **argv)
{
	int n = r->nr_start_opts, argi = 0, e, i;
	struct run_options o;
	char **all;

	/* "load", the REPL's own options, then these: later ones win */
	all = calloc((size_t)(n + argc + 2), sizeof(*all));
	if (!all) {
		repl_error(r, "load: out of memory");
		return -1;
	}
	all[0] = (char *)"load";
	for (i = 0; i < n; i++)
		all[1 + i] = r->start_opts[i];
	for (i = 0; i < argc; i++) {
		all[1 + n + i] = strdup(argv[i]);
		if (!all[1 + n + i]) {
			free_load_opts(all, 1 + n, i);
			repl_error(r, "load: out of memory");
			return -1;
		}
	}
	run_options_init(&o, r->opts.cmd);
	fflush(r->out);
	e = parse_run_options(n + argc + 1, all, &o, &argi);
	if (!e && argi >= n + argc + 1) {
		repl_error(r, "load: which program? (load [OPTIONS] PROG.elf "
			      "[ARGS...])");
		e = -1;
	}
	if (e) {
		run_options_free(&o);
		free_load_opts(all, 1 + n, argc);
		return e == RUN_OPTIONS_HELP ? -2 : -1;
	}
	/* the old machine goes with the options it was booted with */
	unload(r);
	run_options_free(&r->opts);
	r->opts = o;
	free_load_opts(r->load_opts, 1 + n, r->nr_load_opts);
	r->load_opts = all;
	r->nr_load_opts = argc;
	return argi - 1 - n;
}

void repl_error(struct repl *r, const char *fmt, ...)
{
	va_list ap;

	fflush(r->out);
	if (!r->interactive && r->source)
		fprintf(r->err, "%s:%d: ", r->source, r->lineno);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
	fflush(r->err);
}

/* ---- loading ------------------------------------------------------------- */

int repl_load(struct repl *r, const char *prog, char **argv, char *err,
	      size_t errlen)
{
	struct kernel *k;
	struct elf_image img;
	int n = 0;

	/* Check the file first so a typo keeps the old program loaded. */
	if (elf_load_file(&img, prog, err, errlen) < 0)
		return -1;
	unload(r);
	r->img = img;
	r->have_img = true;
	k = calloc(1, sizeof(*k));
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* the run's options: sysctls, swap, views, traces, signals */
	if (run_options_boot(&r->opts, k)) {
		snprintf(err, errlen, "cannot boot the machine (see above)");
		free(k);
		return -1;
	}
	while (argv && argv[n])
		n++;
	r->argv = calloc((size_t)n + 2, sizeof(char *));
	r->prog = strdup(prog);
	if (!r->argv || !r->prog) {
		run_options_shutdown(&r->opts, k);
		free(k);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (n == 0)
		r->argv[n++] = strdup(prog);
	else
		for (int i = 0; i < n; i++)
			r->argv[i] = strdup(argv[i]);
	if (kernel_spawn_init(k, prog, r->argv, err, errlen) < 0) {
		run_options_shutdown(&r->opts, k);
		free(k);
		return -1;
	}
	r->k = k;
	repl_lines_load(r, prog);
	repl_after_load(r);
	return 0;
}

/* ---- names and memory for expressions ------------------------------------ */

struct task *repl_task(struct repl *r, const char *pid)
{
	if (!r->k)
		return NULL;
	if (!pid)
		return r->k->current ? r->k->current : r->k->init;
	char *end;
	errno = 0;
	long v = strtol(pid, &end, 0);
	if (errno || *end || end == pid || v <= 0 || v > 1 << 22)
		return NULL;
	return find_task(r->k, (int)v);
}

/* Registers of the task being looked at: the hart's when it is current. */
static uint32_t *task_regs(struct repl *r, struct task *t, uint32_t **pc)
{
	if (t && r->k->current == t) {
		*pc = &r->k->cpu.pc;
		return r->k->cpu.x;
	}
	*pc = &t->pc;
	return t->regs;
}

static int reg_index(const char *name)
{
	if (!strcmp(name, "fp"))
		return 8;
	for (unsigned i = 0; i < 32; i++)
		if (!strcmp(name, cpu_reg_name(i)))
			return (int)i;
	if (name[0] == 'x' && isdigit((unsigned char)name[1])) {
		char *end;
		long v = strtol(name + 1, &end, 10);
		if (!*end && v >= 0 && v < 32)
			return (int)v;
	}
	return -1;
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

static int tlb_field(struct repl *r, bool itlb, const char *f,
		     struct expr_val *v)
{
	struct tlb_stats st;
	const struct tlb *t = itlb ? &r->k->mmu.itlb : &r->k->mmu.dtlb;

	mmu_tlb_stats(&r->k->mmu, itlb, &st);
	*v = (struct expr_val){0};
	if (!strcmp(f, "accesses"))
		v->i = (int64_t)st.accesses;
	else if (!strcmp(f, "hits"))
		v->i = (int64_t)(st.accesses - st.misses);
	else if (!strcmp(f, "misses") || !strcmp(f, "miss"))
		v->i = (int64_t)st.misses;
	else if (!strcmp(f, "evictions"))
		v->i = (int64_t)st.evictions;
	else if (!strcmp(f, "flush_page"))
		v->i = (int64_t)st.flush_page;
	else if (!strcmp(f, "flush_asid"))
		v->i = (int64_t)st.flush_asid;
	else if (!strcmp(f, "flush_all"))
		v->i = (int64_t)st.flush_all;
	else if (!strcmp(f, "entries"))
		v->i = t->nr_entries;
	else if (!strcmp(f, "ways"))
		v->i = t->ways;
	else if (!strcmp(f, "valid"))
		v->i = tlb_count_valid(t);
	else if (!strcmp(f, "miss_rate")) {
		v->flt = true;
		v->f = ratio(st.misses, st.accesses);
	} else if (!strcmp(f, "hit_rate")) {
		v->flt = true;
		v->f = ratio(st.accesses - st.misses, st.accesses);
	} else
		return -1;
	return 0;
}

void repl_eat(struct repl *r, double *p, double *eat)
{
	struct tlb_stats is, ds;
	unsigned long faults = 0;

	mmu_tlb_stats(&r->k->mmu, true, &is);
	mmu_tlb_stats(&r->k->mmu, false, &ds);
	vmstat_lookup(&r->k->mem, "pgfault", &faults);
	*p = ratio(faults, is.accesses + ds.accesses);
	if (r->k->cfg.cost.on) {
		/* --cost: ma and fault_time are the model's, from the same
		 * counters (one cycle = 1 ns), unless set by hand. */
		const struct cost_model *c = &r->k->cfg.cost;
		uint64_t refs = is.accesses + ds.accesses;
		const uint64_t *fk = r->k->fault_kinds;
		unsigned long maj = 0, in = 0, out = 0;
		uint64_t ok = 0;

		vmstat_lookup(&r->k->mem, "pgmajfault", &maj);
		vmstat_lookup(&r->k->mem, "pswpin", &in);
		vmstat_lookup(&r->k->mem, "pswpout", &out);
		for (int i = FR_ZERO_PAGE; i < NR_FAULT_RESULTS; i++)
			if (i != FR_SIGSEGV && i != FR_SIGBUS && i != FR_OOM)
				ok += fk[i];
		if (!(r->eat_set & 1))
			r->eat_ma_ns = 1.0 + ratio((is.misses + ds.misses) *
							   c->tlb_miss +
						   r->k->mmu.st.walk_reads *
							   c->walk_access,
					     refs);
		if (!(r->eat_set & 2))
			r->eat_fault_ns =
				ratio((ok > maj ? ok - maj : 0) *
					      c->minor_fault +
				      (uint64_t)maj * c->major_fault +
				      (uint64_t)(in + out) * c->swap_io,
				      ok);
	}
	*eat = (1.0 - *p) * r->eat_ma_ns + *p * r->eat_fault_ns;
}

double repl_eat_measured(struct repl *r)
{
	struct tlb_stats is, ds;
	const struct kernel *k = r->k;

	if (!k->cfg.cost.on)
		return 0.0;
	mmu_tlb_stats(&k->mmu, true, &is);
	mmu_tlb_stats(&k->mmu, false, &ds);
	return 1.0 + ratio(k->cpu.cycle - k->cpu.instret - k->idle_ns,
			   is.accesses + ds.accesses);
}

struct repl_var *repl_var(struct repl *r, const char *name, bool add)
{
	for (int i = 0; i < REPL_MAX_VARS; i++)
		if (r->vars[i].name[0] && !strcmp(r->vars[i].name, name))
			return &r->vars[i];
	if (!add)
		return NULL;
	for (int i = 0; i < REPL_MAX_VARS; i++)
		if (!r->vars[i].name[0]) {
			strscpy(r->vars[i].name, name, sizeof(r->vars[i].name));
			return &r->vars[i];
		}
	return NULL;
}

static int lookup(void *arg, const char *name, struct expr_val *v, char *err,
		  size_t errlen)
{
	struct repl *r = arg;
	struct repl_var *var = repl_var(r, name, false);

	*v = (struct expr_val){0};
	if (var) {
		*v = var->val;
		return 0;
	}
	if (!r->k) {
		snprintf(err, errlen, "'%s': no program loaded (try 'load "
				      "PROG')", name);
		return -1;
	}
	if (name[0] == '$') {
		struct task *t = repl_task(r, NULL);
		uint32_t *pc, *regs;
		int i = reg_index(name + 1);
		if (!t) {
			snprintf(err, errlen, "%s: no process", name);
			return -1;
		}
		regs = task_regs(r, t, &pc);
		if (!strcmp(name + 1, "pc"))
			v->i = *pc;
		else if (i >= 0)
			v->i = i ? regs[i] : 0;
		else {
			snprintf(err, errlen, "unknown register or variable "
					      "'%s'", name);
			return -1;
		}
		return 0;
	}
	if (!strcmp(name, "exit")) {
		if (!r->exited) {
			snprintf(err, errlen, "exit: the program has not "
					      "exited yet");
			return -1;
		}
		v->i = r->exit_status;
		return 0;
	}
	if (!strncmp(name, "vmstat.", 7)) {
		unsigned long val;
		if (!vmstat_lookup(&r->k->mem, name + 7, &val)) {
			snprintf(err, errlen, "unknown counter '%s' (see "
					      "'cat /proc/vmstat')", name);
			return -1;
		}
		v->i = (int64_t)val;
		return 0;
	}
	if (!strncmp(name, "tlb.", 4) &&
	    (name[4] == 'd' || name[4] == 'i') && name[5] == '.') {
		if (tlb_field(r, name[4] == 'i', name + 6, v) < 0) {
			snprintf(err, errlen, "unknown TLB field '%s' "
				 "(accesses hits misses miss_rate hit_rate "
				 "evictions flush_page flush_asid flush_all "
				 "entries ways valid)", name);
			return -1;
		}
		return 0;
	}
	static const char *const eat_names[] = { "eat", "eat.p", "eat.ma",
						  "eat.fault", "eat.measured" };
	for (int i = 0; i < 5; i++) {
		if (strcmp(name, eat_names[i]))
			continue;
		double p, eat;
		repl_eat(r, &p, &eat);
		v->flt = true;
		v->f = i == 0 ? eat : i == 1 ? p : i == 2 ? r->eat_ma_ns
					: i == 3 ? r->eat_fault_ns
						 : repl_eat_measured(r);
		return 0;
	}
	const struct {
		const char *name;
		uint64_t val;
	} plain[] = {
		{"instructions", r->k->cpu.instret},
		{"cycles", r->k->cpu.cycle},
		{"syscalls", r->k->nr_syscalls},
		{"walks", r->k->mmu.st.walks},
		{"page_walks", r->k->mmu.st.walks},
		{"walk_reads", r->k->mmu.st.walk_reads},
		{"mmu.faults", r->k->mmu.st.faults},
		{"nr_tasks", (uint64_t)r->k->nr_tasks},
		{"cow.copies", r->cow_copies},
		{"cow.reuses", r->cow_reuses},
		{"pid", r->k->current ? (uint64_t)r->k->current->pid : 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(plain); i++)
		if (!strcmp(name, plain[i].name)) {
			v->i = (int64_t)plain[i].val;
			return 0;
		}
	if (r->have_img) {
		const struct elf_symbol *s = elf_symbol_find(&r->img, name);
		if (s) {
			v->i = s->addr;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown name '%s' (a symbol, $reg, vmstat.NAME, "
			      "tlb.d.FIELD, exit, instructions...)", name);
	return -1;
}

/*
 * Walk @mm's tables for @va without touching anything: no A/D bits, no
 * TLB, no walk counters.  Returns the guest physical address or -1.
 */
static int64_t probe_pa(struct repl *r, struct mm *mm, uint32_t va)
{
	const struct pt_geometry *g = r->k->mmu.geo;
	pfn_t pfn_mask = ((pfn_t)1 << g->pfn_bits) - 1;
	gpa_t table = mm ? mm->pgd : 0;

	if (!table)
		return -1;
	for (int lvl = 0; lvl < g->nr_levels; lvl++) {
		gpa_t pte_pa = table + (gpa_t)pt_index(g, lvl, va) *
					       g->entry_size;
		void *host = phys_host(&r->k->phys, pte_pa, g->entry_size);
		if (!host)
			return -1;
		pte_t pte = pt_read(g, host);
		if (!(pte & PTE_V))
			return -1;
		pfn_t pfn = pte_pfn(pte) & pfn_mask;
		if (pte & PTE_RWX)
			return (int64_t)(((gpa_t)pfn << PAGE_SHIFT) +
					 (va & (((gva_t)1 << g->level[lvl].shift) -
						1)));
		table = (gpa_t)pfn << PAGE_SHIFT;
	}
	return -1;
}

int repl_read_va(struct repl *r, struct mm *mm, uint32_t va, void *buf,
		 size_t len)
{
	uint8_t *p = buf;

	while (len) {
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		int64_t pa = probe_pa(r, mm, va);
		const void *host = pa < 0 ? NULL
				 : phys_host(&r->k->phys, (gpa_t)pa, chunk);
		if (!host)
			return -1;
		memcpy(p, host, chunk);
		p += chunk;
		va += (uint32_t)chunk;
		len -= chunk;
	}
	return 0;
}

static int read_mem(void *arg, uint64_t addr, unsigned size, uint64_t *out,
		    char *err, size_t errlen)
{
	struct repl *r = arg;
	struct task *t = repl_task(r, NULL);
	uint8_t b[8] = {0};

	if (!t || !t->mm) {
		snprintf(err, errlen, "no process to read memory from");
		return -1;
	}
	if (!size) {		/* pa[VA] */
		int64_t pa = addr < 0x100000000ull ?
			probe_pa(r, t->mm, (uint32_t)addr) : -1;
		*out = pa < 0 ? ~0ull : (uint64_t)pa;
		return 0;
	}
	if (addr + size > 0x100000000ull ||
	    repl_read_va(r, t->mm, (uint32_t)addr, b, size) < 0) {
		snprintf(err, errlen, "cannot read 0x%llx: no page is mapped "
				      "there yet (see 'translate 0x%llx')",
			 (unsigned long long)addr, (unsigned long long)addr);
		return -1;
	}
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	*out = v;
	return 0;
}

int repl_eval(struct repl *r, const char *text, struct expr_val *v,
	      struct expr_cmp *cmp)
{
	struct expr_ops ops = { lookup, read_mem, r };
	char err[256];

	if (expr_eval(text, &ops, v, cmp, err, sizeof(err)) < 0) {
		repl_error(r, "%s", err);
		return -1;
	}
	return 0;
}

int repl_addr(struct repl *r, const char *text, uint32_t *addr)
{
	struct expr_val v;

	if (repl_eval(r, text, &v, NULL) < 0)
		return -1;
	int64_t a = expr_int(v);
	/* *(int*)$sp gives a signed word: take it modulo 2^32 */
	if (a < 0 && a >= -0x80000000ll)
		a &= 0xffffffffll;
	if (a < 0 || a > 0xffffffffll) {
		repl_error(r, "'%s' is not a 32-bit address", text);
		return -1;
	}
	*addr = (uint32_t)a;
	return 0;
}

int repl_location(struct repl *r, const char *spec, uint32_t *addr)
{
	const char *colon = strrchr(spec, ':');

	while (isspace((unsigned char)*spec))
		spec++;
	if (*spec == '*')
		return repl_addr(r, spec + 1, addr);
	/* FILE:LINE, or a bare LINE in the program's sources */
	if (colon && colon != spec && isdigit((unsigned char)colon[1])) {
		char file[256];
		char *end;
		size_t n = (size_t)(colon - spec);
		long line = strtol(colon + 1, &end, 10);
		if (n < sizeof(file) && !*end && line > 0 && line < 1000000) {
			memcpy(file, spec, n);
			file[n] = '\0';
			if (!r->lines) {
				repl_error(r, "'%s': the program has no line "
					      "information (build it with -g)",
					   spec);
				return -1;
			}
			if (repl_line_addr(r, file, (int)line, addr) < 0) {
				repl_error(r, "'%s': no code at that line",
					   spec);
				return -1;
			}
			return 0;
		}
	}
	return repl_addr(r, spec, addr);
}

const char *repl_symbolize(struct repl *r, uint32_t addr, char *buf,
			   size_t len)
{
	const struct elf_symbol *s =
		r->have_img ? elf_symbol_at(&r->img, addr) : NULL;

	buf[0] = '\0';
	/* inside a sized symbol, or within 4 KiB of a label */
	if (!s || addr < s->addr ||
	    addr - s->addr >= (s->size ? s->size : PAGE_SIZE))
		return buf;
	if (addr == s->addr)
		snprintf(buf, len, "%s", s->name);
	else
		snprintf(buf, len, "%s+0x%x", s->name, addr - s->addr);
	return buf;
}

/* ---- one command line ----------------------------------------------------- */

/* Levenshtein distance, for "did you mean". */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64];

	if (la > 63 || lb > 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cur = row[j];
			unsigned best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static const char *closest_cmd(const char *word)
{
	const char *best = NULL;
	unsigned bestd = 3;

	for (size_t i = 0; i < repl_nr_cmds; i++) {
		unsigned d = edit_distance(word, repl_cmds[i].name);
		if (d < bestd) {
			bestd = d;
			best = repl_cmds[i].name;
		}
	}
	return best;
}

/*
 * Split @line into words: blanks separate, "double" and 'single' quotes
 * group.  Writes into @buf.  Returns the count, or -1 for an unterminated
 * quote or too many words.
 */
static int tokenize(const char *line, char *buf, char **argv, int max)
{
	int argc = 0;
	const char *s = line;
	char *o = buf;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		if (argc == max - 1)
			return -1;
		argv[argc++] = o;
		while (*s && !isspace((unsigned char)*s)) {
			if (*s == '"' || *s == '\'') {
				char q = *s++;
				while (*s && *s != q)
					*o++ = *s++;
				if (!*s)
					return -1;
				s++;
			} else {
				*o++ = *s++;
			}
		}
		*o++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

int repl_exec(struct repl *r, const char *line)
{
	char *buf, *argv[REPL_MAX_ARGS];
	const char *s = line;
	int argc, ret;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '#')
		return 0;
	size_t len = strlen(s);
	buf = malloc(len + 1);
	if (!buf) {
		repl_error(r, "out of memory");
		return -1;
	}
	argc = tokenize(s, buf, argv, REPL_MAX_ARGS);
	if (argc < 0) {
		repl_error(r, "unterminated quote or more than %d words",
			   REPL_MAX_ARGS - 1);
		free(buf);
		return -1;
	}
	/* x/4x ADDR: the format sticks to the command word. */
	char word[32];
	size_t wl = strcspn(argv[0], "/");
	strscpy(word, argv[0], wl + 1 < sizeof(word) ? wl + 1 : sizeof(word));
	const struct repl_cmd *c = repl_find_cmd(word);
	if (!c) {
		const char *near = closest_cmd(word);
		if (near)
			repl_error(r, "unknown command '%s': did you mean "
				      "'%s'? (try 'help')", word, near);
		else
			repl_error(r, "unknown command '%s' (try 'help')",
				   word);
		free(buf);
		return -1;
	}
	if ((c->flags & CMD_KERNEL) && !r->k) {
		repl_error(r, "%s: no program loaded (try 'load PROG')",
			   c->name);
		free(buf);
		return -1;
	}
	/* The untokenised text after the command word. */
	const char *rest = s + strcspn(s, " \t");
	while (isspace((unsigned char)*rest))
		rest++;
	ret = c->fn(r, argc, argv, rest);
	free(buf);
	fflush(r->out);
	return ret;
}

/* ---- entry points ---------------------------------------------------------- */

/* Read commands from @f until EOF or quit.  Returns the exit status. */
static int run_stream(struct repl *r, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while (!r->quit && (n = getline(&line, &cap, f)) >= 0) {
		r->lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (repl_exec(r, line) < 0)
			r->nr_errors++;
	}
	free(line);
	return r->nr_errors || r->nr_failed ? 1 : 0;
}

/*
 * The machine options of `mmulab run` (src/options.c).  Returns the index
 * of the first operand, -1 after one line on stderr, or -2 after --help.
 */
static int parse_options(struct repl *r, int argc, char **argv)
{
	int argi;
	int e = parse_run_options(argc, argv, &r->opts, &argi);

	if (e == RUN_OPTIONS_HELP)
		return -2;
	if (e)
		return -1;
	/* kept for `load --OPTION ...`, which adds to them */
	r->start_opts = argv + 1;
	r->nr_start_opts = argi - 1;
	return argi;
}

int repl_main(int argc, char **argv)
{
	struct repl r;
	int first, status;

	repl_init(&r, stdout, stderr);
	first = parse_options(&r, argc, argv);
	if (first < 0) {
		repl_destroy(&r);
		return first == -2 ? 0 : 2;
	}
	r.interactive = isatty(0) && isatty(1);
	r.source = "stdin";
	if (first < argc) {
		char err[256];
		if (repl_load(&r, argv[first], argv + first, err,
			      sizeof(err)) < 0) {
			fprintf(stderr, "mmulab: %s: %s\n", argv[first], err);
			repl_destroy(&r);
			return 2;
		}
	}
	if (r.interactive)
		status = repl_interactive(&r);
	else
		status = run_stream(&r, stdin);
	repl_destroy(&r);
	return status;
}

int script_main(int argc, char **argv)
{
	struct repl r;
	int first, status;
	FILE *f;

	repl_init(&r, stdout, stderr);
	r.opts.cmd = "script";
	first = parse_options(&r, argc, argv);
	if (first < 0) {
		repl_destroy(&r);
		return first == -2 ? 0 : 2;
	}
	if (first != argc - 1) {
		repl_destroy(&r);
		fprintf(stderr, "mmulab: script: expected one FILE (try "
				"'mmulab repl --help')\n");
		return 2;
	}
	f = fopen(argv[first], "r");
	if (!f) {
		fprintf(stderr, "mmulab: script: %s: %s\n", argv[first],
			strerror(errno));
		repl_destroy(&r);
		return 2;
	}
	r.source = argv[first];
	status = run_stream(&r, f);
	fclose(f);
	repl_destroy(&r);
	return status;
}
