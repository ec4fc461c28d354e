/*
 * Counter names and the memory texts of procfs, byte-compatible with Linux
 * 6.x (formats: /work/shared/reference/linux-vm-formats.md, sections 1-5
 * and 12).  Each show_* appends to a struct seq; none changes any state.
 */
#ifndef MMULAB_KERNEL_VMSTAT_H
#define MMULAB_KERNEL_VMSTAT_H

#include "kernel/mm/mmzone.h"
#include "kernel/lib/seq.h"

/* /proc/vmstat names ("nr_free_pages", "pgfault", ...). */
const char *zone_stat_name(enum zone_stat_item item);
const char *node_stat_name(enum node_stat_item item);
const char *writeback_stat_name(enum writeback_stat_item item);
const char *vm_event_name(enum vm_event_item item);

/* Dirty thresholds in pages (mm/page-writeback.c global_dirty_limits). */
void global_dirty_limits(const struct memory *mem, unsigned long *background,
			 unsigned long *dirty);

/*
 * Look a /proc/vmstat name up: sets *value and returns true, or false for
 * an unknown name.  Lets --stats --json and tests read any counter.
 */
bool vmstat_lookup(const struct memory *mem, const char *name,
		   unsigned long *value);

void show_meminfo(const struct memory *mem, struct seq *s);	/* meminfo */
void show_vmstat(const struct memory *mem, struct seq *s);	/* vmstat */
void show_buddyinfo(const struct memory *mem, struct seq *s);	/* buddyinfo */
void show_zoneinfo(const struct memory *mem, struct seq *s);	/* zoneinfo */
void show_slabinfo(const struct memory *mem, struct seq *s);	/* slabinfo */

/*
 * The SysRq-m / OOM "Mem-Info:" block (mm/show_mem.c __show_mem): the
 * global page counts, per-node and per-zone lines, the free-area lines
 * ("DMA: 1*4kB 2*8kB ... = NkB", prefixed "Node N " when there is more
 * than one node), hugepages, page cache and swap totals, and the
 * "pages RAM" summary.
 */
void show_free_areas(const struct memory *mem, struct seq *s);

#endif
