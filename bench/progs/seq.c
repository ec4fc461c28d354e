/*
 * Sequential read + write over 64 MiB: streams through memory a word at a
 * time, so almost every access hits the TLB mirror (1024 words per page).
 * Full size (scale 100): about 1.4 G guest instructions.
 */
#include "bench.h"

#define AREA (64u << 20)

int main(int argc, char **argv)
{
	uint32_t scale = bench_scale(argc, argv);
	uint32_t area = scale >= 100 ? AREA : AREA / 100 * scale;
	uint32_t words = area / 4;
	uint32_t *a = bench_map(area);
	uint32_t h = 0;

	for (uint32_t i = 0; i < words; i++)
		a[i] = i * 2654435761u;
	for (uint32_t pass = 0; pass < 12; pass++) {
		uint32_t s = pass;

		for (uint32_t i = 0; i < words; i++) {
			s += a[i];
			a[i] = s ^ pass;
		}
		h = bench_mix(h, s);
	}
	munmap(a, area);
	bench_done("seq", h);
	return 0;
}
