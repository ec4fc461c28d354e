/*
 * Unit tests for memory bring-up (src/kernel/mm/mm_init.c, mm/memblock.c) and the
 * procfs texts (vmstat.c): the boot log, zone layout, watermark formulas
 * and the byte layout of meminfo / zoneinfo / buddyinfo.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/mm/mmzone.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/vmstat.h"

static struct phys phys;
static struct memory mem;
static struct klog *klog;
static struct seq out;

static void boot(uint64_t ram, int nodes)
{
	struct mem_boot_config cfg;

	mem_default_boot_config(&cfg);
	cfg.numa_nodes = nodes;
	cr_assert_eq(phys_init(&phys, ram), 0);
	klog = klog_new();
	cr_assert_eq(mem_boot(&mem, &phys, klog, &cfg), 0);
	seq_reset(&out);
	klog_dump(klog, &out);
}

static void teardown(void)
{
	mem_shutdown(&mem);
	phys_destroy(&phys);
	klog_free(klog);
	seq_free(&out);
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	/* Log lines carry a "[    0.000000] " stamp: match line suffixes. */
	while ((p = strstr(p, line))) {
		if (p[n] == '\n' && (p == text || p[-1] == '\n' || p[-1] == ' '))
			return true;
		p++;
	}
	return false;
}

#define assert_line(text, line) \
	cr_assert(has_line(text, line), "missing line \"%s\" in:\n%s", line, text)

TestSuite(boot, .fini = teardown);

Test(boot, e820_lines_128m)
{
	const char *t;

	boot(128 << 20, 1);
	t = seq_text(&out);
	assert_line(t, "BIOS-provided physical RAM map:");
	assert_line(t, "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable");
	assert_line(t, "BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved");
	assert_line(t, "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved");
	assert_line(t, "BIOS-e820: [mem 0x0000000000100000-0x0000000007fdffff] usable");
	assert_line(t, "BIOS-e820: [mem 0x0000000007fe0000-0x0000000007ffffff] reserved");
	assert_line(t, "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved");
	/* Every line is stamped. */
	cr_assert(strncmp(t, "[    0.000000] BIOS-provided", 28) == 0, "%s", t);
}

Test(boot, zone_ranges_128m)
{
	const char *t;
	struct zone *dma, *normal, *high;

	boot(128 << 20, 1);
	t = seq_text(&out);
	assert_line(t, "Zone ranges:");
	assert_line(t, "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]");
	assert_line(t, "  Normal   [mem 0x0000000001000000-0x0000000007fdffff]");
	assert_line(t, "  HighMem  empty");
	assert_line(t, "Movable zone start for each node");
	assert_line(t, "Early memory node ranges");
	assert_line(t, "  node   0: [mem 0x0000000000001000-0x000000000009efff]");
	assert_line(t, "  node   0: [mem 0x0000000000100000-0x0000000007fdffff]");
	assert_line(t, "Initmem setup node 0 [mem 0x0000000000001000-0x0000000007fdffff]");
	cr_assert(strstr(t, "Built 1 zonelists, mobility grouping on.  Total pages: "));
	cr_assert(strstr(t, "] Memory: "));
	cr_assert(strstr(t, "K kernel code, "));
	cr_assert_null(strstr(t, "HIGHMEM available"));

	dma = &mem.node[0]->node_zones[ZONE_DMA];
	normal = &mem.node[0]->node_zones[ZONE_NORMAL];
	high = &mem.node[0]->node_zones[ZONE_HIGHMEM];
	/* The numbers of Linux on a 128 MiB QEMU PC. */
	cr_assert_eq(dma->zone_start_pfn, 1);
	cr_assert_eq(dma->spanned_pages, 4095);
	cr_assert_eq(dma->present_pages, 3998);
	cr_assert_eq(normal->zone_start_pfn, 4096);
	cr_assert_eq(normal->spanned_pages, 32736 - 4096);
	cr_assert_eq(normal->present_pages, 32736 - 4096);
	cr_assert_eq(high->present_pages, 0);
	cr_assert_eq(mem.max_pfn, 32736);
	/* Kernel image (256 pages) and frame 0 are not managed. */
	cr_assert(dma->managed_pages <= dma->present_pages - 256);
	cr_assert_eq(mem.totalram_pages,
		     dma->managed_pages + normal->managed_pages);
	cr_assert_eq(mem.totalhigh_pages, 0);
}

