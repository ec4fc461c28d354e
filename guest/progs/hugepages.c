/*
 * Huge pages as a program sees them (tests/huge.sh):
 *
 *   hugepages nopool   MAP_HUGETLB fails with ENOMEM (empty pool)
 *   hugepages pool N   with vm.nr_hugepages=N (N >= 3): reservation and
 *                      fault accounting in /proc/meminfo, alignment
 *                      errors, private copy-on-write and shared pages
 *                      across fork, everything back after munmap
 *   hugepages thp      MADV_HUGEPAGE: AnonHugePages, thp_fault_alloc,
 *                      splits on partial munmap/mprotect keeping the data
 *   hugepages thpswap MIB   (run in a small --ram with --swap) MIB of THPs
 *                      written once and left idle, then MIB of 4 KiB pages
 *                      written twice: reclaim splits the idle THPs and
 *                      swaps their pages (thp_split_page, AnonHugePages
 *                      falls), and both areas read back intact
 *
 * Each check prints "ok NAME" or "FAIL NAME ..."; the exit status is the
 * number of failures.  Without an argument: nopool and thp.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "mmulab.h"

static int fails;
static unsigned long hsize;

static void check(const char *name, int ok)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", name);
	fails += !ok;
}

/* A number from a "Key: value" file, or -1. */
static long field(const char *path, const char *key)
{
	char line[160];
	size_t n = strlen(key);
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

static long vmstat(const char *key)
{
	char line[160];
	size_t n = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ')
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

#define MEM(k) field("/proc/meminfo", k)

/* The /proc/self/pagemap entry of @va (0 on error). */
static uint64_t pagemap(const void *va)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, (off_t)((uintptr_t)va / 4096) * 8) != 8)
		e = 0;
	close(fd);
	return e;
}

#define PM_PFN(e) ((e) & ((1ull << 55) - 1))

/* Are all pages of [va, va + len) resident for mincore? */
static int resident(void *va, size_t len)
{
	static unsigned char vec[1024];
	size_t n = len / 4096;

	if (n > sizeof(vec) || mincore(va, len, vec) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(vec[i] & 1))
			return 0;
	return 1;
}

