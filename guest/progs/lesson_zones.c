/*
 * Lesson: physical memory zones, HighMem and PAE (examples/lesson-zones.mmu).
 *
 * A 32-bit kernel maps only the low part of RAM permanently into its own
 * address space ("lowmem": the DMA and Normal zones, up to 896 MiB); RAM
 * above that is HighMem, which the kernel reaches only through temporary
 * mappings.  So the kernel puts its own data -- page tables, slab objects
 * -- in lowmem, and gives user pages (GFP_HIGHUSER) from HighMem first.
 * With PAE (64-bit entries) or Sv32's 34-bit physical addresses a 32-bit
 * machine can have more RAM than 4 GiB of address space: all of it above
 * 896 MiB is HighMem.
 *
 * The program reads each zone's free pages in /proc/zoneinfo, then
 *   DENSE:  touches 1024 pages (4 MiB) in a row: ~1024 pages leave
 *           HighMem, and only a couple of page tables leave Normal;
 *   SPARSE: touches 64 pages 2 MiB apart: each lands under a different
 *           last-level page table (PAE: one table maps 2 MiB), so
 *           64 pages leave HighMem and ~64 page tables leave Normal
 *           (Sv32 tables map 4 MiB: ~32).
 * It also looks up where its first page is in /proc/self/pagemap.
 * Run it with a large --ram (the script uses 2G) to have HighMem at all.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096
#define NZONES 4

static const char *const zone_names[NZONES] = { "DMA", "Normal", "HighMem",
						"Movable" };

/* For the REPL script: pages that left each zone in each phase. */
long dense_high, dense_normal, sparse_high, sparse_normal;
long highmem_start_pfn = -1;
char *dense, *sparse;		/* the two buffers */

void __attribute__((noinline)) lesson_done(void) { __asm__ volatile(""); }

static char text[64 * 1024];

/* free pages of each zone (-1: no such zone), and HighMem's first pfn */
static void zone_free(long free[NZONES])
{
	int fd = open("/proc/zoneinfo", O_RDONLY);
	int z = -1;
	ssize_t n, len = 0;

	for (int i = 0; i < NZONES; i++)
		free[i] = -1;
	if (fd < 0)
		return;
	while (len < (ssize_t)sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char name[16];
		long v;

		if (sscanf(line, "Node %*d, zone %15s", name) == 1) {
			z = -1;
			for (int i = 0; i < NZONES; i++)
				if (!strcmp(name, zone_names[i]))
					z = i;
		} else if (z >= 0 && sscanf(line, " nr_free_pages %ld", &v) == 1) {
			free[z] = v;
		} else if (z == 2 && sscanf(line, " start_pfn: %ld", &v) == 1) {
			highmem_start_pfn = v;
		}
	}
}

static long long pfn_of(void *va)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return -1;
	if (pread(fd, &e, 8, (off_t)((uintptr_t)va / PAGE) * 8) != 8)
		e = 0;
	close(fd);
	if (!(e >> 63))
		return -1;
	return (long long)(e & ((1ULL << 55) - 1));
}

static void show(const char *what, const long a[NZONES], const long b[NZONES])
{
	printf("%-34s", what);
	for (int i = 0; i < NZONES; i++)
		if (a[i] >= 0)
			printf(" %s %+ld", zone_names[i], b[i] - a[i]);
	printf("  (free pages)\n");
}

int main(void)
{
	long f0[NZONES], f1[NZONES], f2[NZONES];
	long long pfn;

	dense = mmap(NULL, 1024 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sparse = mmap(NULL, 64 * 2 * 1024 * 1024, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (dense == MAP_FAILED || sparse == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	zone_free(f0);
	zone_free(f0);	/* the first call's own faults are not counted */
	printf("free pages:");
	for (int i = 0; i < NZONES; i++)
		if (f0[i] >= 0)
			printf(" %s %ld", zone_names[i], f0[i]);
	printf("; HighMem starts at pfn %ld (%ld MiB)\n", highmem_start_pfn,
	       highmem_start_pfn * PAGE / (1024 * 1024));

	for (int i = 0; i < 1024; i++)
		dense[i * PAGE] = 1;
	zone_free(f1);
	show("dense: 1024 pages in a row", f0, f1);
	dense_high = f0[2] - f1[2];
	dense_normal = f0[1] - f1[1];

	for (int i = 0; i < 64; i++)
		sparse[(size_t)i * 2 * 1024 * 1024] = 1;
	zone_free(f2);
	show("sparse: 64 pages 2 MiB apart", f1, f2);
	sparse_high = f1[2] - f2[2];
	sparse_normal = f1[1] - f2[1];

	pfn = pfn_of(dense);
	if (pfn >= 0)
		printf("the first dense page is at pfn %lld: %s\n", pfn,
		       highmem_start_pfn >= 0 && pfn >= highmem_start_pfn ?
			       "HighMem" : "lowmem");
	lesson_done();
	return 0;
}
