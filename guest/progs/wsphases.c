/*
 * A program with two working sets, for --wss-interval: first it sweeps
 * 64 pages over and over, then 1024 pages, then 64 again, and after each
 * phase prints the VmWSS line of /proc/self/status (absent when working-
 * set estimation is off) and a checksum of what it read.
 *
 *   wsphases [SWEEPS]      (SWEEPS of each phase, default 200)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmulab.h"

#define PAGE 4096

static void show_wss(const char *phase, unsigned sum)
{
	static char text[4096];
	int fd = open("/proc/self/status", O_RDONLY), n = 0, r;
	const char *line;

	while (fd >= 0 && (r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	if (fd >= 0)
		close(fd);
	text[n] = '\0';
	line = strstr(text, "VmWSS:");
	printf("%s: sum %u, ", phase, sum);
	if (!line) {
		printf("VmWSS off\n");
		return;
	}
	printf("%.*s\n", (int)strcspn(line, "\n"), line);
}

static unsigned sweep(volatile char *p, int pages, int sweeps)
{
	unsigned sum = 0;

	for (int s = 0; s < sweeps; s++)
		for (int i = 0; i < pages; i++)
			sum += (unsigned char)p[i * PAGE + (s & 63)];
	return sum;
}

int main(int argc, char **argv)
{
	int sweeps = argc > 1 ? atoi(argv[1]) : 200;
	char *p = mmap(NULL, 1024 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	for (int i = 0; i < 1024; i++)
		memset(p + i * PAGE, i & 0xff, 64);
	show_wss("small", sweep(p, 64, sweeps * 16));
	show_wss("large", sweep(p, 1024, sweeps));
	show_wss("small again", sweep(p, 64, sweeps * 16));
	return 0;
}
