/*
 * Testing aids for "watching never changes behaviour" (tests/watch.sh):
 * run a program one kernel_step() at a time, and attach a sink that
 * records every event.  Either must leave guest output and every counter
 * byte-identical to a plain run.  Enabled by environment variables that
 * main.c reads; they are for tests, not a user interface:
 *
 *   MMULAB_STEP=N    run through kernel_step(k, N, ...) with every
 *                    optional stop enabled (1 = each instruction)
 *   MMULAB_WATCH=F   record every event; write per-event counts to F
 */
#ifndef MMULAB_VIEWS_WATCH_H
#define MMULAB_VIEWS_WATCH_H

#include "kernel/kernel.h"

/* kernel_run() as a loop of kernel_step(k, @budget, all stops), looking
 * at guest memory at each stop the way a debugger would. */
int watch_run_stepped(struct kernel *k, uint64_t budget);

struct watch;
/* Attach a sink recording every event; NULL when no sink slot is free. */
struct watch *watch_attach(struct kernel *k);
/* Detach, write "name count" lines to @path (when not NULL), free.
 * Returns 0 or -1 when the file cannot be written. */
int watch_detach(struct kernel *k, struct watch *w, const char *path);

#endif
