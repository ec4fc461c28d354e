/*
 * Lesson: demand paging and the zero page (examples/lesson-demand.mmu).
 *
 * mmap() of anonymous memory only records a range (a VMA): no page is
 * allocated and no page-table entry is filled.  The first READ of a page
 * faults and the kernel maps the one shared, read-only zero page: a minor
 * fault, and the resident set does not grow.  The first WRITE faults again
 * and the kernel allocates a private page (zeroed): now RSS grows by 4 kB a
 * page.  Touching the page again costs nothing.
 *
 * The fault counts come from getrusage(); the RSS from /proc/self/statm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define NPAGES 64

char *buf;			/* global: the REPL script reads it */
long page_size;
/* the numbers of the read and write passes, for the REPL script */
long read_faults, read_rss_kb, write_faults, write_rss_kb;

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static long rss_kb(void)
{
	long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident * (page_size / 1024);
}

static int resident_pages(void)
{
	unsigned char vec[NPAGES];
	int n = 0;

	if (mincore(buf, NPAGES * page_size, vec) < 0)
		return -1;
	for (int i = 0; i < NPAGES; i++)
		n += vec[i] & 1;
	return n;
}

/* Places for the REPL script to stop at (break after_reads). */
void __attribute__((noinline)) after_reads(void) { __asm__ volatile(""); }
void __attribute__((noinline)) after_writes(void) { __asm__ volatile(""); }

static void report(const char *what, long faults, long rss0, long rss1)
{
	printf("%-28s %3ld minor faults (%ld.%02ld per page), RSS %+ld kB\n",
	       what, faults, faults / NPAGES, faults * 100 / NPAGES % 100,
	       rss1 - rss0);
}

int main(void)
{
	long f0, f1, r0, r1, sum = 0;

	page_size = sysconf(_SC_PAGESIZE);
	buf = mmap(NULL, NPAGES * page_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* warm up stdio and the helpers so their own faults are not counted */
	r0 = rss_kb();
	resident_pages();
	f0 = minflt();

	printf("mapped %d pages (%ld kB) of anonymous memory\n", NPAGES,
	       NPAGES * page_size / 1024);
	printf("%-28s %3d of %d pages resident (mincore)\n", "before any access:",
	       resident_pages(), NPAGES);

	/* 1. read every page: each read faults once, onto the zero page */
	r0 = rss_kb();
	f0 = minflt();
	for (int i = 0; i < NPAGES; i++)
		sum += ((volatile char *)buf)[i * page_size];
	f1 = minflt();
	r1 = rss_kb();
	read_faults = f1 - f0;
	read_rss_kb = r1 - r0;
	after_reads();
	report("read every page:", f1 - f0, r0, r1);
	printf("%-28s %ld (the zero page holds only zeros)\n", "sum of the bytes read:",
	       sum);

	/* 2. write every page: each write faults again, a page is allocated */
	r0 = rss_kb();
	f0 = minflt();
	for (int i = 0; i < NPAGES; i++)
		buf[i * page_size] = 1;
	f1 = minflt();
	r1 = rss_kb();
	write_faults = f1 - f0;
	write_rss_kb = r1 - r0;
	after_writes();
	report("write every page:", f1 - f0, r0, r1);

	/* 3. write again: the pages are there, no fault */
	r0 = rss_kb();
	f0 = minflt();
	for (int i = 0; i < NPAGES; i++)
		buf[i * page_size] = 2;
	f1 = minflt();
	r1 = rss_kb();
	report("write every page again:", f1 - f0, r0, r1);
	printf("%-28s %3d of %d pages resident (mincore)\n", "at the end:",
	       resident_pages(), NPAGES);
	return 0;
}
