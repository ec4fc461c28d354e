/*
 * Memory bring-up, in the order Linux does it on 32-bit x86:
 *
 *   e820 map (from struct phys)  -> "BIOS-e820:" lines
 *   memblock: usable RAM as memory; frame 0, the holes, the kernel image
 *             and mem_map as reserved
 *   nodes:    the usable span cut in --numa equal parts (1 MiB aligned)
 *   zones:    DMA < 16 MiB <= Normal < 896 MiB <= HighMem, per node
 *   buddy:    every memory-minus-reserved range freed into its zone
 *   watermarks, lowmem_reserve, min_free_kbytes (mm/page_alloc.c formulas)
 *   slab:     the kmem_cache and kmalloc caches
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/mmzone.h"
#include "kernel/mm/slab.h"

/* The fake kernel image split the "Memory:" line reports (sums to 1 MiB). */
#define KERNEL_CODE_KB 636
#define KERNEL_RWDATA_KB 108
#define KERNEL_RODATA_KB 180
#define KERNEL_INIT_KB 52
#define KERNEL_BSS_KB 48

#define NODE_ALIGN_PAGES 256 /* node boundaries on 1 MiB */

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "Normal",
						      "HighMem" };

/* Zone limits in pfns: [zone_lo, zone_hi). */
/* Zone limits in pfns: [zone_lo, zone_hi).  Normal ends at the end of
 * lowmem, which the user/kernel split sets (--vmsplit). */
static pfn_t zone_lo(const struct memory *mem, enum zone_type z)
{
	const pfn_t lo[MAX_NR_ZONES] = {
		0, DMA_ZONE_END >> PAGE_SHIFT, mem->lowmem_end_pfn
	};
	return lo[z];
}

static pfn_t zone_hi(const struct memory *mem, enum zone_type z)
{
	const pfn_t hi[MAX_NR_ZONES] = {
		DMA_ZONE_END >> PAGE_SHIFT, mem->lowmem_end_pfn, ~(pfn_t)0
	};
	return hi[z];
}

static enum zone_type pfn_zone(const struct memory *mem, pfn_t pfn)
{
	if (pfn < zone_hi(mem, ZONE_DMA))
		return ZONE_DMA;
	if (pfn < zone_hi(mem, ZONE_NORMAL))
		return ZONE_NORMAL;
	return ZONE_HIGHMEM;
}

void mem_default_boot_config(struct mem_boot_config *cfg)
{
	cfg->numa_nodes = 1;
	cfg->min_free_kbytes = -1;
	cfg->hugepage_size_kb = 2048;
	cfg->lowmem_bytes = 0;
}

static void set_sysctl_defaults(struct memory *mem)
{
	mem->user_min_free_kbytes = -1;
	mem->watermark_scale_factor = 10;
	mem->watermark_boost_factor = 15000;
	mem->lowmem_reserve_ratio[ZONE_DMA] = 256;
	mem->lowmem_reserve_ratio[ZONE_NORMAL] = 32;
	mem->lowmem_reserve_ratio[ZONE_HIGHMEM] = 0;
	mem->overcommit_memory = 0;
	mem->overcommit_ratio = 50;
	mem->swappiness = 60;
	mem->dirty_ratio = 20;
	mem->dirty_background_ratio = 10;
	mem->dirty_expire_centisecs = 3000;
	mem->dirty_writeback_centisecs = 500;
	mem->page_cluster = 3;
	mem->vfs_cache_pressure = 100;
	mem->max_map_count = 65530;
	mem->oom_dump_tasks = 1;
	mem->hugepage_size_kb = 2048;
	/* The 32-bit x86 vmalloc area between lowmem and the fixmaps. */
	mem->vmalloc_total_kb = 122880;
}

static void e820_print(struct memory *mem)
{
	const struct phys *p = mem->phys;
	int i;

	printk(mem->log, "BIOS-provided physical RAM map:\n");
	for (i = 0; i < p->nr_map; i++) {
		const struct e820_entry *e = &p->map[i];

		printk(mem->log, "BIOS-e820: [mem 0x%016" PRIx64 "-0x%016" PRIx64
		       "] %s\n", e->addr, e->addr + e->size - 1,
		       e820_type_name(e->type));
	}
}

