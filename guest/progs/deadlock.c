/*
 * Reads from a pipe whose only writer is itself: on Linux this sleeps
 * forever.  mmulab notices that nothing can ever run again, says so in the
 * kernel log and kills the sleepers (used by tests/cli.sh, not the
 * differential suite).
 */
#include <stdio.h>
#include <unistd.h>

#include "mmulab.h"

int main(void)
{
	int p[2];
	char c;

	if (pipe(p) < 0)
		return 1;
	puts("about to sleep forever");
	fflush(stdout);
	return (int)read(p[0], &c, 1);
}
