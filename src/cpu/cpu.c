/*
 * Hart state: reset and names.  The interpreter itself is in exec.c.
 */
#include <string.h>

#include "cpu/cpu.h"

void cpu_init(struct cpu *c, struct mmu *mmu, uint32_t pc)
{
	memset(c, 0, sizeof(*c));
	c->mmu = mmu;
	c->pc = pc;
	mmu->trace.clock = &c->instret;
}

const char *cpu_trap_name(enum cpu_trap t)
{
	static const char *const names[] = {
		[TRAP_NONE] = "none",
		[TRAP_BUDGET] = "budget",
		[TRAP_ECALL] = "ecall",
		[TRAP_EBREAK] = "ebreak",
		[TRAP_ILLEGAL] = "illegal instruction",
		[TRAP_FETCH_FAULT] = "instruction page fault",
		[TRAP_LOAD_FAULT] = "load page fault",
		[TRAP_STORE_FAULT] = "store page fault",
		[TRAP_MISALIGNED_AMO] = "misaligned amo",
	};

	if ((unsigned)t >= ARRAY_SIZE(names) || !names[t])
		return "?";
	return names[t];
}

const char *cpu_reg_name(unsigned i)
{
	static const char *const names[32] = {
		"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
		"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
		"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
		"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};

	if (i >= 32)
		return "?";
	return names[i];
}
