/*
 * Regression: after a write that ended in EPIPE, the next write to
 * another pipe writes exactly its own bytes.
 */
#include <stdio.h>
#include <string.h>
#include "mmulab.h"
#define SYS(n, a, b, c, d, e, f)                                      \
	mmulab_syscall(n, (long)(a), (long)(b), (long)(c), (long)(d), \
		       (long)(e), (long)(f))
static char big[100000];
int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	int p[2], q[2];
	SYS(134, 13, 0, 0, 8, 0, 0); /* placeholder */
	/* ignore SIGPIPE: struct {handler, flags, mask[2]} */
	unsigned act[4] = { 1, 0, 0, 0 };
	SYS(134, 13, act, 0, 8, 0, 0);
	SYS(59, p, 0, 0, 0, 0, 0);
	SYS(59, q, 0, 0, 0, 0, 0);
	long pid = SYS(220, 17, 0, 0, 0, 0, 0); /* fork */
	if (pid == 0) {
		char buf[1000];
		SYS(57, p[1], 0, 0, 0, 0, 0);
		long n = SYS(63, p[0], buf, 1000, 0, 0,
			     0); /* read a bit so the writer is mid-write */
		(void)n;
		SYS(57, p[0], 0, 0, 0, 0,
		    0); /* close reader -> writer gets EPIPE */
		SYS(93, 0, 0, 0, 0, 0, 0);
	}
	SYS(57, p[0], 0, 0, 0, 0, 0);
	long r = SYS(64, p[1], big, sizeof big, 0, 0, 0);
	printf("big write returned %ld\n", r);
	long r2 = SYS(64, q[1], "hello", 5, 0, 0, 0);
	printf("write(q, 5 bytes) returned %ld (want 5)\n", r2);
	char buf[10] = { 0 };
	long r3 = SYS(63, q[0], buf, 10, 0, 0, 0);
	printf("read(q) = %ld '%s'\n", r3, buf);
	return 0;
}
