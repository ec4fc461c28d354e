/*
 * Regression: SIGSTOP/SIGCONT do not kill; SIGTERM then does.
 */
#include <stdio.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	long pid = SYS(220, 17, 0, 0, 0, 0, 0);
	if (pid == 0) {
		for (;;)
			SYS(124, 0, 0, 0, 0, 0, 0);
	}
	SYS(124, 0, 0, 0, 0, 0, 0);
	printf("stop %ld\n", SYS(129, pid, 19, 0, 0, 0, 0));
	printf("cont %ld\n", SYS(129, pid, 18, 0, 0, 0, 0));
	printf("term %ld\n", SYS(129, pid, 15, 0, 0, 0, 0));
	int si[32] = { 0 };
	SYS(95, 1, pid, si, 4, 0, 0);
	printf("code %d status %d\n", si[2], si[5]);
	return 0;
}
