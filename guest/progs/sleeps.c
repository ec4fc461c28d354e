/*
 * Sleeping lets the other processes run: children sleep different times
 * and report in the order their sleeps end, through a pipe read by the
 * parent; the clock advances by at least the time slept.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmulab.h"

int main(void)
{
	int p[2];
	struct timespec a, b;
	const unsigned delays_ms[3] = {300, 100, 200};

	pipe(p);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 3; i++) {
		fflush(stdout);
		if (fork() == 0) {
			close(p[0]);
			usleep(delays_ms[i] * 1000);
			char c = (char)('A' + i);
			write(p[1], &c, 1);
			_exit(0);
		}
	}
	close(p[1]);
	char order[4] = {0};
	for (int i = 0; i < 3; i++)
		read(p[0], &order[i], 1);
	while (wait(NULL) > 0)
		;
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (long)(b.tv_sec - a.tv_sec) * 1000 +
		  (b.tv_nsec - a.tv_nsec) / 1000000;
	printf("woke in order %s\n", order);
	printf("elapsed at least 300 ms: %s\n", ms >= 300 ? "yes" : "no");
	printf("elapsed under 2 s: %s\n", ms < 2000 ? "yes" : "no");
	sleep(1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	ms = (long)(a.tv_sec - b.tv_sec) * 1000 +
	     (a.tv_nsec - b.tv_nsec) / 1000000;
	printf("sleep(1) took at least 1 s: %s\n", ms >= 1000 ? "yes" : "no");
	return 0;
}
