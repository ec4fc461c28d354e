/*
 * The OOM killer's victim.
 *
 *   oomhog MIB            touch MIB of anonymous memory, never freeing it
 *   oomhog MIB tree       fork a small sibling (1 MiB, sleeps, checks its
 *                         memory, exits 0) and a hog child (MIB), then
 *                         report how each ended
 *
 * Without swap and with less RAM than MIB the hog cannot finish: the OOM
 * killer must choose it (the largest), and the sibling and the parent
 * carry on.  Output depends on the arguments only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmulab.h"

static int hog(size_t mib)
{
	for (size_t i = 0; i < mib; i++) {
		volatile uint8_t *p = malloc(1 << 20);
		if (!p) {
			printf("hog: malloc failed after %zu MiB\n", i);
			return 1;
		}
		for (size_t o = 0; o < (1u << 20); o += 4096)
			p[o] = (uint8_t)(i + o);
	}
	printf("hog: touched %zu MiB\n", mib);
	return 0;
}

static int sibling(void)
{
	uint8_t *p = malloc(1 << 20);
	struct timespec ts = {0, 50 * 1000 * 1000};
	size_t bad = 0;

	if (!p)
		return 2;
	memset(p, 0x5a, 1 << 20);
	nanosleep(&ts, NULL); /* the hog runs meanwhile */
	for (size_t i = 0; i < (1u << 20); i++)
		bad += p[i] != 0x5a;
	printf("sibling: %zu bad bytes\n", bad);
	fflush(stdout);
	return bad ? 1 : 0;
}

static void report(const char *who, pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		printf("%s: waitpid failed\n", who);
	else if (WIFSIGNALED(st))
		printf("%s: killed by signal %d\n", who, WTERMSIG(st));
	else
		printf("%s: exited %d\n", who, WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 4;

	if (argc < 3 || strcmp(argv[2], "tree"))
		return hog(mib);
	fflush(stdout);
	pid_t s = fork();
	if (s == 0)
		_exit(sibling());
	pid_t h = fork();
	if (h == 0) {
		int r = hog(mib);
		fflush(stdout);
		_exit(r);
	}
	report("hog", h);
	report("sibling", s);
	return 0;
}
