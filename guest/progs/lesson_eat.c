/*
 * Lesson: effective access time (examples/lesson-eat.mmu).
 *
 * With a page-fault rate p (faults per memory reference), a memory access
 * time ma and a page-fault service time f, the textbook's effective access
 * time is
 *
 *     EAT = (1 - p) * ma + p * f
 *
 * The program reads the same amount of fresh memory two ways: SPARSE (one
 * word of each new page: every reference faults) and DENSE (every word of
 * each new page: one fault per 1024 references).  It counts its own
 * references, takes the faults from getrusage, and prints p and the EAT
 * for ma = 100 ns and a fault of 8 ms (a disk) or 10 us (a fast SSD).
 * Even one fault in a thousand references makes memory ~100 times slower
 * when faults go to a disk.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define PAGE 4096
#define NPAGES 256
#define MA_NS 100

/* The counts of each phase, for the REPL script. */
long sparse_refs, sparse_faults, dense_refs, dense_faults;

/* The REPL script stops at the start and end of each phase. */
void __attribute__((noinline)) phase_start(void) { __asm__ volatile(""); }
void __attribute__((noinline)) phase_end(void) { __asm__ volatile(""); }

static long faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static void eat(const char *name, long refs, long nfaults)
{
	/* p as a fraction refs/nfaults; EAT in ns, integer arithmetic */
	long long disk = ((long long)(refs - nfaults) * MA_NS +
			  (long long)nfaults * 8000000) / refs;
	long long ssd = ((long long)(refs - nfaults) * MA_NS +
			 (long long)nfaults * 10000) / refs;

	printf("%-6s %7ld references, %4ld faults: p = 1/%ld\n", name, refs,
	       nfaults, nfaults ? refs / nfaults : 0);
	printf("       EAT = (1-p)*%d ns + p*f = %lld ns with f = 8 ms (%lldx "
	       "ma), %lld ns with f = 10 us\n", MA_NS, disk, disk / MA_NS, ssd);
}

static int *fresh(void)
{
	int *p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int main(void)
{
	volatile int *a = fresh(), *b = fresh();
	long f0, sum = 0;

	if (!a || !b) {
		perror("mmap");
		return 1;
	}
	faults();

	phase_start();
	f0 = faults();
	for (int i = 0; i < NPAGES; i++)
		sum += a[i * (PAGE / sizeof(int))];
	sparse_faults = faults() - f0;
	sparse_refs = NPAGES;
	phase_end();

	phase_start();
	f0 = faults();
	for (int i = 0; i < NPAGES * (PAGE / (int)sizeof(int)); i++)
		sum += b[i];
	dense_faults = faults() - f0;
	dense_refs = NPAGES * (PAGE / sizeof(int));
	phase_end();

	eat("sparse", sparse_refs, sparse_faults);
	eat("dense", dense_refs, dense_faults);
	return sum != 0;
}
