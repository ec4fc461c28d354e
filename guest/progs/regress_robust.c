/*
 * Robustness regressions of the file and memory system calls, one case
 * per argv[1]; every result is printed as "NAME = VALUE" (raw system
 * calls: VALUE is the kernel's return, -errno on failure) and checked by
 * tests/regress.sh.  Run in a sandbox root holding "data" = "aaaa".
 *
 *   emfile     an open failing with EMFILE neither truncates nor creates
 *   cwd        the working directory and dirfds follow a renamed directory
 *   links      /proc/self/{root,cwd,fd/N} name paths inside the root
 *   shortio    read/write into a buffer that runs into a hole: short count
 *   madvise    a length that wraps is EINVAL
 *   mremap0    old_len 0 duplicates a shared mapping, EINVAL for private
 *   mremapfix  an overlapping MREMAP_FIXED whose old range runs past its
 *              vma is EINVAL (the overlap is checked first)
 *   rofs       under --root DIR:ro every write-type call is EROFS
 *   args N K   execve /regress_robust.elf (run with --root guest/bin) with
 *              N arguments of K bytes each ("argc" prints the count)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mmulab.h"

#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
#define AT_FDCWD (-100)
#define LO_RDONLY 0
#define LO_WRONLY 1
#define LO_RDWR 2
#define LO_CREAT 0100
#define LO_EXCL 0200
#define LO_TRUNC 01000
#define LO_DIRECTORY 0200000

#define NR_getcwd 17
#define NR_unlinkat 35
#define NR_symlinkat 36
#define NR_linkat 37
#define NR_truncate64 45
#define NR_ftruncate64 46
#define NR_utimensat_time64 412
#define NR_faccessat 48
#define NR_fchmodat 53
#define NR_mkdirat 34
#define NR_openat 56
#define NR_close 57
#define NR_read 63
#define NR_write 64
#define NR_readlinkat 78
#define NR_chdir 49
#define NR_munmap 215
#define NR_mremap 216
#define NR_execve 221
#define NR_mmap2 222
#define NR_madvise 233
#define NR_prlimit64 261
#define NR_renameat2 276

static long sys_open(const char *p, int flags, int mode)
{
	return SYS(NR_openat, AT_FDCWD, p, flags, mode, 0, 0);
}

static long sys_openat(long dirfd, const char *p, int flags)
{
	return SYS(NR_openat, dirfd, p, flags, 0, 0, 0);
}

static void show_link(const char *name, const char *path)
{
	char buf[256];
	long n = SYS(NR_readlinkat, AT_FDCWD, path, buf, sizeof(buf) - 1, 0, 0);
	if (n >= 0) {
		buf[n] = '\0';
		printf("%s = '%s'\n", name, buf);
	} else {
		printf("%s = %ld\n", name, n);
	}
}

static void show_cwd(const char *name)
{
	char buf[256];
	long n = SYS(NR_getcwd, buf, sizeof(buf), 0, 0, 0, 0);
	if (n > 0)
		printf("%s = '%s'\n", name, buf);
	else
		printf("%s = %ld\n", name, n);
}

static int emfile(void)
{
	uint64_t lim[2] = { 8, 8 };
	long fd;

	printf("prlimit = %ld\n",
	       SYS(NR_prlimit64, 0, 7 /* NOFILE */, lim, 0, 0, 0));
	while ((fd = sys_open("/data", LO_RDONLY, 0)) >= 0)
		;
	printf("fill = %ld\n", fd);
	printf("trunc = %ld\n", sys_open("/data", LO_WRONLY | LO_TRUNC, 0));
	printf("creat = %ld\n",
	       sys_open("/new", LO_WRONLY | LO_CREAT | LO_EXCL, 0644));
	printf("creat2 = %ld\n", sys_open("/new2", LO_WRONLY | LO_CREAT, 0644));
	return 0;
}

static int cwd(void)
{
	char c[8] = { 0 };
	long fd, dfd;

	SYS(NR_mkdirat, AT_FDCWD, "/d", 0755, 0, 0, 0);
	printf("chdir = %ld\n", SYS(NR_chdir, "/d", 0, 0, 0, 0, 0));
	fd = sys_open("f", LO_WRONLY | LO_CREAT, 0644);
	SYS(NR_write, fd, "in-d", 4, 0, 0, 0);
	SYS(NR_close, fd, 0, 0, 0, 0, 0);
	dfd = sys_open("/d", LO_RDONLY | LO_DIRECTORY, 0);
	printf("rename = %ld\n",
	       SYS(NR_renameat2, AT_FDCWD, "/d", AT_FDCWD, "/e", 0, 0));
	show_cwd("getcwd");
	show_link("proc_cwd", "/proc/self/cwd");
	fd = sys_open("f", LO_RDONLY, 0);
	printf("open_rel = %s\n", fd >= 0 ? "ok" : "failed");
	SYS(NR_read, fd, c, 4, 0, 0, 0);
	printf("read_rel = '%s'\n", c);
	SYS(NR_close, fd, 0, 0, 0, 0, 0);
	fd = sys_openat(dfd, "f", LO_RDONLY);
	printf("open_dirfd = %s\n", fd >= 0 ? "ok" : "failed");
	SYS(NR_close, fd, 0, 0, 0, 0, 0);
	/* A new directory of the old name is not where we are. */
	SYS(NR_mkdirat, AT_FDCWD, "/d", 0755, 0, 0, 0);
	fd = sys_open("g", LO_WRONLY | LO_CREAT, 0644);
	SYS(NR_close, fd, 0, 0, 0, 0, 0);
	printf("new_e_g = %s\n",
	       sys_open("/e/g", LO_RDONLY, 0) >= 0 ? "ok" : "missing");
	printf("new_d_g = %s\n",
	       sys_open("/d/g", LO_RDONLY, 0) >= 0 ? "ok" : "missing");
	fd = sys_openat(dfd, "../e/f", LO_RDONLY);
	printf("dotdot_dirfd = %s\n", fd >= 0 ? "ok" : "failed");
	return 0;
}

