/*
 * Execution control, GDB-like, on kernel_step(): load, run, continue,
 * stepi/nexti, step/next (by source line with DWARF), finish, until,
 * break/tbreak/delete/watch/catch and info.
 *
 * Watching never changes behaviour: breakpoints are checked between
 * single steps (no ebreak is written into guest memory), watchpoints
 * compare values read without side effects, and catchpoints use the
 * kernel's stop mask or a sink on the event layer.  The guest's output
 * and every counter are the same as in a plain run.
 *
 * Stepping one instruction shows what it did to the machine, under the
 * instruction: TLB lookups and misses, page walks, the page fault (seen
 * before the kernel handles it) and its resolution -- from the counters
 * before and after, and from the event layer when it emits.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "gdb/gdbstub.h"
#include "kernel/kernel/sched.h"
#include "kernel/kernel/syscalls.h"
#include "kernel/lib/string.h"
#include "kernel/mm/vmstat.h"
#include "repl/cmds.h"
#include "trace/sink.h"

/* Instructions per kernel_step() when nothing needs single steps: the
 * granularity of Ctrl-C. */
#define RUN_CHUNK (1u << 20)

enum run_mode {
	RUN_CONT,	/* until a breakpoint, catchpoint, exit or Ctrl-C */
	RUN_STEPI,	/* count instructions */
	RUN_NEXTI,	/* count instructions, calls as one */
	RUN_STEP,	/* count source lines */
	RUN_NEXT,	/* count source lines, calls as one */
	RUN_FINISH,	/* until the current function returns */
	RUN_UNTIL,	/* until pc == addr, or past a loop's end */
};

struct run_req {
	enum run_mode mode;
	uint64_t count;
	uint32_t addr;		/* RUN_UNTIL with an address */
	bool has_addr;
	bool verbose;		/* print each instruction and its effects */
};

/* ---- loading -------------------------------------------------------------- */

static void catch_sink(void *arg, const struct trace_event *ev);
static void step_sink(void *arg, const struct trace_event *ev);

/* Counts what vmstat has no counter for (COW copies and reuses). */
static void count_sink(void *arg, const struct trace_event *ev)
{
	struct repl *r = arg;

	if (ev->type == EV_COW_COPY)
		r->cow_copies++;
	else if (ev->type == EV_COW_REUSE)
		r->cow_reuses++;
}

/* Attach the REPL's sinks to a freshly loaded machine. */
static void attach_sinks(struct repl *r)
{
	struct tracer *tr = ktrace(r->k);

	if (!tr->clock)
		tr->clock = &r->k->cpu.instret;
	r->catch_handle = trace_add_sink(tr, 0, catch_sink, r);
	r->step_handle = trace_add_sink(tr, 0, step_sink, r);
	r->cow_copies = r->cow_reuses = 0;
	trace_add_sink(tr, TRACE_BIT(EV_COW_COPY) | TRACE_BIT(EV_COW_REUSE),
		       count_sink, r);
	/* TLB and walk events, while the MMU has a tracer of its own */
	r->mmu_step_handle = &r->k->mmu.trace != tr
				     ? trace_add_sink(&r->k->mmu.trace, 0,
						      step_sink, r)
				     : -1;
}

static void set_step_mask(struct repl *r, uint64_t mask)
{
	trace_set_mask(ktrace(r->k), r->step_handle, mask);
	if (r->mmu_step_handle >= 0)
		trace_set_mask(&r->k->mmu.trace, r->mmu_step_handle, mask);
}

REPL_CMD(cmd_load)
{
	char err[256];
	int first = 1;

	if (argc >= 2 && argv[1][0] == '-') {
		/* load --ram 16M --swap FILE:SIZE PROG: machine options */
		first = repl_load_options(r, argc - 1, argv + 1);
		if (first < 0)
			return first == -2 ? 0 : -1;
		first++;
	}
	if (first >= argc) {
		repl_error(r, "load: which program? (load [OPTIONS] PROG.elf "
			      "[ARGS...])");
		return -1;
	}
	if (repl_load(r, argv[first], argv + first, err, sizeof(err)) < 0) {
		repl_error(r, "load: %s: %s", argv[first], err);
		return -1;
	}
	fprintf(r->out, "loaded %s: pid %d, entry 0x%08x, %u symbols%s\n",
		argv[first], r->k->init->pid, r->img.entry, r->img.nr_syms,
		r->lines ? ", source lines" : "");
	return 0;
}

void repl_after_load(struct repl *r)
{
	attach_sinks(r);
	/* breakpoints stay; their hit counts start again */
	for (int i = 0; i < REPL_MAX_BREAKS; i++) {
		r->brk[i].hits = 0;
		r->brk[i].watch_valid = false;
	}
}

