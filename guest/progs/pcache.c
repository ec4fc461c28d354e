/*
 * The page cache as read()/write() and mmap share it.
 *
 *   pcache            what any Linux shows (the differential case): data
 *                     written with write() read back through a MAP_SHARED
 *                     mapping and the other way round, after close and
 *                     reopen, ftruncate and O_TRUNC cutting the mapping's
 *                     view, unlink while mapped,
 *                     MADV_FREE then a store keeping the data,
 *                     fadvise64_64's results and errors.
 *   pcache remove     MADV_REMOVE punching holes (qemu-user ignores it).
 *   pcache direct-errors  O_DIRECT's EINVAL on a misaligned buffer, offset
 *                     or length, and direct writes seen by buffered reads.
 *   pcache faults N   write N pages, close, reopen, mmap, read each page:
 *                     prints the major and minor fault counts (mmulab's
 *                     tests/pcache.sh checks them: Linux takes minor ones).
 *   pcache seqmap N   a file of N pages, dropped from the cache, read
 *                     through a mapping page by page: faults per page
 *                     (fault-around and readahead).
 *   pcache readseq N  read() a N-page file 4 KiB at a time, printing after
 *                     each read how many of its pages are cached (mincore):
 *                     the readahead window growing.
 *   pcache advise N   readahead under MADV_RANDOM / MADV_SEQUENTIAL and
 *                     POSIX_FADV_RANDOM / SEQUENTIAL, WILLNEED, DONTNEED.
 *   pcache direct N   O_DIRECT reads and writes of N pages: the cache
 *                     does not grow, and reads see earlier buffered writes.
 *   pcache write FILE N [forever]  write N pages of a pattern to FILE (the
 *                     host compares it), then exit or spin until killed.
 *   pcache flusher    nr_dirty before and after a sleep (the flusher).
 *   pcache willneed N  MADV_PAGEOUT then MADV_WILLNEED on N anonymous
 *                     pages: they come back before they are touched.
 *   pcache manyfiles N  N one-page files written and closed (the host's
 *                     descriptors must not run out), some read back.
 *   pcache lazyfree N [STORE]  MADV_FREE on N anonymous pages, STORE of
 *                     them written again, then memory pressure: prints how
 *                     many kept their data and how many read back zero.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

#define PAGE 4096
#define LX_O_DIRECT 040000
#define NR_FADVISE 223

static long fadvise(int fd, long long off, long long len, int advice)
{
	return __sys_ret(mmulab_syscall(NR_FADVISE, fd, (long)(uint32_t)off,
					(long)(off >> 32),
					(long)(uint32_t)len, (long)(len >> 32),
					advice));
}

static int do_fsync(int fd)
{
	return (int)__sys_ret(mmulab_syscall(82 /* fsync */, fd, 0, 0, 0, 0, 0));
}

static void report(const char *what, long r)
{
	if (r < 0)
		printf("%-44s errno %d\n", what, mmulab_linux_errno);
	else
		printf("%-44s %ld\n", what, r);
}

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 31 + (i >> 12) * 7 + 1);
}

static int write_file(const char *name, size_t pages)
{
	static uint8_t buf[PAGE];
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	for (size_t p = 0; p < pages; p++) {
		for (size_t i = 0; i < PAGE; i++)
			buf[i] = pattern(p * PAGE + i);
		if (write(fd, buf, PAGE) != PAGE)
			return -1;
	}
	return fd;
}

static void faults(long *maj, long *min)
{
	struct linux_rusage ru;

	linux_getrusage(RUSAGE_SELF, &ru);
	*maj = ru.ru_majflt;
	*min = ru.ru_minflt;
}

static int cached_pages(int fd, size_t pages)
{
	static unsigned char vec[1024];
	void *m = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	int n = 0;

	if (m == MAP_FAILED || pages > sizeof(vec))
		return -1;
	if (mincore(m, pages * PAGE, vec) < 0)
		return -1;
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	munmap(m, pages * PAGE);
	return n;
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "1\n", 2) != 2)
			printf("drop_caches: write failed\n");
		close(fd);
	}
}

static long sum_mapping(const uint8_t *m, size_t pages)
{
	long bad = 0;

	for (size_t p = 0; p < pages; p++)
		for (size_t i = 0; i < PAGE; i += 512)
			bad += m[p * PAGE + i] != pattern(p * PAGE + i);
	return bad;
}

/* ---- the differential case ------------------------------------------------ */

