/*
 * The mmap family: mmap, munmap, mprotect, mremap, mincore, madvise,
 * mlock/munlock/mlockall, msync, MAP_FIXED and MAP_FIXED_NOREPLACE, and
 * their error cases.  Results print as values, booleans, offsets relative
 * to a mapping and Linux errno numbers -- never raw addresses.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

#define PAGE 4096
#define FILE_NAME "mmapfam-file.bin"

/* A page-aligned address below the program where nothing is ever mapped
 * (above mmap_min_addr, below the ELF at 0x10000). */
static char *const hole = (char *)0x2000;
/*
 * Argument "linux": also run the checks where qemu-user's own emulation
 * of the mm calls departs from Linux (mincore residency, errors on
 * unmapped ranges, mremap, MAP_FIXED_NOREPLACE).  That output is compared
 * with Linux's expected values by a mmulab-only test, not with qemu.
 */
static int full;

static int err(long r)
{
	return r < 0 || r == (long)MAP_FAILED ? mmulab_linux_errno : 0;
}

/* Result of a call returning 0/-1: "ok" or the errno. */
static void report(const char *what, long r)
{
	if (r == -1)
		printf("%-40s errno %d\n", what, mmulab_linux_errno);
	else
		printf("%-40s ok\n", what);
}

static void report_map(const char *what, void *p)
{
	if (p == MAP_FAILED)
		printf("%-40s errno %d\n", what, mmulab_linux_errno);
	else
		printf("%-40s ok\n", what);
}

