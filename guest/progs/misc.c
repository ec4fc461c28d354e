/*
 * Miscellaneous system calls: pid relations (as booleans), uname fields
 * that Linux on rv32 reports identically everywhere, clock_gettime64
 * monotonicity, getrandom lengths and errors, sched_yield.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

struct ts64 {
	int64_t sec;
	int64_t nsec;
};

static long sys(long nr, long a, long b, long c)
{
	return mmulab_syscall(nr, a, b, c, 0, 0, 0);
}

static int64_t ns(const struct ts64 *t)
{
	return t->sec * 1000000000 + t->nsec;
}

int main(void)
{
	pid_t me = getpid();

	printf("pid positive %d, tid == pid %d\n", me > 0, gettid() == me);
	printf("ppid differs from pid %d\n", getppid() != me);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = getppid() == me && getpid() != me;
		_exit(ok ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child sees parent as ppid, new pid: %d\n", WEXITSTATUS(st) == 0);
	printf("fork returned the child's pid %d\n", pid > 0 && pid != me);
	printf("uid == euid %d, gid == egid %d\n", getuid() == geteuid(),
	       getgid() == getegid());

	struct utsname u;
	memset(&u, 'x', sizeof(u));
	printf("uname %d sysname %s machine %s\n", uname(&u), u.sysname,
	       u.machine);
	printf("fields terminated %d\n",
	       memchr(u.release, 0, sizeof(u.release)) != NULL &&
		       memchr(u.nodename, 0, sizeof(u.nodename)) != NULL);
	printf("uname bad pointer %ld\n", sys(SYS_uname, 0x10, 0, 0));

	struct ts64 a, b;
	long r1 = sys(SYS_clock_gettime64, 1 /* MONOTONIC */, (long)&a, 0);
	volatile unsigned spin = 0;
	for (int i = 0; i < 100000; i++)
		spin += i;
	long r2 = sys(SYS_clock_gettime64, 1, (long)&b, 0);
	printf("clock_gettime64 MONOTONIC %ld %ld, increasing %d, nsec in "
	       "range %d\n",
	       r1, r2, ns(&b) > ns(&a), a.nsec >= 0 && a.nsec < 1000000000);
	struct ts64 rt;
	sys(SYS_clock_gettime64, 0 /* REALTIME */, (long)&rt, 0);
	printf("REALTIME after 2020 %d\n", rt.sec > 1577836800);
	printf("bad clock id %ld\n", sys(SYS_clock_gettime64, 99, (long)&a, 0));
	printf("bad pointer %ld\n", sys(SYS_clock_gettime64, 1, 0x10, 0));

	unsigned char buf[300];
	memset(buf, 0, sizeof(buf));
	printf("getrandom 16 -> %ld\n", sys(SYS_getrandom, (long)buf, 16, 0));
	printf("getrandom 0 -> %ld\n", sys(SYS_getrandom, (long)buf, 0, 0));
	printf("getrandom 300 -> %ld\n",
	       sys(SYS_getrandom, (long)buf, sizeof(buf), 0));
	int nonzero = 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		nonzero += buf[i] != 0;
	printf("random bytes mostly non-zero %d\n", nonzero > 250);
	printf("getrandom bad flags -> %ld\n",
	       sys(SYS_getrandom, (long)buf, 16, 0x100));
	printf("getrandom bad pointer -> %ld\n",
	       sys(SYS_getrandom, 0x10, 16, 0));
	printf("sched_yield %d\n", sched_yield());
	printf("unknown syscall -> %ld\n", sys(9999, 0, 0, 0));
	printf("AT_PAGESZ %lu\n", getauxval(6));
	return 0;
}
