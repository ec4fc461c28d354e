/*
 * Shared helpers of the guest benchmarks.  The same sources build for the
 * guest (riscv64-unknown-elf-gcc + picolibc + the mmulab runtime) and for
 * the host (cc), so every value that reaches the checksum is a fixed-width
 * integer: a 64-bit host and the 32-bit guest print the same line.
 *
 * Every benchmark takes one optional argument, a size scale (default 100 =
 * the full benchmark, 1 = the smoke test of `make check`), and prints
 * "NAME checksum XXXXXXXX" on stdout.
 */
#ifndef MMULAB_BENCH_H
#define MMULAB_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __riscv
#include "mmulab.h"
#else
#include <sys/mman.h>
#include <sys/wait.h>
#endif

/* The size scale from argv[1]: 1..1000, default 100. */
static inline uint32_t bench_scale(int argc, char **argv)
{
	long s = argc > 1 ? strtol(argv[1], NULL, 10) : 100;

	if (s < 1 || s > 1000) {
		fprintf(stderr, "usage: %s [SCALE 1..1000]\n", argv[0]);
		exit(2);
	}
	return (uint32_t)s;
}

/* xorshift32: a deterministic generator that needs no libc state. */
static inline uint32_t bench_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* Fold @v into the running checksum @h (FNV-1a over the four bytes). */
static inline uint32_t bench_mix(uint32_t h, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 16777619u;
	}
	return h;
}

/* Anonymous private mapping of @len bytes, or exit(1). */
static inline void *bench_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "mmap of %zu bytes failed\n", len);
		exit(1);
	}
	return p;
}

static inline void bench_done(const char *name, uint32_t sum)
{
	printf("%s checksum %08lx\n", name, (unsigned long)sum);
}

#endif
