/*
 * Counter names and the memory texts of procfs (mm/vmstat.c,
 * fs/proc/meminfo.c, mm/show_mem.c, mm/slab_common.c in Linux).
 */
#include <string.h>

#include "kernel/mm/slab.h"
#include "kernel/mm/vmstat.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

static const char *const zone_stat_names[] = {
	"nr_free_pages",
	"nr_zone_inactive_anon",
	"nr_zone_active_anon",
	"nr_zone_inactive_file",
	"nr_zone_active_file",
	"nr_zone_unevictable",
	"nr_zone_write_pending",
	"nr_mlock",
	"nr_bounce",
	"nr_free_cma",
};
_Static_assert(ARRAY_SIZE(zone_stat_names) == NR_VM_ZONE_STAT_ITEMS,
	       "zone_stat_names");

static const char *const node_stat_names[] = {
	"nr_inactive_anon",
	"nr_active_anon",
	"nr_inactive_file",
	"nr_active_file",
	"nr_unevictable",
	"nr_slab_reclaimable",
	"nr_slab_unreclaimable",
	"nr_isolated_anon",
	"nr_isolated_file",
	"workingset_nodes",
	"workingset_refault_anon",
	"workingset_refault_file",
	"workingset_activate_anon",
	"workingset_activate_file",
	"workingset_restore_anon",
	"workingset_restore_file",
	"workingset_nodereclaim",
	"nr_anon_pages",
	"nr_mapped",
	"nr_file_pages",
	"nr_dirty",
	"nr_writeback",
	"nr_writeback_temp",
	"nr_shmem",
	"nr_shmem_hugepages",
	"nr_shmem_pmdmapped",
	"nr_file_hugepages",
	"nr_file_pmdmapped",
	"nr_anon_transparent_hugepages",
	"nr_vmscan_write",
	"nr_vmscan_immediate_reclaim",
	"nr_dirtied",
	"nr_written",
	"nr_throttled_written",
	"nr_kernel_misc_reclaimable",
	"nr_foll_pin_acquired",
	"nr_foll_pin_released",
	"nr_kernel_stack",
	"nr_page_table_pages",
	"nr_sec_page_table_pages",
	"nr_swapcached",
};
_Static_assert(ARRAY_SIZE(node_stat_names) == NR_VM_NODE_STAT_ITEMS,
	       "node_stat_names");

static const char *const writeback_stat_names[] = {
	"nr_dirty_threshold",
	"nr_dirty_background_threshold",
};
_Static_assert(ARRAY_SIZE(writeback_stat_names) == NR_VM_WRITEBACK_STAT_ITEMS,
	       "writeback_stat_names");

static const char *const vm_event_names[] = {
	"pgpgin",
	"pgpgout",
	"pswpin",
	"pswpout",
	"pgalloc_dma",
	"pgalloc_normal",
	"pgalloc_high",
	"allocstall_dma",
	"allocstall_normal",
	"allocstall_high",
	"pgskip_dma",
	"pgskip_normal",
	"pgskip_high",
	"pgfree",
	"pgactivate",
	"pgdeactivate",
	"pglazyfree",
	"pgfault",
	"pgmajfault",
	"pglazyfreed",
	"pgrefill",
	"pgreuse",
	"pgsteal_kswapd",
	"pgsteal_direct",
	"pgsteal_khugepaged",
	"pgscan_kswapd",
	"pgscan_direct",
	"pgscan_khugepaged",
	"pgscan_direct_throttle",
	"pgscan_anon",
	"pgscan_file",
	"pgsteal_anon",
	"pgsteal_file",
	"pginodesteal",
	"slabs_scanned",
	"kswapd_inodesteal",
	"kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly",
	"pageoutrun",
	"pgrotated",
	"drop_pagecache",
	"drop_slab",
	"oom_kill",
	"htlb_buddy_alloc_success",
	"htlb_buddy_alloc_fail",
	"unevictable_pgs_culled",
	"unevictable_pgs_scanned",
	"unevictable_pgs_rescued",
	"unevictable_pgs_mlocked",
	"unevictable_pgs_munlocked",
	"unevictable_pgs_cleared",
	"unevictable_pgs_stranded",
	"thp_fault_alloc",
	"thp_fault_fallback",
	"thp_collapse_alloc",
	"thp_collapse_alloc_failed",
	"thp_split_page",
	"thp_split_pmd",
	"thp_zero_page_alloc",
	"thp_swpout",
	"thp_swpout_fallback",
	"nr_tlb_remote_flush",
	"nr_tlb_remote_flush_received",
	"nr_tlb_local_flush_all",
	"nr_tlb_local_flush_one",
	"swap_ra",
	"swap_ra_hit",
};
_Static_assert(ARRAY_SIZE(vm_event_names) == NR_VM_EVENT_ITEMS,
	       "vm_event_names");