static void nopool(void)
{
	void *p = mmap(NULL, hsize, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	check("MAP_HUGETLB without a pool fails with ENOMEM",
	      p == MAP_FAILED && errno == ENOMEM);
}

static void pool(long n)
{
	long free0 = MEM("HugePages_Free");
	char *p, *q;
	int st;

	check("HugePages_Total is the pool", MEM("HugePages_Total") == n);
	check("Hugetlb is the pool in kB",
	      MEM("Hugetlb") == n * (long)(hsize >> 10));
	p = mmap(NULL, (size_t)(n + 1) * hsize, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	check("more than the pool: ENOMEM", p == MAP_FAILED && errno == ENOMEM);
	/* 1 byte more than a huge page: rounded up to two */
	p = mmap(NULL, hsize + 1, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	check("MAP_HUGETLB with a pool", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	check("aligned to the huge page size", !((uintptr_t)p & (hsize - 1)));
	check("two pages reserved", MEM("HugePages_Rsvd") == 2);
	check("none taken yet", MEM("HugePages_Free") == free0);
	p[0] = 'a';
	p[hsize - 1] = 'z';
	check("a fault takes one reserved page",
	      MEM("HugePages_Rsvd") == 1 && MEM("HugePages_Free") == free0 - 1);
	check("mincore: every page of the huge page is resident",
	      resident(p, hsize));
	check("HugetlbPages in status",
	      field("/proc/self/status", "HugetlbPages") == (long)(hsize >> 10));
	check("munmap of an unaligned address: EINVAL",
	      munmap(p + 4096, hsize) < 0 && errno == EINVAL);
	check("munmap of a partial huge page: EINVAL",
	      munmap(p, 4096) < 0 && errno == EINVAL);
	check("mprotect of a partial huge page: EINVAL",
	      mprotect(p, 4096, PROT_READ) < 0 && errno == EINVAL);

	pid_t pid = fork();
	if (pid == 0) {
		int ok = p[0] == 'a' && p[hsize - 1] == 'z';
		p[0] = 'c';	/* copy on write, 2 or 4 MiB at once */
		_exit(ok && p[0] == 'c' ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	check("the child saw the data and wrote its own copy",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	check("the parent keeps its data", p[0] == 'a' && p[hsize - 1] == 'z');

	q = mmap(NULL, hsize, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	check("MAP_SHARED|MAP_HUGETLB", q != MAP_FAILED);
	if (q != MAP_FAILED) {
		pid = fork();
		if (pid == 0) {
			q[12345] = 'S';
			_exit(0);
		}
		waitpid(pid, &st, 0);
		check("a shared huge page is shared with the child",
		      q[12345] == 'S');
		check("munmap of the shared mapping", munmap(q, hsize) == 0);
	}
	check("munmap of the whole private mapping",
	      munmap(p, 2 * hsize) == 0);
	check("all free again, nothing reserved",
	      MEM("HugePages_Free") == free0 && MEM("HugePages_Rsvd") == 0);
}

static void thp(void)
{
	size_t len = 2 * hsize;
	char *m = mmap(NULL, len + hsize, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;
	long alloc0 = vmstat("thp_fault_alloc");
	long split0 = vmstat("thp_split_pmd");
	int ok = 1;

	if (m == MAP_FAILED) {
		check("mmap for THP", 0);
		return;
	}
	a = (char *)(((uintptr_t)m + hsize - 1) & ~(uintptr_t)(hsize - 1));
	check("madvise(MADV_HUGEPAGE)", madvise(a, len, MADV_HUGEPAGE) == 0);
	for (size_t off = 0; off < len; off += 4096)
		a[off] = (char)(off >> 12);
	check("thp_fault_alloc counts the huge faults",
	      vmstat("thp_fault_alloc") - alloc0 == 2);
	check("AnonHugePages in smaps",
	      field("/proc/self/smaps_rollup", "AnonHugePages") ==
		      (long)(len >> 10));
	{
		uint64_t e0 = pagemap(a), e5 = pagemap(a + 5 * 4096);
		check("pagemap: pages of a THP are present and contiguous",
		      (e0 >> 63) && (e5 >> 63) &&
			      PM_PFN(e5) == PM_PFN(e0) + 5);
	}
	check("mincore on a THP", resident(a, hsize));
	check("AnonHugePages in meminfo",
	      MEM("AnonHugePages") >= (long)(len >> 10));
	/* punch a 4 KiB hole in the first, write-protect part of the second */
	check("partial munmap", munmap(a + 8192, 4096) == 0);
	check("partial mprotect", mprotect(a + hsize, 8192, PROT_READ) == 0);
	check("thp_split_pmd counts both splits",
	      vmstat("thp_split_pmd") - split0 == 2);
	for (size_t off = 0; off < len; off += 4096)
		if (off != 8192 && a[off] != (char)(off >> 12))
			ok = 0;
	check("the data survived the splits", ok);
	check("AnonHugePages is 0 after the splits",
	      field("/proc/self/smaps_rollup", "AnonHugePages") == 0);
	munmap(m, len + hsize);
}

/* Fill @len bytes at @a with a pattern for @seed; count words that differ. */
static size_t pattern(uint32_t *a, size_t len, uint32_t seed, int check_only)
{
	size_t bad = 0;

	for (size_t i = 0; i < len / 4; i++) {
		uint32_t v = (uint32_t)i * 2654435761u ^ seed;

		if (check_only)
			bad += a[i] != v;
		else
			a[i] = v;
	}
	return bad;
}

static void thpswap(long mib)
{
	size_t len = (size_t)mib << 20;
	char *m = mmap(NULL, len + hsize, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *b = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long split0 = vmstat("thp_split_page"), huge;
	char *a;

	if (m == MAP_FAILED || b == MAP_FAILED || len < hsize) {
		check("mmap for thpswap", 0);
		return;
	}
	a = (char *)(((uintptr_t)m + hsize - 1) & ~(uintptr_t)(hsize - 1));
	len &= ~(size_t)(hsize - 1);
	check("madvise(MADV_HUGEPAGE)", madvise(a, len, MADV_HUGEPAGE) == 0);
	check("madvise(MADV_NOHUGEPAGE)", madvise(b, len, MADV_NOHUGEPAGE) == 0);
	pattern((uint32_t *)(void *)a, len, 1, 0);
	huge = field("/proc/self/smaps_rollup", "AnonHugePages");
	printf("THP area written: AnonHugePages %ld kB\n", huge);
	check("the THP area is mapped by THPs", huge > 0);
	/* the other area, twice: the THPs stay idle meanwhile */
	pattern((uint32_t *)(void *)b, len, 2, 0);
	pattern((uint32_t *)(void *)b, len, 3, 0);
	printf("4 KiB area written: AnonHugePages %ld kB, thp_split_page %ld\n",
	       field("/proc/self/smaps_rollup", "AnonHugePages"),
	       vmstat("thp_split_page") - split0);
	check("reclaim split idle THPs",
	      vmstat("thp_split_page") > split0 &&
		      field("/proc/self/smaps_rollup", "AnonHugePages") < huge);
	check("the THP area reads back", !pattern((uint32_t *)(void *)a, len, 1, 1));
	check("the 4 KiB area reads back", !pattern((uint32_t *)(void *)b, len, 3, 1));
	munmap(m, len + hsize);
	munmap(b, len);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	hsize = (unsigned long)MEM("Hugepagesize") << 10;
	if (hsize != 2u << 20 && hsize != 4u << 20) {
		printf("FAIL Hugepagesize %lu\n", hsize);
		return 1;
	}
	if (!strcmp(mode, "pool"))
		pool(argc > 2 ? atol(argv[2]) : 3);
	if (!strcmp(mode, "nopool") || !*mode)
		nopool();
	if (!strcmp(mode, "thp") || !*mode)
		thp();
	if (!strcmp(mode, "thpswap"))
		thpswap(argc > 2 ? atol(argv[2]) : 8);
	return fails;
}