Test(boot, zone_ranges_1g_highmem)
{
	const char *t;
	struct zone *high;

	boot(1ull << 30, 1);
	t = seq_text(&out);
	assert_line(t, "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]");
	assert_line(t, "  Normal   [mem 0x0000000001000000-0x0000000037ffffff]");
	assert_line(t, "  HighMem  [mem 0x0000000038000000-0x000000003ffdffff]");
	assert_line(t, "127MB HIGHMEM available.");
	assert_line(t, "896MB LOWMEM available.");
	high = &mem.node[0]->node_zones[ZONE_HIGHMEM];
	cr_assert_eq(high->zone_start_pfn, 0x38000);
	cr_assert_eq(high->present_pages, 262112 - 0x38000);
	cr_assert_eq(high->managed_pages, high->present_pages);
	cr_assert_eq(mem.totalhigh_pages, high->managed_pages);
	/* mem_map lives in lowmem and is reserved. */
	cr_assert(mem.mem_map_pa + mem.nr_frames * sizeof(struct page) <=
		  LOWMEM_END);
	cr_assert(memblock_is_reserved(&mem, mem.mem_map_pa));
	cr_assert(PageReserved(pfn_to_page(&mem, mem.mem_map_pa >> PAGE_SHIFT)));
}

Test(boot, numa_two_nodes)
{
	const char *t;
	struct pglist_data *n0, *n1;

	boot(128 << 20, 2);
	t = seq_text(&out);
	assert_line(t, "Faking node 0 at [mem 0x0000000000001000-0x0000000003ffffff] (63MB)");
	assert_line(t, "Faking node 1 at [mem 0x0000000004000000-0x0000000007fdffff] (63MB)");
	assert_line(t, "  node   0: [mem 0x0000000000100000-0x0000000003ffffff]");
	assert_line(t, "  node   1: [mem 0x0000000004000000-0x0000000007fdffff]");
	assert_line(t, "Initmem setup node 1 [mem 0x0000000004000000-0x0000000007fdffff]");
	cr_assert(strstr(t, "Built 2 zonelists"));
	n0 = mem.node[0];
	n1 = mem.node[1];
	cr_assert_eq(n0->node_start_pfn, 1);
	cr_assert_eq(n1->node_start_pfn, 0x4000);
	cr_assert(populated_zone(&n0->node_zones[ZONE_DMA]));
	cr_assert(populated_zone(&n0->node_zones[ZONE_NORMAL]));
	cr_assert_not(populated_zone(&n1->node_zones[ZONE_DMA]));
	cr_assert_eq(n1->node_zones[ZONE_NORMAL].present_pages, 32736 - 0x4000);
	cr_assert_eq(mem.node_distance[0][0], 10);
	cr_assert_eq(mem.node_distance[0][1], 20);
	cr_assert_eq(mem.node_distance[1][0], 20);
	/* Node 1's zonelist: its own Normal first, then node 0 high to low. */
	cr_assert_eq(n1->node_zonelist.nr, 3);
	cr_assert_eq(n1->node_zonelist.zones[0], &n1->node_zones[ZONE_NORMAL]);
	cr_assert_eq(n1->node_zonelist.zones[1], &n0->node_zones[ZONE_NORMAL]);
	cr_assert_eq(n1->node_zonelist.zones[2], &n0->node_zones[ZONE_DMA]);
	/* Pages know their node. */
	cr_assert_eq(page_to_nid(&mem, pfn_to_page(&mem, 0x3fff)), 0);
	cr_assert_eq(page_to_nid(&mem, pfn_to_page(&mem, 0x4000)), 1);
	cr_assert_eq(page_zone(&mem, pfn_to_page(&mem, 0x4000)),
		     &n1->node_zones[ZONE_NORMAL]);
}