/* ---- what a step did ---------------------------------------------------------- */

struct snapshot {
	uint64_t instret;
	struct tlb_stats itlb, dtlb;
	uint64_t walks, walk_reads;
	unsigned long pgfault, pgmajfault, pswpin, pswpout;
	uint64_t syscalls;
};

static void snap(struct repl *r, struct snapshot *s)
{
	struct kernel *k = r->k;

	s->instret = k->cpu.instret;
	mmu_tlb_stats(&k->mmu, true, &s->itlb);
	mmu_tlb_stats(&k->mmu, false, &s->dtlb);
	s->walks = k->mmu.st.walks;
	s->walk_reads = k->mmu.st.walk_reads;
	s->pgfault = s->pgmajfault = s->pswpin = s->pswpout = 0;
	vmstat_lookup(&k->mem, "pgfault", &s->pgfault);
	vmstat_lookup(&k->mem, "pgmajfault", &s->pgmajfault);
	vmstat_lookup(&k->mem, "pswpin", &s->pswpin);
	vmstat_lookup(&k->mem, "pswpout", &s->pswpout);
	s->syscalls = k->nr_syscalls;
}

static void step_sink(void *arg, const struct trace_event *ev)
{
	struct repl *r = arg;

	if (r->nr_step_events < REPL_STEP_EVENTS)
		r->step_events[r->nr_step_events] = *ev;
	r->nr_step_events++;
}

/* The effects between @a and @b, as indented lines. */
static void print_effects(struct repl *r, const struct snapshot *a,
			  const struct snapshot *b)
{
	FILE *o = r->out;
	uint64_t im = b->itlb.misses - a->itlb.misses,
		 ia = b->itlb.accesses - a->itlb.accesses,
		 dm = b->dtlb.misses - a->dtlb.misses,
		 da = b->dtlb.accesses - a->dtlb.accesses;

	if (ia)
		fprintf(o, "      itlb: %s\n", im ? "miss" : "hit");
	if (da)
		fprintf(o, "      dtlb: %llu lookup%s, %llu miss%s\n",
			(unsigned long long)da, da == 1 ? "" : "s",
			(unsigned long long)dm, dm == 1 ? "" : "es");
	if (b->walks != a->walks)
		fprintf(o, "      page walk%s: %llu, %llu table entr%s read\n",
			b->walks - a->walks == 1 ? "" : "s",
			(unsigned long long)(b->walks - a->walks),
			(unsigned long long)(b->walk_reads - a->walk_reads),
			b->walk_reads - a->walk_reads == 1 ? "y" : "ies");
	if (b->pgfault != a->pgfault)
		fprintf(o, "      page fault handled: %lu minor, %lu major\n",
			(b->pgfault - a->pgfault) -
				(b->pgmajfault - a->pgmajfault),
			b->pgmajfault - a->pgmajfault);
	if (b->pswpin != a->pswpin || b->pswpout != a->pswpout)
		fprintf(o, "      swap: %lu in, %lu out\n",
			b->pswpin - a->pswpin, b->pswpout - a->pswpout);
	if (b->syscalls != a->syscalls)
		fprintf(o, "      system call\n");
	unsigned n = r->nr_step_events < REPL_STEP_EVENTS
			     ? r->nr_step_events
			     : REPL_STEP_EVENTS;
	for (unsigned i = 0; i < n; i++) {
		char line[512];
		trace_format_text(&r->step_events[i], line, sizeof(line));
		/* drop "t=N pid=N ": the step says when and who */
		const char *p = strchr(line, ' ');
		p = p ? strchr(p + 1, ' ') : NULL;
		fprintf(o, "      %s\n", p ? p + 1 : line);
	}
	if (r->nr_step_events > n)
		fprintf(o, "      ... %u more events\n",
			r->nr_step_events - n);
	r->nr_step_events = 0;
}

/* ---- where the guest is -------------------------------------------------------- */

static struct task *cur_task(struct repl *r)
{
	return r->k->current ? r->k->current : NULL;
}

static void print_insn_line(struct repl *r, struct task *t, uint32_t pc)
{
	char text[160], sym[96];
	unsigned ilen;
	uint32_t bits;

	if (!t || !t->mm)
		return;
	if (repl_disasm_at(r, t->mm, pc, text, sizeof(text), &ilen, &bits) < 0) {
		fprintf(r->out, "   0x%08x: <not mapped>\n", pc);
		return;
	}
	repl_symbolize(r, pc, sym, sizeof(sym));
	fprintf(r->out, "   0x%08x%s%s%s: %s\n", pc, sym[0] ? " <" : "", sym,
		sym[0] ? ">" : "", text);
}

