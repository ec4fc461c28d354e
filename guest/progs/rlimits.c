/*
 * Resource limits through prlimit64: get/set round trips, the errors
 * (EINVAL for cur > max or a bad resource, EPERM raising a hard limit
 * without CAP_SYS_RESOURCE) and the effects of RLIMIT_NPROC on fork.
 *
 * With the argument "linux" it also checks RLIMIT_AS, RLIMIT_DATA and
 * RLIMIT_STACK, which qemu-user accepts but never applies (they would
 * constrain qemu itself): mmap failing with ENOMEM under RLIMIT_AS, brk
 * and private writable mmap refused under RLIMIT_DATA.  That output is
 * compared with Linux's expected values by a mmulab-only test.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

#define PAGE 4096

static long prlimit(int res, const struct rlimit64 *nl, struct rlimit64 *ol)
{
	return __sys_ret(mmulab_syscall(SYS_prlimit64, 0, res, (long)nl,
					(long)ol, 0, 0));
}

static void report(const char *what, long r)
{
	if (r < 0)
		printf("%-40s errno %d\n", what, mmulab_linux_errno);
	else
		printf("%-40s ok\n", what);
}

/* Set @name's soft limit to @val (within the hard limit), read it back,
 * restore it; prints no default values, which differ between hosts. */
static void roundtrip(const char *name, int res, uint64_t val)
{
	struct rlimit64 old, nl, got;
	char what[64];

	prlimit(res, NULL, &old);
	nl.rlim_cur = val;
	nl.rlim_max = old.rlim_max;
	snprintf(what, sizeof(what), "set %s soft %llu", name,
		 (unsigned long long)val);
	report(what, prlimit(res, &nl, NULL));
	prlimit(res, NULL, &got);
	printf("  read back %d hard unchanged %d\n", got.rlim_cur == val,
	       got.rlim_max == old.rlim_max);
	nl.rlim_cur = old.rlim_cur;
	snprintf(what, sizeof(what), "restore %s", name);
	report(what, prlimit(res, &nl, &got));
	printf("  old value returned %d\n", got.rlim_cur == val);
}

static void errors(void)
{
	struct rlimit64 rl, cur;

	prlimit(RLIMIT_NOFILE, NULL, &cur);
	rl.rlim_cur = cur.rlim_max;
	rl.rlim_max = cur.rlim_max - 1;
	report("soft above hard", prlimit(RLIMIT_NOFILE, &rl, NULL));
	report("resource 99", prlimit(99, NULL, &rl));
	report("bad old pointer", prlimit(RLIMIT_NOFILE, NULL,
					  (struct rlimit64 *)0x10));
	report("bad new pointer", prlimit(RLIMIT_NOFILE,
					  (struct rlimit64 *)0x10, NULL));
	long r = mmulab_syscall(SYS_prlimit64, 0x7ffffff0, RLIMIT_NOFILE, 0,
				(long)&rl, 0, 0);
	printf("%-40s %ld\n", "no such pid", r);
	/* Lower the hard limit, then try to raise it again: only a
	 * privileged user may (root on the host, under qemu or mmulab). */
	rl.rlim_cur = rl.rlim_max = cur.rlim_max - 1;
	report("lower NOFILE hard limit", prlimit(RLIMIT_NOFILE, &rl, NULL));
	rl.rlim_max = cur.rlim_max;
	long up = prlimit(RLIMIT_NOFILE, &rl, NULL);
	/* Depends on CAP_SYS_RESOURCE: the same under qemu and mmulab on
	 * one host. */
	printf("raise hard limit back: %s\n",
	       up == 0 ? "allowed" : "refused");
	if (up < 0)
		printf("  errno %d\n", mmulab_linux_errno);
}

