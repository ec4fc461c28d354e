/*
 * For each path argument: try to open and read it, and print either the
 * errno or the first line read.  tests/sandbox.sh runs it under mmulab
 * with --root on a scratch directory to check that "..", absolute paths
 * and symlinks never reach the host's files (not a qemu diff case: under
 * qemu they would).  With "-x PATH" it tries to execve PATH instead.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-x") == 0 && i + 1 < argc) {
			char *const av[] = {argv[i + 1], NULL};
			execve(argv[i + 1], av, av + 1);
			printf("exec %s: errno %d\n", argv[i + 1],
			       mmulab_linux_errno);
			i++;
			continue;
		}
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			printf("%s: errno %d\n", argv[i], mmulab_linux_errno);
			continue;
		}
		char buf[128];
		int n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n < 0) {
			printf("%s: read errno %d\n", argv[i],
			       mmulab_linux_errno);
			continue;
		}
		buf[n] = '\0';
		char *nl = strchr(buf, '\n');
		if (nl)
			*nl = '\0';
		printf("%s: %s\n", argv[i], buf);
	}
	return 0;
}