const char *zone_stat_name(enum zone_stat_item item)
{
	return zone_stat_names[item];
}

const char *node_stat_name(enum node_stat_item item)
{
	return node_stat_names[item];
}

const char *writeback_stat_name(enum writeback_stat_item item)
{
	return writeback_stat_names[item];
}

const char *vm_event_name(enum vm_event_item item)
{
	return vm_event_names[item];
}

#define for_each_zone(mem, n, z, zone)                                       \
	for (n = 0; n < (mem)->nr_nodes; n++)                                \
		for (z = 0; z < MAX_NR_ZONES &&                              \
			    ((zone = &(mem)->node[n]->node_zones[z]), 1);     \
		     z++)

/* Pages of HighMem that count as dirtyable (highmem_dirtyable_memory). */
static unsigned long highmem_dirtyable_memory(const struct memory *mem,
					      unsigned long total)
{
	const struct zone *zone;
	long x = 0;
	int n, z;

	for_each_zone(mem, n, z, zone) {
		unsigned long nr;

		if (!is_highmem(zone))
			continue;
		nr = zone_page_state(zone, NR_FREE_PAGES);
		nr -= nr < high_wmark_pages(zone) ? nr : high_wmark_pages(zone);
		nr += zone_page_state(zone, NR_ZONE_INACTIVE_FILE);
		nr += zone_page_state(zone, NR_ZONE_ACTIVE_FILE);
		x += (long)nr;
	}
	if (x < 0)
		x = 0;
	return (unsigned long)x < total ? (unsigned long)x : total;
}

void global_dirty_limits(const struct memory *mem, unsigned long *background,
			 unsigned long *dirty)
{
	unsigned long x = nr_free_pages(mem), thresh, bg;
	unsigned long ratio, bg_ratio;

	x -= x < mem->totalreserve_pages ? x : mem->totalreserve_pages;
	x += global_node_page_state(mem, NR_INACTIVE_FILE);
	x += global_node_page_state(mem, NR_ACTIVE_FILE);
	x -= highmem_dirtyable_memory(mem, x);
	x += 1;
	ratio = (unsigned long)mem->dirty_ratio * PAGE_SIZE / 100;
	bg_ratio = (unsigned long)mem->dirty_background_ratio * PAGE_SIZE / 100;
	thresh = ratio * x / PAGE_SIZE;
	bg = bg_ratio * x / PAGE_SIZE;
	if (bg >= thresh)
		bg = thresh / 2;
	*background = bg;
	*dirty = thresh;
}

bool vmstat_lookup(const struct memory *mem, const char *name,
		   unsigned long *value)
{
	unsigned long bg, dirty;
	int i;

	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		if (!strcmp(name, zone_stat_names[i])) {
			*value = global_zone_page_state(mem, i);
			return true;
		}
	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (!strcmp(name, node_stat_names[i])) {
			*value = global_node_page_state(mem, i);
			return true;
		}
	global_dirty_limits(mem, &bg, &dirty);
	if (!strcmp(name, writeback_stat_names[NR_DIRTY_THRESHOLD])) {
		*value = dirty;
		return true;
	}
	if (!strcmp(name, writeback_stat_names[NR_DIRTY_BG_THRESHOLD])) {
		*value = bg;
		return true;
	}
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (!strcmp(name, vm_event_names[i])) {
			*value = mem->vm_events[i];
			return true;
		}
	return false;
}

