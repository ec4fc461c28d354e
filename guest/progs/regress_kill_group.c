/*
 * Regression: kill() of a process group that does not exist is ESRCH;
 * with an argument, signal 64 (the highest) is delivered.
 */
#include <stdio.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IONBF, 0);
	if (argc > 1) {
		printf("kill(getpid(),64)\n");
		long r = SYS(129, SYS(172, 0, 0, 0, 0, 0, 0), 64, 0, 0, 0, 0);
		printf("returned %ld, still alive\n", r);
		return 3;
	}
	long r = SYS(129, -12345, 15, 0, 0, 0, 0);
	printf("kill(-12345,SIGTERM) = %ld\n", r);
	return 0;
}
