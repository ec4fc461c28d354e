/*
 * Lesson: fork and copy-on-write (examples/lesson-cow.mmu).
 *
 * fork() copies no data page: parent and child map the same frames, and
 * the kernel write-protects the entries on both sides.  The first write to
 * such a page, by either process, faults; the kernel then
 *   - COPIES the page when another process still maps it, or
 *   - REUSES it (just makes the entry writable again) when the faulting
 *     process is the last one mapping it.
 * Reading never copies.  The phases below are ordered with two pipes so
 * that each write lands in a known state.  The minor faults of each phase
 * come from getrusage(); the REPL script checks the kernel's cow.copies and
 * cow.reuses counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPAGES 32
#define PAGE 4096

char *buf;

/* The REPL script stops here: the child has just been forked. */
void __attribute__((noinline)) child_forked(void) { __asm__ volatile(""); }

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* write one byte into pages [from, to) and return the minor faults taken */
static long write_pages(int from, int to, char val)
{
	long f0 = minflt();

	for (int i = from; i < to; i++)
		buf[i * PAGE] = val;
	return minflt() - f0;
}

static long read_pages(int from, int to, long *sum)
{
	long f0 = minflt();

	for (int i = from; i < to; i++)
		*sum += ((volatile char *)buf)[i * PAGE];
	return minflt() - f0;
}

static void say(const char *who, const char *what, long faults)
{
	printf("%-6s %-44s %2ld minor faults\n", who, what, faults);
	fflush(stdout);
}

int main(void)
{
	int to_parent[2], to_child[2];
	long sum = 0;
	char c = 0;
	int status;
	pid_t pid;

	buf = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || pipe(to_parent) || pipe(to_child)) {
		perror("setup");
		return 1;
	}
	minflt();
	say("parent", "writes pages 0-31 (private, anonymous)",
	    write_pages(0, NPAGES, 'p'));

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		child_forked();
		minflt();
		say("child", "reads pages 0-31 (shared, no copy)",
		    read_pages(0, NPAGES, &sum));
		say("child", "writes pages 0-7 (parent maps them: copy)",
		    write_pages(0, 8, 'c'));
		say("child", "writes pages 0-7 again (its own now)",
		    write_pages(0, 8, 'C'));
		write(to_parent[1], "1", 1);	/* your turn */
		read(to_child[0], &c, 1);	/* wait for the parent */
		printf("child  sees page 0 = '%c', page 8 = '%c' (its copy, "
		       "the parent's page)\n", buf[0], buf[8 * PAGE]);
		fflush(stdout);
		_exit(sum == 'p' * NPAGES ? 0 : 1);
	}
	read(to_parent[0], &c, 1);
	say("parent", "writes pages 0-7 (child copied them: reuse)",
	    write_pages(0, 8, 'P'));
	say("parent", "writes pages 8-15 (child maps them: copy)",
	    write_pages(8, 16, 'P'));
	write(to_child[1], "1", 1);
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	say("parent", "writes pages 16-31 (child has exited: reuse)",
	    write_pages(16, NPAGES, 'P'));
	printf("parent sees page 0 = '%c'; the child exited with %d\n", buf[0],
	       WEXITSTATUS(status));
	return 0;
}
