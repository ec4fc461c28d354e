/*
 * Faults on purpose, one child per case; the parent prints how each child
 * ended (exit status or terminating signal, as Linux numbers them).
 * Also checks that MAP_SHARED anonymous memory is shared across fork and
 * MAP_PRIVATE memory is copied on write.
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

#define PAGE 4096
#define FILE_NAME "cowfaults-file.bin"

typedef void (*fault_fn)(void);

static volatile int sink;

static void null_write(void)
{
	static volatile uintptr_t zero;
	*(volatile int *)zero = 1;
}

static void null_read(void)
{
	static volatile uintptr_t zero;
	sink = *(volatile int *)zero;
}

static void write_readonly(void)
{
	volatile char *p = mmap(NULL, PAGE, PROT_READ,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sink = p[0]; /* reading is fine */
	p[1] = 1;
}

static void write_after_mprotect(void)
{
	volatile char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[PAGE] = 7;
	p[0] = 5;
	mprotect((void *)p, PAGE, PROT_READ);
	p[PAGE] = 8; /* second page still writable */
	p[0] = 6;
}

static void write_text(void)
{
	volatile uint32_t *code = (volatile uint32_t *)(uintptr_t)&null_read;
	*code = 0;
}

static void exec_noexec(void)
{
	uint32_t *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 0x00008067; /* ret */
	__asm__ volatile(".word 0x0000100f" ::: "memory"); /* fence.i */
	((fault_fn)(uintptr_t)p)();
}

static void exec_ok(void)
{
	uint32_t *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 0x00008067; /* ret */
	__asm__ volatile(".word 0x0000100f" ::: "memory"); /* fence.i */
	((fault_fn)(uintptr_t)p)();
	_exit(3);
}

static void read_protnone(void)
{
	volatile char *p = mmap(NULL, PAGE, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sink = p[0];
}

static void read_unmapped(void)
{
	volatile char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap((void *)(p + PAGE), PAGE);
	p[0] = 1;
	p[2 * PAGE] = 1;
	sink = p[PAGE];
}

static volatile int depth_limit = 1 << 30;

static int recurse(int n)
{
	volatile char buf[512];

	buf[0] = (char)n;
	buf[511] = (char)n;
	if (n >= depth_limit)
		return 0;
	return recurse(n + 1) + buf[0] + buf[511];
}

static void stack_overflow(void)
{
	sink = recurse(0);
}

static void sigbus_past_eof(void)
{
	int fd = open(FILE_NAME, O_RDONLY);
	volatile char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		_exit(50);
	/* Inside the last page of the file, past EOF: zeroes. */
	if (p[0] != 'x' || p[99] != 'x' || p[100] != 0 || p[PAGE - 1] != 0)
		_exit(51);
	sink = p[PAGE]; /* a whole page past EOF */
}

static void abort_self(void)
{
	abort();
}

static void kill_self(void)
{
	kill(getpid(), 9);
	for (;;)
		;
}

static void exit_normally(void)
{
	_exit(17);
}

struct fault_case {
	const char *name;
	fault_fn fn;
};

static const struct fault_case cases[] = {
	{"exit 17", exit_normally},
	{"null write", null_write},
	{"null read", null_read},
	{"write PROT_READ page", write_readonly},
	{"write after mprotect", write_after_mprotect},
	{"write to text", write_text},
	{"exec non-exec page", exec_noexec},
	{"exec PROT_EXEC page", exec_ok},
	{"read PROT_NONE page", read_protnone},
	{"read unmapped hole", read_unmapped},
	{"stack overflow", stack_overflow},
	{"file page past EOF", sigbus_past_eof},
	{"abort", abort_self},
	{"SIGKILL self", kill_self},
};

static void run_case(const struct fault_case *c)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		c->fn();
		_exit(0);
	}
	int status = 0;
	if (waitpid(pid, &status, 0) != pid) {
		printf("%-22s wait failed\n", c->name);
		return;
	}
	if (WIFSIGNALED(status))
		printf("%-22s signaled %d sig %d\n", c->name, 1,
		       WTERMSIG(status));
	else
		printf("%-22s exited %d status %d\n", c->name,
		       WIFEXITED(status), WEXITSTATUS(status));
}

/* Shared anonymous memory is shared with the child; private is copied. */
static void sharing(void)
{
	volatile int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared[0] = 1;
	priv[0] = 1;
	/* A private page the parent never touched before fork. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		shared[0] = 2;
		shared[100] = 3;
		priv[0] = 2;
		priv[100] = 3;
		_exit(shared[0] == 2 && priv[0] == 2 ? 0 : 1);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("sharing: child %d shared %d %d private %d %d\n",
	       WEXITSTATUS(status), shared[0], shared[100], priv[0],
	       priv[100]);
	/* COW after the child is gone: the parent's write must stick. */
	priv[0] = 9;
	printf("sharing: parent write after child exit %d\n", priv[0]);
}

int main(int argc, char **argv)
{
	int fd = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[100];

	memset(buf, 'x', sizeof(buf));
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		printf("cannot create %s\n", FILE_NAME);
		return 1;
	}
	close(fd);
	/* An argument selects one case by index (for debugging). */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (argc < 2 || (size_t)atoi(argv[1]) == i)
			run_case(&cases[i]);
	sharing();
	unlink(FILE_NAME);
	return 0;
}
