/*
 * Integer compute: CRC32 (table driven) over a generated buffer, a sieve of
 * Eratosthenes and a 32-bit integer matrix product.  Almost no memory
 * traffic beyond a few hot pages: this measures dispatch and decode.
 * Full size (scale 100): about 3 G guest instructions.
 */
#include "bench.h"

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32_buf(uint32_t crc, const uint8_t *p, uint32_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint32_t sieve(uint8_t *flags, uint32_t n)
{
	uint32_t count = 0, sum = 0;

	memset(flags, 1, n);
	for (uint32_t i = 2; i < n; i++) {
		if (!flags[i])
			continue;
		count++;
		sum += i;
		for (uint32_t j = i + i; j < n; j += i)
			flags[j] = 0;
	}
	return count ^ (sum << 7);
}

#define MAT 48

static uint32_t matmul(uint32_t seed)
{
	static uint32_t a[MAT][MAT], b[MAT][MAT], c[MAT][MAT];
	uint32_t h = 0;

	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			a[i][j] = bench_rand(&seed) & 0xffff;
			b[i][j] = bench_rand(&seed) & 0xffff;
		}
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			uint32_t s = 0;

			for (int k = 0; k < MAT; k++)
				s += a[i][k] * b[k][j];
			c[i][j] = s;
		}
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++)
			h = bench_mix(h, c[i][j]);
	return h;
}

int main(int argc, char **argv)
{
	uint32_t scale = bench_scale(argc, argv);
	static uint8_t buf[64 * 1024];
	static uint8_t flags[256 * 1024];
	uint32_t seed = 12345, h = 0;

	crc_init();
	for (uint32_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)bench_rand(&seed);
	for (uint32_t r = 0; r < 12 * scale; r++)
		h = bench_mix(h, crc32_buf(r, buf, sizeof(buf)));
	for (uint32_t r = 0; r < 3 * scale / 2 + 1; r++)
		h = bench_mix(h, sieve(flags, sizeof(flags) - r));
	for (uint32_t r = 0; r < 12 * scale; r++)
		h = bench_mix(h, matmul(r + 1));
	bench_done("compute", h);
	return 0;
}
