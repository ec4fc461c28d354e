/* Prints its arguments, one per line, with their lengths; exits with argc. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] (%zu) = \"%s\"\n", i, strlen(argv[i]),
		       argv[i]);
	printf("argv[argc] is %s\n", argv[argc] ? "not NULL" : "NULL");
	return argc;
}
