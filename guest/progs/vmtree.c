/*
 * The address-space tour of issue 4 in one program: a tree of processes
 * that share a MAP_SHARED region (each adds to its own slot), privately
 * modify inherited memory (copy on write), map, protect and unmap regions,
 * and fault on purpose in some children.  The root prints what each
 * generation saw, in a fixed order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"

#define SLOTS 64
#define PAGE 4096

static int global_counter = 100;
static int *shared;	/* SLOTS ints, MAP_SHARED */
static int *status_of;	/* SLOTS wait statuses, MAP_SHARED */
static char *private_map; /* 4 pages, MAP_PRIVATE */
static char *fault_area;  /* a child's own 8-page mapping */

/* What a child does, by its position in the tree. */
static int child_work(int id, int depth)
{
	int *heap = malloc(64 * sizeof(int));

	if (!heap)
		return 90;
	for (int i = 0; i < 64; i++)
		heap[i] = id * 1000 + i;
	global_counter += id;		/* private copy */
	private_map[id % 4 * PAGE] = (char)id; /* COW of one page */
	shared[id % SLOTS] += id;	/* seen by everyone */

	/* Map, protect, unmap regions of our own. */
	char *m = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 91;
	for (int i = 0; i < 8; i++)
		m[i * PAGE] = (char)(i + id);
	if (mprotect(m + 2 * PAGE, 2 * PAGE, PROT_READ) < 0)
		return 92;
	if (munmap(m + 5 * PAGE, PAGE) < 0)
		return 93;
	int sum = 0;
	for (int i = 0; i < 8; i++)
		if (i != 5)
			sum += m[i * PAGE];

	int ok = heap[63] == id * 1000 + 63;
	free(heap);
	/* Keep m mapped: some children fault in it after their subtree. */
	fault_area = m;
	return (sum + depth + ok) & 0x7f;
}

/* Some children fault on purpose, once their own children are done. */
static void maybe_fault(int id)
{
	char *m = fault_area;

	switch (id % 5) {
	case 1:
		m[2 * PAGE] = 1; /* write to a read-only page: SIGSEGV */
		break;
	case 2:
		(void)*(volatile char *)(m + 5 * PAGE); /* unmapped hole */
		break;
	case 3:
		*(volatile int *)0 = 1; /* NULL */
		break;
	}
	munmap(m, 8 * PAGE);
}

static void spawn(int id, int depth, FILE *log)
{
	int kids = depth < 2 ? 3 : 0;
	pid_t pids[3];

	for (int i = 0; i < kids; i++) {
		int cid = id * 3 + i + 1;
		fflush(log);
		pids[i] = fork();
		if (pids[i] < 0) {
			printf("fork failed\n");
			exit(1);
		}
		if (pids[i] == 0) {
			int code = child_work(cid, depth + 1);
			spawn(cid, depth + 1, log);
			fflush(stdout);
			maybe_fault(cid);
			_exit(code);
		}
	}
	for (int i = 0; i < kids; i++) {
		int status;
		int cid = id * 3 + i + 1;
		if (waitpid(pids[i], &status, 0) != pids[i]) {
			printf("waitpid failed\n");
			continue;
		}
		/* Recorded in shared memory; the root prints them all in
		 * order, so the output does not depend on scheduling. */
		status_of[cid] = status;
	}
}

int main(void)
{
	shared = mmap(NULL, SLOTS * sizeof(int), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	private_map = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || private_map == MAP_FAILED)
		return 1;
	status_of = mmap(NULL, SLOTS * sizeof(int), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (status_of == MAP_FAILED)
		return 1;
	memset(private_map, 'p', 4 * PAGE);
	spawn(0, 0, stdout);
	for (int id = 1; id <= 12; id++) {
		int st = status_of[id];
		int depth = id <= 3 ? 1 : 2;
		if (WIFSIGNALED(st))
			printf("depth %d child %2d: killed by signal %d\n",
			       depth, id, WTERMSIG(st));
		else
			printf("depth %d child %2d: exit %d\n", depth, id,
			       WEXITSTATUS(st));
	}
	int total = 0;
	for (int i = 0; i < SLOTS; i++)
		total += shared[i];
	printf("shared total %d (each child added its id)\n", total);
	printf("root's global %d, private bytes %c%c%c%c\n", global_counter,
	       private_map[0], private_map[PAGE], private_map[2 * PAGE],
	       private_map[3 * PAGE]);
	return 0;
}
