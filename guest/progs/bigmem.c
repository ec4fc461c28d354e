/*
 * Memory pressure: more anonymous memory than the machine has RAM.
 *
 *   bigmem [MIB [fork]]      (MIB defaults to 4)
 *
 * Plain: map MIB of anonymous memory, write every 32-bit word with a
 * pattern of its index, read everything back in the same order (the
 * worst case for LRU: every page has gone to swap by the time it is read)
 * and print a checksum of what was read and the number of mismatches.
 *
 * fork: the parent fills the buffer and forks two children one after the
 * other.  Each child checks the parent's contents, overwrites every other
 * page with its own pattern and checks both halves again; the parent then
 * checks that its copy is unchanged.  Swap slots are shared between the
 * processes until a write separates them.
 *
 * The output depends on MIB only.  Exit status 0 when every word matched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmulab.h"

#define PAGE 4096u
#define WORDS_PER_PAGE (PAGE / 4)

static uint32_t pattern(uint32_t i, uint32_t seed)
{
	uint32_t v = (i + seed) * 2654435761u;

	return v ^ (v >> 15) ^ seed;
}

static void fill(uint32_t *buf, size_t words, uint32_t seed, size_t step)
{
	for (size_t p = 0; p < words; p += step * WORDS_PER_PAGE)
		for (size_t i = p; i < p + WORDS_PER_PAGE && i < words; i++)
			buf[i] = pattern((uint32_t)i, seed);
}

/* Count the words of every @step-th page (from page @first) that differ
 * from @seed's pattern, and fold them into *@sum. */
static size_t verify(const uint32_t *buf, size_t words, uint32_t seed,
		     size_t first, size_t step, uint32_t *sum)
{
	size_t bad = 0;

	for (size_t p = first * WORDS_PER_PAGE; p < words;
	     p += step * WORDS_PER_PAGE) {
		for (size_t i = p; i < p + WORDS_PER_PAGE && i < words; i++) {
			uint32_t v = buf[i];
			*sum = (*sum << 5 | *sum >> 27) ^ v;
			bad += v != pattern((uint32_t)i, seed);
		}
	}
	return bad;
}

static int child(uint32_t *buf, size_t words, uint32_t seed)
{
	uint32_t sum = 0;
	size_t bad = verify(buf, words, 1, 0, 1, &sum);

	fill(buf, words, seed, 2);	/* pages 0, 2, 4, ... */
	bad += verify(buf, words, seed, 0, 2, &sum);
	bad += verify(buf, words, 1, 1, 2, &sum);
	printf("child %u: checksum %08x, %zu bad words\n", (unsigned)seed,
	       (unsigned)sum, bad);
	fflush(stdout);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 4;
	int forking = argc > 2 && !strcmp(argv[2], "fork");
	size_t words = mib << 18;
	uint32_t sum = 0;
	size_t bad;

	uint32_t *buf = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	fill(buf, words, 1, 1);
	if (!forking) {
		bad = verify(buf, words, 1, 0, 1, &sum);
		printf("bigmem %zu MiB: checksum %08x, %zu bad words\n", mib,
		       (unsigned)sum, bad);
		return bad ? 1 : 0;
	}
	int failed = 0;
	for (uint32_t c = 2; c <= 3; c++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0)
			_exit(child(buf, words, c));
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			failed = 1;
	}
	bad = verify(buf, words, 1, 0, 1, &sum);
	printf("parent %zu MiB: checksum %08x, %zu bad words\n", mib,
	       (unsigned)sum, bad);
	return bad || failed ? 1 : 0;
}
