/*
 * Regression: mremap(MREMAP_MAYMOVE|MREMAP_FIXED) to a smaller size must
 * leave nothing mapped beyond the new length (the read there faults).
 */
#include <stdio.h>
#include <string.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
int main(void)
{
	/* read-only private anon: no VM_ACCOUNT */
	char *a = (char *)SYS(222, 0, 8 * 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			      0);
	for (int i = 0; i < 8; i++)
		a[i * 4096] = 'A' + i;
	char *dst = (char *)SYS(222, 0, 16 * 4096, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	SYS(215, dst, 16 * 4096, 0, 0, 0, 0);
	long r = SYS(216, a, 8 * 4096, 2 * 4096, MREMAP_MAYMOVE | MREMAP_FIXED,
		     dst, 0);
	printf("mremap -> %lx (dst %p)\n", r, dst);
	if (r < 0 && r > -4096)
		return 0;
	char *d = (char *)r;
	printf("d[0]=%c d[4096]=%c\n", d[0], d[4096]);
	/* access beyond the new mapping: Linux -> SIGSEGV */
	printf("beyond: %c\n", d[2 * 4096]);
	/* new mapping on top */
	char *n = (char *)SYS(222, d + 2 * 4096, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("new mapping %p reads %c (should be 0)\n", n, n[0] ? n[0] : '0');
	return 0;
}
