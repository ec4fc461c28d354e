/*
 * --stats: every counter of a run, as text or one JSON object whose keys
 * use the /proc/vmstat and meminfo names, plus "tlb" and "instructions".
 */
#ifndef MMULAB_KERNEL_STATS_H
#define MMULAB_KERNEL_STATS_H

#include <stdio.h>

#include "kernel/kernel.h"

void print_stats(struct kernel *k, FILE *f, bool json);

/* Set vm.@name (min_free_kbytes, overcommit_memory, overcommit_ratio,
 * max_map_count).  Returns 0 or -EINVAL. */
int kernel_set_sysctl(struct kernel *k, const char *name, long value);

#endif
