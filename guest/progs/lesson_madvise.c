/*
 * Lesson: madvise() DONTNEED and WILLNEED (examples/lesson-madvise.mmu).
 *
 * MADV_DONTNEED on private anonymous memory throws the pages away at once:
 * RSS drops, and the next access finds a fresh zero-filled page (the data
 * is gone -- this is how allocators give memory back).
 *
 * MADV_WILLNEED asks the kernel to start reading pages in before they are
 * touched: for a file mapping it reads the file's pages into the page
 * cache (mincore() then reports them resident before any access); for
 * anonymous memory that was swapped out it reads the pages back from swap
 * (the later access is then a minor fault, not a major one).  The pages
 * are first pushed out with MADV_PAGEOUT (Linux 5.4), which needs swap for
 * anonymous memory; without swap that part reports that nothing moved.
 *
 * Usage: lesson_madvise [FILE]   (default lesson-madvise.dat, removed)
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define NPAGES 16
#define PAGE 4096

static long rss_kb(void)
{
	long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident * (PAGE / 1024);
}

static void faults(long *min, long *maj)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*min = ru.ru_minflt;
	*maj = ru.ru_majflt;
}

/* mincore as a string of 0 and 1, one a page */
static const char *resident(void *p, int n)
{
	static char s[NPAGES + 1];
	unsigned char vec[NPAGES];

	if (mincore(p, (size_t)n * PAGE, vec) < 0)
		return "(mincore failed)";
	for (int i = 0; i < n; i++)
		s[i] = (vec[i] & 1) ? '1' : '0';
	s[n] = '\0';
	return s;
}

/* The numbers, kept for the REPL script (it stops at lesson_done). */
int dontneed_rss_drop_kb, dontneed_nonzero, dontneed_refault;
int file_before, file_after_pageout, file_after_willneed, file_majflt;
int anon_after_pageout, anon_majflt;

static int count_ones(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '1';
	return n;
}

void __attribute__((noinline)) lesson_done(void) { __asm__ volatile(""); }

static void anon_dontneed(void)
{
	char *a = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long r0, r1, r2, min0, maj0, min1, maj1;
	int nonzero = 0;

	if (a == MAP_FAILED) {
		perror("mmap");
		return;
	}
	for (int i = 0; i < NPAGES * PAGE; i++)
		a[i] = 'x';
	printf("anonymous: wrote %d pages of 'x'      mincore %s\n", NPAGES,
	       resident(a, NPAGES));
	r0 = rss_kb();
	if (madvise(a, NPAGES * PAGE, MADV_DONTNEED) < 0)
		perror("madvise(MADV_DONTNEED)");
	r1 = rss_kb();
	dontneed_rss_drop_kb = (int)(r0 - r1);
	printf("MADV_DONTNEED:                        mincore %s, RSS %+ld kB\n",
	       resident(a, NPAGES), r1 - r0);
	faults(&min0, &maj0);
	for (int i = 0; i < NPAGES * PAGE; i++)
		nonzero += a[i] != 0;
	faults(&min1, &maj1);
	r2 = rss_kb();
	dontneed_nonzero = nonzero;
	dontneed_refault = (int)(min1 - min0);
	printf("read them again: %d non-zero bytes, %ld minor faults, RSS %+ld kB "
	       "(the zero page)\n", nonzero, min1 - min0, r2 - r1);
	munmap(a, NPAGES * PAGE);
}

static void file_willneed(const char *path)
{
	static char page[PAGE];
	long min0, maj0, min1, maj1;
	char *m;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		perror(path);
		return;
	}
	for (int i = 0; i < NPAGES; i++) {
		memset(page, 'a' + i, PAGE);
		if (write(fd, page, PAGE) != PAGE) {
			perror("write");
			close(fd);
			return;
		}
	}
	fsync(fd);
	m = mmap(NULL, NPAGES * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		close(fd);
		return;
	}
	long sum = 0;
	for (int i = 0; i < NPAGES; i++)
		sum += ((volatile char *)m)[i * PAGE];
	file_before = count_ones(resident(m, NPAGES));
	printf("file of %d pages, mapped and read:   mincore %s\n", NPAGES,
	       resident(m, NPAGES));
	madvise(m, NPAGES * PAGE, MADV_PAGEOUT);
	file_after_pageout = count_ones(resident(m, NPAGES));
	printf("MADV_PAGEOUT (clean pages dropped):   mincore %s\n",
	       resident(m, NPAGES));
	madvise(m, NPAGES * PAGE, MADV_WILLNEED);
	file_after_willneed = count_ones(resident(m, NPAGES));
	printf("MADV_WILLNEED (read ahead):           mincore %s\n",
	       resident(m, NPAGES));
	faults(&min0, &maj0);
	sum = 0;
	for (int i = 0; i < NPAGES; i++)
		sum += ((volatile char *)m)[i * PAGE];
	faults(&min1, &maj1);
	file_majflt = (int)(maj1 - maj0);
	printf("touch every page: %ld major faults, %ld minor (checksum %ld)\n",
	       maj1 - maj0, min1 - min0, sum);
	munmap(m, NPAGES * PAGE);
	close(fd);
	unlink(path);
}

static void anon_willneed(void)
{
	char *a = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long min0, maj0, min1, maj1, sum = 0;

	if (a == MAP_FAILED) {
		perror("mmap");
		return;
	}
	for (int i = 0; i < NPAGES; i++)
		memset(a + i * PAGE, 'A' + i, PAGE);
	madvise(a, NPAGES * PAGE, MADV_PAGEOUT);
	anon_after_pageout = count_ones(resident(a, NPAGES));
	printf("anonymous, MADV_PAGEOUT (to swap):    mincore %s\n",
	       resident(a, NPAGES));
	madvise(a, NPAGES * PAGE, MADV_WILLNEED);
	printf("MADV_WILLNEED (swap-in started):      mincore %s\n",
	       resident(a, NPAGES));
	faults(&min0, &maj0);
	for (int i = 0; i < NPAGES; i++)
		sum += ((volatile char *)a)[i * PAGE];
	faults(&min1, &maj1);
	anon_majflt = (int)(maj1 - maj0);
	printf("touch every page: %ld major faults, %ld minor (checksum %ld)\n",
	       maj1 - maj0, min1 - min0, sum);
	munmap(a, NPAGES * PAGE);
}

int main(int argc, char **argv)
{
	rss_kb();	/* stdio's buffers exist before anything is measured */
	anon_dontneed();
	file_willneed(argc > 1 ? argv[1] : "lesson-madvise.dat");
	anon_willneed();
	lesson_done();
	return 0;
}
