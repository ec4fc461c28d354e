/*
 * The RV32IMAC user-mode hart.
 *
 * The CPU knows nothing of processes: cpu_run() executes instructions until
 * something needs the kernel (an ecall, a page fault, an illegal instruction,
 * a breakpoint) or the instruction budget runs out, and returns why.  On a
 * trap pc still points at the trapping instruction; the kernel advances it
 * past an ecall itself and simply runs again after fixing a page fault.
 * Every fetch, load and store goes through the MMU (mmu/mmu.h).
 */
#ifndef MMULAB_CPU_CPU_H
#define MMULAB_CPU_CPU_H

#include "mmu/mmu.h"
#include "types.h"

enum cpu_trap {
	TRAP_NONE = 0,
	TRAP_BUDGET,	       /* instruction budget used up (quantum) */
	TRAP_ECALL,	       /* environment call: a7 = syscall number */
	TRAP_EBREAK,	       /* ebreak / c.ebreak */
	TRAP_ILLEGAL,	       /* tval = the instruction bits */
	TRAP_FETCH_FAULT,      /* mmu->fault describes it; tval = va */
	TRAP_LOAD_FAULT,
	TRAP_STORE_FAULT,      /* also AMOs and SC */
	TRAP_MISALIGNED_AMO,   /* LR/SC/AMO on a misaligned address; tval = va */
};

struct cpu {
	uint32_t x[32];		/* x[0] reads as zero; writes are discarded */
	uint32_t pc;
	uint64_t instret;	/* instructions retired */
	uint64_t cycle;		/* virtual cycles (cost model) */
	uint64_t time_base;	/* added to cycle/CPU_TIME_DIV for rdtime */
	uint32_t resv_addr;	/* LR reservation */
	bool resv_valid;
	enum cpu_trap cause;	/* last trap */
	uint32_t tval;		/* trap value (address or instruction) */
	struct mmu *mmu;
};

/* rdtime ticks at 10 MHz against a 1 GHz virtual clock. */
#define CPU_TIME_DIV 100

/*
 * Reset registers and counters; the hart fetches from @pc through @mmu.
 * c->instret becomes the clock of @mmu's tracer: inside cpu_run() it is
 * brought up to date before each slow path while anybody is tracing, so an
 * event's time is the number of instructions retired before the one that
 * caused it.
 */
void cpu_init(struct cpu *c, struct mmu *mmu, uint32_t pc);

/*
 * Run up to @budget instructions.  Returns the trap that stopped it (also
 * stored in c->cause); TRAP_BUDGET when the budget ran out first.  Each
 * retired instruction adds one to instret and to cycle.
 */
enum cpu_trap cpu_run(struct cpu *c, uint64_t budget);

/* Short name of a trap ("ecall", "load page fault", ...). */
const char *cpu_trap_name(enum cpu_trap t);

/* ABI name of register @i ("zero", "ra", "sp", ... "t6"). */
const char *cpu_reg_name(unsigned i);

#endif
