/*
 * Belady's anomaly on a real program (examples/lesson-belady.mmu):
 *
 *   lesson_belady [ROUNDS]      (ROUNDS defaults to 1)
 *
 * Map five pages at 0x40000000 (page numbers 40000..40004 in hex) and
 * read one word of each in the classic order 1 2 3 4 1 2 5 1 2 3 4 5,
 * ROUNDS times, printing the order once.  Recorded with
 * `mmulab run --record-refs FILE` and replayed with
 * `mmulab replay FILE --pid 1 --pages 40000-40004 --frames 3,4`, the data
 * pages alone are Belady's string: FIFO takes 9 faults with 3 frames and
 * 10 with 4.  The output depends on ROUNDS only.
 */
#include <stdio.h>
#include <stdlib.h>
#include "mmulab.h"

#define BASE ((void *)0x40000000)
#define PAGE 4096u
#define NR_PAGES 5

static const int order[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1;
	volatile unsigned *p = mmap(BASE, NR_PAGES * PAGE,
				    PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				    -1, 0);
	unsigned sum = 0;

	if (p != BASE) {
		perror("mmap");
		return 1;
	}
	if (rounds < 1 || rounds > 1000000) {
		fprintf(stderr, "usage: lesson_belady [ROUNDS 1..1000000]\n");
		return 2;
	}
	for (int r = 0; r < rounds; r++)
		for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
			sum += p[(order[i] - 1) * (PAGE / sizeof(*p))];
	printf("touched pages");
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		printf(" %d", order[i]);
	printf(" (%d round%s), sum %u\n", rounds, rounds == 1 ? "" : "s",
	       sum);
	return 0;
}
