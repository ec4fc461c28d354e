/*
 * yes(1): "y" lines on stdout until a write fails.  The usual end is
 * the reader going away (`yes -f | head -1`): SIGPIPE kills it, status
 * 141.  Without -f it stops after 1000 lines (suites run every program).
 *
 *   yes [-f] [-i]   -f: forever, until a write fails
 *                   -i: ignore SIGPIPE, then report the write's error on
 *                   stderr ("yes: write: EPIPE") and exit 3
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

int main(int argc, char **argv)
{
	static char buf[4096];
	int forever = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f"))
			forever = 1;
		if (!strcmp(argv[i], "-i")) {
			struct sigaction sa;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = SIG_IGN;
			sigaction(SIGPIPE, &sa, NULL);
		}
	}
	for (size_t i = 0; i + 2 <= sizeof(buf); i += 2)
		memcpy(buf + i, "y\n", 2);
	for (int n = 0; forever || n < 1; n++) {
		if (write(1, buf, forever ? sizeof(buf) : 2000) < 0) {
			int e = errno;
			fprintf(stderr, "yes: write: %s\n",
				e == EPIPE ? "EPIPE" : strerror(e));
			return 3;
		}
	}
	return 0;
}
