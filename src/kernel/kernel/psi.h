/*
 * Pressure stall information (Linux's kernel/sched/psi.c) on the virtual
 * clock: /proc/pressure/{io,memory,cpu}.
 *
 * Time is the hart's cycle counter at 1 GHz, so one instruction is one
 * nanosecond of virtual time (the clock clock_gettime reads), and a
 * modelled device latency is the time it adds to that counter.
 *
 *   memory  some: a task waits for memory -- the modelled latency of a
 *                 swap-in (a major fault on a swapped page, usually the
 *                 refault of a page that left the working set: thrashing)
 *                 and the time spent in direct reclaim;
 *           full: the same, when no other task is runnable.
 *   io      the swap-in reads (block I/O waits), some and full as above.
 *   cpu     some: runnable tasks waited for the one hart (more than one
 *                 task on the run queue while a slice ran); full: zero,
 *                 as Linux reports it for the whole system.
 *
 * Totals are in ns, shown in us.  The averages are Linux's: every 2 s
 * of virtual time the share of that period spent stalled enters three
 * exponential moving averages (10 s, 60 s, 300 s) in 11-bit fixed point.
 * The periods end at fixed multiples of 2 s and stalls are split at
 * those boundaries, so reading the files (or not) never changes what
 * they show: watching never changes behaviour.
 */
#ifndef MMULAB_KERNEL_PSI_H
#define MMULAB_KERNEL_PSI_H

#include <stdbool.h>
#include <stdint.h>

struct kernel;
struct seq;

enum psi_res {
	PSI_IO,
	PSI_MEM,
	PSI_CPU,
	NR_PSI_RESOURCES,
};

/* Stall states, res * 2 + full, as Linux's enum psi_states. */
#define PSI_SOME(res) ((res) * 2)
#define PSI_FULL(res) ((res) * 2 + 1)
#define NR_PSI_STATES (NR_PSI_RESOURCES * 2)

#define PSI_PERIOD_NS 2000000000ull	/* averages updated every 2 s */

struct psi_group {
	uint64_t total[NR_PSI_STATES];	   /* ns stalled since boot */
	uint64_t avg_total[NR_PSI_STATES]; /* total at the last period end */
	unsigned long avg[NR_PSI_STATES][3]; /* 10 s, 60 s, 300 s (FIXED_1) */
	uint64_t avg_next_update;	   /* end of the current period */
};

/* Zero the group; the first period ends at 2 s. */
void psi_init(struct psi_group *g);

/*
 * Account a stall of @ns that ended now (the virtual clock already moved
 * past it): adds to PSI_SOME(@res) and, with @full, to PSI_FULL(@res).
 */
void psi_stall(struct kernel *k, enum psi_res res, uint64_t ns, bool full);

/* A memory stall of the current task: memory and io (when @io), full
 * when no other task is runnable. */
void psi_memstall(struct kernel *k, uint64_t ns, bool io);

/* Close the averaging periods that ended by now. */
void psi_update(struct kernel *k);

/* The text of /proc/pressure/@name ("io", "memory", "cpu"); -ENOENT. */
int psi_show(struct kernel *k, const char *name, struct seq *s);

/* Fixed-point EMA step (Linux's calc_load), for the unit tests. */
unsigned long psi_calc_load(unsigned long load, unsigned long exp,
			    unsigned long active);

#endif