static void coherence(void)
{
	const char *name = "pcache-a.bin";
	int fd = write_file(name, 4);
	char buf[16];

	report("write 4 pages", fd < 0 ? -1 : 4);
	uint8_t *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			  fd, 0);
	report("mmap shared", m == MAP_FAILED ? -1 : 0);
	report("mapping shows written data (bad bytes)", sum_mapping(m, 4));
	report("pwrite into page 1", pwrite(fd, "written", 7, PAGE + 100));
	printf("mapping sees the pwrite: %.7s\n", (char *)m + PAGE + 100);
	memcpy(m + 2 * PAGE + 8, "stored", 6);
	memset(buf, 0, sizeof(buf));
	report("pread sees the store", pread(fd, buf, 6, 2 * PAGE + 8));
	printf("  read: %s\n", buf);
	close(fd);
	munmap(m, 4 * PAGE);

	/* Reopen: the data written (still only cached on mmulab) is there. */
	fd = open(name, O_RDONLY);
	m = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("after reopen: %.7s %.6s\n", (char *)m + PAGE + 100,
	       (char *)m + 2 * PAGE + 8);
	struct stat st;
	fstat(fd, &st);
	report("size after reopen", (long)st.st_size);
	munmap(m, 4 * PAGE);
	close(fd);

	/* ftruncate: the cache and the mapping lose the tail. */
	fd = open(name, O_RDWR);
	m = mmap(NULL, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	report("ftruncate to 1.5 pages", ftruncate(fd, PAGE + PAGE / 2));
	report("read past the new end", pread(fd, buf, 16, 3 * PAGE));
	report("read across the new end",
	       pread(fd, buf, 16, PAGE + PAGE / 2 - 8));
	printf("tail of page 1 reads zero: %s\n",
	       m[PAGE + PAGE / 2 + 10] == 0 ? "yes" : "no");
	report("grow back with a write at 3 pages",
	       pwrite(fd, "end", 3, 3 * PAGE));
	printf("page 2 is a hole again: %s\n",
	       m[2 * PAGE + 8] == 0 ? "yes" : "no");
	munmap(m, 4 * PAGE);
	close(fd);

	/* O_TRUNC empties it. */
	fd = open(name, O_RDWR | O_TRUNC);
	fstat(fd, &st);
	report("size after O_TRUNC", (long)st.st_size);
	report("read after O_TRUNC", read(fd, buf, 16));
	close(fd);

	/* unlink while mapped: the mapping keeps working. */
	fd = write_file(name, 2);
	m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	report("unlink while mapped", unlink(name));
	m[PAGE] = 'x';
	printf("mapping after unlink: bad %ld, store %c\n", sum_mapping(m, 1),
	       m[PAGE]);
	munmap(m, 2 * PAGE);
}

static void madvise_cases(void)
{
	const char *name = "pcache-b.bin";
	int fd = write_file(name, 4);
	uint8_t *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			  fd, 0);

	report("MADV_WILLNEED on a file", madvise(m, 4 * PAGE, MADV_WILLNEED));
	munmap(m, 4 * PAGE);
	close(fd);
	unlink(name);

	/* MADV_FREE, then a store: the store's data stays. */
	uint8_t *a = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(a, 0x55, 4 * PAGE);
	report("MADV_FREE", madvise(a, 4 * PAGE, MADV_FREE));
	a[PAGE] = 0x66;
	printf("stored after MADV_FREE: %#x\n", a[PAGE]);
	printf("other pages hold 0x55 or 0: %s\n",
	       (a[0] == 0x55 || a[0] == 0) && (a[3 * PAGE] == 0x55 ||
					      a[3 * PAGE] == 0) ? "yes" : "no");
	munmap(a, 4 * PAGE);
}

static void fadvise_cases(void)
{
	int fd = write_file("pcache-c.bin", 2);
	int pfd[2];

	report("fadvise NORMAL", fadvise(fd, 0, 0, 0));
	report("fadvise RANDOM", fadvise(fd, 0, 0, 1));
	report("fadvise SEQUENTIAL", fadvise(fd, 0, 0, 2));
	report("fadvise WILLNEED", fadvise(fd, 0, 2 * PAGE, 3));
	report("fadvise DONTNEED", fadvise(fd, 0, 0, 4));
	report("fadvise NOREUSE", fadvise(fd, 0, 0, 5));
	report("fadvise bad advice 6", fadvise(fd, 0, 0, 6));
	report("fadvise bad advice -1", fadvise(fd, 0, 0, -1));
	report("fadvise negative length", fadvise(fd, 0, -1, 0));
	report("fadvise bad fd", fadvise(99, 0, 0, 0));
	report("fadvise closed fd", fadvise(-1, 0, 0, 0));
	pipe2(pfd, 0);
	report("fadvise on a pipe", fadvise(pfd[0], 0, 0, 0));
	close(pfd[0]);
	close(pfd[1]);
	char buf[8];
	report("data intact after DONTNEED", pread(fd, buf, 1, PAGE + 3));
	printf("  byte ok: %s\n", (uint8_t)buf[0] == pattern(PAGE + 3) ? "yes"
									  : "no");
	close(fd);
	unlink("pcache-c.bin");
}