Test(boot, bad_configs)
{
	struct mem_boot_config cfg;

	mem_default_boot_config(&cfg);
	cr_assert_eq(phys_init(&phys, 4 << 20), 0);
	klog = klog_new();
	cfg.numa_nodes = 9;
	cr_assert_eq(mem_boot(&mem, &phys, klog, &cfg), -EINVAL);
	mem_shutdown(&mem);
	cfg.numa_nodes = 0;
	cr_assert_eq(mem_boot(&mem, &phys, klog, &cfg), -EINVAL);
	mem_shutdown(&mem);
	cfg.numa_nodes = 8; /* 4 MiB cannot hold 8 nodes of 1 MiB */
	cr_assert_eq(mem_boot(&mem, &phys, klog, &cfg), -EINVAL);
	mem_shutdown(&mem);
	cfg.numa_nodes = 1;
	cr_assert_eq(mem_boot(&mem, &phys, klog, &cfg), 0);
}

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

static void check_watermarks(void)
{
	unsigned long lowmem = 0, pages_min;
	int n, z;

	for (n = 0; n < mem.nr_nodes; n++)
		for (z = 0; z < ZONE_HIGHMEM; z++)
			lowmem += mem.node[n]->node_zones[z].managed_pages;
	cr_assert_eq(mem.min_free_kbytes, (int)isqrt(lowmem * 4 * 16));
	pages_min = (unsigned long)mem.min_free_kbytes / 4;
	for (n = 0; n < mem.nr_nodes; n++) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zn = &mem.node[n]->node_zones[z];
			unsigned long tmp = pages_min * zn->managed_pages / lowmem;
			unsigned long gap = zn->managed_pages * 10 / 10000;
			unsigned long min;

			if (tmp / 4 > gap)
				gap = tmp / 4;
			if (!zn->managed_pages) {
				cr_assert_eq(zn->watermark[WMARK_MIN], 0);
				cr_assert_eq(zn->watermark[WMARK_HIGH], 0);
				continue;
			}
			if (z == ZONE_HIGHMEM) {
				min = zn->managed_pages / 1024;
				min = min < 32 ? 32 : min > 128 ? 128 : min;
			} else {
				min = tmp;
			}
			cr_assert_eq(zn->watermark[WMARK_MIN], min,
				     "node %d zone %d", n, z);
			cr_assert_eq(zn->watermark[WMARK_LOW], min + gap);
			cr_assert_eq(zn->watermark[WMARK_HIGH], min + 2 * gap);
			cr_assert_eq(zn->watermark[WMARK_PROMO], min + 3 * gap);
		}
	}
}

Test(boot, watermarks_128m)
{
	struct zone *dma, *normal;

	boot(128 << 20, 1);
	check_watermarks();
	/* sqrt(~126000 kB * 16) is about 1420 kB. */
	cr_assert(mem.min_free_kbytes > 1300 && mem.min_free_kbytes < 1500,
		  "%d", mem.min_free_kbytes);
	dma = &mem.node[0]->node_zones[ZONE_DMA];
	normal = &mem.node[0]->node_zones[ZONE_NORMAL];
	cr_assert_eq(dma->lowmem_reserve[ZONE_DMA], 0);
	cr_assert_eq(dma->lowmem_reserve[ZONE_NORMAL],
		     (long)(normal->managed_pages / 256));
	cr_assert_eq(dma->lowmem_reserve[ZONE_HIGHMEM],
		     (long)(normal->managed_pages / 256));
	cr_assert_eq(normal->lowmem_reserve[ZONE_HIGHMEM], 0);
	cr_assert_eq(mem.totalreserve_pages,
		     (unsigned long)dma->lowmem_reserve[ZONE_HIGHMEM] +
			     dma->watermark[WMARK_HIGH] +
			     normal->watermark[WMARK_HIGH]);
}