/* "pid 1 at 0x... <main+4>: insn" and the source line, after a stop. */
static void print_where(struct repl *r)
{
	struct task *t = cur_task(r);

	if (!t)
		return;
	if (r->nr_tasks_seen > 1 || t->pid != 1)
		fprintf(r->out, "[pid %d]\n", t->pid);
	repl_show_source(r, r->k->cpu.pc);
	print_insn_line(r, t, r->k->cpu.pc);
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

/* ---- breakpoints, watchpoints, catchpoints -------------------------------------- */

static bool any_points(struct repl *r, enum break_kind kind)
{
	for (int i = 0; i < REPL_MAX_BREAKS; i++)
		if (r->brk[i].used && r->brk[i].kind == kind)
			return true;
	return false;
}

static struct repl_break *break_at(struct repl *r, uint32_t pc)
{
	for (int i = 0; i < REPL_MAX_BREAKS; i++)
		if (r->brk[i].used && r->brk[i].kind == BK_BREAK &&
		    r->brk[i].addr == pc)
			return &r->brk[i];
	return NULL;
}

static bool read_watch(struct repl *r, const struct repl_break *b,
		       uint32_t *v)
{
	struct task *t = r->k->init && r->k->init->mm ? r->k->init
						       : cur_task(r);

	if (b->pid)
		t = find_task(r->k, b->pid);
	if (!t || !t->mm || t->state == TASK_ZOMBIE)
		return false;
	return repl_read_va(r, t->mm, b->addr, v, sizeof(*v)) == 0;
}

/* A watchpoint whose value changed, or NULL. */
static struct repl_break *watch_changed(struct repl *r, uint32_t *old,
					bool *old_ok)
{
	for (int i = 0; i < REPL_MAX_BREAKS; i++) {
		struct repl_break *b = &r->brk[i];
		uint32_t v = 0;
		if (!b->used || b->kind != BK_WATCH)
			continue;
		bool ok = read_watch(r, b, &v);
		if (!b->watch_valid) {
			b->watch_valid = true;
			b->watch_ok = ok;
			b->watch_val = v;
			continue;
		}
		if (ok != b->watch_ok || (ok && v != b->watch_val)) {
			*old = b->watch_val;
			*old_ok = b->watch_ok;
			b->watch_ok = ok;
			b->watch_val = v;
			return b;
		}
	}
	return NULL;
}

static const struct {
	const char *name;
	uint64_t mask;		/* events that trigger it */
} catch_events[] = {
	[CATCH_COW] = { "cow", TRACE_BIT(EV_COW_COPY) | TRACE_BIT(EV_COW_REUSE) },
	[CATCH_SWAP] = { "swap", TRACE_BIT(EV_SWAP_IN) | TRACE_BIT(EV_SWAP_OUT) },
	[CATCH_OOM] = { "oom", TRACE_BIT(EV_OOM) },
	[CATCH_SIGNAL] = { "signal", TRACE_BIT(EV_SIGNAL_GENERATE) |
					     TRACE_BIT(EV_SIGNAL_DELIVER) },
	[CATCH_FAULT] = { "fault", 0 },
	[CATCH_SYSCALL] = { "syscall", 0 },
	[CATCH_EXEC] = { "exec", TRACE_BIT(EV_EXEC) },
	[CATCH_FORK] = { "fork", TRACE_BIT(EV_FORK) },
};

static void update_catch_mask(struct repl *r)
{
	uint64_t m = 0;

	for (int i = 0; i < REPL_MAX_BREAKS; i++)
		if (r->brk[i].used && r->brk[i].kind == BK_CATCH)
			m |= catch_events[r->brk[i].what_catch].mask;
	if (r->k)
		trace_set_mask(ktrace(r->k), r->catch_handle, m);
}

static void catch_sink(void *arg, const struct trace_event *ev)
{
	struct repl *r = arg;

	if (r->caught)
		return;
	r->caught = true;
	r->caught_ev = *ev;
}

/* fork and exec are also caught at their system calls, which every
 * kernel has (events need an emitting kernel). */
static bool catches_syscall(struct repl *r, unsigned nr, struct repl_break **hit)
{
	for (int i = 0; i < REPL_MAX_BREAKS; i++) {
		struct repl_break *b = &r->brk[i];
		if (!b->used || b->kind != BK_CATCH)
			continue;
		if ((b->what_catch == CATCH_SYSCALL &&
		     (b->sysno < 0 || (unsigned)b->sysno == nr)) ||
		    (b->what_catch == CATCH_FORK &&
		     (nr == NR_clone || nr == NR_clone3)) ||
		    (b->what_catch == CATCH_EXEC && nr == NR_execve)) {
			*hit = b;
			return true;
		}
	}
	return false;
}

static unsigned stop_mask(struct repl *r)
{
	unsigned m = KSTOP_ON_EXIT;

	for (int i = 0; i < REPL_MAX_BREAKS; i++) {
		struct repl_break *b = &r->brk[i];
		if (!b->used || b->kind != BK_CATCH)
			continue;
		if (b->what_catch == CATCH_FAULT)
			m |= KSTOP_ON_FAULT;
		if (b->what_catch == CATCH_SYSCALL ||
		    b->what_catch == CATCH_FORK || b->what_catch == CATCH_EXEC)
			m |= KSTOP_ON_SYSCALL;
	}
	return m;
}

static const char *fault_kind(enum cpu_trap t)
{
	return t == TRAP_FETCH_FAULT ? "instruction fetch"
	     : t == TRAP_LOAD_FAULT  ? "load"
	     : t == TRAP_STORE_FAULT ? "store"
				     : cpu_trap_name(t);
}

static bool is_fault(enum cpu_trap t)
{
	return t == TRAP_FETCH_FAULT || t == TRAP_LOAD_FAULT ||
	       t == TRAP_STORE_FAULT;
}

/* Describe the pending fault as the hardware saw it (before handling). */
static void print_fault(struct repl *r)
{
	const struct kstop_info *s = &r->k->stop;
	struct task *t = find_task(r->k, s->pid);
	const struct pt_geometry *g = r->k->mmu.geo;
	char where[96] = "no page tables";

	if (t && t->mm && t->mm->pgd) {
		/* the level where the walk stops, for the learner */
		gpa_t table = t->mm->pgd;
		snprintf(where, sizeof(where), "no valid entry");
		for (int l = 0; l < g->nr_levels; l++) {
			void *h = phys_host(&r->k->phys,
					    table + (gpa_t)pt_index(g, l, s->addr) *
							    g->entry_size,
					    g->entry_size);
			pte_t pte = h ? pt_read(g, h) : 0;
			if (!(pte & PTE_V)) {
				snprintf(where, sizeof(where), "%s at %s level",
					 pte_is_swap(pte) ? "swap entry"
					 : pte_none(pte)  ? "not present"
							  : "prot_none",
					 g->level[l].name);
				break;
			}
			if (pte & PTE_RWX) {
				snprintf(where, sizeof(where), "protection: "
					 "the %s entry forbids it",
					 g->level[l].name);
				break;
			}
			table = (gpa_t)(pte_pfn(pte) &
					(((pfn_t)1 << g->pfn_bits) - 1))
				<< PAGE_SHIFT;
		}
	}
	fprintf(r->out, "      page fault: %s at va 0x%08x (%s), pid %d\n",
		fault_kind(s->trap), (uint32_t)s->addr, where, s->pid);
}

/* ---- the run loop -------------------------------------------------------------- */

static bool is_call(const struct insn *in)
{
	return (in->op == OP_JAL || in->op == OP_JALR) &&
	       (in->rd == 1 || in->rd == 5);
}

static bool is_ret(const struct insn *in)
{
	return in->op == OP_JALR && in->rd == 0 &&
	       (in->rs1 == 1 || in->rs1 == 5) && in->imm == 0;
}

/*
 * Resume the guest as @q says.  Prints why it stopped.  Returns 0 (also
 * when the program exits), -1 on an error printed.
 */
static int go(struct repl *r, struct run_req *q)
{
	struct kernel *k = r->k;
	unsigned mask = stop_mask(r);
	bool precise = q->mode != RUN_CONT || any_points(r, BK_BREAK) ||
		       any_points(r, BK_WATCH) || r->catch_events_on;
	struct task *t0 = cur_task(r);
	int pid0 = t0 ? t0->pid : 0;
	uint32_t sp0 = t0 ? k->cpu.x[2] : 0, pc0 = k->cpu.pc;
	int line0 = repl_line_of(r, pc0);
	int depth = 0;			/* calls entered (finish, next) */
	uint32_t ret_to = 0;		/* nexti over a call: where it returns */
	bool over = false;
	struct snapshot before, after;
	uint32_t wold = 0;
	bool wold_ok = false;

	if (r->exited || k->done) {
		repl_error(r, "the program has exited (try 'run')");
		return -1;
	}
	if (q->verbose)
		set_step_mask(r, TRACE_ALL & ~TRACE_BIT(EV_TLB_HIT) &
				      ~TRACE_BIT(EV_SLAB_ALLOC) &
				      ~TRACE_BIT(EV_SLAB_FREE));
	/* prime the watchpoints */
	watch_changed(r, &wold, &wold_ok);
	r->caught = false;
	r->nr_step_events = 0;
	fflush(r->out);
	for (;;) {
		struct task *t = cur_task(r);
		uint32_t pc = k->cpu.pc;
		struct insn in = { 0 };
		bool have_in = false;

		if (repl_interrupted) {
			repl_interrupted = 0;
			fprintf(r->out, "\nInterrupted.\n");
			print_where(r);
			break;
		}
		if (precise && t && t->mm)
			have_in = repl_fetch_insn(r, t->mm, pc, &in) == 0;
		/* inside a call that nexti steps over, say nothing */
		bool show = q->verbose && !over;
		if (show) {
			snap(r, &before);
			if (k->trap_pending)
				fprintf(r->out, "   (the kernel handles the "
						"pending trap, then:)\n");
			if (t)
				print_insn_line(r, t, pc);
		}
		uint64_t ir = k->cpu.instret;
		enum kstop why = kernel_step(k, precise ? 1 : RUN_CHUNK, mask);
		bool retired = k->cpu.instret != ir;
		if (show) {
			snap(r, &after);
			if (why == KSTOP_TRAP && is_fault(k->stop.trap))
				print_fault(r);
			print_effects(r, &before, &after);
		}
		if (why == KSTOP_INTERRUPTED) {
			/* Ctrl-C (options.c's handler asked kernel_step to
			 * stop): back to the prompt, the machine intact */
			run_options_resume();
			repl_interrupted = 0;
			fprintf(r->out, "\nInterrupted.\n");
			print_where(r);
			break;
		}
		if (why == KSTOP_DONE) {
			r->exited = true;
			r->exit_status = k->init_status;
			fflush(stdout);
			report_exit(r);
			break;
		}
		if (why == KSTOP_EXIT) {
			r->nr_tasks_seen++;
			if (k->stop.pid != 1)
				fprintf(r->out, "[pid %d exited, status 0x%x]\n",
					k->stop.pid, k->stop.exit_code);
			continue;
		}
		if (why == KSTOP_EBREAK) {
			fprintf(r->out, "ebreak at 0x%08x\n", k->cpu.pc);
			print_where(r);
			break;
		}
		if (why == KSTOP_BREAKPOINT || why == KSTOP_WATCHPOINT) {
			print_where(r);
			break;
		}
		if (why == KSTOP_TRAP) {
			struct repl_break *b = NULL;
			if (is_fault(k->stop.trap) && (mask & KSTOP_ON_FAULT)) {
				for (int i = 0; i < REPL_MAX_BREAKS; i++)
					if (r->brk[i].used &&
					    r->brk[i].kind == BK_CATCH &&
					    r->brk[i].what_catch == CATCH_FAULT)
						b = &r->brk[i];
				b->hits++;
				fprintf(r->out, "Catchpoint %d (fault): %s page "
						"fault at va 0x%08x, pc 0x%08x, "
						"pid %d; the kernel handles it "
						"on the next step\n",
					b->id, fault_kind(k->stop.trap),
					(uint32_t)k->stop.addr, k->stop.pc,
					k->stop.pid);
				if (!q->verbose)
					print_fault(r);
				break;
			}
			if (k->stop.trap == TRAP_ECALL &&
			    catches_syscall(r, k->cpu.x[17], &b)) {
				const struct syscall_desc *d =
					syscall_desc(k->cpu.x[17]);
				char args[256] = "";
				if (d)
					syscall_format_args(k, d, k->cpu.x + 10,
							    args, sizeof(args));
				b->hits++;
				fprintf(r->out, "Catchpoint %d (%s): pid %d "
						"calls %s(%s)\n",
					b->id, catch_events[b->what_catch].name,
					k->stop.pid, d ? d->name : "?", args);
				break;
			}
			continue;	/* the next step handles it */
		}
		if (r->caught) {
			char line[512];
			trace_format_text(&r->caught_ev, line, sizeof(line));
			fprintf(r->out, "Catchpoint: %s\n", line);
			print_where(r);
			break;
		}
		struct repl_break *w = watch_changed(r, &wold, &wold_ok);
		if (w) {
			uint32_t nv = w->watch_val;
			w->hits++;
			fprintf(r->out, "Watchpoint %d: va 0x%08x\n", w->id,
				w->addr);
			if (wold_ok)
				fprintf(r->out, "  old value 0x%08x\n", wold);
			else
				fprintf(r->out, "  old value <not mapped>\n");
			if (w->watch_ok)
				fprintf(r->out, "  new value 0x%08x\n", nv);
			else
				fprintf(r->out, "  new value <not mapped>\n");
			print_where(r);
			break;
		}
		t = cur_task(r);
		bool same = t && t->pid == pid0;
		uint32_t npc = k->cpu.pc, sp = k->cpu.x[2];

		/* call/return bookkeeping on the task being stepped */
		if (precise && retired && have_in && same) {
			if (is_call(&in))
				depth++;
			else if (is_ret(&in))
				depth--;
		}
		if (over && same && npc == ret_to && sp >= sp0) {
			over = false;
			depth = 0;
		}
		if (!over && retired && same) {
			bool done = false;
			switch (q->mode) {
			case RUN_CONT:
				break;
			case RUN_STEPI:
				done = --q->count == 0;
				break;
			case RUN_NEXTI:
				if (have_in && is_call(&in) && npc != pc + in.len) {
					over = true;
					ret_to = pc + in.len;
					if (q->verbose)
						fprintf(r->out, "      (a call: "
							"running it to its "
							"return)\n");
					r->nr_step_events = 0;
					break;
				}
				done = --q->count == 0;
				break;
			case RUN_STEP:
			case RUN_NEXT: {
				if (q->mode == RUN_NEXT && have_in &&
				    is_call(&in) && npc != pc + in.len) {
					over = true;
					ret_to = pc + in.len;
					break;
				}
				int l = repl_line_of(r, npc);
				if (l <= 0 && q->mode == RUN_STEP &&
				    r->lines) {
					/* stepped into code without lines
					 * (libc): come back out */
					over = true;
					ret_to = k->cpu.x[1];
					break;
				}
				if (!r->lines || (l > 0 && l != line0 &&
						  repl_is_stmt(r, npc))) {
					line0 = l;
					done = --q->count == 0;
				}
				break;
			}
			case RUN_FINISH:
				done = depth < 0;
				break;
			case RUN_UNTIL:
				if (q->has_addr)
					done = npc == q->addr;
				else {
					int l = repl_line_of(r, npc);
					done = depth < 0 ||
					       (npc > pc0 && sp >= sp0 &&
						depth == 0 &&
						(!r->lines ||
						 (l > 0 && l != line0 &&
						  repl_is_stmt(r, npc))));
				}
				break;
			}
			if (done) {
				if (!q->verbose || q->mode != RUN_STEPI)
					print_where(r);
				break;
			}
		}
		if (precise && retired) {
			struct repl_break *b = break_at(r, npc);
			if (b && !(q->mode == RUN_STEPI && q->verbose)) {
				b->hits++;
				fprintf(r->out, "Breakpoint %d, pid %d at 0x%08x"
						"\n", b->id, t ? t->pid : 0, npc);
				print_where(r);
				if (b->temp)
					b->used = false;
				break;
			}
		}
	}
	if (q->verbose)
		set_step_mask(r, 0);
	return 0;
}

REPL_CMD(cmd_run)
{
	if (!r->k && !r->prog) {
		repl_error(r, "run: no program loaded (try 'load PROG')");
		return -1;
	}
	if (r->exited || r->k->cpu.instret) {
		/* Start over on a fresh machine, as gdb's run does. */
		char err[256] = "out of memory", *prog = strdup(r->prog);
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
	return go(r, &(struct run_req){ .mode = RUN_CONT });
}

/*
 * gdb PORT: serve the loaded program to gdb-multiarch (the stub of `mmulab
 * run --gdb`, gdb/gdbserve.c), then take the machine back where gdb left
 * it -- or, when gdb killed it, exited.
 */
REPL_CMD(cmd_gdb)
{
	uint64_t port;
	int e;

	if (argc != 2) {
		repl_error(r, "gdb: which port? (gdb PORT; 0 picks a free "
			      "one)");
		return -1;
	}
	if (repl_number(r, argv[1], "port", 65535, &port) < 0)
		return -1;
	if (r->exited || r->k->done) {
		repl_error(r, "the program has exited (try 'run')");
		return -1;
	}
	fprintf(r->out, "Waiting for gdb-multiarch on 127.0.0.1 (set "
			"architecture riscv:rv32; target remote :PORT)...\n");
	fflush(r->out);
	e = gdbstub_attach(r->k, (int)port, r->opts.gdb_detach);
	if (e == -EINTR) {
		run_options_resume();
		repl_error(r, "gdb: interrupted before gdb connected");
		return -1;
	}
	if (e < 0) {
		repl_error(r, "gdb: cannot listen on 127.0.0.1:%d: %s",
			   (int)port, strerror(-e));
		return -1;
	}
	if (r->k->done) {
		r->exited = true;
		r->exit_status = r->k->init_status;
		fflush(stdout);
		report_exit(r);
		return 0;
	}
	fprintf(r->out, "gdb has gone; the REPL has the machine back.\n");
	print_where(r);
	return 0;
}

REPL_CMD(cmd_continue)
{
	uint64_t n = 1;

	if (argc > 1 && repl_number(r, argv[1], "ignore count", 1u << 30,
				    &n) < 0)
		return -1;
	int e = 0;
	for (uint64_t i = 0; i < n && !e && !r->exited; i++)
		e = go(r, &(struct run_req){ .mode = RUN_CONT });
	return e;
}

static int step_cmd(struct repl *r, int argc, char **argv, enum run_mode m)
{
	uint64_t n = 1;

	if (argc > 1 && repl_number(r, argv[1], "count", 1u << 30, &n) < 0)
		return -1;
	if (!n)
		return 0;
	/* with one instruction, show what it did */
	bool verbose = (m == RUN_STEPI || m == RUN_NEXTI) && n <= 64;
	return go(r, &(struct run_req){ .mode = m, .count = n,
					.verbose = verbose });
}

REPL_CMD(cmd_stepi)
{
	return step_cmd(r, argc, argv, RUN_STEPI);
}

REPL_CMD(cmd_nexti)
{
	return step_cmd(r, argc, argv, RUN_NEXTI);
}

REPL_CMD(cmd_step)
{
	return step_cmd(r, argc, argv, r->lines ? RUN_STEP : RUN_STEPI);
}

REPL_CMD(cmd_next)
{
	return step_cmd(r, argc, argv, r->lines ? RUN_NEXT : RUN_NEXTI);
}

REPL_CMD(cmd_finish)
{
	return go(r, &(struct run_req){ .mode = RUN_FINISH });
}

REPL_CMD(cmd_until)
{
	struct run_req q = { .mode = RUN_UNTIL };

	if (argc > 1) {
		if (repl_location(r, rest, &q.addr) < 0)
			return -1;
		q.has_addr = true;
	}
	return go(r, &q);
}

/* ---- break, watch, catch, delete, info ------------------------------------------- */

static struct repl_break *new_point(struct repl *r, enum break_kind kind)
{
	for (int i = 0; i < REPL_MAX_BREAKS; i++)
		if (!r->brk[i].used) {
			struct repl_break *b = &r->brk[i];
			memset(b, 0, sizeof(*b));
			b->used = true;
			b->kind = kind;
			b->id = r->next_break_id++;
			return b;
		}
	repl_error(r, "no room for more than %d break/watch/catchpoints "
		      "(delete some)", REPL_MAX_BREAKS);
	return NULL;
}

static int set_break(struct repl *r, const char *rest, bool temp)
{
	uint32_t addr;
	char sym[96];

	if (!*rest) {
		repl_error(r, "break: where? (break main, break *0x10074, "
			      "break hello.c:12)");
		return -1;
	}
	if (repl_location(r, rest, &addr) < 0)
		return -1;
	struct repl_break *b = new_point(r, BK_BREAK);
	if (!b)
		return -1;
	b->addr = addr;
	b->temp = temp;
	strscpy(b->what, rest, sizeof(b->what));
	repl_symbolize(r, addr, sym, sizeof(sym));
	fprintf(r->out, "%s %d at 0x%08x%s%s%s", temp ? "Temporary breakpoint"
						     : "Breakpoint",
		b->id, addr, sym[0] ? " <" : "", sym, sym[0] ? ">" : "");
	char src[160];
	if (repl_source_of(r, addr, src, sizeof(src)))
		fprintf(r->out, ": %s", src);
	fputc('\n', r->out);
	return 0;
}

REPL_CMD(cmd_break)
{
	return set_break(r, rest, false);
}

REPL_CMD(cmd_tbreak)
{
	return set_break(r, rest, true);
}

REPL_CMD(cmd_watch)
{
	uint32_t va;
	uint64_t pid = 0;

	if (argc < 2) {
		repl_error(r, "watch: which address? (watch VA [PID])");
		return -1;
	}
	if (repl_addr(r, argv[1], &va) < 0)
		return -1;
	if (argc > 2 && repl_number(r, argv[2], "pid", 1u << 22, &pid) < 0)
		return -1;
	struct repl_break *b = new_point(r, BK_WATCH);
	if (!b)
		return -1;
	b->addr = va;
	b->pid = (int)pid;
	strscpy(b->what, argv[1], sizeof(b->what));
	fprintf(r->out, "Watchpoint %d: the 32-bit word at va 0x%08x (checked "
			"after every instruction)\n", b->id, va);
	return 0;
}

REPL_CMD(cmd_catch)
{
	int what = -1;

	if (argc < 2) {
		repl_error(r, "catch: what? (fault cow swap oom syscall [NAME] "
			      "signal exec fork)");
		return -1;
	}
	for (int i = 0; i < (int)ARRAY_SIZE(catch_events); i++)
		if (catch_events[i].name && !strcmp(argv[1], catch_events[i].name))
			what = i;
	if (what < 0) {
		repl_error(r, "catch: unknown kind '%s' (fault cow swap oom "
			      "syscall [NAME] signal exec fork)", argv[1]);
		return -1;
	}
	int sysno = -1;
	if (what == CATCH_SYSCALL && argc > 2) {
		const struct syscall_desc *d = syscall_desc_by_name(argv[2]);
		char *end;
		long v = strtol(argv[2], &end, 0);
		if (d)
			sysno = (int)d->nr;
		else if (!*end && v >= 0 && v < NR_SYSCALLS)
			sysno = (int)v;
		else {
			repl_error(r, "catch syscall: unknown system call '%s'",
				   argv[2]);
			return -1;
		}
	}
	struct repl_break *b = new_point(r, BK_CATCH);
	if (!b)
		return -1;
	b->what_catch = what;
	b->sysno = sysno;
	snprintf(b->what, sizeof(b->what), "%s%s%s", argv[1],
		 sysno >= 0 ? " " : "", sysno >= 0 ? argv[2] : "");
	r->catch_events_on = false;
	for (int i = 0; i < REPL_MAX_BREAKS; i++)
		if (r->brk[i].used && r->brk[i].kind == BK_CATCH &&
		    catch_events[r->brk[i].what_catch].mask)
			r->catch_events_on = true;
	update_catch_mask(r);
	fprintf(r->out, "Catchpoint %d (%s)\n", b->id, b->what);
	return 0;
}

REPL_CMD(cmd_delete)
{
	if (argc == 1) {
		for (int i = 0; i < REPL_MAX_BREAKS; i++)
			r->brk[i].used = false;
		r->catch_events_on = false;
		update_catch_mask(r);
		return 0;
	}
	for (int a = 1; a < argc; a++) {
		uint64_t id;
		bool found = false;
		if (repl_number(r, argv[a], "breakpoint number", 1u << 30,
				&id) < 0)
			return -1;
		for (int i = 0; i < REPL_MAX_BREAKS; i++)
			if (r->brk[i].used && r->brk[i].id == (int)id) {
				r->brk[i].used = false;
				found = true;
			}
		if (!found) {
			repl_error(r, "delete: no breakpoint number %llu (see "
				      "'info break')", (unsigned long long)id);
			return -1;
		}
	}
	r->catch_events_on = false;
	for (int i = 0; i < REPL_MAX_BREAKS; i++)
		if (r->brk[i].used && r->brk[i].kind == BK_CATCH &&
		    catch_events[r->brk[i].what_catch].mask)
			r->catch_events_on = true;
	update_catch_mask(r);
	return 0;
}

static void info_break(struct repl *r)
{
	static const char *const kinds[] = { "breakpoint", "watchpoint",
					     "catchpoint" };
	bool any = false;

	for (int i = 0; i < REPL_MAX_BREAKS; i++) {
		struct repl_break *b = &r->brk[i];
		if (!b->used)
			continue;
		if (!any)
			fprintf(r->out, "Num  Type        Where                "
					"Hits\n");
		any = true;
		char where[96];
		if (b->kind == BK_CATCH)
			snprintf(where, sizeof(where), "%s", b->what);
		else
			snprintf(where, sizeof(where), "0x%08x %s", b->addr,
				 b->what);
		fprintf(r->out, "%-4d %-11s %-20s %llu%s\n", b->id,
			kinds[b->kind], where, (unsigned long long)b->hits,
			b->temp ? " (temporary)" : "");
	}
	if (!any)
		fprintf(r->out, "No breakpoints, watchpoints or "
				"catchpoints.\n");
}

REPL_CMD(cmd_info)
{
	if (argc < 2) {
		repl_error(r, "info: what? (info break, info regs, info line)");
		return -1;
	}
	if (!strncmp(argv[1], "break", 5) || !strcmp(argv[1], "b") ||
	    !strncmp(argv[1], "watch", 5) || !strncmp(argv[1], "catch", 5)) {
		info_break(r);
		return 0;
	}
	if (!strncmp(argv[1], "reg", 3)) {
		if (!r->k) {
			repl_error(r, "info regs: no program loaded");
			return -1;
		}
		return cmd_regs(r, argc - 1, argv + 1, "");
	}
	if (!strcmp(argv[1], "line")) {
		char src[160];
		if (!r->k) {
			repl_error(r, "info line: no program loaded");
			return -1;
		}
		uint32_t pc = r->k->cpu.pc;
		if (argc > 2 && repl_location(r, argv[2], &pc) < 0)
			return -1;
		if (repl_source_of(r, pc, src, sizeof(src)))
			fprintf(r->out, "0x%08x is at %s\n", pc, src);
		else
			fprintf(r->out, "0x%08x has no line information\n", pc);
		return 0;
	}
	repl_error(r, "info: unknown subject '%s' (break, regs, line)",
		   argv[1]);
	return -1;
}
