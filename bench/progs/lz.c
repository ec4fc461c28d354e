/*
 * A realistic mixed program: an LZ77-style compressor (hash table of the
 * last position of each 3-byte prefix, greedy matching, literal runs and
 * back-references) over generated text-like input, then the decompressor
 * and a byte-for-byte check.  Mixes compute, table lookups in a 256 KiB hash
 * table and streaming through a few MiB.
 */
#include "bench.h"

#define HASH_BITS 16
#define MIN_MATCH 4
#define MAX_MATCH 255
#define WINDOW 65535u

static const char *const words[] = {
	"the", "page", "frame", "table", "walk", "fault", "memory", "virtual",
	"physical", "kernel", "process", "fork", "copy", "on", "write", "swap",
	"translation", "lookaside", "buffer", "entry", "dirty", "accessed",
	"present", "user", "of", "a", "and", "to", "in", "is",
};

static uint32_t gen_input(uint8_t *buf, uint32_t n, uint32_t seed)
{
	uint32_t i = 0;

	while (i < n) {
		uint32_t r = bench_rand(&seed);
		const char *w = words[r % (sizeof(words) / sizeof(words[0]))];

		while (*w && i < n)
			buf[i++] = (uint8_t)*w++;
		if (i < n)
			buf[i++] = (r >> 8) % 13 == 0 ? '\n' : ' ';
		if ((r >> 16) % 61 == 0) /* an occasional number */
			for (int d = 0; d < 5 && i < n; d++)
				buf[i++] = (uint8_t)('0' + (bench_rand(&seed) % 10));
	}
	return n;
}

static inline uint32_t hash4(const uint8_t *p)
{
	uint32_t v = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;

	return (v * 2654435761u) >> (32 - HASH_BITS);
}

/*
 * Output format: a token byte; < 0x80: that many + 1 literals follow;
 * >= 0x80: a match of (token & 0x7f) + MIN_MATCH bytes... extended by one
 * length byte when the low bits are all ones, then a 16-bit distance.
 */
static uint32_t compress(const uint8_t *in, uint32_t n, uint8_t *out,
			 uint32_t *table)
{
	uint32_t ip = 0, op = 0, lit = 0;

	memset(table, 0xff, sizeof(uint32_t) << HASH_BITS);
	while (ip + MIN_MATCH <= n) {
		uint32_t h = hash4(in + ip), cand = table[h], len = 0;

		table[h] = ip;
		if (cand != 0xffffffffu && ip - cand <= WINDOW) {
			while (len < MAX_MATCH && ip + len < n &&
			       in[cand + len] == in[ip + len])
				len++;
		}
		if (len < MIN_MATCH) {
			ip++;
			if (ip - lit == 128) {
				out[op++] = 127;
				memcpy(out + op, in + lit, 128);
				op += 128;
				lit = ip;
			}
			continue;
		}
		if (ip > lit) {
			out[op++] = (uint8_t)(ip - lit - 1);
			memcpy(out + op, in + lit, ip - lit);
			op += ip - lit;
		}
		if (len - MIN_MATCH >= 0x7f) {
			out[op++] = 0xff;
			out[op++] = (uint8_t)(len - MIN_MATCH - 0x7f);
		} else {
			out[op++] = (uint8_t)(0x80 | (len - MIN_MATCH));
		}
		out[op++] = (uint8_t)(ip - cand);
		out[op++] = (uint8_t)((ip - cand) >> 8);
		for (uint32_t k = 1; k < len && ip + k + MIN_MATCH <= n; k += 3)
			table[hash4(in + ip + k)] = ip + k;
		ip += len;
		lit = ip;
	}
	ip = n;
	while (ip > lit) {
		uint32_t run = ip - lit > 128 ? 128 : ip - lit;

		out[op++] = (uint8_t)(run - 1);
		memcpy(out + op, in + lit, run);
		op += run;
		lit += run;
	}
	return op;
}

static uint32_t decompress(const uint8_t *in, uint32_t n, uint8_t *out)
{
	uint32_t ip = 0, op = 0;

	while (ip < n) {
		uint32_t t = in[ip++];

		if (t < 0x80) {
			memcpy(out + op, in + ip, t + 1);
			ip += t + 1;
			op += t + 1;
		} else {
			uint32_t len = (t & 0x7f) + MIN_MATCH, dist;

			if (t == 0xff)
				len += in[ip++];
			dist = in[ip] | in[ip + 1] << 8;
			ip += 2;
			for (uint32_t k = 0; k < len; k++, op++)
				out[op] = out[op - dist];
		}
	}
	return op;
}

int main(int argc, char **argv)
{
	uint32_t scale = bench_scale(argc, argv);
	uint32_t n = scale >= 100 ? 4u << 20 : (4u << 20) / 100 * scale;
	uint8_t *in = bench_map(n);
	uint8_t *comp = bench_map(n + n / 64 + 1024);
	uint8_t *back = bench_map(n);
	uint32_t *table = bench_map(sizeof(uint32_t) << HASH_BITS);
	uint32_t h = 0;

	for (uint32_t round = 0; round < 3; round++) {
		uint32_t c, d;

		gen_input(in, n, 777 + round);
		c = compress(in, n, comp, table);
		d = decompress(comp, c, back);
		if (d != n || memcmp(in, back, n)) {
			fprintf(stderr, "lz: round trip failed\n");
			return 1;
		}
		h = bench_mix(h, c);
		for (uint32_t i = 0; i < c; i += 61)
			h = bench_mix(h, comp[i]);
	}
	bench_done("lz", h);
	return 0;
}