static int open_direct(const char *name);

static int direct_errors(void)
{
	int fd = write_file("pcache-d.bin", 2);

	close(fd);
	fd = open_direct("pcache-d.bin");
	if (fd < 0) {
		/* A file system without O_DIRECT (tmpfs before 6.6). */
		printf("O_DIRECT: not supported here\n");
		unlink("pcache-d.bin");
		return 0;
	}
	static uint8_t buf[2 * PAGE] __attribute__((aligned(PAGE)));
	report("O_DIRECT misaligned buffer", pread(fd, buf + 1, 512, 0));
	report("O_DIRECT misaligned offset", pread(fd, buf, 512, 100));
	report("O_DIRECT misaligned length", pread(fd, buf, 100, 0));
	report("O_DIRECT aligned read", pread(fd, buf, PAGE, PAGE));
	printf("  data ok: %s\n", buf[5] == pattern(PAGE + 5) ? "yes" : "no");
	memset(buf, 0x77, PAGE);
	report("O_DIRECT aligned write", pwrite(fd, buf, PAGE, 0));
	close(fd);
	fd = open("pcache-d.bin", O_RDONLY);
	report("F_SETFL O_DIRECT", __sys_ret(mmulab_syscall(25 /* fcntl64 */,
							    fd, 4, LX_O_DIRECT,
							    0, 0, 0)));
	report("  then a misaligned read", pread(fd, buf, 100, 0));
	report("F_SETFL without O_DIRECT", __sys_ret(mmulab_syscall(25, fd, 4, 0,
								    0, 0, 0)));
	int pfd = open("/proc/self/status", O_RDONLY);
	report("F_SETFL O_DIRECT on a procfs file",
	       __sys_ret(mmulab_syscall(25, pfd, 4, LX_O_DIRECT, 0, 0, 0)));
	close(pfd);
	report("buffered read after", pread(fd, buf + PAGE, 1, 10));
	printf("  sees the direct write: %s\n", buf[PAGE] == 0x77 ? "yes"
								 : "no");
	close(fd);
	unlink("pcache-d.bin");
	return 0;
}

/* ---- mmulab-specific views --------------------------------------------- */

/* MADV_REMOVE (qemu-user ignores madvise, so not a differential case). */
static int do_remove(void)
{
	const char *name = "pcache-b.bin";
	int fd = write_file(name, 4);
	uint8_t *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			  fd, 0);
	char buf[8];

	report("MADV_REMOVE page 1", madvise(m + PAGE, PAGE, MADV_REMOVE));
	printf("page 1 reads zero after MADV_REMOVE: %s\n",
	       m[PAGE] == 0 && m[PAGE + 4095] == 0 ? "yes" : "no");
	report("pread of the hole", pread(fd, buf, 4, PAGE + 8));
	printf("  zeros: %s\n", !buf[0] && !buf[3] ? "yes" : "no");
	printf("page 2 kept: %s\n", m[2 * PAGE] == pattern(2 * PAGE) ? "yes"
									: "no");
	struct stat st;
	fstat(fd, &st);
	report("size kept", (long)st.st_size);
	uint8_t *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
			  0);
	report("MADV_REMOVE on a private mapping", madvise(p, PAGE,
							   MADV_REMOVE));
	munmap(p, PAGE);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	report("MADV_REMOVE on a read-only shared mapping",
	       madvise(p, PAGE, MADV_REMOVE));
	munmap(p, PAGE);
	munmap(m, 4 * PAGE);
	close(fd);
	unlink(name);

	/* Shared anonymous memory: the hole reads zero. */
	uint8_t *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	s[0] = 5;
	s[PAGE] = 6;
	report("MADV_REMOVE on shared anonymous", madvise(s, PAGE,
							  MADV_REMOVE));
	printf("shared anonymous: %d %d\n", s[0], s[PAGE]);
	munmap(s, 2 * PAGE);

	return 0;
}