static int links(void)
{
	char p[32];
	long fd = sys_open("/data", LO_RDONLY, 0);

	show_link("root", "/proc/self/root");
	show_link("cwd", "/proc/self/cwd");
	snprintf(p, sizeof(p), "/proc/self/fd/%ld", fd);
	show_link("fd_data", p);
	show_link("fd_0", "/proc/self/fd/0");
	show_link("fd_bad", "/proc/self/fd/99");
	SYS(NR_mkdirat, AT_FDCWD, "/sub", 0755, 0, 0, 0);
	SYS(NR_chdir, "/sub", 0, 0, 0, 0, 0);
	show_link("cwd_sub", "/proc/self/cwd");
	SYS(NR_chdir, "..", 0, 0, 0, 0, 0);
	SYS(NR_chdir, "..", 0, 0, 0, 0, 0);
	show_link("cwd_top", "/proc/self/cwd");
	return 0;
}

static int shortio(void)
{
	char *a = (char *)SYS(NR_mmap2, 0, 2 * 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	SYS(NR_munmap, a + 4096, 4096, 0, 0, 0, 0);
	char *end = a + 4096 - 2;
	long fd = sys_open("/data", LO_RDWR, 0);
	char rest[8] = { 0 };

	printf("read = %ld\n", SYS(NR_read, fd, end, 4, 0, 0, 0));
	printf("got = '%c%c'\n", end[0], end[1]);
	SYS(NR_read, fd, rest, sizeof(rest) - 1, 0, 0, 0);
	printf("rest = '%s'\n", rest);
	printf("read_hole = %ld\n", SYS(NR_read, fd, a + 4096, 4, 0, 0, 0));
	end[0] = 'x';
	end[1] = 'y';
	long wfd = sys_open("/out", LO_WRONLY | LO_CREAT | LO_TRUNC, 0644);
	printf("write = %ld\n", SYS(NR_write, wfd, end, 4, 0, 0, 0));
	printf("write_hole = %ld\n", SYS(NR_write, wfd, a + 4096, 4, 0, 0, 0));
	return 0;
}

static int madvise_wrap(void)
{
	char *a = (char *)SYS(NR_mmap2, 0, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("madvise_wrap = %ld\n",
	       SYS(NR_madvise, a, 0xffffffffu, MADV_NORMAL, 0, 0, 0));
	printf("madvise_zero = %ld\n",
	       SYS(NR_madvise, a, 0, MADV_NORMAL, 0, 0, 0));
	return 0;
}

static int mremap0(void)
{
	char *s = (char *)SYS(NR_mmap2, 0, 4096, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *p = (char *)SYS(NR_mmap2, 0, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s[0] = 'X';
	long d = SYS(NR_mremap, s, 0, 4096, MREMAP_MAYMOVE, 0, 0);
	bool ok = !(d < 0 && d > -4096) && (char *)d != s;
	printf("dup_moved = %s\n", ok ? "yes" : "no");
	if (ok) {
		char *q = (char *)d;
		printf("dup_sees = '%c'\n", q[0]);
		q[0] = 'Y';
		printf("orig_sees = '%c'\n", s[0]);
	}
	printf("dup_nomove = %ld\n", SYS(NR_mremap, s, 0, 4096, 0, 0, 0));
	printf("dup_private = %ld\n",
	       SYS(NR_mremap, p, 0, 4096, MREMAP_MAYMOVE, 0, 0));
	return 0;
}

static int mremapfix(void)
{
	char *a = (char *)SYS(NR_mmap2, 0, 8 * 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	SYS(NR_munmap, a + 2 * 4096, 6 * 4096, 0, 0, 0, 0);
	/* Old range [a, a+4p) runs past the 2-page vma; new [a+p, a+5p)
	 * overlaps it. */
	printf("overlap = %ld\n",
	       SYS(NR_mremap, a, 4 * 4096, 4 * 4096,
		   MREMAP_MAYMOVE | MREMAP_FIXED, a + 4096, 0));
	printf("past_vma = %ld\n",
	       SYS(NR_mremap, a, 4 * 4096, 4 * 4096,
		   MREMAP_MAYMOVE | MREMAP_FIXED, a + 16 * 4096, 0));
	return 0;
}

static int rofs(void)
{
	char c[8] = { 0 };
	long fd;

	printf("open_w = %ld\n", sys_open("/data", LO_WRONLY, 0));
	printf("open_rw = %ld\n", sys_open("/data", LO_RDWR, 0));
	printf("open_trunc = %ld\n",
	       sys_open("/data", LO_RDONLY | LO_TRUNC, 0));
	printf("open_creat = %ld\n",
	       sys_open("/new", LO_WRONLY | LO_CREAT, 0644));
	printf("open_creat_rd = %ld\n",
	       sys_open("/new", LO_RDONLY | LO_CREAT, 0644));
	printf("open_creat_nodir = %ld\n",
	       sys_open("/nodir/new", LO_RDONLY | LO_CREAT, 0644));
	printf("open_excl = %ld\n",
	       sys_open("/data", LO_RDONLY | LO_CREAT | LO_EXCL, 0644));
	printf("open_missing = %ld\n", sys_open("/missing", LO_WRONLY, 0));
	fd = sys_open("/data", LO_RDONLY | LO_CREAT, 0644);
	SYS(NR_read, fd, c, 4, 0, 0, 0);
	printf("read = '%s'\n", c);
	printf("ftruncate = %ld\n", SYS(NR_ftruncate64, fd, 0, 0, 0, 0, 0));
	printf("mmap_shared_w = %ld\n",
	       SYS(NR_mmap2, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   0));
	printf("unlink = %ld\n",
	       SYS(NR_unlinkat, AT_FDCWD, "/data", 0, 0, 0, 0));
	printf("rmdir = %ld\n",
	       SYS(NR_unlinkat, AT_FDCWD, "/sub", 0x200, 0, 0, 0));
	printf("mkdir = %ld\n",
	       SYS(NR_mkdirat, AT_FDCWD, "/newdir", 0755, 0, 0, 0));
	printf("mkdir_exists = %ld\n",
	       SYS(NR_mkdirat, AT_FDCWD, "/sub", 0755, 0, 0, 0));
	printf("rename = %ld\n",
	       SYS(NR_renameat2, AT_FDCWD, "/data", AT_FDCWD, "/moved", 0, 0));
	printf("link = %ld\n",
	       SYS(NR_linkat, AT_FDCWD, "/data", AT_FDCWD, "/hard", 0, 0));
	printf("symlink = %ld\n",
	       SYS(NR_symlinkat, "data", AT_FDCWD, "/soft", 0, 0, 0));
	printf("chmod = %ld\n",
	       SYS(NR_fchmodat, AT_FDCWD, "/data", 0777, 0, 0, 0));
	printf("access_w = %ld\n",
	       SYS(NR_faccessat, AT_FDCWD, "/data", 2, 0, 0, 0));
	printf("access_r = %ld\n",
	       SYS(NR_faccessat, AT_FDCWD, "/data", 4, 0, 0, 0));
	printf("truncate = %ld\n", SYS(NR_truncate64, "/data", 0, 0, 0, 0, 0));
	printf("utimensat = %ld\n",
	       SYS(NR_utimensat_time64, AT_FDCWD, "/data", 0, 0, 0, 0));
	printf("futimens = %ld\n", SYS(NR_utimensat_time64, fd, 0, 0, 0, 0, 0));
	/* The host's stdin is outside the root, read-only or not. */
	printf("futimens_stdin = %ld\n",
	       SYS(NR_utimensat_time64, 0, 0, 0, 0, 0, 0));
	return 0;
}

static int args(int n, int len, char *self)
{
	char **v = malloc(((size_t)n + 3) * sizeof(char *));
	char *s = malloc((size_t)len + 1);
	char *envp[] = { NULL };

	memset(s, 'x', (size_t)len);
	s[len] = '\0';
	v[0] = self;
	v[1] = "argc";
	for (int i = 0; i < n; i++)
		v[2 + i] = s;
	v[n + 2] = NULL;
	printf("execve = %ld\n", SYS(NR_execve, self, v, envp, 0, 0, 0));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "emfile"))
		return emfile();
	if (!strcmp(argv[1], "cwd"))
		return cwd();
	if (!strcmp(argv[1], "links"))
		return links();
	if (!strcmp(argv[1], "shortio"))
		return shortio();
	if (!strcmp(argv[1], "madvise"))
		return madvise_wrap();
	if (!strcmp(argv[1], "mremap0"))
		return mremap0();
	if (!strcmp(argv[1], "mremapfix"))
		return mremapfix();
	if (!strcmp(argv[1], "rofs"))
		return rofs();
	if (!strcmp(argv[1], "argc")) {
		printf("argc = %d\n", argc);
		return 0;
	}
	if (!strcmp(argv[1], "args") && argc == 4)
		return args(atoi(argv[2]), atoi(argv[3]),
			    "/regress_robust.elf");
	return 2;
}
