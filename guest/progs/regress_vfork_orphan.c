/*
 * Regression: a vfork child whose parent is killed and reaped while it
 * waits must exit without touching the freed parent.
 */
#include <stdio.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	int si[32];
	long a = SYS(220, 17, 0, 0, 0, 0, 0);
	if (a == 0) {
		/* A: vfork B */
		long b = SYS(220, 0x4000 | 0x100 | 17, 0, 0, 0, 0, 0);
		if (b == 0) {
			long ppid = SYS(173, 0, 0, 0, 0, 0, 0);
			SYS(129, ppid, 9, 0, 0, 0,
			    0); /* kill A while it waits for us */
			for (int i = 0; i < 50; i++)
				SYS(124, 0, 0, 0, 0, 0, 0);
			SYS(93, 0, 0, 0, 0, 0, 0); /* wakes the freed A */
		}
		SYS(93, 7, 0, 0, 0, 0, 0);
	}
	SYS(95, 1, a, si, 4, 0, 0);
	printf("A reaped: code %d status %d\n", si[2], si[5]);
	/* allocate tasks that might reuse A's slot */
	for (int i = 0; i < 0; i++) {
		long c = SYS(220, 17, 0, 0, 0, 0, 0);
		if (c == 0) {
			for (int j = 0; j < 100; j++)
				SYS(124, 0, 0, 0, 0, 0, 0);
			SYS(93, 1, 0, 0, 0, 0, 0);
		}
	}
	for (int i = 0; i < 1; i++) {
		long r = SYS(95, 0, 0, si, 4, 0, 0);
		printf("wait %ld pid %d st %d\n", r, si[3], si[5]);
	}
	return 0;
}
