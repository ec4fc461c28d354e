/*
 * Regression: a store after a read fault on a MAP_SHARED page must reach
 * the file on msync/fsync (the file "data" in the sandbox holds "aaaa").
 */
#include <stdio.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	long fd = SYS(56, -100, "data", 2, 0, 0, 0);
	volatile char *m = (char *)SYS(222, 0, 4096, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, 0);
	char c = m[0]; /* read fault first */
	m[0] = c + 1; /* then store: 'a' -> 'b' */
	printf("msync %ld\n", SYS(227, m, 4096, MS_SYNC, 0, 0, 0));
	printf("fsync %ld\n", SYS(82, fd, 0, 0, 0, 0, 0));
	return 0;
}