/*
 * memblock.memory = usable RAM, page-aligned inwards, without frame 0 (x86
 * trims it from e820 as BIOS data: "e820: update ... usable ==> reserved").
 * memblock.reserved = frame 0, every non-usable e820 range, and the kernel
 * image: 1 MiB at 1 MiB stands for the kernel's text, data and bss, which
 * a real boot loader puts there.
 */
static int memblock_setup(struct memory *mem)
{
	const struct phys *p = mem->phys;
	int i, err;

	for (i = 0; i < p->nr_map; i++) {
		const struct e820_entry *e = &p->map[i];
		gpa_t s = ALIGN_UP(e->addr, (gpa_t)PAGE_SIZE);
		gpa_t end = ALIGN_DOWN(e->addr + e->size, (gpa_t)PAGE_SIZE);

		if (e->type != E820_USABLE) {
			err = memblock_reserve(mem, e->addr, e->size);
			if (err)
				return err;
			continue;
		}
		if (s < PAGE_SIZE) {
			printk(mem->log, "e820: update [mem 0x%08x-0x%08x] "
			       "usable ==> reserved\n", 0u, PAGE_SIZE - 1);
			s = PAGE_SIZE;
		}
		if (s < end) {
			err = memblock_add(mem, s, end - s);
			if (err)
				return err;
		}
	}
	if (!mem->memblock.memory.cnt)
		return -EINVAL;
	err = memblock_reserve(mem, 0, PAGE_SIZE);
	if (!err)
		err = memblock_reserve(mem, KERNEL_IMAGE_START,
				       KERNEL_IMAGE_SIZE);
	return err;
}

/* Node boundaries: node i is [bound[i], bound[i + 1]). */
static int split_nodes(struct memory *mem, pfn_t bound[MAX_NUMNODES + 1])
{
	pfn_t span = mem->max_pfn - mem->min_low_pfn;
	int i, n = mem->nr_nodes;

	bound[0] = mem->min_low_pfn;
	bound[n] = mem->max_pfn;
	for (i = 1; i < n; i++) {
		pfn_t b = mem->min_low_pfn + span * (pfn_t)i / (pfn_t)n;

		b = (b + NODE_ALIGN_PAGES / 2) / NODE_ALIGN_PAGES *
		    NODE_ALIGN_PAGES;
		bound[i] = b;
	}
	for (i = 0; i < n; i++)
		if (bound[i + 1] <= bound[i] ||
		    !memblock_memory_pages(mem, bound[i], bound[i + 1]))
			return -EINVAL;
	return 0;
}

static void init_zone(struct memory *mem, struct pglist_data *pgdat,
		      enum zone_type zt)
{
	struct zone *z = &pgdat->node_zones[zt];
	pfn_t node_end = pgdat->node_start_pfn + pgdat->node_spanned_pages;
	pfn_t s = pgdat->node_start_pfn, e = node_end;
	unsigned int o;

	z->name = zone_names[zt];
	z->node = pgdat->node_id;
	z->idx = zt;
	z->zone_pgdat = pgdat;
	for (o = 0; o <= MAX_ORDER; o++)
		INIT_LIST_HEAD(&z->free_area[o].free_list);
	if (s < zone_lo(mem, zt))
		s = zone_lo(mem, zt);
	if (e > zone_hi(mem, zt))
		e = zone_hi(mem, zt);
	if (s >= e)
		return;
	z->zone_start_pfn = s;
	z->spanned_pages = (unsigned long)(e - s);
	z->present_pages = memblock_memory_pages(mem, s, e);
}

/* Every struct page starts reserved, with its node and zone encoded. */
static void init_mem_map(struct memory *mem, const pfn_t *bound)
{
	int nid = 0;
	pfn_t pfn;

	for (pfn = 0; pfn < mem->nr_frames; pfn++) {
		struct page *page = pfn_to_page(mem, pfn);

		while (nid + 1 < mem->nr_nodes && pfn >= bound[nid + 1])
			nid++;
		memset(page, 0, sizeof(*page));
		page->flags = (1ul << PG_reserved) |
			      ((unsigned long)nid << PAGE_NODES_PGSHIFT) |
			      ((unsigned long)pfn_zone(mem, pfn)
			       << PAGE_ZONES_PGSHIFT);
		page->_refcount = 1;
		page->_mapcount = -1;
		INIT_LIST_HEAD(&page->lru);
	}
}

