/*
 * System-call fuzzer: children make thousands of seeded random system
 * calls with hostile arguments (wild pointers, huge lengths, negative fds,
 * odd flags).  A child may die of a signal -- that is its business -- but
 * the kernel must never fail: mmulab must not crash or report a kernel
 * bug, and everything must be freed at the end.  Run under mmulab only,
 * with --root on a scratch directory (tests/cli.sh), never under qemu:
 * there the calls would reach the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"

static uint32_t state;

static uint32_t rnd(void)
{
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

/* System calls that would end the fuzzing or touch other processes. */
static int forbidden(long nr)
{
	return nr == 93 || nr == 94 || nr == 129 || nr == 130 || nr == 131 ||
	       nr == 220 || nr == 221 || nr == 139 || nr == 435 || nr == 95;
}

static const long calls[] = {
	17,  23,  24,  25,  29,  34,  35,  36,	37,  46,  48,  49,  53,
	56,  57,  59,  61,  62,  63,  64,  65,	66,  67,  68,  78,  82,
	96,  124, 132, 134, 135, 136, 160, 165, 172, 173, 178, 179, 214,
	215, 216, 222, 226, 227, 228, 229, 230, 231, 232, 233, 261, 276,
	278, 284, 291, 403, 406, 407, 1,   999, 500,
};

static long arg(char *buf)
{
	switch (rnd() % 10) {
	case 0:
		return 0;
	case 1:
		return -1;
	case 2:
		return (long)(rnd() % 64);
	case 3:
		return (long)(buf + rnd() % 4096); /* valid memory */
	case 4:
		return (long)(rnd() | 0x80000000u); /* kernel-half address */
	case 5:
		return (long)(rnd() & 0x7ffff000u); /* page aligned anywhere */
	case 6:
		return (long)0x7fffffff;
	case 7:
		return -(long)(rnd() % 200);
	case 8:
		return (long)(rnd() % 0x100000);
	default:
		return (long)rnd();
	}
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	int died = 0;

	for (int r = 0; r < rounds; r++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			static char buf[8192];
			state = 0x9e3779b9u * (uint32_t)(r + 1);
			for (int i = 0; i < 400; i++) {
				long nr = calls[rnd() % (sizeof(calls) /
							 sizeof(calls[0]))];
				if (forbidden(nr))
					continue;
				/* Keep stdin/stdout/stderr and the code. */
				long a0 = arg(buf);
				if ((nr == 57 || nr == 24) && a0 >= 0 && a0 < 3)
					continue;
				mmulab_syscall(nr, a0, arg(buf), arg(buf),
					       arg(buf), arg(buf), arg(buf));
			}
			_exit(0);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			printf("lost child %d\n", r);
			return 1;
		}
		if (WIFSIGNALED(status))
			died++;
	}
	printf("fuzzed %d rounds, %d children died of a signal\n", rounds,
	       died);
	return 0;
}