/* enum numa_stat_item, in /proc/vmstat and /proc/zoneinfo order. */
static const char *const numa_names[NR_VM_NUMA_EVENT_ITEMS] = {
	"numa_hit",   "numa_miss",  "numa_foreign",
	"numa_interleave", "numa_local", "numa_other",
};

void show_vmstat(const struct memory *mem, struct seq *s)
{
	unsigned long bg, dirty;
	int i;

	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(s, "%s %lu\n", zone_stat_names[i],
			   global_zone_page_state(mem, i));
	/* A NUMA kernel (--numa > 1) also counts allocations by node. */
	if (mem->nr_nodes > 1) {
		for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++) {
			unsigned long sum = 0;
			const struct zone *zone;
			int n, z;
			for_each_zone(mem, n, z, zone)
				sum += zone->numa_stat[i];
			seq_printf(s, "%s %lu\n", numa_names[i], sum);
		}
	}
	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		seq_printf(s, "%s %lu\n", node_stat_names[i],
			   global_node_page_state(mem, i));
	global_dirty_limits(mem, &bg, &dirty);
	seq_printf(s, "%s %lu\n", writeback_stat_names[NR_DIRTY_THRESHOLD],
		   dirty);
	seq_printf(s, "%s %lu\n", writeback_stat_names[NR_DIRTY_BG_THRESHOLD],
		   bg);
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		seq_printf(s, "%s %lu\n", vm_event_names[i], mem->vm_events[i]);
}

static void show_val_kb(struct seq *s, const char *key, unsigned long pages)
{
	seq_printf(s, "%-16s%8lu kB\n", key, K(pages));
}

