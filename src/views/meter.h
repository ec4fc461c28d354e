/*
 * Watching a run go by: --sample N --csv FILE (a row of counters every N
 * instructions of virtual time) and the progress line on a terminal's
 * stderr.  Both only read the machine: the run is cut into kernel_step()
 * budgets, which never changes what the guest does (kernel.h).
 */
#ifndef MMULAB_VIEWS_METER_H
#define MMULAB_VIEWS_METER_H

#include <stdbool.h>
#include <stdio.h>

#include "kernel/kernel.h"
#include "views/pictures.h"

struct meter {
	FILE *csv;		/* --csv, or NULL */
	uint64_t every;		/* --sample N; 0 = no rows */
	uint64_t next;		/* instret of the next row */
	uint64_t last_row;	/* instret of the last row written */
	bool rows;		/* a row was written */
	bool progress;		/* draw the progress line */
	bool shown;		/* it is on the screen now */
	double started, drawn;	/* host seconds: start, last drawing */
	uint64_t drawn_insns;	/* instret at the last drawing */
};

/*
 * Open --csv @path (NULL: none) for rows every @every instructions, and
 * decide on the progress line (@progress: wanted; drawn only when stderr
 * is a terminal).  Returns 0 or -errno (the file cannot be created).
 */
int meter_open(struct meter *m, struct kernel *k, const char *path,
	       uint64_t every, bool progress) __must_check;

/* Is there anything to do (then run with meter_run())? */
static inline bool meter_active(const struct meter *m)
{
	return m->csv || m->progress;
}

/*
 * Run @k to its end as kernel_run() does (--max-insns, a host signal's
 * stop), with the rows, the progress line and the HTML report's samples
 * of @p.  Returns the init status.
 */
int meter_run(struct meter *m, struct kernel *k, struct pictures *p);

/* The last row (at the end of the run), erase the progress line, close
 * the file.  Returns 0 or -errno when the CSV could not be written. */
int meter_close(struct meter *m, struct kernel *k);

/* The CSV header: the column names, comma separated, no newline. */
extern const char meter_csv_header[];

#endif
