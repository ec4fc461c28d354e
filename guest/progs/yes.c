/*
 * yes(1): "y" lines on stdout until a write fails.  The usual end is
 * the reader going away (`yes | head -1`): SIGPIPE kills it, status 141.
 *
 *   yes [-i]   -i: ignore SIGPIPE, then report the write's error on
 *              stderr ("yes: write: EPIPE") and exit 3
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

	if (argc > 1 && !strcmp(argv[1], "-i")) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, NULL);
	}
	for (size_t i = 0; i + 2 <= sizeof(buf); i += 2)
		memcpy(buf + i, "y\n", 2);
	for (;;) {
		if (write(1, buf, sizeof(buf)) < 0) {
			int e = errno;
			fprintf(stderr, "yes: write: %s\n",
				e == EPIPE ? "EPIPE" : strerror(e));
			return 3;
		}
	}
}