Test(boot, watermarks_1g_and_numa)
{
	struct zone *normal, *high;

	boot(1ull << 30, 1);
	check_watermarks();
	normal = &mem.node[0]->node_zones[ZONE_NORMAL];
	high = &mem.node[0]->node_zones[ZONE_HIGHMEM];
	cr_assert_eq(normal->lowmem_reserve[ZONE_HIGHMEM],
		     (long)(high->managed_pages / 32));
	teardown();
	memset(&out, 0, sizeof(out));
	boot(256 << 20, 2);
	check_watermarks();
}

Test(boot, min_free_kbytes_override)
{
	struct mem_boot_config cfg;

	mem_default_boot_config(&cfg);
	cfg.min_free_kbytes = 4096;
	cr_assert_eq(phys_init(&phys, 64 << 20), 0);
	klog = klog_new();
	cr_assert_eq(mem_boot(&mem, &phys, klog, &cfg), 0);
	cr_assert_eq(mem.min_free_kbytes, 4096);
	/* All lowmem mins add up to min_free_kbytes / 4 (rounding down). */
	cr_assert_leq(mem.node[0]->node_zones[0].watermark[WMARK_MIN] +
			      mem.node[0]->node_zones[1].watermark[WMARK_MIN],
		      1024);
	cr_assert_geq(mem.node[0]->node_zones[0].watermark[WMARK_MIN] +
			      mem.node[0]->node_zones[1].watermark[WMARK_MIN],
		      1022);
}

static const char *const meminfo_keys[] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
	"SwapCached", "Active", "Inactive", "Active(anon)", "Inactive(anon)",
	"Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
	"HighTotal", "HighFree", "LowTotal", "LowFree", "SwapTotal",
	"SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem",
	"KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "KernelStack",
	"PageTables", "SecPageTables", "NFS_Unstable", "Bounce",
	"WritebackTmp", "CommitLimit", "Committed_AS", "VmallocTotal",
	"VmallocUsed", "VmallocChunk", "Percpu", "AnonHugePages",
	"ShmemHugePages", "ShmemPmdMapped", "FileHugePages", "FilePmdMapped",
	"HugePages_Total",
	"HugePages_Free", "HugePages_Rsvd", "HugePages_Surp", "Hugepagesize",
	"Hugetlb",
};

Test(boot, meminfo_format)
{
	char *text, *line, *save = NULL;
	size_t i = 0;
	unsigned long v;
	char expect[64];

	boot(128 << 20, 1);
	seq_reset(&out);
	show_meminfo(&mem, &out);
	text = strdup(seq_text(&out));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), i++) {
		size_t klen = strlen(meminfo_keys[i]);

		cr_assert(i < ARRAY_SIZE(meminfo_keys), "extra line %s", line);
		cr_assert(strncmp(line, meminfo_keys[i], klen) == 0 &&
				  line[klen] == ':',
			  "line %zu is \"%s\", want key %s", i, line,
			  meminfo_keys[i]);
		if (!strncmp(line, "HugePages_", 10)) {
			cr_assert_eq(strlen(line), 16 + 8, "%s", line);
			continue;
		}
		/* Key padded to 16 columns, %8lu, " kB". */
		cr_assert_eq(strlen(line), 16 + 8 + 3, "\"%s\"", line);
		cr_assert_str_eq(line + 24, " kB");
	}
	cr_assert_eq(i, ARRAY_SIZE(meminfo_keys));
	free(text);

	snprintf(expect, sizeof(expect), "MemTotal:       %8lu kB\n",
		 mem.totalram_pages * 4);
	cr_assert(strncmp(seq_text(&out), expect, strlen(expect)) == 0,
		  "%s", seq_text(&out));
	snprintf(expect, sizeof(expect), "\nMemFree:        %8lu kB\n",
		 nr_free_pages(&mem) * 4);
	cr_assert(strstr(seq_text(&out), expect));
	cr_assert(strstr(seq_text(&out), "\nHighTotal:             0 kB\n"));
	cr_assert(strstr(seq_text(&out), "\nHugePages_Total:       0\n"));
	cr_assert(strstr(seq_text(&out), "\nHugepagesize:       2048 kB\n"));
	/* Slab pages of the boot caches show up. */
	cr_assert(sscanf(strstr(seq_text(&out), "SUnreclaim:"),
			 "SUnreclaim: %lu", &v) == 1);
	cr_assert_gt(v, 0);
	cr_assert_eq(v, global_node_page_state(&mem, NR_SLAB_UNRECLAIMABLE_B) * 4);
}

