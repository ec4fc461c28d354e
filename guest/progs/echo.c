/*
 * echo(1) with a choice of stream: the arguments, space separated, on
 * stdout, or on stderr with -e; -n leaves out the final newline (a test
 * of what follows a half-written line).
 *
 *   echo [-e] [-n] [WORDS...]
 */
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd = 1, nl = 1, i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-e"))
			fd = 2;
		else if (!strcmp(argv[i], "-n"))
			nl = 0;
		else
			break;
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			write(fd, " ", 1);
		write(fd, argv[i], strlen(argv[i]));
	}
	if (nl)
		write(fd, "\n", 1);
	return 0;
}
