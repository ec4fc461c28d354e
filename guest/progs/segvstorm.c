/*
 * A storm of segfaults: N children (default 50) die of SIGSEGV at once --
 * the first by jumping to an unmapped address (an instruction fetch
 * fault, Linux's error code 0x14), the others by storing to address 0x10
 * (error 6) -- then, 6 s of virtual time later, one more.  The kernel
 * logs at most 10 segfault lines per 5 s (printk_ratelimit), then
 * "show_signal_msg: N callbacks suppressed" before the late one.
 *
 *   segvstorm [N]   prints how many children died of SIGSEGV
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void crash(int how)
{
	static volatile uintptr_t addr = 0x10, code = 0x1000;

	if (how == 0)
		((void (*)(void))code)();
	*(volatile int *)addr = 42;
	_exit(0);
}

static int reap(void)
{
	int st, segv = 0;

	while (wait(&st) > 0)
		segv += WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
	return segv;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50, segv;

	for (int i = 0; i < n; i++)
		if (fork() == 0)
			crash(i);
	segv = reap();
	sleep(6);
	if (fork() == 0)
		crash(1);
	segv += reap();
	printf("%d of %d children died of SIGSEGV\n", segv, n + 1);
	return segv == n + 1 ? 0 : 1;
}
