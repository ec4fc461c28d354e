/*
 * Regression: 65534 fork/exit cycles run the ASIDs out; a new child must
 * still see its own copy-on-write data (run with --asid).
 */
#include <stdio.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
static volatile char page[4096] __attribute__((aligned(4096)));
int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	int si[32];
	for (int i = 0; i < 65534; i++) {
		long pid = SYS(220, 17, 0, 0, 0, 0, 0);
		if (pid == 0)
			SYS(93, 0, 0, 0, 0, 0, 0);
		SYS(95, 1, pid, si, 4, 0, 0);
	}
	page[0] = 'P';
	long pid = SYS(220, 17, 0, 0, 0, 0, 0);
	if (pid == 0) {
		printf("child sees '%c' (Linux: 'P')\n", page[0]);
		SYS(93, 0, 0, 0, 0, 0, 0);
	}
	page[0] = 'Q';
	(void)page[0];
	SYS(95, 1, pid, si, 4, 0, 0);
	return 0;
}