static void nproc(void)
{
	struct rlimit64 old, rl;

	fflush(stdout);
	prlimit(RLIMIT_NPROC, NULL, &old);
	rl.rlim_cur = 1;
	rl.rlim_max = old.rlim_max;
	report("set NPROC 1", prlimit(RLIMIT_NPROC, &rl, NULL));
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	if (pid < 0) {
		printf("fork under NPROC 1: refused errno %d\n",
		       mmulab_linux_errno);
	} else {
		int st;
		waitpid(pid, &st, 0);
		/* Root's user is exempt, as are CAP_SYS_RESOURCE and
		 * CAP_SYS_ADMIN holders. */
		printf("fork under NPROC 1: allowed, child exit %d\n",
		       WEXITSTATUS(st));
	}
	prlimit(RLIMIT_NPROC, &old, NULL);
}

static void limit_as(void)
{
	struct rlimit64 old, rl;

	prlimit(RLIMIT_AS, NULL, &old);
	rl.rlim_cur = 64u << 20;
	rl.rlim_max = old.rlim_max;
	report("set AS 64M", prlimit(RLIMIT_AS, &rl, NULL));
	void *p = mmap(NULL, 128u << 20, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap 128M under AS 64M: %s errno %d\n",
	       p == MAP_FAILED ? "refused" : "ALLOWED?",
	       p == MAP_FAILED ? mmulab_linux_errno : 0);
	p = mmap(NULL, 1u << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	printf("mmap 1M under AS 64M: %s\n", p != MAP_FAILED ? "ok" : "FAIL");
	munmap(p, 1u << 20);
	prlimit(RLIMIT_AS, &old, NULL);
	p = mmap(NULL, 128u << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	printf("mmap 128M after restore: %s\n",
	       p != MAP_FAILED ? "ok" : "FAIL");
	munmap(p, 128u << 20);
}

static void limit_data(void)
{
	struct rlimit64 old, rl;
	uintptr_t base = (uintptr_t)mmulab_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);

	prlimit(RLIMIT_DATA, NULL, &old);
	rl.rlim_cur = 1u << 20;
	rl.rlim_max = old.rlim_max;
	report("set DATA 1M", prlimit(RLIMIT_DATA, &rl, NULL));
	uintptr_t r = (uintptr_t)mmulab_syscall(SYS_brk, base + (2u << 20), 0,
						0, 0, 0, 0);
	printf("brk +2M under DATA 1M: %s\n",
	       r == base ? "refused (old break)" : "ALLOWED?");
	void *p = mmap(NULL, 2u << 20, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("private writable mmap 2M under DATA 1M: %s errno %d\n",
	       p == MAP_FAILED ? "refused" : "ALLOWED?",
	       p == MAP_FAILED ? mmulab_linux_errno : 0);
	p = mmap(NULL, 2u << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	printf("read-only mmap 2M under DATA 1M: %s\n",
	       p != MAP_FAILED ? "ok" : "FAIL");
	munmap(p, 2u << 20);
	prlimit(RLIMIT_DATA, &old, NULL);
	r = (uintptr_t)mmulab_syscall(SYS_brk, base + (2u << 20), 0, 0, 0, 0,
				      0);
	printf("brk +2M after restore: %s\n",
	       r == base + (2u << 20) ? "ok" : "FAIL");
	mmulab_syscall(SYS_brk, base, 0, 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
	int full = argc > 1 && strcmp(argv[1], "linux") == 0;

	if (full) {
		/* Only what qemu cannot show: independent of the host. */
		roundtrip("AS", RLIMIT_AS, 3u << 20);
		roundtrip("DATA", RLIMIT_DATA, 3u << 20);
		roundtrip("STACK", RLIMIT_STACK, 3u << 20);
		limit_as();
		limit_data();
		return 0;
	}
	roundtrip("NOFILE", RLIMIT_NOFILE, 100);
	roundtrip("MEMLOCK", RLIMIT_MEMLOCK, 1u << 20);
	roundtrip("NPROC", RLIMIT_NPROC, 100);
	errors();
	nproc();
	return 0;
}
