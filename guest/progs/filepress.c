/*
 * File pages under memory pressure: nothing a program wrote is lost.
 *
 *   filepress MIB
 *
 * Writes "shared.dat" (MIB) through a MAP_SHARED mapping, every 32-bit
 * word a pattern of its index, and "written.dat" (MIB) with write(2);
 * then reads both back (the mapping, and read(2)) and checks them.  The
 * mapping stays until exit, so with less RAM than 2 * MIB its dirty pages
 * must be written back by reclaim during the run, and the rest at exit.
 * The host then compares the files with those of a run without pressure.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mmulab.h"

static uint32_t pattern(uint32_t i, uint32_t seed)
{
	uint32_t v = (i ^ seed) * 2246822519u;

	return v ^ (v >> 13);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 2;
	size_t words = mib << 18, bad = 0;
	static uint32_t chunk[1024];

	int fd = open("shared.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)(mib << 20)) < 0) {
		perror("shared.dat");
		return 2;
	}
	uint32_t *m = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
			   MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	close(fd);
	for (size_t i = 0; i < words; i++)
		m[i] = pattern((uint32_t)i, 0x1234);

	int wfd = open("written.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (wfd < 0) {
		perror("written.dat");
		return 2;
	}
	for (size_t i = 0; i < words; i += 1024) {
		for (size_t j = 0; j < 1024; j++)
			chunk[j] = pattern((uint32_t)(i + j), 0x5678);
		if (write(wfd, chunk, sizeof(chunk)) != sizeof(chunk)) {
			perror("write");
			return 2;
		}
	}
	for (size_t i = 0; i < words; i++)
		bad += m[i] != pattern((uint32_t)i, 0x1234);
	lseek(wfd, 0, SEEK_SET);
	for (size_t i = 0; i < words; i += 1024) {
		if (read(wfd, chunk, sizeof(chunk)) != sizeof(chunk)) {
			perror("read");
			return 2;
		}
		for (size_t j = 0; j < 1024; j++)
			bad += chunk[j] != pattern((uint32_t)(i + j), 0x5678);
	}
	close(wfd);
	printf("filepress %zu MiB: %zu bad words\n", mib, bad);
	return bad ? 1 : 0;
}
