/*
 * Random 4-byte read-modify-write over 64 MiB: every access picks a new
 * page, so the D-TLB (64 entries = 256 KiB of reach) misses almost always
 * and the page walker runs for nearly every access.
 * Full size (scale 100): about 340 M guest instructions.
 */
#include "bench.h"

#define AREA (64u << 20)

int main(int argc, char **argv)
{
	uint32_t scale = bench_scale(argc, argv);
	uint32_t area = scale >= 100 ? AREA : AREA / 100 * scale;
	uint32_t words = area / 4, mask = 1;
	uint32_t *a = bench_map(area);
	uint32_t seed = 2463534242u, h = 0;
	uint32_t iters = 300000u * scale;

	while (mask * 2 <= words)
		mask *= 2;
	mask--;
	for (uint32_t i = 0; i < iters; i++) {
		uint32_t r = bench_rand(&seed);

		a[r & mask] += r | 1;
	}
	for (uint32_t i = 0; i < words; i += 97)
		h = bench_mix(h, a[i]);
	munmap(a, area);
	bench_done("random", h);
	return 0;
}