Test(boot, meminfo_available_and_commit)
{
	boot(128 << 20, 1);
	/* No page cache: MemAvailable = free - totalreserve. */
	cr_assert_eq(si_mem_available(&mem),
		     nr_free_pages(&mem) - mem.totalreserve_pages);
	cr_assert_eq(vm_commit_limit(&mem), mem.totalram_pages / 2);
	mem.swap_total_pages = 1000;
	cr_assert_eq(vm_commit_limit(&mem), mem.totalram_pages / 2 + 1000);
	mem.overcommit_kbytes = 4096;
	cr_assert_eq(vm_commit_limit(&mem), 1024 + 1000);
}

Test(boot, zoneinfo_format)
{
	const char *t;
	char expect[512];
	struct zone *dma = NULL;

	boot(128 << 20, 1);
	show_zoneinfo(&mem, &out);
	seq_reset(&out);
	show_zoneinfo(&mem, &out);
	t = seq_text(&out);
	dma = &mem.node[0]->node_zones[ZONE_DMA];
	cr_assert(strncmp(t, "Node 0, zone      DMA\n  per-node stats\n"
			     "      nr_inactive_anon 0\n      nr_active_anon 0\n",
			  strlen("Node 0, zone      DMA\n  per-node stats\n"
				 "      nr_inactive_anon 0\n      nr_active_anon 0\n")) == 0,
		  "%s", t);
	snprintf(expect, sizeof(expect),
		 "\n  pages free     %lu\n        boost    0\n"
		 "        min      %lu\n        low      %lu\n"
		 "        high     %lu\n        promo    %lu\n"
		 "        spanned  4095\n        present  3998\n"
		 "        managed  %lu\n        cma      0\n"
		 "        protection: (0, %ld, %ld)\n      nr_free_pages %lu\n",
		 zone_page_state(dma, NR_FREE_PAGES), dma->watermark[0],
		 dma->watermark[1], dma->watermark[2], dma->watermark[3],
		 dma->managed_pages, dma->lowmem_reserve[1],
		 dma->lowmem_reserve[2], zone_page_state(dma, NR_FREE_PAGES));
	cr_assert(strstr(t, expect), "want:%s\nin:\n%s", expect, t);
	cr_assert(strstr(t, "\n  pagesets\n    cpu: 0\n              count:    0\n"));
	cr_assert(strstr(t, "\n  node_unreclaimable:  0\n  start_pfn:           1\n"));
	cr_assert(strstr(t, "\n  start_pfn:           4096\n"));
	/* The per-node block is printed once, under the first zone. */
	cr_assert_null(strstr(strstr(t, "per-node stats") + 1, "per-node stats"));
	/* The empty HighMem zone stops after its protection line. */
	{
		const char *tail = "Node 0, zone  HighMem\n  pages free     0\n"
				   "        boost    0\n        min      0\n"
				   "        low      0\n        high     0\n"
				   "        promo    0\n        spanned  0\n"
				   "        present  0\n        managed  0\n"
				   "        cma      0\n"
				   "        protection: (0, 0, 0)\n";
		size_t tl = strlen(tail), len = strlen(t);

		cr_assert(len > tl && !strcmp(t + len - tl, tail), "%s", t);
	}
}