static char *map_anon(size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void residency(const char *what, void *p, size_t pages)
{
	unsigned char vec[16];
	char buf[17];

	if (!full)
		return;
	memset(vec, 0xee, sizeof(vec));
	if (mincore(p, pages * PAGE, vec) < 0) {
		printf("%-40s mincore errno %d\n", what, mmulab_linux_errno);
		return;
	}
	for (size_t i = 0; i < pages; i++)
		buf[i] = (vec[i] & 1) ? '1' : '0';
	buf[pages] = '\0';
	printf("%-40s %s\n", what, buf);
}

static void mmap_errors(void)
{
	int fd;

	report_map("mmap len 0", mmap(NULL, 0, PROT_READ,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	report_map("mmap no type", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS,
					-1, 0));
	report_map("mmap bad type 0xf", mmap(NULL, PAGE, PROT_READ,
					     0xf | MAP_ANONYMOUS, -1, 0));
	report_map("mmap fixed unaligned",
		   mmap((void *)(hole + 0x123), PAGE, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	report_map("mmap bad fd", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 77,
				       0));
	report_map("mmap huge len", mmap(NULL, 0xfffff000u, PROT_READ,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	fd = open(FILE_NAME, O_RDONLY);
	report_map("mmap shared rw on O_RDONLY file",
		   mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	report_map("mmap private rw on O_RDONLY file",
		   mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
			0));
	report_map("mmap shared ro on O_RDONLY file",
		   mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0));
	close(fd);
	fd = open(FILE_NAME, O_WRONLY);
	report_map("mmap on O_WRONLY file",
		   mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0));
	close(fd);
	fd = open(".", O_RDONLY);
	report_map("mmap a directory",
		   mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
	close(fd);
	report("munmap unaligned", munmap((void *)(hole + 0x123), PAGE));
	report("munmap len 0", munmap((void *)hole, 0));
	report("munmap nothing mapped", munmap((void *)hole, PAGE));
	report("mprotect unaligned", mprotect((void *)(hole + 0x123), PAGE,
					      PROT_READ));
	report("mprotect bad prot", mprotect((void *)hole, PAGE, 0x10));
	report("madvise unaligned", madvise((void *)(hole + 0x123), PAGE,
					    MADV_NORMAL));
	report("msync unaligned", msync((void *)(hole + 0x123), PAGE, MS_SYNC));
	report("msync bad flags", msync((void *)hole, PAGE,
					MS_SYNC | MS_ASYNC));
}

/*
 * Error cases where qemu-user's own emulation of the call differs from
 * Linux (it returns 0 for unmapped ranges, checks the range before the
 * alignment, ENOMEM for every mremap error, EINVAL for
 * MAP_SHARED_VALIDATE): the values here are Linux's, from
 * mm/mprotect.c, mm/mincore.c, mm/madvise.c, mm/msync.c, mm/mremap.c, mm/mlock.c.
 */
static void mmap_errors_linux(void)
{
	unsigned char v;

	report("mprotect unmapped", mprotect((void *)hole, PAGE, PROT_READ));
	report("mincore unmapped", mincore((void *)hole, PAGE, &v));
	report("mincore unaligned", mincore((void *)(hole + 0x123), PAGE, &v));
	report("munlock unmapped", munlock((void *)hole, PAGE));
	report("msync unmapped", msync((void *)hole, PAGE, MS_SYNC));
	report_map("mmap shared_validate unknown flag",
		   mmap(NULL, PAGE, PROT_READ,
			MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x800000, -1, 0));
	report("madvise bad advice", madvise((void *)hole, PAGE, 999));
	report("madvise unmapped", madvise((void *)hole, PAGE,
					   MADV_WILLNEED));
	report("mremap unaligned", (long)mremap((void *)(hole + 0x123), PAGE,
						2 * PAGE, 0));
	report("mremap unmapped", (long)mremap((void *)hole, PAGE,
					       2 * PAGE, 0));
	report("mremap bad flags", (long)mremap((void *)hole, PAGE,
						2 * PAGE, 0x80));
	report("mremap new len 0", (long)mremap((void *)hole, PAGE, 0,
						MREMAP_MAYMOVE));
}

static void basic(void)
{
	char *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);

	printf("anon map: page aligned %d zero %d\n",
	       ((uintptr_t)p & (PAGE - 1)) == 0, p[0] == 0 && p[3 * PAGE] == 0);
	residency("fresh mapping resident", p, 4);
	p[0] = 1;
	p[2 * PAGE] = 1;
	residency("after touching pages 0 and 2", p, 4);
	/* A read of an untouched page maps the zero page: resident. */
	volatile char c = p[PAGE];
	(void)c;
	residency("after reading page 1", p, 4);
	/* DONTNEED zeroes private anonymous memory. */
	p[2 * PAGE + 5] = 42;
	report("madvise DONTNEED", madvise(p + 2 * PAGE, PAGE, MADV_DONTNEED));
	printf("after DONTNEED: value %d\n", p[2 * PAGE + 5]);
	residency("after DONTNEED and reread", p, 4);
	/* Unmapping the middle splits it; the hole is gone. */
	report("munmap middle page", munmap(p + PAGE, PAGE));
	residency("mincore spanning a hole", p, 4);
	if (full)
		report("mprotect range with a hole",
		       mprotect(p, 4 * PAGE, PROT_READ));
	report("munmap range with a hole", munmap(p, 4 * PAGE));
	report("munmap again (nothing there)", munmap(p, 4 * PAGE));
}

static void fixed(void)
{
	char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	memset(p, 'a', 3 * PAGE);

	char *q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("MAP_FIXED over the middle: same addr %d new page zero %d "
	       "neighbours kept %d %d\n",
	       q == p + PAGE, q[0] == 0, p[0] == 'a', p[2 * PAGE] == 'a');
	if (full) {
		q = mmap(p + PAGE, PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
			 0);
		report_map("MAP_FIXED_NOREPLACE over a mapping", q);
		munmap(p + 2 * PAGE, PAGE);
		q = mmap(p + 2 * PAGE, PAGE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
			 0);
		printf("MAP_FIXED_NOREPLACE into a hole: same addr %d\n",
		       q == p + 2 * PAGE);
	}
	/* A hint that is free is honoured. */
	munmap(p, 3 * PAGE);
	q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("free hint honoured %d\n", q == p);
	munmap(q, PAGE);
}

static void protect(void)
{
	char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
	p[0] = 5;
	report("mprotect PROT_READ", mprotect(p, PAGE, PROT_READ));
	printf("read after PROT_READ %d\n", p[0]);
	report("mprotect PROT_NONE", mprotect(p, PAGE, PROT_NONE));
	report("mprotect back to RW", mprotect(p, PAGE,
					       PROT_READ | PROT_WRITE));
	printf("value kept across PROT_NONE %d\n", p[0]);
	p[0] = 6;
	printf("write after RW %d\n", p[0]);
	report("mprotect PROT_EXEC|READ", mprotect(p, 2 * PAGE,
						   PROT_READ | PROT_EXEC));
	/* write(2) from a PROT_NONE page: EFAULT. */
	mprotect(p, PAGE, PROT_NONE);
	long r = write(1, p, 1);
	printf("write() from PROT_NONE page: %ld errno %d\n", r, err(r));
	munmap(p, 2 * PAGE);
}

static void remap(void)
{
	char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
	memset(p, 'r', 2 * PAGE);
	/* Keep the pages after it free so it can grow in place. */
	munmap(p + 2 * PAGE, 4 * PAGE);
	char *q = mremap(p, 2 * PAGE, 4 * PAGE, 0);
	if (q == MAP_FAILED) {
		printf("mremap grow in place: errno %d\n", mmulab_linux_errno);
	} else {
		printf("mremap grow in place: same %d kept %d new zero %d\n",
		       q == p, q[PAGE] == 'r', q[3 * PAGE] == 0);
		p = q;
	}
	/* Block growth with a mapping right after, then grow: must move. */
	char *blocker = mmap(p + 4 * PAGE, PAGE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			     -1, 0);
	q = mremap(p, 4 * PAGE, 8 * PAGE, 0);
	report_map("mremap grow blocked without MAYMOVE", q);
	q = mremap(p, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	if (q == MAP_FAILED) {
		printf("mremap MAYMOVE errno %d\n", mmulab_linux_errno);
	} else {
		printf("mremap MAYMOVE: moved %d kept %d %d tail zero %d\n",
		       q != p, q[0] == 'r', q[PAGE + 7] == 'r',
		       q[7 * PAGE] == 0);
		unsigned char v;
		long r = mincore(p, PAGE, &v);
		printf("old range unmapped %d errno %d\n", r == -1,
		       err(r));
		p = q;
	}
	/* Shrink: the tail goes away. */
	q = mremap(p, 8 * PAGE, 2 * PAGE, 0);
	printf("mremap shrink: same %d kept %d\n", q == p, q[0] == 'r');
	unsigned char v;
	long r = mincore(p + 2 * PAGE, PAGE, &v);
	printf("shrunk tail unmapped %d\n", r == -1);
	/* MREMAP_FIXED to a chosen place. */
	char *dst = map_anon(2 * PAGE, PROT_READ);
	q = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	printf("mremap FIXED: at dst %d kept %d\n", q == dst,
	       q != MAP_FAILED && q[0] == 'r');
	report("mremap FIXED without MAYMOVE",
	       (long)mremap(q, 2 * PAGE, 2 * PAGE, MREMAP_FIXED, p));
	munmap(q, 2 * PAGE);
	munmap(blocker, PAGE);
}

static void rlimit_memlock(void)
{
	struct rlimit64 rl;
	char *p = map_anon(8 * PAGE, PROT_READ | PROT_WRITE);

	getrlimit64(RLIMIT_MEMLOCK, &rl);
	rl.rlim_cur = 4 * PAGE;
	report("setrlimit MEMLOCK 16k", setrlimit64(RLIMIT_MEMLOCK, &rl));
	report("mlock 2 pages", mlock(p, 2 * PAGE));
	residency("mlock populates", p, 4);
	report("mlock 4 more pages (over limit)", mlock(p + 2 * PAGE,
							4 * PAGE));
	report("munlock", munlock(p, 8 * PAGE));
	report("mlock 4 pages (at limit)", mlock(p, 4 * PAGE));
	report("munlockall", munlockall());
	report("mlockall MCL_CURRENT over limit", mlockall(MCL_CURRENT));
	report("mlockall bad flags", mlockall(0));
	report("mlockall MCL_ONFAULT alone", mlockall(MCL_ONFAULT));
	rl.rlim_cur = rl.rlim_max;
	report("restore MEMLOCK", setrlimit64(RLIMIT_MEMLOCK, &rl));
	report("mlock unmapped", mlock((void *)hole, PAGE));
	munmap(p, 8 * PAGE);
}

static void file_map(void)
{
	int fd = open(FILE_NAME, O_RDWR);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       0);
	if (p == MAP_FAILED) {
		printf("file map errno %d\n", mmulab_linux_errno);
		return;
	}
	residency("file mapping before touch", p, 2);
	printf("file content %c%c\n", p[0], p[PAGE]);
	memcpy(p + 10, "MSYNC", 5);
	report("msync MS_SYNC", msync(p, 2 * PAGE, MS_SYNC));
	report("msync MS_ASYNC", msync(p, PAGE, MS_ASYNC));
	report("msync MS_INVALIDATE", msync(p, PAGE, MS_INVALIDATE));
	char buf[5];
	pread(fd, buf, 5, 10);
	printf("read back through fd: %.5s\n", buf);
	report("madvise DONTNEED shared file", madvise(p, PAGE, MADV_DONTNEED));
	printf("shared file page after DONTNEED: %.5s\n", p + 10);
	munmap(p, 2 * PAGE);
	/* Private file mapping: DONTNEED brings the file contents back. */
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[10] = '#';
	printf("private COW value %c\n", p[10]);
	madvise(p, PAGE, MADV_DONTNEED);
	printf("private after DONTNEED %c\n", p[10]);
	munmap(p, PAGE);
	/* Offsets: map the second page only. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	printf("offset mapping sees %c\n", p[0]);
	munmap(p, PAGE);
	close(fd);
	/* The mapping outlives the descriptor. */
	fd = open(FILE_NAME, O_RDONLY);
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	printf("after close still mapped: %c\n", p[0]);
	munmap(p, PAGE);
}

static void efault(void)
{
	long r = write(1, (void *)0x10, 4);
	printf("write() bad pointer: %ld errno %d\n", r, err(r));
	int fd = open(FILE_NAME, O_RDONLY);
	r = read(fd, (void *)0x10, 4);
	printf("read() into bad pointer: %ld errno %d\n", r, err(r));
	char *ro = map_anon(PAGE, PROT_READ);
	r = read(fd, ro, 4);
	printf("read() into PROT_READ page: %ld errno %d\n", r, err(r));
	close(fd);
	char ok[4];
	r = read(fd, ok, 4);
	printf("read() closed fd: %ld errno %d\n", r, err(r));
	r = write(-1, "x", 1);
	printf("write() fd -1: %ld errno %d\n", r, err(r));
	r = mmulab_syscall(SYS_munmap, (long)ro, PAGE, 0, 0, 0, 0);
	printf("raw munmap %ld\n", r);
}

int main(int argc, char **argv)
{
	int fd = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[2 * PAGE];

	memset(buf, 'A', PAGE);
	memset(buf + PAGE, 'B', PAGE);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		printf("cannot create %s\n", FILE_NAME);
		return 1;
	}
	close(fd);
	full = argc > 1 && strcmp(argv[1], "linux") == 0;
	mmap_errors();
	if (full)
		mmap_errors_linux();
	basic();
	fixed();
	protect();
	if (full)
		remap();
	/* Root (CAP_IPC_LOCK) ignores RLIMIT_MEMLOCK, so this part's output
	 * depends on the user: compare it with qemu on the same host only. */
	if (!full)
		rlimit_memlock();
	file_map();
	efault();
	unlink(FILE_NAME);
	return 0;
}