/* Zonelist of @nid: nodes by distance (then id), zones high to low. */
static void build_zonelist(struct memory *mem, int nid)
{
	struct zonelist *zl = &mem->node[nid]->node_zonelist;
	int order[MAX_NUMNODES];
	int i, j, n = mem->nr_nodes;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = 1; i < n; i++) {	/* insertion sort, stable by id */
		int v = order[i];

		for (j = i; j > 0; j--) {
			int u = order[j - 1];

			/* Linux's find_next_best_node adds 1 to nodes numbered
			 * below @nid, so equal distances prefer the next
			 * node up. */
			int du = mem->node_distance[nid][u] + (u < nid);
			int dv = mem->node_distance[nid][v] + (v < nid);
			if (du <= dv)
				break;
			order[j] = u;
		}
		order[j] = v;
	}
	zl->nr = 0;
	for (i = 0; i < n; i++) {
		int z;

		for (z = MAX_NR_ZONES - 1; z >= 0; z--) {
			struct zone *zone = &mem->node[order[i]]->node_zones[z];

			if (populated_zone(zone))
				zl->zones[zl->nr++] = zone;
		}
	}
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1ul << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

#define for_each_zone(mem, n, z, zone)                                       \
	for (n = 0; n < (mem)->nr_nodes; n++)                                \
		for (z = 0; z < MAX_NR_ZONES &&                              \
			    ((zone = &(mem)->node[n]->node_zones[z]), 1);     \
		     z++)

int calculate_min_free_kbytes(const struct memory *mem)
{
	unsigned long lowmem_pages = 0, kb;
	struct zone *zone;
	int n, z;

	for_each_zone(mem, n, z, zone)
		if (!is_highmem(zone) && zone->managed_pages > high_wmark_pages(zone))
			lowmem_pages += zone->managed_pages -
					high_wmark_pages(zone);
	kb = int_sqrt(lowmem_pages * (PAGE_SIZE / 1024) * 16);
	if (kb < 128)
		kb = 128;
	if (kb > 262144)
		kb = 262144;
	return (int)kb;
}

/* Linux calculate_totalreserve_pages. */
static void calculate_totalreserve_pages(struct memory *mem)
{
	unsigned long total = 0;
	struct zone *zone;
	int n, z, j;

	for_each_zone(mem, n, z, zone) {
		long max = 0;

		for (j = z; j < MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] > max)
				max = zone->lowmem_reserve[j];
		max += (long)high_wmark_pages(zone);
		if (max > (long)zone->managed_pages)
			max = (long)zone->managed_pages;
		total += (unsigned long)max;
	}
	mem->totalreserve_pages = total;
}

