/*
 * The interpreter's entry, private to src/cpu/: cpu_run() (debug.c) calls
 * it directly unless a debugging feature is on.
 */
#ifndef MMULAB_CPU_EXEC_H
#define MMULAB_CPU_EXEC_H

#include "cpu/cpu.h"

/*
 * Execute up to @budget instructions as cpu_run() does, without looking at
 * breakpoints or the fast switch (mmu_fast()): instruction fetches from the
 * current page count as I-TLB hits.  Returns the trap, also in c->cause.
 */
enum cpu_trap cpu_exec(struct cpu *c, uint64_t budget);

#endif
