/*
 * Pictures of the guest's memory: a process's page-table tree as Graphviz
 * DOT, the physical frames as SVG, and one self-contained HTML report of a
 * whole run.
 *
 * Everything here only looks: tables are read straight from emulated RAM
 * (no walk is counted, no A/D bit set, the TLB model is untouched), so a
 * run with pictures gives the same guest output and counters as without.
 * The functions are plain so the REPL (`pgtable --dot`, `physmap --svg`)
 * and the GDB stub's monitor can call them on a live machine.
 */
#ifndef MMULAB_VIEWS_PICTURES_H
#define MMULAB_VIEWS_PICTURES_H

#include <stdio.h>

#include "kernel/kernel.h"

/*
 * Write the page-table tree of process @pid to @out as a DOT digraph: one
 * node per table (PGD, PMD, PTE) listing its non-none entries, edges from
 * an entry to the table it points to.  Leaves show va, pfn and flags;
 * COW entries, pages mapped more than once, the zero page, swap entries
 * and tables reachable from another process's tree are marked.  Long
 * tables are cut after 64 rows with a "N more" row.  Returns 0, -ESRCH
 * when @pid does not exist or has no address space, -EIO on a write error.
 */
int pgtable_dot(struct kernel *k, int pid, FILE *out);

/*
 * Write every frame of guest RAM to @out as an SVG grid, one cell per
 * frame (or per group of frames beyond 64 Ki frames), coloured by owner:
 * free (shade by buddy order), anonymous, file (page cache), page table,
 * slab, other kernel allocation, reserved, hole.  Nodes and zones are
 * outlined and named; a legend gives each colour with its frame count.
 * Returns 0 or -EIO.
 */
int physmap_svg(struct kernel *k, FILE *out);

/* The same classes as text: one line per owner with its frames and KiB
 * (owners with no frame left out).  Returns 0, -ENOMEM or -EIO. */
int physmap_text(struct kernel *k, FILE *out);

/*
 * What `mmulab run` was asked to draw.  Files are opened by
 * pictures_open() (so a bad path is a usage error before the run) and
 * written as the chosen process exits -- before its memory is freed -- or,
 * for the report, by pictures_finish().
 */
struct pictures {
	const char *pgtable_path;	/* --pgtable-dot FILE */
	int pgtable_pid;		/* --pgtable-pid PID (default 1) */
	const char *physmap_path;	/* --physmap-svg FILE */
	const char *report_path;	/* --report FILE.html */
	/* private */
	struct kernel *k;
	int sink;			/* our sink in the machine's tracer */
	FILE *pgtable_out, *physmap_out, *report_out;
	struct report *report;
	bool drawn_pgtable, drawn_physmap;
	int error;			/* first -errno while drawing */
};

/*
 * Open the requested files and subscribe to @k's sched_process_exit and
 * sched_process_fork events (after kernel_boot).  Returns 0, or -errno
 * with the failing path in @bad.
 */
int pictures_open(struct kernel *k, struct pictures *p, const char **bad)
	__must_check;

/*
 * kernel_run() for a run with pictures: with a report it runs in slices
 * through kernel_step(), sampling every process between slices (the split
 * changes nothing the guest sees); else it is kernel_run().
 */
int pictures_run(struct kernel *k, struct pictures *p);

/*
 * After kernel_run: write the report, close the files, detach.  Returns 0
 * or the first -errno met while drawing; prints nothing.
 */
int pictures_finish(struct kernel *k, struct pictures *p);

/* ---- report.c ------------------------------------------------------------ */

/* Sampled history of a run (RSS per process, faults, TLB misses). */
struct report *report_new(void);
void report_free(struct report *r);
/* Record a sample of every live process now (cheap; downsampled). */
void report_sample(struct report *r, struct kernel *k);
/* Record @t as it exits (before its memory is freed). */
void report_task_exit_seen(struct report *r, struct kernel *k,
			   struct task *t);
/* Keep @svg (an SVG document, NUL-terminated, copied) as the run's map. */
void report_set_physmap(struct report *r, const char *svg, size_t len);
/* Write the HTML page.  Returns 0 or -EIO. */
int report_html(struct report *r, struct kernel *k, FILE *out);

#endif
