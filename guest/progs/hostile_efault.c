/*
 * A hostile guest hands every system call that takes a pointer addresses
 * it may not use: NULL, an unmapped low page, a PROT_NONE page, the kernel
 * half (0xc0000000), the last page of the address space, and -- for calls
 * that write through the pointer -- a read-only page of its own code.
 * Each call must fail with EFAULT (Linux's answer; the emulator must never
 * read or write host memory for it).  Prints one line per call and exits
 * with the number of calls that did not give EFAULT.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

#define EFAULT 14
#define AT_FDCWD (-100)

static int bad;
static long none_page;

static void check(const char *what, long r)
{
	if (r == -EFAULT)
		return;
	printf("%-34s = %ld (want -EFAULT)\n", what, r);
	bad++;
}

/* Every kind of bad pointer; @out: the call writes through it, so a
 * read-only page counts as bad too; @optional: NULL means "none" there. */
static void pointers(long ptrs[6], int *n, int out, int optional)
{
	int i = 0;

	if (!optional)
		ptrs[i++] = 0;
	ptrs[i++] = 0x1000;
	ptrs[i++] = none_page;
	ptrs[i++] = (long)0xc0000000u;
	ptrs[i++] = (long)0xfffff000u;
	if (out)
		ptrs[i++] = (long)(uintptr_t)&check; /* .text: read-only */
	*n = i;
}

#define SYS(nr, ...) mmulab_syscall(nr, __VA_ARGS__)

int main(void)
{
	long p[6];
	int n, fd, pfd[2];
	char name[64];
	struct { long a, b; } iov;

	none_page = (long)mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
	fd = (int)SYS(SYS_openat, AT_FDCWD, (long)"hostile_efault.dat",
		      0x40 | 2 /* O_CREAT|O_RDWR */, 0600, 0, 0);
	if (fd < 0 || SYS(SYS_write, fd, (long)"0123456789", 10, 0, 0, 0) != 10)
		return 100;
	SYS(SYS_pipe2, (long)pfd, 0, 0, 0, 0, 0);

#define T(label, call) do { snprintf(name, sizeof(name), "%s %#lx", label, \
				     (unsigned long)p[i]); check(name, call); } while (0)
	pointers(p, &n, 1, 0);
	for (int i = 0; i < n; i++) {
		long long off;

		SYS(SYS_llseek, fd, 0, 0, (long)&off, 0 /* SEEK_SET */, 0);
		T("read", SYS(63, fd, p[i], 10, 0, 0, 0));
		T("pread64", SYS(67, fd, p[i], 10, 0, 0, 0));
		T("getcwd", SYS(17, p[i], 100, 0, 0, 0, 0));
		T("pipe2", SYS(59, p[i], 0, 0, 0, 0, 0));
		T("statx buf", SYS(291, AT_FDCWD, (long)"hostile_efault.dat", 0,
				   0x7ff, p[i], 0));
		T("clock_gettime64", SYS(403, 0, p[i], 0, 0, 0, 0));
		T("uname", SYS(160, p[i], 0, 0, 0, 0, 0));
		T("getrusage", SYS(165, 0, p[i], 0, 0, 0, 0));
		T("getrandom", SYS(278, p[i], 16, 0, 0, 0, 0));
		T("sysinfo", SYS(179, p[i], 0, 0, 0, 0, 0));
		T("rt_sigpending", SYS(136, p[i], 8, 0, 0, 0, 0));
		T("readlinkat buf", SYS(78, AT_FDCWD, (long)"/proc/self/exe", p[i],
					64, 0, 0));
		T("getdents64", SYS(61, SYS(56, AT_FDCWD, (long)".", 0x10000, 0, 0, 0),
				    p[i], 4096, 0, 0, 0));
		T("mincore vec", SYS(232, (long)&bad & ~4095l, 4096, p[i], 0, 0, 0));
	}
	/* Optional pointers: NULL is allowed, the others are not. */
	pointers(p, &n, 1, 1);
	for (int i = 0; i < n; i++) {
		T("clock_getres64", SYS(406, 0, p[i], 0, 0, 0, 0));
		T("prlimit64 old", SYS(261, 0, 7, 0, p[i], 0, 0));
		T("rt_sigaction old", SYS(134, 10, 0, p[i], 8, 0, 0));
		T("rt_sigprocmask old", SYS(135, 0, 0, p[i], 8, 0, 0));
		T("sigaltstack old", SYS(132, 0, p[i], 0, 0, 0, 0));
	}
	pointers(p, &n, 0, 1);
	for (int i = 0; i < n; i++) {
		T("prlimit64 new", SYS(261, 0, 7, p[i], 0, 0, 0));
		T("rt_sigaction new", SYS(134, 10, p[i], 0, 8, 0, 0));
		T("rt_sigprocmask new", SYS(135, 0, p[i], 0, 8, 0, 0));
		T("sigaltstack new", SYS(132, p[i], 0, 0, 0, 0, 0));
	}
	pointers(p, &n, 0, 0);
	for (int i = 0; i < n; i++) {
		T("write", SYS(64, fd, p[i], 10, 0, 0, 0));
		T("pwrite64", SYS(68, fd, p[i], 10, 0, 0, 0));
		T("openat path", SYS(56, AT_FDCWD, p[i], 0, 0, 0, 0));
		T("mkdirat path", SYS(34, AT_FDCWD, p[i], 0700, 0, 0, 0));
		T("unlinkat path", SYS(35, AT_FDCWD, p[i], 0, 0, 0, 0));
		T("faccessat path", SYS(48, AT_FDCWD, p[i], 0, 0, 0, 0));
		T("chdir path", SYS(49, p[i], 0, 0, 0, 0, 0));
		T("statx path", SYS(291, AT_FDCWD, p[i], 0, 0x7ff, (long)&iov, 0));
		T("readlinkat path", SYS(78, AT_FDCWD, p[i], (long)name, 8, 0, 0));
		T("execve path", SYS(221, p[i], 0, 0, 0, 0, 0));
		T("clock_nanosleep", SYS(407, 1, 0, p[i], 0, 0, 0));
		iov.a = p[i];
		iov.b = 10;
		T("writev iov_base", SYS(66, pfd[1], (long)&iov, 1, 0, 0, 0));
		T("writev iov", SYS(66, pfd[1], p[i], 1, 0, 0, 0));
	}
	SYS(SYS_unlinkat, AT_FDCWD, (long)"hostile_efault.dat", 0, 0, 0, 0);
	printf("hostile_efault: %d call(s) did not give EFAULT\n", bad);
	return bad;
}
