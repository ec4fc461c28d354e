/*
 * Demand-zero faults: mmap 256 MiB, touch one byte per page (65,536 minor
 * faults, each allocating and zeroing a frame), munmap; four times.
 * Full size (scale 100): 262,144 page faults.
 */
#include "bench.h"

#define AREA (256u << 20)
#define PAGE 4096u

int main(int argc, char **argv)
{
	uint32_t scale = bench_scale(argc, argv);
	uint32_t area = scale >= 100 ? AREA : AREA / 100 * scale;
	uint32_t h = 0;

	for (uint32_t round = 0; round < 4; round++) {
		uint8_t *p = bench_map(area);
		uint32_t s = 0;

		for (uint32_t off = 0; off < area; off += PAGE) {
			s += p[off + (off >> 12) % PAGE]; /* reads a zero */
			p[off] = (uint8_t)(off >> 12);
		}
		for (uint32_t off = 0; off < area; off += 64 * PAGE)
			s += p[off];
		h = bench_mix(h, s);
		munmap(p, area);
	}
	bench_done("fault", h);
	return 0;
}
