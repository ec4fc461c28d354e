/*
 * Regression: a CLONE_VFORK|CLONE_FILES child that execs must not close
 * the parent's O_CLOEXEC descriptors (run with --root on guest/bin).
 */
#include <stdio.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
int main(int argc, char **argv)
{
	setvbuf(stdout, 0, _IONBF, 0);
	if (argc > 1)
		return 0;
	int p[2];
	SYS(59, p, 02000000, 0, 0, 0, 0); /* pipe2 O_CLOEXEC */
	long c = SYS(220, 0x4000 | 0x400 | 17, 0, 0, 0, 0,
		     0); /* CLONE_VFORK|CLONE_FILES */
	if (c == 0) {
		char *av[] = { "/regress_clone_files.elf", "x", 0 };
		char *ev[] = { 0 };
		SYS(221, "/regress_clone_files.elf", av, ev, 0, 0, 0);
		SYS(93, 127, 0, 0, 0, 0, 0);
	}
	long r = SYS(64, p[1], "hi", 2, 0, 0, 0);
	printf("parent write to its cloexec pipe after child exec: %ld (want 2)\n",
	       r);
	return 0;
}
