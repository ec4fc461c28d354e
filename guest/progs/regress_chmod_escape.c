/*
 * Regression: chmod through a symlink pointing outside the sandbox, and
 * of "/..", must not change anything outside --root.  argv[1] is the
 * outside file the symlink names.
 */
#include <stdio.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
int main(int argc, char **argv)
{
	long r = SYS(36, argc > 1 ? argv[1] : "/tmp/outside_victim", -100,
		     "lnk", 0, 0, 0); /* symlinkat */
	printf("symlinkat %ld\n", r);
	r = SYS(53, -100, "lnk", 0777, 0, 0, 0); /* fchmodat */
	printf("fchmodat lnk %ld\n", r);
	r = SYS(53, -100, "/..", 0700, 0, 0, 0);
	printf("fchmodat /.. %ld\n", r);
	return 0;
}