Test(boot, buddyinfo_format)
{
	char *text, *line, *save = NULL;
	int lines = 0;
	unsigned long sum = 0;

	boot(1ull << 30, 1);
	show_buddyinfo(&mem, &out);
	seq_reset(&out);
	show_buddyinfo(&mem, &out);
	cr_assert(strncmp(seq_text(&out), "Node 0, zone      DMA ", 22) == 0);
	cr_assert(strstr(seq_text(&out), "\nNode 0, zone   Normal "));
	cr_assert(strstr(seq_text(&out), "\nNode 0, zone  HighMem "));
	text = strdup(seq_text(&out));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long c[NR_PAGE_ORDERS];
		int o;

		lines++;
		cr_assert_eq(strlen(line), 22 + 7 * NR_PAGE_ORDERS, "%s", line);
		cr_assert_eq(sscanf(line + 22, "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu",
				    &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6],
				    &c[7], &c[8], &c[9], &c[10]), 11);
		for (o = 0; o <= MAX_ORDER; o++)
			sum += c[o] << o;
	}
	cr_assert_eq(lines, 3);
	cr_assert_eq(sum, nr_free_pages(&mem));
	free(text);
}

Test(boot, vmstat_and_free_areas)
{
	const char *t;
	unsigned long v;

	boot(128 << 20, 2);
	show_vmstat(&mem, &out);
	seq_reset(&out);
	show_vmstat(&mem, &out);
	t = seq_text(&out);
	cr_assert(strncmp(t, "nr_free_pages ", 14) == 0);
	cr_assert(strstr(t, "\nnr_zone_inactive_anon 0\n"));
	cr_assert(strstr(t, "\nnr_dirty_threshold "));
	cr_assert(strstr(t, "\npgpgin 0\npgpgout 0\npswpin 0\npswpout 0\n"
			    "pgalloc_dma "));
	cr_assert(strstr(t, "\npgfault 0\npgmajfault 0\n"));
	cr_assert(strstr(t, "\nswap_ra_hit 0\n"));
	cr_assert(vmstat_lookup(&mem, "pgfree", &v));
	cr_assert_eq(v, mem.vm_events[PGFREE]);
	cr_assert_geq(v, mem.totalram_pages);
	cr_assert_not(vmstat_lookup(&mem, "no_such_counter", &v));

	seq_reset(&out);
	show_free_areas(&mem, &out);
	t = seq_text(&out);
	cr_assert(strncmp(t, "Mem-Info:\nactive_anon:0 inactive_anon:0 isolated_anon:0\n"
			     " active_file:0", 69) == 0, "%s", t);
	cr_assert(strstr(t, "\nNode 0 active_anon:0kB "));
	cr_assert(strstr(t, "\nNode 1 active_anon:0kB "));
	cr_assert(strstr(t, "\nNode 0 DMA free:"));
	cr_assert(strstr(t, "\nNode 1 Normal: "));
	cr_assert(strstr(t, "\nlowmem_reserve[]: 0 "));
	cr_assert(strstr(t, "\n0 pages in swap cache\nFree swap  = 0kB\nTotal swap = 0kB\n"));
	cr_assert(strstr(t, " pages RAM\n0 pages HighMem/MovableOnly\n"));
}

Test(boot, free_areas_single_node)
{
	const char *t;
	const char *p;
	unsigned long total = 0, want;

	boot(128 << 20, 1);
	show_free_areas(&mem, &out);
	seq_reset(&out);
	show_free_areas(&mem, &out);
	t = seq_text(&out);
	cr_assert_null(strstr(t, "Node 0 DMA"));
	cr_assert(strstr(t, "\nDMA free:"));
	p = strstr(t, "\nNormal: 0*4kB ") ? strstr(t, "\nNormal: ") : strstr(t, "\nNormal: ");
	cr_assert(p, "%s", t);
	cr_assert(sscanf(strstr(p, "= ") + 2, "%lukB", &total) == 1);
	want = zone_page_state(&mem.node[0]->node_zones[ZONE_NORMAL],
			       NR_FREE_PAGES) * 4;
	cr_assert_eq(total, want);
	cr_assert(strstr(p, " 1*4096kB ") || strstr(p, "*4096kB = "));
}

static uint64_t fake_ns(void *arg)
{
	return *(uint64_t *)arg;
}

