/*
 * A hostile guest runs into every per-process limit, and must get Linux's
 * error at each, with the emulator still serving afterwards:
 *   mmaps   -- 100,000 one-page mappings that cannot merge: ENOMEM at
 *              vm.max_map_count (65530 maps in all, the ones the program
 *              already had included);
 *   fds     -- open until EMFILE at RLIMIT_NOFILE (lowered to 200), then
 *              dup and pipe2 also give EMFILE;
 *   fork    -- fork until EAGAIN at RLIMIT_NPROC (lowered to 40); the
 *              children wait on a pipe and are all reaped;
 *   argv    -- execve with more argument bytes than a quarter of
 *              RLIMIT_STACK: E2BIG, and the program carries on.
 * Prints what it found; exits 0 when every limit gave its error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"
#include "syscall.h"

#define AT_FDCWD (-100)
#define LX_ENOMEM 12
#define LX_EMFILE 24
#define LX_EAGAIN 11
#define LX_E2BIG 7

static int failures;

static void expect(const char *what, int got, int want)
{
	printf("%-8s %s\n", what, got == want ? "ok" : "WRONG");
	if (got != want) {
		printf("  errno %d, want %d\n", got, want);
		failures++;
	}
}

static void mmaps(void)
{
	static void *maps[100000];
	int n, err = 0;

	for (n = 0; n < 100000; n++) {
		/* Alternate protections so neighbours never merge. */
		maps[n] = mmap(0, 4096, n & 1 ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (maps[n] == MAP_FAILED) {
			err = mmulab_linux_errno;
			break;
		}
	}
	printf("mmaps: %d mapped before the failure\n", n);
	expect("mmaps", err, LX_ENOMEM);
	while (n--)
		munmap(maps[n], 4096);
}

static void fds(void)
{
	struct rlimit64 rl = { 200, 200 };
	int n = 0, err = 0, last = -1;

	setrlimit64(RLIMIT_NOFILE, &rl);
	for (;;) {
		long fd = mmulab_syscall(SYS_openat, AT_FDCWD, (long)".", 0,
					 0, 0, 0);
		if (fd < 0) {
			err = (int)-fd;
			break;
		}
		last = (int)fd;
		n++;
	}
	printf("fds: %d opened, highest %d\n", n, last);
	expect("open", err, LX_EMFILE);
	expect("dup", (int)-mmulab_syscall(SYS_dup, 0, 0, 0, 0, 0, 0), LX_EMFILE);
	int p[2];
	expect("pipe2", (int)-mmulab_syscall(SYS_pipe2, (long)p, 0, 0, 0, 0, 0),
	       LX_EMFILE);
	for (int fd = 3; fd <= last; fd++)
		close(fd);
}

static void forks(void)
{
	struct rlimit64 rl = { 40, 40 };
	int p[2], n = 0, err = 0;
	char c;

	setrlimit64(RLIMIT_NPROC, &rl);
	pipe2(p, 0);
	for (;;) {
		pid_t pid = fork();
		if (pid == 0) {
			close(p[1]);
			read(p[0], &c, 1); /* until the parent closes it */
			_exit(0);
		}
		if (pid < 0) {
			err = mmulab_linux_errno;
			break;
		}
		n++;
	}
	printf("fork: %d children before the failure\n", n);
	expect("fork", err, LX_EAGAIN);
	close(p[0]);
	close(p[1]);
	while (wait(NULL) > 0)
		n--;
	printf("fork: %d left unreaped\n", n);
	if (n)
		failures++;
}

static void argv_limit(void)
{
	/* 8 MiB stack / 4 = 2 MiB of strings allowed: send 3 MiB. */
	enum { STRS = 24, LEN = 128 * 1024 };
	static char *argv[STRS + 2];
	char *big = malloc(LEN + 1);

	if (!big) {
		failures++;
		return;
	}
	memset(big, 'a', LEN);
	big[LEN] = 0;
	argv[0] = "hostile_limits.elf";
	for (int i = 1; i <= STRS; i++)
		argv[i] = big;
	/* Linux counts the strings before it opens the file: E2BIG even
	 * for a path that does not exist. */
	long r = mmulab_syscall(SYS_execve, (long)"/no/such/program",
				(long)argv, 0, 0, 0, 0);
	expect("execve", (int)-r, LX_E2BIG);
	free(big);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(what, "all") || !strcmp(what, "mmaps"))
		mmaps();
	if (!strcmp(what, "all") || !strcmp(what, "fds"))
		fds();
	if (!strcmp(what, "all") || !strcmp(what, "fork"))
		forks();
	if (!strcmp(what, "all") || !strcmp(what, "argv"))
		argv_limit();
	printf("hostile_limits: %d failure(s)\n", failures);
	return failures;
}
