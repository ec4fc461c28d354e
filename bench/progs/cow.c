/*
 * Copy-on-write: fill 64 MiB, fork, the child writes one word per page
 * (16,384 COW breaks, each copying a frame) and exits with a digest of what
 * it read; four rounds.  The parent checks its own copy is unchanged.
 * Full size (scale 100): 65,536 COW faults.
 */
#include "bench.h"

#define AREA (64u << 20)
#define PAGE 4096u

int main(int argc, char **argv)
{
	uint32_t scale = bench_scale(argc, argv);
	uint32_t area = scale >= 100 ? AREA : AREA / 100 * scale;
	uint32_t words = area / 4;
	uint32_t *a = bench_map(area);
	uint32_t h = 0;

	for (uint32_t i = 0; i < words; i++)
		a[i] = i ^ 0x5a5a5a5au;
	for (uint32_t round = 0; round < 4; round++) {
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			fprintf(stderr, "fork failed\n");
			return 1;
		}
		if (pid == 0) {
			uint32_t s = round;

			for (uint32_t i = 0; i < words; i += PAGE / 4) {
				s += a[i];
				a[i] = s;
			}
			_exit((int)(s & 0x7f));
		}
		if (waitpid(pid, &status, 0) != pid) {
			fprintf(stderr, "waitpid failed\n");
			return 1;
		}
		h = bench_mix(h, (uint32_t)status);
		for (uint32_t i = 0; i < words; i += PAGE / 4)
			if (a[i] != (i ^ 0x5a5a5a5au)) {
				fprintf(stderr, "parent copy changed at %lu\n",
					(unsigned long)i);
				return 1;
			}
	}
	munmap(a, area);
	bench_done("cow", h);
	return 0;
}
