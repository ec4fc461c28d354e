/*
 * TLB reach: touch SIZE MiB (default 8) with a stride of 4 KiB, PASSES
 * times (default 4), on memory mapped one of three ways:
 *
 *   lesson_tlbreach small     4 KiB pages (plain anonymous mmap)
 *   lesson_tlbreach hugetlb   MAP_HUGETLB (needs vm.nr_hugepages)
 *   lesson_tlbreach thp       anonymous memory with MADV_HUGEPAGE
 *
 * With 4 KiB pages every access needs its own TLB entry, and 2048 pages
 * are far more than a 64-entry D-TLB holds: each access misses.  A huge
 * page is one entry for 2 MiB (pae) or 4 MiB (sv32), so four of them
 * cover the whole range and the passes after the first hit.
 *
 * stdout shows only what the memory holds (the same however it is
 * mapped, also under qemu-riscv32, whose host may have no huge pages);
 * the fallback and the huge memory the process has go to stderr.  Compare the
 * runs with `mmulab run --stats`: dtlb misses.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mmulab.h"

#define MIB (1024u * 1024u)
#define ALIGN (4u * MIB)	/* a huge page under either geometry */

/* AnonHugePages and HugetlbPages of this process, for stderr. */
static void show_huge(void)
{
	char line[128];
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "AnonHugePages:", 14))
				fprintf(stderr, "  %s", line);
		fclose(f);
	}
	f = fopen("/proc/self/status", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "HugetlbPages:", 13))
				fprintf(stderr, "  %s", line);
		fclose(f);
	}
}

static char *map_small(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static char *map_thp(size_t len)
{
	char *p = mmap(NULL, len + ALIGN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1));
	if (madvise(a, len, MADV_HUGEPAGE) < 0)
		fprintf(stderr, "madvise(MADV_HUGEPAGE): %s\n", strerror(errno));
	return a;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "small";
	unsigned mib = argc > 2 ? (unsigned)atoi(argv[2]) : 8;
	unsigned passes = argc > 3 ? (unsigned)atoi(argv[3]) : 4;
	size_t len = (size_t)mib * MIB;
	uint32_t sum = 0;
	char *p = NULL;

	if (!mib || mib > 64 || !passes || passes > 100) {
		fprintf(stderr, "usage: %s small|hugetlb|thp [MiB] [passes]\n",
			argv[0]);
		return 2;
	}
	if (!strcmp(mode, "hugetlb")) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (p == MAP_FAILED) {
			fprintf(stderr, "MAP_HUGETLB: %s; using 4 KiB pages\n",
				strerror(errno));
			p = map_small(len);
		}
	} else if (!strcmp(mode, "thp")) {
		p = map_thp(len);
	} else if (!strcmp(mode, "small")) {
		p = map_small(len);
	} else {
		fprintf(stderr, "%s: unknown mode '%s'\n", argv[0], mode);
		return 2;
	}
	if (!p) {
		perror("mmap");
		return 1;
	}
	for (unsigned pass = 0; pass < passes; pass++)
		for (size_t off = 0; off < len; off += 4096) {
			sum += (unsigned char)p[off];
			p[off] = (char)(pass + (off >> 12));
		}
	printf("touched %u pages x %u passes, checksum %08x\n",
	       (unsigned)(len / 4096), passes, (unsigned)sum);
	fprintf(stderr, "mode %s:\n", mode);
	show_huge();
	return 0;
}
