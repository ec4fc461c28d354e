/*
 * A fork bomb with a bottom: fork until fork fails (EAGAIN at
 * RLIMIT_NPROC, ENOMEM when memory runs out), each child sleeping a
 * little and exiting, then reap them all.  Under a small --ram the
 * kernel meets allocation failures and the OOM killer many thousands
 * of times; its log must stay rate-limited and the run must end.
 *
 *   forkbomb [MAX [KB]]   stop after MAX children (default, or -1: no
 *                         limit); each child first touches KB KiB of
 *                         heap (default 0), so that memory runs out
 *                         before the process limit
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long max = argc > 1 ? atol(argv[1]) : -1;
	long kb = argc > 2 ? atol(argv[2]) : 0;
	long n = 0, reaped = 0;
	int err = 0;

	while (max < 0 || n < max) {
		pid_t pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			/* volatile: the stores must happen, unused or not */
			volatile char *p = kb > 0 ? malloc((size_t)kb << 10)
						  : NULL;
			for (long i = 0; p && i < kb << 10; i += 4096)
				p[i] = 1;
			usleep(200000); /* 0.2 s of virtual time */
			_exit(0);
		}
		n++;
	}
	while (wait(NULL) > 0)
		reaped++;
	printf("forked %ld children, reaped %ld, fork stopped by %s\n", n,
	       reaped, err ? strerror(err) : "the limit");
	return reaped == n ? 0 : 1;
}
