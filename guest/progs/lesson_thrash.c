/*
 * Lesson: a working set larger than RAM (examples/lesson-thrash.mmu).
 *
 * For each working-set size given (MiB), the program maps that much
 * anonymous memory and sweeps over it PASSES times, one store a page
 * (a store only: reading first would fault twice on a swapped page).
 * While the working set fits in RAM only the first pass faults (minor
 * faults, fresh pages); every later pass runs at memory speed.  Once it is
 * larger than the RAM left for it, the kernel must swap pages out to make
 * room, and a cyclic sweep is the worst case for LRU: each page has been
 * evicted by the time the sweep comes back to it, so every access of every
 * pass is a major fault (a swap-in).  That cliff is thrashing.
 *
 * Usage: lesson_thrash [MiB...]   (default 1 2 4)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define PAGE 4096
#define PASSES 3

/* The numbers of the last working set, for the REPL script. */
int ws_mib;
long ws_majflt, ws_minflt;	/* of the passes after the first */

/* The REPL script stops here after each working set. */
void __attribute__((noinline)) ws_done(void) { __asm__ volatile(""); }

static void faults(long *min, long *maj)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*min = ru.ru_minflt;
	*maj = ru.ru_majflt;
}

static int sweep(int mib)
{
	size_t pages = (size_t)mib * 1024 * 1024 / PAGE;
	long min0, maj0, min1, maj1, min2, maj2;
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	faults(&min0, &maj0);
	for (size_t i = 0; i < pages; i++)
		p[i * PAGE] = (char)i;
	faults(&min1, &maj1);
	for (int pass = 1; pass < PASSES; pass++)
		for (size_t i = 0; i < pages; i++)
			p[i * PAGE] = (char)(i + pass);	/* a store */
	faults(&min2, &maj2);
	printf("working set %3d MiB (%5zu pages): first pass %5ld faults; "
	       "passes 2-%d: %6ld major, %5ld minor = %ld.%02ld per access\n",
	       mib, pages, (min1 - min0) + (maj1 - maj0), PASSES, maj2 - maj1,
	       min2 - min1, (maj2 - maj1 + min2 - min1) /
	       (long)(pages * (PASSES - 1)), (maj2 - maj1 + min2 - min1) * 100 /
	       (long)(pages * (PASSES - 1)) % 100);
	fflush(stdout);
	for (size_t i = 0; i < pages; i++)
		if (p[i * PAGE] != (char)(i + PASSES - 1)) {
			printf("page %zu lost its data\n", i);
			return 1;
		}
	/* set last: the sweep may have pushed this page out to swap too */
	ws_mib = mib;
	ws_minflt = min2 - min1;
	ws_majflt = maj2 - maj1;
	ws_done();
	munmap(p, pages * PAGE);
	return 0;
}

int main(int argc, char **argv)
{
	static const int dflt[] = { 1, 2, 4 };
	int n = argc > 1 ? argc - 1 : 3;

	for (int i = 0; i < n; i++) {
		int mib = argc > 1 ? atoi(argv[i + 1]) : dflt[i];
		if (mib <= 0 || mib > 1024) {
			fprintf(stderr, "lesson_thrash: bad size '%s' (MiB, "
				"1..1024)\n", argv[i + 1]);
			return 2;
		}
		if (sweep(mib))
			return 1;
	}
	return 0;
}
