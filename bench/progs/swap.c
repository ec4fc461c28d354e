/*
 * Swapping: a 64 MiB working set swept in order, three times, one word
 * written then read per page.  Under `--ram 16M --swap` (how bench/run.sh
 * runs it) almost every page goes out to the swap file and comes back on
 * each sweep, so the host time per page swapped out and in again is the
 * cost of a swap round trip; natively and under --ram 1G it is a plain
 * memory sweep with the same checksum.
 * Full size (scale 100): 3 x 16,384 pages.
 */
#include "bench.h"

#define AREA (64u << 20)
#define PAGE 4096u

int main(int argc, char **argv)
{
	uint32_t scale = bench_scale(argc, argv);
	uint32_t area = scale >= 100 ? AREA : AREA / 100 * scale / PAGE * PAGE;
	uint32_t *p = bench_map(area);
	uint32_t h = 0;

	for (uint32_t round = 0; round < 3; round++) {
		uint32_t s = 0;

		for (uint32_t off = 0; off < area; off += PAGE)
			p[off / 4 + (off >> 12) % 1024] = off * 2654435761u + round;
		for (uint32_t off = 0; off < area; off += PAGE)
			s += p[off / 4 + (off >> 12) % 1024];
		h = bench_mix(h, s);
	}
	bench_done("swap", h);
	return 0;
}
