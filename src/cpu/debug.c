/*
 * cpu_run() and what a debugger needs from the hart: the loop that looks
 * every instruction fetch up in the I-TLB while the MMU's fast mirrors are
 * off (mmu_set_fast()).
 *
 * cpu_run() costs the interpreter one test per call: with nothing to
 * watch, it is cpu_exec() (exec.c).
 */
#include "cpu/cpu.h"
#include "cpu/exec.h"

/*
 * The mirrors are off: execute one instruction per cpu_exec() so that
 * each fetch is a counted I-TLB lookup (cpu_exec() looks the page of its
 * first instruction up and counts every later fetch from that page as a
 * hit: with one instruction there is no later fetch).  A page-crossing
 * instruction looks both its pages up either way, so every I-TLB counter
 * comes out as in one cpu_exec() of the whole budget.
 */
static enum cpu_trap run_stepped(struct cpu *c, uint64_t budget)
{
	for (;;) {
		uint64_t before = c->instret;
		enum cpu_trap t = cpu_exec(c, budget ? 1 : 0);
		uint64_t ran = c->instret - before;

		budget -= ran;
		if (t != TRAP_BUDGET || !budget || !ran)
			return t;
	}
}

enum cpu_trap cpu_run(struct cpu *c, uint64_t budget)
{
	if (likely(!c->mmu->fast_off))
		return cpu_exec(c, budget);
	return run_stepped(c, budget);
}
