/*
 * A tree of processes and copy-on-write.
 *
 * 1. A depth-3 binary tree built depth first (each parent waits for a child
 *    before forking the next, so the output order is fixed): every child
 *    scribbles over its private memory -- a global, a heap block, a stack
 *    array, a MAP_PRIVATE anonymous page -- and every parent checks after
 *    each child that its own copy is unchanged.  Only the tree's nodes'
 *    exit statuses carry results upwards.
 * 2. Siblings running concurrently, reaped out of creation order with
 *    waitpid(pid) so the printed order is fixed.
 * 3. An orphan: its parent exits, it notices the new parent and reports
 *    through a file (it must not write to stdout after the test reads it).
 * 4. A zombie reaped late: kill(pid, 0) still finds it, WNOWAIT peeks at it
 *    without reaping, the real wait reaps it, then ESRCH/ECHILD.
 *
 * Prints no pids or addresses; exits 0 when every check held.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

#define PAGE 4096
#define DEPTH 3

static int g_value = 1000;
static int *heap_block;
static unsigned char *anon;
static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

/* Fill this process's private memory with @tag. */
static void scribble(int tag, int *stack_arr)
{
	g_value = tag;
	for (int i = 0; i < 64; i++)
		heap_block[i] = tag + i;
	for (int i = 0; i < 16; i++)
		stack_arr[i] = tag * 3 + i;
	memset(anon, tag & 0xff, PAGE);
}

/* Does this process's private memory still hold @tag everywhere? */
static int intact(int tag, const int *stack_arr)
{
	if (g_value != tag)
		return 0;
	for (int i = 0; i < 64; i++)
		if (heap_block[i] != tag + i)
			return 0;
	for (int i = 0; i < 16; i++)
		if (stack_arr[i] != tag * 3 + i)
			return 0;
	for (int i = 0; i < PAGE; i++)
		if (anon[i] != (tag & 0xff))
			return 0;
	return 1;
}

/*
 * Node @id at @depth: fork two children in a loop, each waited before the
 * next; returns the number of failed checks in this subtree (the exit
 * status of a child node).
 */
static int node(int id, int depth)
{
	int stack_arr[16];
	int bad = 0;

	scribble(id, stack_arr);
	printf("%*snode %d depth %d\n", depth * 2, "", id, depth);
	if (depth == DEPTH)
		return intact(id, stack_arr) ? 0 : 1;
	for (int c = 0; c < 2; c++) {
		int child = id * 2 + c;
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			printf("fork failed\n");
			return 1;
		}
		if (pid == 0) {
			int r = node(child, depth + 1);
			fflush(stdout);
			_exit(r);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			bad++;
			continue;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad++;
		if (!intact(id, stack_arr)) {
			printf("%*snode %d: memory changed by child %d\n",
			       depth * 2, "", id, child);
			bad++;
		}
	}
	printf("%*snode %d done, subtree failures %d\n", depth * 2, "", id,
	       bad);
	return bad;
}

static void concurrent_siblings(void)
{
	pid_t pids[5];
	int stack_arr[16];

	scribble(77, stack_arr);
	fflush(stdout);
	for (int i = 0; i < 5; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			scribble(100 + i, stack_arr);
			for (int j = 0; j < 50 * (5 - i); j++)
				sched_yield();
			_exit(intact(100 + i, stack_arr) ? 10 + i : 99);
		}
	}
	for (int i = 4; i >= 0; i--) {
		int status = -1;
		pid_t r = waitpid(pids[i], &status, 0);
		printf("sibling %d: reaped %s exited %d status %d\n", i,
		       r == pids[i] ? "yes" : "no", WIFEXITED(status),
		       WEXITSTATUS(status));
	}
	printf("siblings: parent memory intact %d\n", intact(77, stack_arr));
	int st;
	pid_t r = waitpid(-1, &st, WNOHANG);
	printf("siblings: no more children %d errno %d\n", r == -1,
	       mmulab_linux_errno);
}

#define ORPHAN_FILE "forktree-orphan.txt"

static void orphan(void)
{
	unlink(ORPHAN_FILE);
	fflush(stdout);
	pid_t mid = fork();
	if (mid == 0) {
		pid_t me = getpid();
		pid_t gc = fork();
		if (gc == 0) {
			/* Wait until the middle process is gone. */
			int spins = 0;
			while (getppid() == me && spins < 1000000) {
				sched_yield();
				spins++;
			}
			char msg[64];
			int n = snprintf(msg, sizeof(msg),
					 "orphan: reparented %d\n",
					 getppid() != me);
			/* One short write: the reader waits for the
			 * newline, so it never sees half a report. */
			int fd = open(ORPHAN_FILE,
				      O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd >= 0) {
				if (write(fd, msg, n) != n)
					n = -1;
				close(fd);
			}
			_exit(0);
		}
		_exit(gc > 0 ? 5 : 6);
	}
	int status;
	waitpid(mid, &status, 0);
	printf("orphan: middle exited %d\n", WEXITSTATUS(status));
	char buf[64];
	int n = 0;
	for (int spins = 0; spins < 2000000; spins++) {
		int fd = open(ORPHAN_FILE, O_RDONLY);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n > 0 && buf[n - 1] == '\n')
				break;
		}
		sched_yield();
	}
	if (n > 0) {
		buf[n] = '\0';
		fputs(buf, stdout);
	} else {
		printf("orphan: no report\n");
	}
	unlink(ORPHAN_FILE);
}

/* struct siginfo for SIGCHLD (as the runtime's waitpid sees it). */
struct lx_siginfo {
	int si_signo, si_errno, si_code;
	int si_pid, si_uid, si_status;
	int pad[26];
};

static void zombie(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(42);
	/* Peek without reaping: blocks until it is a zombie. */
	struct lx_siginfo si;
	memset(&si, 0, sizeof(si));
	long r = mmulab_syscall(SYS_waitid, 1 /* P_PID */, pid, (long)&si,
				4 | 0x01000000 /* WEXITED|WNOWAIT */, 0, 0);
	printf("zombie: peek %ld code %d status %d pid-match %d\n", r,
	       si.si_code, si.si_status, si.si_pid == pid);
	/* Do some work while it stays a zombie. */
	volatile unsigned sum = 0;
	for (int i = 0; i < 100000; i++)
		sum += i;
	printf("zombie: kill(pid, 0) on zombie = %d\n", kill(pid, 0));
	int status;
	pid_t w = waitpid(pid, &status, WNOHANG);
	printf("zombie: reaped %d exit %d\n", w == pid, WEXITSTATUS(status));
	int k = kill(pid, 0);
	printf("zombie: kill after reap = %d errno %d\n", k,
	       k ? mmulab_linux_errno : 0);
	w = waitpid(pid, &status, 0);
	printf("zombie: second wait = %d errno %d\n", (int)w,
	       mmulab_linux_errno);
}

int main(void)
{
	int stack_arr[16];

	heap_block = malloc(64 * sizeof(int));
	anon = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!heap_block || anon == MAP_FAILED) {
		printf("setup failed\n");
		return 1;
	}
	scribble(1, stack_arr);
	int bad = node(1, 0);
	check(bad == 0, "tree");
	check(intact(1, stack_arr), "root memory");
	printf("tree: failures %d root intact %d\n", bad,
	       intact(1, stack_arr));
	concurrent_siblings();
	orphan();
	zombie();
	printf("forktree: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