void setup_per_zone_wmarks(struct memory *mem)
{
	unsigned long pages_min = (unsigned long)mem->min_free_kbytes >>
				  (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;
	int n, z;

	for_each_zone(mem, n, z, zone)
		if (!is_highmem(zone))
			lowmem_pages += zone->managed_pages;
	for_each_zone(mem, n, z, zone) {
		uint64_t tmp = lowmem_pages ? (uint64_t)pages_min *
						      zone->managed_pages /
						      lowmem_pages
					    : 0;
		uint64_t gap;

		if (!zone->managed_pages) {
			/* Nothing to protect: an empty zone shows zeros. */
			memset(zone->watermark, 0, sizeof(zone->watermark));
			continue;
		}
		if (is_highmem(zone)) {
			/*
			 * HighMem cannot serve __GFP_HIGH kernel allocations,
			 * so its min is only a small clamp (SWAP_CLUSTER_MAX
			 * .. 128 pages), as in __setup_per_zone_wmarks.
			 */
			unsigned long min_pages = zone->managed_pages / 1024;

			if (min_pages < 32)
				min_pages = 32;
			if (min_pages > 128)
				min_pages = 128;
			zone->watermark[WMARK_MIN] = min_pages;
		} else {
			zone->watermark[WMARK_MIN] = (unsigned long)tmp;
		}
		gap = (uint64_t)zone->managed_pages *
		      (uint64_t)mem->watermark_scale_factor / 10000;
		if (tmp >> 2 > gap)
			gap = tmp >> 2;
		zone->watermark_boost = 0;
		zone->watermark[WMARK_LOW] =
			zone->watermark[WMARK_MIN] + (unsigned long)gap;
		zone->watermark[WMARK_HIGH] =
			zone->watermark[WMARK_LOW] + (unsigned long)gap;
		zone->watermark[WMARK_PROMO] =
			zone->watermark[WMARK_HIGH] + (unsigned long)gap;
	}
	calculate_totalreserve_pages(mem);
}

void setup_per_zone_lowmem_reserve(struct memory *mem)
{
	struct zone *zone;
	int n, z, j;

	for_each_zone(mem, n, z, zone) {
		int ratio = mem->lowmem_reserve_ratio[z];
		bool clear = !ratio || !zone->managed_pages;
		unsigned long managed = 0;

		for (j = 0; j <= z; j++)
			zone->lowmem_reserve[j] = 0;
		for (j = z + 1; j < MAX_NR_ZONES; j++) {
			managed += mem->node[n]->node_zones[j].managed_pages;
			zone->lowmem_reserve[j] =
				clear ? 0 : (long)(managed / (unsigned long)ratio);
		}
	}
	calculate_totalreserve_pages(mem);
}

static void free_range_cb(void *arg, pfn_t start, pfn_t end)
{
	memblock_free_pages(arg, start, end);
}

/*
 * The per-cpu LIFO batch (Linux's zone_batchsize), computed once here and
 * kept in the zone, so the boot log and /proc/zoneinfo show one number.
 */
static unsigned long zone_batchsize(const struct zone *zone)
{
	unsigned long batch = zone->present_pages / 1024, p = 1;

	if (batch * PAGE_SIZE > 512 * 1024)
		batch = (512 * 1024) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	while (p * 2 <= batch)
		p *= 2;
	return p - 1 > 0 ? p - 1 : 1;
}

static void print_zone_ranges(struct memory *mem)
{
	int z;

	printk(mem->log, "Zone ranges:\n");
	for (z = 0; z < MAX_NR_ZONES; z++) {
		pfn_t s = zone_lo(mem, z), e = zone_hi(mem, z);

		if (s < mem->min_low_pfn)
			s = mem->min_low_pfn;
		if (e > mem->max_pfn)
			e = mem->max_pfn;
		if (s >= e)
			printk(mem->log, "  %-8s empty\n", zone_names[z]);
		else
			printk(mem->log, "  %-8s [mem 0x%016" PRIx64 "-0x%016"
			       PRIx64 "]\n", zone_names[z],
			       (uint64_t)s << PAGE_SHIFT,
			       ((uint64_t)e << PAGE_SHIFT) - 1);
	}
	printk(mem->log, "Movable zone start for each node\n");
}

static void print_node_ranges(struct memory *mem)
{
	const struct memblock_type *m = &mem->memblock.memory;
	int n, i, z;

	printk(mem->log, "Early memory node ranges\n");
	for (n = 0; n < mem->nr_nodes; n++) {
		const struct pglist_data *pg = mem->node[n];
		gpa_t ns = (gpa_t)pg->node_start_pfn << PAGE_SHIFT;
		gpa_t ne = (gpa_t)(pg->node_start_pfn + pg->node_spanned_pages)
			   << PAGE_SHIFT;

		for (i = 0; i < m->cnt; i++) {
			gpa_t s = m->regions[i].base;
			gpa_t e = s + m->regions[i].size;

			if (s < ns)
				s = ns;
			if (e > ne)
				e = ne;
			if (s < e)
				printk(mem->log, "  node %3d: [mem 0x%016" PRIx64
				       "-0x%016" PRIx64 "]\n", n, s, e - 1);
		}
	}
	for (n = 0; n < mem->nr_nodes; n++) {
		const struct pglist_data *pg = mem->node[n];

		printk(mem->log, "Initmem setup node %d [mem 0x%016" PRIx64
		       "-0x%016" PRIx64 "]\n", n,
		       (uint64_t)pg->node_start_pfn << PAGE_SHIFT,
		       ((uint64_t)(pg->node_start_pfn +
				   pg->node_spanned_pages) << PAGE_SHIFT) - 1);
	}
	for (n = 0; n < mem->nr_nodes; n++) {
		const struct pglist_data *pg = mem->node[n];

		printk(mem->log, "On node %d, totalpages: %lu\n", n,
		       pg->node_present_pages);
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &pg->node_zones[z];
			unsigned long memmap;

			if (!populated_zone(zone))
				continue;
			memmap = (unsigned long)(ALIGN_UP(zone->spanned_pages *
							  sizeof(struct page),
							  (size_t)PAGE_SIZE) >>
						 PAGE_SHIFT);
			printk(mem->log,
			       "  %s zone: %lu pages used for memmap\n"
			       "  %s zone: %lu pages, LIFO batch:%lu\n",
			       zone->name, memmap, zone->name,
			       zone->present_pages, zone->pcp_batch);
		}
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &pg->node_zones[z];

			if (zone->spanned_pages > zone->present_pages)
				printk(mem->log, "On node %d, zone %s: %lu pages "
				       "in unavailable ranges\n", n, zone->name,
				       zone->spanned_pages -
					       zone->present_pages);
		}
	}
}

