/*
 * Misaligned loads and stores of every width at every offset in a word,
 * including accesses that straddle a page boundary (the buffer is aligned
 * to 4096, so offsets 4093..4095 cross into the next page).  Each access is
 * one instruction (inline asm).  Prints hex; exits 0.
 */
#include <stdint.h>
#include <stdio.h>

static uint8_t buf[3 * 4096] __attribute__((aligned(4096)));

static uint32_t lw(const void *p)
{
	uint32_t v;
	__asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static uint32_t lh(const void *p)
{
	uint32_t v;
	__asm__ volatile("lh %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static uint32_t lhu(const void *p)
{
	uint32_t v;
	__asm__ volatile("lhu %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static void sw(void *p, uint32_t v)
{
	__asm__ volatile("sw %1, 0(%0)" : : "r"(p), "r"(v) : "memory");
}

static void sh(void *p, uint32_t v)
{
	__asm__ volatile("sh %1, 0(%0)" : : "r"(p), "r"(v) : "memory");
}

static uint32_t sum(void)
{
	uint32_t s = 0;

	for (unsigned i = 0; i < sizeof(buf); i++)
		s = s * 33 + buf[i];
	return s;
}

int main(void)
{
	static const unsigned offs[] = { 1, 2, 3, 5, 6, 7, 4093, 4094, 4095,
					 8189, 8190, 8191 };

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + (i >> 8));

	for (unsigned k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		uint8_t *p = buf + offs[k];

		printf("@%u lw=%08lx lh=%08lx lhu=%08lx\n", offs[k],
		       (unsigned long)lw(p), (unsigned long)lh(p),
		       (unsigned long)lhu(p));
	}
	for (unsigned k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		uint8_t *p = buf + offs[k];

		sw(p, 0xa1b2c3d4u + k);
		printf("@%u after sw: %02x %02x %02x %02x %02x %02x lw=%08lx\n",
		       offs[k], p[-1], p[0], p[1], p[2], p[3], p[4],
		       (unsigned long)lw(p));
		sh(p + 1, 0x8765u + k);
		printf("@%u after sh: lh=%08lx lhu=%08lx lw=%08lx\n",
		       offs[k] + 1, (unsigned long)lh(p + 1),
		       (unsigned long)lhu(p + 1), (unsigned long)lw(p));
	}
	printf("checksum %08lx\n", (unsigned long)sum());
	return 0;
}