Test(boot, klog_stamps_and_continuation)
{
	struct klog *l = klog_new();
	struct seq s = { 0 };
	uint64_t now = 1234567891ull;

	klog_set_clock(l, fake_ns, &now);
	printk(l, "one\ntwo ");
	cr_assert_eq(klog_nr_lines(l), 1);
	now = 2000000000ull;
	printk(l, "%s\n", "continued");
	cr_assert_eq(klog_nr_lines(l), 2);
	klog_dump(l, &s);
	cr_assert_str_eq(seq_text(&s), "[    1.234567] one\n"
				       "[    1.234567] two continued\n");
	cr_assert_str_eq(klog_line(l, 1), "[    1.234567] two continued");
	cr_assert_eq(klog_total(l), 2);
	klog_clear(l);
	cr_assert_eq(klog_nr_lines(l), 0);
	seq_free(&s);
	klog_free(l);
}

Test(boot, klog_ring_drops_oldest)
{
	struct klog *l = klog_new();
	int i;

	for (i = 0; i < KLOG_MAX_LINES + 10; i++)
		printk(l, "line %d\n", i);
	cr_assert_eq(klog_nr_lines(l), KLOG_MAX_LINES);
	cr_assert_str_eq(klog_line(l, 0), "[    0.000000] line 10");
	cr_assert_eq(klog_total(l), KLOG_MAX_LINES + 10);
	klog_free(l);
}

Test(boot, memblock_merges_and_allocates_top_down)
{
	gpa_t a, b;
	struct seq s = { 0 };

	boot(64 << 20, 1);
	/* The kernel image is reserved; frame 0 too. */
	cr_assert(memblock_is_reserved(&mem, 0));
	cr_assert(memblock_is_reserved(&mem, KERNEL_IMAGE_START));
	cr_assert(memblock_is_memory(&mem, 0x1000));
	cr_assert_not(memblock_is_memory(&mem, 0xa0000));
	a = memblock_alloc_range(&mem, PAGE_SIZE, PAGE_SIZE, 0, 16 << 20);
	b = memblock_alloc_range(&mem, PAGE_SIZE, PAGE_SIZE, 0, 16 << 20);
	cr_assert_eq(a, (16 << 20) - PAGE_SIZE);
	cr_assert_eq(b, a - PAGE_SIZE);
	memblock_dump(&mem, &s);
	cr_assert(strstr(seq_text(&s), "MEMBLOCK configuration:\n memory.cnt  = 0x2\n"),
		  "%s", seq_text(&s));
	seq_free(&s);
}

/*
 * The LIFO batch is computed once: the boot log's "LIFO batch:N" for each
 * zone equals the "batch: N" /proc/zoneinfo shows (they once used
 * different inputs and could disagree).
 */
Test(boot, lifo_batch_agrees_with_zoneinfo)
{
	static const uint64_t sizes[] = { 16 << 20, 128 << 20, 1ull << 30 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct seq zi = { 0 };
		char *log;

		boot(sizes[i], i == 2 ? 2 : 1);
		log = strdup(seq_text(&out));
		show_zoneinfo(&mem, &zi);
		for (int n = 0; n < mem.nr_nodes; n++) {
			for (int z = 0; z < MAX_NR_ZONES; z++) {
				const struct zone *zone =
					&mem.node[n]->node_zones[z];
				char want[128], *zp;

				if (!populated_zone(zone))
					continue;
				snprintf(want, sizeof(want),
					 "  %s zone: %lu pages, LIFO batch:%lu\n",
					 zone->name, zone->present_pages,
					 zone->pcp_batch);
				cr_assert(strstr(log, want), "no \"%s\" in:\n%s",
					  want, log);
				/* zoneinfo: the zone's block has its batch. */
				snprintf(want, sizeof(want),
					 "Node %d, zone %8s", n, zone->name);
				zp = strstr(seq_text(&zi), want);
				cr_assert_not_null(zp);
				snprintf(want, sizeof(want), "\n              batch:    %lu\n",
					 zone->pcp_batch);
				cr_assert(strstr(zp, want), "no batch %lu for %s",
					  zone->pcp_batch, zone->name);
			}
		}
		free(log);
		seq_free(&zi);
		if (i + 1 < ARRAY_SIZE(sizes)) /* the last one: the suite's fini */
			teardown();
	}
}
