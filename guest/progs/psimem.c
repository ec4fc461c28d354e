/*
 * Memory pressure as /proc/pressure shows it.
 *
 *   psimem [MIB [PASSES]]    (MIB defaults to 1, PASSES to 2)
 *
 * Map MIB of anonymous memory and write every page PASSES times in order,
 * then print /proc/pressure/memory, io and cpu.  When MIB is larger than
 * RAM (with swap) every pass refaults the pages the previous one evicted:
 * thrashing, and the memory "some" total is above zero; a buffer that
 * fits gives zeros.  The lines follow Linux's format; under qemu they are
 * the host's (mmulab-only program).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mmulab.h"

static void show(const char *path)
{
	char buf[512];
	int fd = open(path, O_RDONLY), n;

	if (fd < 0) {
		printf("%s: cannot open\n", path);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	printf("%s:\n%s", path, buf);
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	int passes = argc > 2 ? atoi(argv[2]) : 2;
	size_t len = mib << 20, i;
	unsigned sum = 0;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	for (int pass = 0; pass < passes; pass++)
		for (i = 0; i < len; i += 4096) {
			sum += (unsigned char)p[i];
			p[i] = (char)(pass + i / 4096);
		}
	printf("%lu MiB x %d passes, sum %u\n", mib, passes, sum);
	show("/proc/pressure/memory");
	show("/proc/pressure/io");
	show("/proc/pressure/cpu");
	return 0;
}
