/*
 * Regression: a page-cache fault deep into a sparse 1 TiB file must not
 * make the host allocate for the whole index range.
 */
#include <stdio.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	long fd = SYS(56, -100, "sparse", 0102 /*O_CREAT|O_RDWR*/, 0600, 0, 0);
	long r = SYS(46, fd, 0, 1u << 8, 0, 0,
		     0); /* ftruncate64(fd, lo=0, hi=256) = 1 TiB */
	printf("fd %ld ftruncate %ld\n", fd, r);
	unsigned pgoff = (1u << 28) - 1;
	volatile char *m =
		(char *)SYS(222, 0, 4096, PROT_READ, MAP_SHARED, fd, pgoff);
	printf("mmap %p\n", m);
	printf("byte %d\n", m[0]);
	return 0;
}
