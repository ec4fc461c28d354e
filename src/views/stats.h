/*
 * --stats: every counter of a run, as text or one JSON object whose keys
 * use the /proc/vmstat and meminfo names, plus "tlb" and "instructions".
 */
#ifndef MMULAB_KERNEL_STATS_H
#define MMULAB_KERNEL_STATS_H

#include <stdio.h>

#include "kernel/kernel.h"

void print_stats(struct kernel *k, FILE *f, bool json);

#endif
