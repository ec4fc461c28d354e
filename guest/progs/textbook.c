/*
 * A program as a textbook writes it: only POSIX headers, no mmulab.h.
 * It asks for the page size two ways, maps anonymous memory and counts the
 * minor faults its first touch costs (getrusage), forks a child that
 * writes its copy and exits with a status the parent reads back through
 * wait(), and lowers a soft resource limit with setrlimit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPAGES 16

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct rusage before, after;
	struct rlimit rl;
	char *buf;
	pid_t pid;
	int status;

	printf("sysconf(_SC_PAGESIZE) = %ld, getpagesize() = %d\n", page,
	       getpagesize());

	buf = mmap(NULL, NPAGES * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	getrusage(RUSAGE_SELF, &before);
	for (int i = 0; i < NPAGES; i++)
		buf[i * page] = 'a';
	getrusage(RUSAGE_SELF, &after);
	printf("touching %d new pages: %s minor faults, %ld major\n", NPAGES,
	       after.ru_minflt - before.ru_minflt >= NPAGES ? "at least 16"
							   : "too few",
	       after.ru_majflt - before.ru_majflt);

	fflush(stdout);	/* or the child inherits the buffered lines */
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		buf[0] = 'c';	/* the child's own copy */
		exit(buf[0] == 'c' ? 42 : 1);
	}
	if (wait(&status) != pid) {
		perror("wait");
		return 1;
	}
	if (WIFEXITED(status))
		printf("child exited with %d; the parent still reads '%c'\n",
		       WEXITSTATUS(status), buf[0]);
	if (munmap(buf, NPAGES * page) < 0)
		perror("munmap");

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		perror("getrlimit");
		return 1;
	}
	rl.rlim_cur = 16;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		perror("setrlimit");
		return 1;
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("RLIMIT_NOFILE soft limit now %llu\n",
	       (unsigned long long)rl.rlim_cur);
	return 0;
}