static void print_memory_summary(struct memory *mem)
{
	printk(mem->log, "Built %d zonelists, mobility grouping on.  "
	       "Total pages: %lu\n", mem->nr_nodes, mem->totalram_pages);
	printk(mem->log, "Memory: %luK/%luK available (%uK kernel code, "
	       "%uK rwdata, %uK rodata, %uK init, %uK bss, %luK reserved, "
	       "0K cma-reserved, %luK highmem)\n",
	       nr_free_pages(mem) << (PAGE_SHIFT - 10),
	       mem->physpages << (PAGE_SHIFT - 10), KERNEL_CODE_KB,
	       KERNEL_RWDATA_KB, KERNEL_RODATA_KB, KERNEL_INIT_KB,
	       KERNEL_BSS_KB,
	       (mem->physpages - mem->totalram_pages) << (PAGE_SHIFT - 10),
	       mem->totalhigh_pages << (PAGE_SHIFT - 10));
}

int mem_boot(struct memory *mem, struct phys *phys, struct klog *log,
	     const struct mem_boot_config *cfg)
{
	pfn_t bound[MAX_NUMNODES + 1];
	const struct memblock_type *m;
	struct mem_boot_config defcfg;
	uint64_t map_size;
	struct zone *zone;
	int n, z, err;

	if (!cfg) {
		mem_default_boot_config(&defcfg);
		cfg = &defcfg;
	}
	memset(mem, 0, sizeof(*mem));
	mem->phys = phys;
	mem->log = log;
	INIT_LIST_HEAD(&mem->slab_caches);
	INIT_LIST_HEAD(&mem->hugepage_freelist);
	if (cfg->numa_nodes < 1 || cfg->numa_nodes > MAX_NUMNODES)
		return -EINVAL;
	mem->nr_nodes = cfg->numa_nodes;
	mem->lowmem_end_pfn = (pfn_t)((cfg->lowmem_bytes ? cfg->lowmem_bytes
							: LOWMEM_END) >>
				      PAGE_SHIFT);
	set_sysctl_defaults(mem);
	if (cfg->hugepage_size_kb)
		mem->hugepage_size_kb = cfg->hugepage_size_kb;

	e820_print(mem);
	err = memblock_setup(mem);
	if (err)
		return err;
	m = &mem->memblock.memory;
	mem->min_low_pfn = m->regions[0].base >> PAGE_SHIFT;
	mem->max_pfn = (m->regions[m->cnt - 1].base +
			m->regions[m->cnt - 1].size) >> PAGE_SHIFT;
	mem->max_low_pfn = mem->max_pfn < zone_hi(mem, ZONE_NORMAL)
				   ? mem->max_pfn
				   : zone_hi(mem, ZONE_NORMAL);
	mem->nr_frames = phys->nr_frames;

	err = split_nodes(mem, bound);
	if (err)
		return err;
	if (mem->nr_nodes > 1)
		for (n = 0; n < mem->nr_nodes; n++)
			printk(mem->log, "Faking node %d at [mem 0x%016" PRIx64
			       "-0x%016" PRIx64 "] (%" PRIu64 "MB)\n", n,
			       (uint64_t)bound[n] << PAGE_SHIFT,
			       ((uint64_t)bound[n + 1] << PAGE_SHIFT) - 1,
			       (uint64_t)(bound[n + 1] - bound[n]) >> 8);
	if (mem->max_pfn > mem->max_low_pfn) {
		printk(mem->log, "%luMB HIGHMEM available.\n",
		       (unsigned long)(mem->max_pfn - mem->max_low_pfn) >> 8);
		printk(mem->log, "%luMB LOWMEM available.\n",
		       (unsigned long)mem->max_low_pfn >> 8);
	}

	/* mem_map: one struct page per frame, top of lowmem, like Linux. */
	map_size = ALIGN_UP((uint64_t)mem->nr_frames * sizeof(struct page),
			    (uint64_t)PAGE_SIZE);
	mem->mem_map_pa = memblock_alloc_range(mem, map_size, PAGE_SIZE, 0,
					       (gpa_t)mem->max_low_pfn
						       << PAGE_SHIFT);
	if (!mem->mem_map_pa)
		return -ENOMEM;
	mem->mem_map = phys_host(phys, mem->mem_map_pa, map_size);
	if (!mem->mem_map)
		return -ENOMEM;

	for (n = 0; n < mem->nr_nodes; n++) {
		struct pglist_data *pg = calloc(1, sizeof(*pg));
		int i;

		if (!pg)
			return -ENOMEM;
		mem->node[n] = pg;
		pg->node_id = n;
		pg->node_start_pfn = bound[n];
		pg->node_spanned_pages = (unsigned long)(bound[n + 1] - bound[n]);
		pg->node_present_pages =
			memblock_memory_pages(mem, bound[n], bound[n + 1]);
		for (i = 0; i < NR_LRU_LISTS; i++)
			INIT_LIST_HEAD(&pg->lru[i]);
		INIT_LIST_HEAD(&pg->thp_list);
		for (z = 0; z < MAX_NR_ZONES; z++)
			init_zone(mem, pg, z);
		for (i = 0; i < mem->nr_nodes; i++)
			mem->node_distance[n][i] =
				LOCAL_DISTANCE + 10 * abs(n - i);
	}
	init_mem_map(mem, bound);
	for_each_zone(mem, n, z, zone)
		zone->pcp_batch = zone_batchsize(zone);

	print_zone_ranges(mem);
	print_node_ranges(mem);

	memblock_for_each_free_range(mem, free_range_cb, mem);
	for_each_zone(mem, n, z, zone) {
		mem->totalram_pages += zone->managed_pages;
		mem->physpages += zone->present_pages;
		if (is_highmem(zone))
			mem->totalhigh_pages += zone->managed_pages;
	}
	for (n = 0; n < mem->nr_nodes; n++)
		build_zonelist(mem, n);

	mem->min_free_kbytes = cfg->min_free_kbytes >= 0
				       ? (int)cfg->min_free_kbytes
				       : calculate_min_free_kbytes(mem);
	mem->user_min_free_kbytes = (int)cfg->min_free_kbytes;
	setup_per_zone_wmarks(mem);
	setup_per_zone_lowmem_reserve(mem);
	{
		unsigned long free_kb = nr_free_pages(mem) << (PAGE_SHIFT - 10);

		mem->user_reserve_kbytes = free_kb / 32 < (1ul << 17)
						   ? free_kb / 32
						   : 1ul << 17;
		mem->admin_reserve_kbytes = free_kb / 32 < (1ul << 13)
						    ? free_kb / 32
						    : 1ul << 13;
	}
	print_memory_summary(mem);

	return kmem_cache_init(mem);
}

void mem_shutdown(struct memory *mem)
{
	int n;

	for (n = 0; n < MAX_NUMNODES; n++) {
		free(mem->node[n]);
		mem->node[n] = NULL;
	}
	mem->nr_nodes = 0;
	mem->mem_map = NULL;
}
