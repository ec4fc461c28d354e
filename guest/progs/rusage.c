/*
 * Page-fault accounting as getrusage reports it: touching fresh anonymous
 * pages costs one minor fault each, touching them again costs none, and a
 * child's faults show up in RUSAGE_CHILDREN once it is reaped.  Prints
 * relations, not raw counts, so the output is the same on any kernel.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"

#define PAGES 256

int main(void)
{
	struct linux_rusage a, b, c;
	char *p = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	linux_getrusage(RUSAGE_SELF, &a);
	for (int i = 0; i < PAGES; i++)
		p[i * 4096] = 1;
	linux_getrusage(RUSAGE_SELF, &b);
	for (int i = 0; i < PAGES; i++)
		p[i * 4096] = 2;
	linux_getrusage(RUSAGE_SELF, &c);
	long first = b.ru_minflt - a.ru_minflt;
	printf("first touch: at least %d minor faults: %s\n", PAGES,
	       first >= PAGES ? "yes" : "no");
	printf("first touch: at most %d: %s\n", PAGES + 8,
	       first <= PAGES + 8 ? "yes" : "no");
	printf("second touch: %ld faults\n", c.ru_minflt - b.ru_minflt);
	printf("major faults for anonymous memory: %ld\n",
	       c.ru_majflt - a.ru_majflt);
	printf("maxrss grew by at least 1 MiB: %s\n",
	       c.ru_maxrss - a.ru_maxrss >= 1024 ? "yes" : "no");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* COW: every page written in the child faults once. */
		for (int i = 0; i < PAGES; i++)
			p[i * 4096] = 3;
		_exit(0);
	}
	struct linux_rusage before, after;
	linux_getrusage(RUSAGE_CHILDREN, &before);
	waitpid(pid, NULL, 0);
	linux_getrusage(RUSAGE_CHILDREN, &after);
	long child = after.ru_minflt - before.ru_minflt;
	printf("child's COW faults counted for the parent: %s\n",
	       child >= PAGES && child <= PAGES + 64 ? "yes" : "no");
	printf("parent's copy unchanged: %d\n", p[4096]);
	return 0;
}