void show_meminfo(const struct memory *mem, struct seq *s)
{
	unsigned long totalram = mem->totalram_pages;
	unsigned long freeram = nr_free_pages(mem);
	unsigned long totalhigh = mem->totalhigh_pages, freehigh = 0;
	unsigned long pages[NR_LRU_LISTS], cached, sreclaimable, sunreclaim;
	unsigned long misc, huge_kb;
	const struct zone *zone;
	long c;
	int n, z, i;

	for_each_zone(mem, n, z, zone)
		if (is_highmem(zone))
			freehigh += zone_page_state(zone, NR_FREE_PAGES);
	for (i = 0; i < NR_LRU_LISTS; i++)
		pages[i] = global_node_page_state(mem, NR_LRU_BASE + i);
	c = (long)global_node_page_state(mem, NR_FILE_PAGES) -
	    (long)global_node_page_state(mem, NR_SWAPCACHE) -
	    (long)mem->buffer_pages;
	cached = c < 0 ? 0 : (unsigned long)c;
	sreclaimable = global_node_page_state(mem, NR_SLAB_RECLAIMABLE_B);
	sunreclaim = global_node_page_state(mem, NR_SLAB_UNRECLAIMABLE_B);
	misc = global_node_page_state(mem, NR_KERNEL_MISC_RECLAIMABLE);

	show_val_kb(s, "MemTotal:", totalram);
	show_val_kb(s, "MemFree:", freeram);
	show_val_kb(s, "MemAvailable:", si_mem_available(mem));
	show_val_kb(s, "Buffers:", mem->buffer_pages);
	show_val_kb(s, "Cached:", cached);
	show_val_kb(s, "SwapCached:",
		    global_node_page_state(mem, NR_SWAPCACHE));
	show_val_kb(s, "Active:",
		    pages[LRU_ACTIVE_ANON] + pages[LRU_ACTIVE_FILE]);
	show_val_kb(s, "Inactive:",
		    pages[LRU_INACTIVE_ANON] + pages[LRU_INACTIVE_FILE]);
	show_val_kb(s, "Active(anon):", pages[LRU_ACTIVE_ANON]);
	show_val_kb(s, "Inactive(anon):", pages[LRU_INACTIVE_ANON]);
	show_val_kb(s, "Active(file):", pages[LRU_ACTIVE_FILE]);
	show_val_kb(s, "Inactive(file):", pages[LRU_INACTIVE_FILE]);
	show_val_kb(s, "Unevictable:", pages[LRU_UNEVICTABLE]);
	show_val_kb(s, "Mlocked:", global_zone_page_state(mem, NR_MLOCK));
	show_val_kb(s, "HighTotal:", totalhigh);
	show_val_kb(s, "HighFree:", freehigh);
	show_val_kb(s, "LowTotal:", totalram - totalhigh);
	show_val_kb(s, "LowFree:", freeram - freehigh);
	show_val_kb(s, "SwapTotal:", mem->swap_total_pages);
	show_val_kb(s, "SwapFree:", mem->swap_free_pages);
	show_val_kb(s, "Dirty:", global_node_page_state(mem, NR_FILE_DIRTY));
	show_val_kb(s, "Writeback:", global_node_page_state(mem, NR_WRITEBACK));
	show_val_kb(s, "AnonPages:",
		    global_node_page_state(mem, NR_ANON_MAPPED));
	show_val_kb(s, "Mapped:", global_node_page_state(mem, NR_FILE_MAPPED));
	show_val_kb(s, "Shmem:", global_node_page_state(mem, NR_SHMEM));
	show_val_kb(s, "KReclaimable:", sreclaimable + misc);
	show_val_kb(s, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(s, "SReclaimable:", sreclaimable);
	show_val_kb(s, "SUnreclaim:", sunreclaim);
	seq_printf(s, "%-16s%8lu kB\n", "KernelStack:",
		   global_node_page_state(mem, NR_KERNEL_STACK_KB));
	show_val_kb(s, "PageTables:", global_node_page_state(mem, NR_PAGETABLE));
	show_val_kb(s, "SecPageTables:",
		    global_node_page_state(mem, NR_SECONDARY_PAGETABLE));
	show_val_kb(s, "NFS_Unstable:", 0);
	show_val_kb(s, "Bounce:", global_zone_page_state(mem, NR_BOUNCE));
	show_val_kb(s, "WritebackTmp:",
		    global_node_page_state(mem, NR_WRITEBACK_TEMP));
	show_val_kb(s, "CommitLimit:", vm_commit_limit(mem));
	show_val_kb(s, "Committed_AS:",
		    mem->committed_pages < 0 ? 0
					     : (unsigned long)mem->committed_pages);
	seq_printf(s, "%-16s%8lu kB\n", "VmallocTotal:", mem->vmalloc_total_kb);
	seq_printf(s, "%-16s%8lu kB\n", "VmallocUsed:", mem->vmalloc_used_kb);
	seq_printf(s, "%-16s%8lu kB\n", "VmallocChunk:", 0ul);
	seq_printf(s, "%-16s%8lu kB\n", "Percpu:", mem->percpu_kb);
	seq_printf(s, "%-16s%8lu kB\n", "AnonHugePages:",
		   global_node_page_state(mem, NR_ANON_THPS) *
			   mem->hugepage_size_kb);
	seq_printf(s, "%-16s%8lu kB\n", "ShmemHugePages:", 0ul);
	seq_printf(s, "%-16s%8lu kB\n", "ShmemPmdMapped:", 0ul);
	seq_printf(s, "%-16s%8lu kB\n", "FileHugePages:", 0ul);
	seq_printf(s, "%-16s%8lu kB\n", "FilePmdMapped:", 0ul);
	huge_kb = mem->hugepages_total * mem->hugepage_size_kb;
	seq_printf(s,
		   "HugePages_Total:   %5lu\n"
		   "HugePages_Free:    %5lu\n"
		   "HugePages_Rsvd:    %5lu\n"
		   "HugePages_Surp:    %5lu\n"
		   "Hugepagesize:   %8lu kB\n",
		   mem->hugepages_total, mem->hugepages_free,
		   mem->hugepages_rsvd, mem->hugepages_surp,
		   mem->hugepage_size_kb);
	seq_printf(s, "Hugetlb:        %8lu kB\n", huge_kb);
}

void show_buddyinfo(const struct memory *mem, struct seq *s)
{
	const struct zone *zone;
	int n, z, o;

	for_each_zone(mem, n, z, zone) {
		if (!populated_zone(zone))
			continue;
		seq_printf(s, "Node %d, zone %8s ", n, zone->name);
		for (o = 0; o <= MAX_ORDER; o++)
			seq_printf(s, "%6lu ", zone->free_area[o].nr_free);
		seq_putc(s, '\n');
	}
}

static void zoneinfo_show_print(const struct memory *mem, struct seq *s,
				const struct pglist_data *pgdat,
				const struct zone *zone, bool first)
{
	int i;

	seq_printf(s, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (first) {
		seq_puts(s, "\n  per-node stats");
		for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			seq_printf(s, "\n      %-12s %lu", node_stat_names[i],
				   node_page_state(pgdat, i));
	}
	seq_printf(s,
		   "\n  pages free     %lu"
		   "\n        boost    %lu"
		   "\n        min      %lu"
		   "\n        low      %lu"
		   "\n        high     %lu"
		   "\n        promo    %lu"
		   "\n        spanned  %lu"
		   "\n        present  %lu"
		   "\n        managed  %lu"
		   "\n        cma      %lu",
		   zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost,
		   min_wmark_pages(zone), low_wmark_pages(zone),
		   high_wmark_pages(zone),
		   zone->watermark[WMARK_PROMO] + zone->watermark_boost,
		   zone->spanned_pages, zone->present_pages,
		   zone->managed_pages, 0ul);
	seq_printf(s, "\n        protection: (%ld", zone->lowmem_reserve[0]);
	for (i = 1; i < MAX_NR_ZONES; i++)
		seq_printf(s, ", %ld", zone->lowmem_reserve[i]);
	seq_putc(s, ')');
	if (!populated_zone(zone)) {
		seq_putc(s, '\n');
		return;
	}
	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(s, "\n      %-12s %lu", zone_stat_names[i],
			   zone_page_state(zone, i));
	/* A NUMA kernel (--numa > 1): the zone's allocation events, as
	 * CONFIG_NUMA prints them (the per-node numastat of /sys). */
	if (mem->nr_nodes > 1) {
		for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
			seq_printf(s, "\n      %-12s %lu", numa_names[i],
				   zone->numa_stat[i]);
	}
	seq_printf(s,
		   "\n  pagesets"
		   "\n    cpu: %i"
		   "\n              count:    %i"
		   "\n              high:     %i"
		   "\n              batch:    %i"
		   "\n              high_min: %i"
		   "\n              high_max: %i"
		   "\n  vm stats threshold: %d",
		   0, 0, 0, (int)zone->pcp_batch, 0, 0, 0);
	seq_printf(s,
		   "\n  node_unreclaimable:  %u"
		   "\n  start_pfn:           %lu",
		   pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES ? 1u : 0u,
		   (unsigned long)zone->zone_start_pfn);
	seq_putc(s, '\n');
	(void)mem;
}

void show_zoneinfo(const struct memory *mem, struct seq *s)
{
	int n, z;

	for (n = 0; n < mem->nr_nodes; n++) {
		const struct pglist_data *pgdat = mem->node[n];
		bool first_done = false;

		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &pgdat->node_zones[z];
			bool first = !first_done && populated_zone(zone);

			if (first)
				first_done = true;
			zoneinfo_show_print(mem, s, pgdat, zone, first);
		}
	}
}

void show_slabinfo(const struct memory *mem, struct seq *s)
{
	const struct kmem_cache *c;

	seq_puts(s, "slabinfo - version: 2.1\n");
	seq_puts(s, "# name            <active_objs> <num_objs> <objsize> "
		    "<objperslab> <pagesperslab> : tunables <limit> "
		    "<batchcount> <sharedfactor> : slabdata <active_slabs> "
		    "<num_slabs> <sharedavail>\n");
	list_for_each_entry(c, &mem->slab_caches, list) {
		unsigned long slabs = c->nr_full + c->nr_partial + c->nr_free;

		seq_printf(s, "%-17s %6lu %6lu %6u %4u %4d", c->name,
			   c->nr_inuse, slabs * c->objects, c->size,
			   c->objects, 1 << c->order);
		seq_printf(s, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		seq_printf(s, " : slabdata %6lu %6lu %6lu\n", slabs, slabs, 0ul);
	}
}

void show_free_areas(const struct memory *mem, struct seq *s)
{
	const struct zone *zone;
	unsigned long present_high = 0;
	int n, z, o;

	seq_puts(s, "Mem-Info:\n");
	seq_printf(s,
		   "active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
		   " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
		   " unevictable:%lu dirty:%lu writeback:%lu\n"
		   " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
		   " mapped:%lu shmem:%lu pagetables:%lu\n"
		   " sec_pagetables:%lu bounce:%lu\n"
		   " kernel_misc_reclaimable:%lu\n"
		   " free:%lu free_pcp:%lu free_cma:%lu\n",
		   global_node_page_state(mem, NR_ACTIVE_ANON),
		   global_node_page_state(mem, NR_INACTIVE_ANON),
		   global_node_page_state(mem, NR_ISOLATED_ANON),
		   global_node_page_state(mem, NR_ACTIVE_FILE),
		   global_node_page_state(mem, NR_INACTIVE_FILE),
		   global_node_page_state(mem, NR_ISOLATED_FILE),
		   global_node_page_state(mem, NR_UNEVICTABLE),
		   global_node_page_state(mem, NR_FILE_DIRTY),
		   global_node_page_state(mem, NR_WRITEBACK),
		   global_node_page_state(mem, NR_SLAB_RECLAIMABLE_B),
		   global_node_page_state(mem, NR_SLAB_UNRECLAIMABLE_B),
		   global_node_page_state(mem, NR_FILE_MAPPED),
		   global_node_page_state(mem, NR_SHMEM),
		   global_node_page_state(mem, NR_PAGETABLE),
		   global_node_page_state(mem, NR_SECONDARY_PAGETABLE),
		   global_zone_page_state(mem, NR_BOUNCE),
		   global_node_page_state(mem, NR_KERNEL_MISC_RECLAIMABLE),
		   nr_free_pages(mem), 0ul,
		   global_zone_page_state(mem, NR_FREE_CMA_PAGES));
	for (n = 0; n < mem->nr_nodes; n++) {
		const struct pglist_data *pg = mem->node[n];

		seq_printf(s,
			   "Node %d active_anon:%lukB inactive_anon:%lukB "
			   "active_file:%lukB inactive_file:%lukB "
			   "unevictable:%lukB isolated(anon):%lukB "
			   "isolated(file):%lukB mapped:%lukB dirty:%lukB "
			   "writeback:%lukB shmem:%lukB writeback_tmp:%lukB "
			   "kernel_stack:%lukB pagetables:%lukB "
			   "sec_pagetables:%lukB all_unreclaimable? %s\n",
			   n, K(node_page_state(pg, NR_ACTIVE_ANON)),
			   K(node_page_state(pg, NR_INACTIVE_ANON)),
			   K(node_page_state(pg, NR_ACTIVE_FILE)),
			   K(node_page_state(pg, NR_INACTIVE_FILE)),
			   K(node_page_state(pg, NR_UNEVICTABLE)),
			   K(node_page_state(pg, NR_ISOLATED_ANON)),
			   K(node_page_state(pg, NR_ISOLATED_FILE)),
			   K(node_page_state(pg, NR_FILE_MAPPED)),
			   K(node_page_state(pg, NR_FILE_DIRTY)),
			   K(node_page_state(pg, NR_WRITEBACK)),
			   K(node_page_state(pg, NR_SHMEM)),
			   K(node_page_state(pg, NR_WRITEBACK_TEMP)),
			   node_page_state(pg, NR_KERNEL_STACK_KB),
			   K(node_page_state(pg, NR_PAGETABLE)),
			   K(node_page_state(pg, NR_SECONDARY_PAGETABLE)),
			   pg->kswapd_failures >= MAX_RECLAIM_RETRIES ? "yes"
								      : "no");
	}
	for_each_zone(mem, n, z, zone) {
		if (!populated_zone(zone))
			continue;
		if (mem->nr_nodes > 1)
			seq_printf(s, "Node %d ", n);
		seq_printf(s,
			   "%s free:%lukB boost:%lukB min:%lukB low:%lukB "
			   "high:%lukB reserved_highatomic:%luKB "
			   "active_anon:%lukB inactive_anon:%lukB "
			   "active_file:%lukB inactive_file:%lukB "
			   "unevictable:%lukB writepending:%lukB "
			   "present:%lukB managed:%lukB mlocked:%lukB "
			   "bounce:%lukB free_pcp:%lukB local_pcp:%ukB "
			   "free_cma:%lukB\n",
			   zone->name, K(zone_page_state(zone, NR_FREE_PAGES)),
			   K(zone->watermark_boost), K(min_wmark_pages(zone)),
			   K(low_wmark_pages(zone)), K(high_wmark_pages(zone)),
			   0ul,
			   K(zone_page_state(zone, NR_ZONE_ACTIVE_ANON)),
			   K(zone_page_state(zone, NR_ZONE_INACTIVE_ANON)),
			   K(zone_page_state(zone, NR_ZONE_ACTIVE_FILE)),
			   K(zone_page_state(zone, NR_ZONE_INACTIVE_FILE)),
			   K(zone_page_state(zone, NR_ZONE_UNEVICTABLE)),
			   K(zone_page_state(zone, NR_ZONE_WRITE_PENDING)),
			   K(zone->present_pages), K(zone->managed_pages),
			   K(zone_page_state(zone, NR_MLOCK)),
			   K(zone_page_state(zone, NR_BOUNCE)), 0ul, 0u,
			   K(zone_page_state(zone, NR_FREE_CMA_PAGES)));
		seq_puts(s, "lowmem_reserve[]:");
		for (o = 0; o < MAX_NR_ZONES; o++)
			seq_printf(s, " %ld", zone->lowmem_reserve[o]);
		seq_putc(s, '\n');
		if (is_highmem(zone))
			present_high += zone->present_pages;
	}
	for_each_zone(mem, n, z, zone) {
		unsigned long total = 0;

		if (!populated_zone(zone))
			continue;
		if (mem->nr_nodes > 1)
			seq_printf(s, "Node %d ", n);
		seq_printf(s, "%s: ", zone->name);
		for (o = 0; o <= MAX_ORDER; o++) {
			total += zone->free_area[o].nr_free << o;
			seq_printf(s, "%lu*%lukB ", zone->free_area[o].nr_free,
				   K(1ul) << o);
		}
		seq_printf(s, "= %lukB\n", K(total));
	}
	for (n = 0; n < mem->nr_nodes; n++)
		seq_printf(s, "Node %d hugepages_total=%lu hugepages_free=%lu "
			   "hugepages_surp=%lu hugepages_size=%lukB\n", n,
			   n == 0 ? mem->hugepages_total : 0ul,
			   n == 0 ? mem->hugepages_free : 0ul,
			   n == 0 ? mem->hugepages_surp : 0ul,
			   mem->hugepage_size_kb);
	seq_printf(s, "%lu total pagecache pages\n",
		   global_node_page_state(mem, NR_FILE_PAGES));
	seq_printf(s, "%lu pages in swap cache\n",
		   global_node_page_state(mem, NR_SWAPCACHE));
	seq_printf(s, "Free swap  = %lukB\n", K(mem->swap_free_pages));
	seq_printf(s, "Total swap = %lukB\n", K(mem->swap_total_pages));
	seq_printf(s, "%lu pages RAM\n", mem->physpages);
	seq_printf(s, "%lu pages HighMem/MovableOnly\n", present_high);
	seq_printf(s, "%lu pages reserved\n",
		   mem->physpages - mem->totalram_pages);
}
