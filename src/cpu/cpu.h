/*
 * The RV32IMAC user-mode hart.
 *
 * The CPU knows nothing of processes: cpu_run() executes instructions until
 * something needs the kernel (an ecall, a page fault, an illegal instruction,
 * an ebreak) or a debugger (a breakpoint, a watchpoint), or the instruction
 * budget runs out, and returns why.  On a trap pc still points at the
 * trapping instruction; the kernel advances it past an ecall itself and
 * simply runs again after fixing a page fault.  Every fetch, load and store
 * goes through the MMU (mmu/mmu.h).
 *
 * Debugging never changes what the program computes or what is counted:
 * breakpoints live in the decoded-instruction cache, not in guest memory,
 * and a run stopped and resumed at a breakpoint retires, fetches and
 * counts exactly what one run would.
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
	TRAP_FETCH_FAULT,      /* tval = va, fault_access, fault_kind */
	TRAP_LOAD_FAULT,       /* (mmu->fault describes it too) */
	TRAP_STORE_FAULT,      /* also AMOs and SC */
	TRAP_MISALIGNED_AMO,   /* LR/SC/AMO on a misaligned address; tval = va */
	TRAP_BREAKPOINT,       /* at a cpu_set_breakpoint() pc, not executed */
	TRAP_WATCHPOINT,       /* after an access to a watched byte; tval */
};

#define CPU_MAX_BREAKPOINTS 64

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
	/* For the page-fault traps, with tval the first faulting virtual
	 * address: the access the MMU refused (ACC_WRITE for AMOs and SC, as
	 * their faults are store faults; ACC_EXEC for a fetch) and why.  The
	 * kernel needs nothing else from the MMU to handle the fault. */
	enum mmu_access fault_access;
	enum mmu_fault_kind fault_kind;
	struct mmu *mmu;

	/* Cold: the debugger's (debug.c). */
	bool bp_resume;		/* stopped at the breakpoint at bp_resume_pc:
				 * see cpu_set_breakpoint() */
	uint32_t bp_resume_pc;
	int nr_bp;
	uint32_t bp[CPU_MAX_BREAKPOINTS];
	uint32_t watch_pc;	/* TRAP_WATCHPOINT: pc of the access */
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

/*
 * Breakpoints: up to CPU_MAX_BREAKPOINTS guest pcs (virtual addresses of
 * the current address space, whichever process that is at each
 * cpu_run()).  About to execute an instruction at one, the hart stops with
 * TRAP_BREAKPOINT: pc at that instruction, nothing of it executed, instret
 * exact.  As GDB steps over an inserted breakpoint, the next cpu_run()
 * that starts at that pc executes it (c->bp_resume, set by the stop and
 * dropped as soon as an instruction retires; a caller may clear it to stop
 * there again, or set it with bp_resume_pc to pass a breakpoint it did not
 * stop at).  An instruction that faults there is stepped over again when
 * re-run.  A budget stop just before a breakpoint is not a breakpoint
 * stop: the next run stops at it first.  A kernel that switches tasks
 * between a stop and its resume saves bp_resume and bp_resume_pc with pc.
 *
 * Guest memory is not modified.  With no breakpoint set the interpreter
 * runs as fast as without this feature.
 *
 * cpu_set_breakpoint() returns 0 (also when @pc is already set), -EINVAL
 * for an odd @pc or -ENOSPC when the table is full; cpu_clear_breakpoint()
 * 0 or -ENOENT.
 */
int cpu_set_breakpoint(struct cpu *c, uint32_t pc) __must_check;
int cpu_clear_breakpoint(struct cpu *c, uint32_t pc);
void cpu_clear_breakpoints(struct cpu *c);
bool cpu_breakpoint_at(const struct cpu *c, uint32_t pc);

/*
 * Watchpoints (mmu_watch_add() does the work): up to MMU_MAX_WATCH ranges
 * of the current address space, watched for writes, reads or both
 * (MMU_WATCH_WRITE, _READ, _ACCESS; AMOs count as both, LR as a read, SC as
 * a write).  Right after an instruction whose access touched a watched
 * byte retires, the hart stops with TRAP_WATCHPOINT: pc at the next
 * instruction, instret counting the access, tval the first watched byte
 * it touched, watch_pc the pc of the instruction that made the access;
 * c->mmu->watch.hit_index and hit_access say which watch and how.  A
 * page holding a watched byte is reached through the slow paths only,
 * counting exactly what the fast ones would.  The return values are
 * mmu_watch_add()'s and mmu_watch_del()'s.
 */
int cpu_set_watchpoint(struct cpu *c, uint32_t va, uint32_t len,
		       enum mmu_watch_kind kind) __must_check;
int cpu_clear_watchpoint(struct cpu *c, uint32_t va, uint32_t len,
			 enum mmu_watch_kind kind);
void cpu_clear_watchpoints(struct cpu *c);

/* Short name of a trap ("ecall", "load page fault", ...). */
const char *cpu_trap_name(enum cpu_trap t);

/* ABI name of register @i ("zero", "ra", "sp", ... "t6"). */
const char *cpu_reg_name(unsigned i);

#endif
