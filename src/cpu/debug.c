/*
 * cpu_run() and what a debugger needs from the hart: breakpoints,
 * watchpoints, and the loop that looks every instruction fetch up in the
 * I-TLB while the MMU's fast mirrors are off (mmu_set_fast()).
 *
 * cpu_run() costs the interpreter one test per call: with nothing to
 * watch, it is cpu_exec() (exec.c).  Otherwise run_debug() drives
 * cpu_exec() in pieces:
 *
 *  - breakpoints are resolved at every cpu_run() through mmu_probe() (no
 *    side effect) to the frame and offset of their instruction in the
 *    current address space, and handed to the decoded-instruction cache,
 *    which patches those slots with XOP_BKPT (icache.h).  The interpreter
 *    stops there without executing anything; a pc that is no breakpoint
 *    (the same frame mapped at another address) is stepped over;
 *  - stepping over an instruction is one cpu_exec(c, 1) with the patches
 *    lifted, so the real instruction runs, decoded as always;
 *  - with the mirrors off every instruction is its own cpu_exec(c, 1);
 *  - watchpoints are the MMU's (mmu_watch_add()); the interpreter stops
 *    after an access the MMU saw touching a watched byte (exec.c).
 *
 * Why splitting a run changes no count: cpu_exec() counts an I-TLB access
 * per instruction fetched however many lookups it made (exec.c), and
 * stops at a breakpoint without counting the fetch, which the step over
 * it then counts.
 */
#include <errno.h>

#include "cpu/cpu.h"
#include "cpu/exec.h"
#include "cpu/icache.h"

_Static_assert(CPU_MAX_BREAKPOINTS <= IC_MAX_BP, "the cache patches them all");

bool cpu_breakpoint_at(const struct cpu *c, uint32_t pc)
{
	for (int i = 0; i < c->nr_bp; i++)
		if (c->bp[i] == pc)
			return true;
	return false;
}

int cpu_set_breakpoint(struct cpu *c, uint32_t pc)
{
	if (pc & 1)
		return -EINVAL;
	if (cpu_breakpoint_at(c, pc))
		return 0;
	if (c->nr_bp == CPU_MAX_BREAKPOINTS)
		return -ENOSPC;
	c->bp[c->nr_bp++] = pc;
	return 0;
}

/* No breakpoint is left: no slot may stay patched, as cpu_run() no longer
 * looks at the ones the interpreter stops at. */
static void unpatch_all(struct cpu *c)
{
	struct icache *ic = c->mmu->code.cache;

	if (ic)
		icache_set_breakpoints(ic, NULL, 0);
}

int cpu_clear_breakpoint(struct cpu *c, uint32_t pc)
{
	for (int i = 0; i < c->nr_bp; i++) {
		if (c->bp[i] == pc) {
			c->bp[i] = c->bp[--c->nr_bp];
			if (!c->nr_bp)
				unpatch_all(c);
			return 0;
		}
	}
	return -ENOENT;
}

void cpu_clear_breakpoints(struct cpu *c)
{
	c->nr_bp = 0;
	unpatch_all(c);
}

/*
 * The slots of the breakpoints in the current address space: where each
 * breakpoint's pc is mapped now, if it is mapped executable.  Returns the
 * number of entries of @out.
 */
static unsigned resolve_breakpoints(const struct cpu *c, struct ic_bp *out)
{
	const struct mmu *m = c->mmu;
	unsigned n = 0;

	for (int i = 0; i < c->nr_bp; i++) {
		struct mmu_probe p;

		if (mmu_probe(m, m->root, c->bp[i], ACC_EXEC, &p))
			continue; /* not there yet: fetching it traps first */
		out[n].pfn = p.pa >> PAGE_SHIFT;
		out[n].off = (uint16_t)(p.pa & (PAGE_SIZE - 1));
		n++;
	}
	return n;
}

/* Execute the instruction at pc (at most one) with no slot patched. */
static enum cpu_trap step_over(struct cpu *c, struct icache *ic,
			       const struct ic_bp *bp, unsigned nr_bp)
{
	enum cpu_trap t;

	icache_set_breakpoints(ic, NULL, 0);
	t = cpu_exec(c, 1);
	icache_set_breakpoints(ic, bp, nr_bp);
	return t;
}

int cpu_set_watchpoint(struct cpu *c, uint32_t va, uint32_t len,
		       enum mmu_watch_kind kind)
{
	return mmu_watch_add(c->mmu, va, len, kind);
}

int cpu_clear_watchpoint(struct cpu *c, uint32_t va, uint32_t len,
			 enum mmu_watch_kind kind)
{
	return mmu_watch_del(c->mmu, va, len, kind);
}

void cpu_clear_watchpoints(struct cpu *c)
{
	mmu_watch_clear(c->mmu);
}

static enum cpu_trap run_debug(struct cpu *c, uint64_t budget)
{
	struct mmu *m = c->mmu;
	struct icache *ic = icache_of(m);
	struct ic_bp bp[IC_MAX_BP];
	unsigned nr_bp = resolve_breakpoints(c, bp);
	bool step = m->fast_off;
	/* the pc to execute without stopping first, if any */
	bool skip = c->bp_resume && c->pc == c->bp_resume_pc;
	uint32_t skip_pc = c->pc;

	icache_set_breakpoints(ic, bp, nr_bp);
	m->watch.hit = false;	/* only this run's accesses stop it */
	for (;;) {
		uint64_t before = c->instret, ran;
		enum cpu_trap t;

		if (skip && c->pc == skip_pc && budget)
			t = step_over(c, ic, bp, nr_bp);
		else
			t = cpu_exec(c, step && budget ? 1 : budget);
		ran = c->instret - before;
		budget -= ran;
		if (ran) {
			skip = false;
			c->bp_resume = false;
		}
		if (t == TRAP_BREAKPOINT) {
			if (cpu_breakpoint_at(c, c->pc)) {
				c->bp_resume = true;
				c->bp_resume_pc = c->pc;
				return t;
			}
			/* a patched frame seen through another pc */
			skip = true;
			skip_pc = c->pc;
			continue;
		}
		if (t != TRAP_BUDGET || !budget || !ran)
			return t;
	}
}

enum cpu_trap cpu_run(struct cpu *c, uint64_t budget)
{
	if (likely(!c->nr_bp && !c->mmu->no_mirror))
		return cpu_exec(c, budget);
	return run_debug(c, budget);
}
