/*
 * Exits with the status given as argv[1] (default 0), after printing how
 * many arguments and environment strings it received (counts only: the
 * environment's values differ from host to host).
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv, char **envp)
{
	int n = 0;

	while (envp && envp[n])
		n++;
	printf("argc=%d envc>0=%d\n", argc, n > 0);
	fflush(stdout);
	exit(argc > 1 ? atoi(argv[1]) : 0);
}
