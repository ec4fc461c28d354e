/* mmulab command line: option parsing and the subcommands; nothing else. */
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "mmulab: not yet\n");
	return 2;
}
