/*
 * Stack growth: recursion that uses about N MiB of stack (argv[1]); within
 * RLIMIT_STACK (8 MiB) the stack vma grows on demand, beyond it the
 * process dies of SIGSEGV, as on Linux.
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long depth(unsigned long n)
{
	volatile char frame[1000];

	frame[0] = (char)n;
	if (n == 0)
		return frame[0];
	return depth(n - 1) + frame[0] + 1;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 4;
	unsigned long frames = mib * 1024 * 1024 / 1040;

	printf("recursing %lu frames\n", frames);
	fflush(stdout);
	printf("result %lu\n", depth(frames));
	return 0;
}