static int open_direct(const char *name)
{
	return (int)__sys_ret(mmulab_syscall(56 /* openat */, -100,
					     (long)name, 2 | LX_O_DIRECT, 0,
					     0, 0));
}

static int do_faults(size_t pages)
{
	int fd = write_file("pcache-f.bin", pages);
	long maj0, min0, maj1, min1;

	close(fd);
	fd = open("pcache-f.bin", O_RDONLY);
	uint8_t *m = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	faults(&maj0, &min0);
	long bad = sum_mapping(m, pages);
	faults(&maj1, &min1);
	printf("bad %ld major %ld minor %ld\n", bad, maj1 - maj0, min1 - min0);
	munmap(m, pages * PAGE);
	close(fd);
	unlink("pcache-f.bin");
	return 0;
}

static int do_seqmap(size_t pages, int advice)
{
	int fd = write_file("pcache-s.bin", pages);
	long maj0, min0, maj1, min1;

	do_fsync(fd);
	close(fd);
	drop_caches();
	fd = open("pcache-s.bin", O_RDONLY);
	uint8_t *m = mmap(NULL, pages * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (advice >= 0)
		madvise(m, pages * PAGE, advice);
	faults(&maj0, &min0);
	long bad = sum_mapping(m, pages);
	faults(&maj1, &min1);
	printf("bad %ld major %ld minor %ld cached %d\n", bad, maj1 - maj0,
	       min1 - min0, cached_pages(fd, pages));
	munmap(m, pages * PAGE);
	close(fd);
	unlink("pcache-s.bin");
	return 0;
}

static int do_readseq(size_t pages, int advice, size_t step)
{
	int fd = write_file("pcache-r.bin", pages);
	static uint8_t buf[PAGE];

	do_fsync(fd);
	close(fd);
	drop_caches();
	fd = open("pcache-r.bin", O_RDONLY);
	if (advice >= 0)
		fadvise(fd, 0, 0, advice);
	printf("cached:");
	for (size_t p = 0; p < pages; p += step) {
		if (pread(fd, buf, PAGE, (off_t)(p * PAGE)) != PAGE)
			return 1;
		printf(" %d", cached_pages(fd, pages));
	}
	printf("\n");
	close(fd);
	unlink("pcache-r.bin");
	return 0;
}

static int do_direct(size_t pages)
{
	int fd = write_file("pcache-o.bin", pages);
	static uint8_t buf[PAGE] __attribute__((aligned(PAGE)));
	long bad = 0;

	do_fsync(fd);
	close(fd);
	drop_caches();
	fd = open_direct("pcache-o.bin");
	for (size_t p = 0; p < pages; p++) {
		if (pread(fd, buf, PAGE, (off_t)(p * PAGE)) != PAGE)
			return 1;
		for (size_t i = 0; i < PAGE; i += 256)
			bad += buf[i] != pattern(p * PAGE + i);
	}
	printf("direct read bad %ld cached %d\n", bad, cached_pages(fd, pages));
	close(fd);
	unlink("pcache-o.bin");
	return 0;
}

static int do_write(const char *name, size_t pages, int forever)
{
	int fd = write_file(name, pages);

	if (fd < 0)
		return 1;
	/* A partial last write, not page aligned. */
	if (write(fd, "tail", 4) != 4)
		return 1;
	close(fd);
	printf("written %zu pages\n", pages);
	fflush(stdout);
	while (forever)
		sched_yield();
	return 0;
}

static long vmstat(const char *name)
{
	static char text[16384];
	int fd = open("/proc/vmstat", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	size_t len = strlen(name);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	text[n] = 0;
	for (char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, name, len) && p[len] == ' ')
			return strtol(p + len + 1, NULL, 10);
	return -1;
}

/* A field of /proc/self/smaps_rollup, in kB (-1: none). */
static long smaps_field(const char *name)
{
	static char text[8192];
	int fd = open("/proc/self/smaps_rollup", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	char *p;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	text[n] = 0;
	p = strstr(text, name);
	return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

/* The flusher: dirty pages written back after dirty_expire_centisecs of
 * (virtual) sleep, without fsync. */
static int do_flusher(void)
{
	int fd = write_file("pcache-w.bin", 8);
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	printf("nr_dirty after write: %s\n", vmstat("nr_dirty") >= 8 ? ">= 8"
								     : "< 8");
	nanosleep(&ts, NULL);
	printf("nr_dirty after 200 ms: %ld\n", vmstat("nr_dirty"));
	close(fd);
	unlink("pcache-w.bin");
	return 0;
}

/* MADV_WILLNEED on swapped-out anonymous memory: back before the touch. */
static int do_willneed(size_t pages)
{
	uint8_t *a = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long maj0, min0, maj1, min1, bad = 0;

	for (size_t p = 0; p < pages; p++)
		a[p * PAGE] = (uint8_t)p;
	if (madvise(a, pages * PAGE, MADV_PAGEOUT) < 0)
		return 1;
	long in0 = vmstat("pswpin");
	if (madvise(a, pages * PAGE, MADV_WILLNEED) < 0)
		return 1;
	long in1 = vmstat("pswpin");
	faults(&maj0, &min0);
	for (size_t p = 0; p < pages; p++)
		bad += a[p * PAGE] != (uint8_t)p;
	faults(&maj1, &min1);
	printf("swapped in by WILLNEED %ld, then major %ld, bad %ld\n",
	       in1 - in0, maj1 - maj0, bad);
	return 0;
}

/* Many files written and closed: each keeps its cached pages, not a host
 * descriptor. */
static int do_manyfiles(size_t files)
{
	char name[32], buf[8];
	long bad = 0;

	if (mkdir("pcache-many", 0755) < 0)
		return 1;
	for (size_t i = 0; i < files; i++) {
		snprintf(name, sizeof(name), "pcache-many/%zu", i);
		int fd = write_file(name, 1);
		if (fd < 0) {
			printf("file %zu: errno %d\n", i, mmulab_linux_errno);
			return 1;
		}
		close(fd);
	}
	for (size_t i = 0; i < files; i += 7) {
		snprintf(name, sizeof(name), "pcache-many/%zu", i);
		int fd = open(name, O_RDONLY);
		if (fd < 0 || pread(fd, buf, 1, 100) != 1)
			return 1;
		bad += (uint8_t)buf[0] != pattern(100);
		close(fd);
	}
	printf("files %zu bad %ld\n", files, bad);
	return 0;
}

static int do_lazyfree(size_t pages, size_t store, size_t press)
{
	uint8_t *a = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t kept = 0, zero = 0;

	memset(a, 0x5a, pages * PAGE);
	if (madvise(a, pages * PAGE, MADV_FREE) < 0)
		return 1;
	for (size_t p = 0; p < store; p++)
		a[p * PAGE] = 0x5a;
	long lazy = smaps_field("LazyFree:");
	if (press) {
		uint8_t *b = mmap(NULL, press * PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (size_t p = 0; p < press; p++)
			b[p * PAGE] = 1;
	}
	for (size_t p = 0; p < pages; p++) {
		kept += a[p * PAGE + 1] == 0x5a;
		zero += a[p * PAGE + 1] == 0;
	}
	printf("kept %zu zero %zu\n", kept, zero);
	printf("LazyFree before the pressure: %ld kB\n", lazy);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 0) : 64;

	if (argc > 1 && !strcmp(argv[1], "faults"))
		return do_faults(n);
	if (argc > 1 && !strcmp(argv[1], "seqmap"))
		return do_seqmap(n, argc > 3 ? atoi(argv[3]) : -1);
	if (argc > 1 && !strcmp(argv[1], "readseq"))
		return do_readseq(n, argc > 3 ? atoi(argv[3]) : -1,
				  argc > 4 ? strtoul(argv[4], NULL, 0) : 1);
	if (argc > 1 && !strcmp(argv[1], "direct"))
		return do_direct(n);
	if (argc > 1 && !strcmp(argv[1], "direct-errors"))
		return direct_errors();
	if (argc > 1 && !strcmp(argv[1], "remove"))
		return do_remove();
	if (argc > 3 && !strcmp(argv[1], "write"))
		return do_write(argv[2], strtoul(argv[3], NULL, 0),
				argc > 4);
	if (argc > 1 && !strcmp(argv[1], "flusher"))
		return do_flusher();
	if (argc > 1 && !strcmp(argv[1], "willneed"))
		return do_willneed(n);
	if (argc > 1 && !strcmp(argv[1], "manyfiles"))
		return do_manyfiles(n);
	if (argc > 1 && !strcmp(argv[1], "lazyfree"))
		return do_lazyfree(n, argc > 3 ? strtoul(argv[3], NULL, 0) : 0,
				   argc > 4 ? strtoul(argv[4], NULL, 0) : 0);
	coherence();
	madvise_cases();
	fadvise_cases();
	return 0;
}
