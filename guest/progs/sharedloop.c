/*
 * Dirty file data, then spin forever: 64 pages stored through a
 * MAP_SHARED mapping of map.dat and 64 pages written with write(2) to
 * wr.dat (both in the current directory), then "ready" on stdout, then,
 * with the argument "loop", an endless loop.  Only a host signal ends
 * that; whatever stopped it must leave every byte in the two files
 * (tests/robust.sh).  Without "loop" it exits 0 (suites run every
 * program).
 *
 * Page i of either file is filled with the byte 'A' + i % 26.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

#define NPAGES 64
#define PAGE 4096

int main(int argc, char **argv)
{
	static char page[PAGE];
	int fd = open("map.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int wfd = open("wr.dat", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char *p;

	if (fd < 0 || wfd < 0 || ftruncate(fd, NPAGES * PAGE) < 0) {
		perror("sharedloop: open");
		return 1;
	}
	p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	if (p == MAP_FAILED) {
		perror("sharedloop: mmap");
		return 1;
	}
	for (int i = 0; i < NPAGES; i++) {
		memset(p + i * PAGE, 'A' + i % 26, PAGE);
		memset(page, 'A' + i % 26, PAGE);
		if (write(wfd, page, PAGE) != PAGE) {
			perror("sharedloop: write");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	if (argc < 2 || strcmp(argv[1], "loop"))
		return 0;
	for (volatile unsigned long n = 0;; n++)
		;
}
