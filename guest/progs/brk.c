/*
 * The program break: brk(0) queries, growing and shrinking, the new heap
 * zero-filled and usable, shrinking really unmapping, a refused request
 * returning the old break (the raw syscall never returns -errno), and
 * malloc() on top of it.  Breaks print relative to the initial one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmulab.h"
#include "syscall.h"

#define PAGE 4096

static uintptr_t raw_brk(uintptr_t want)
{
	return (uintptr_t)mmulab_syscall(SYS_brk, (long)want, 0, 0, 0, 0, 0);
}

static int resident(uintptr_t addr)
{
	unsigned char v = 0;

	if (mincore((void *)(addr & ~(uintptr_t)(PAGE - 1)), PAGE, &v) < 0)
		return -mmulab_linux_errno;
	return v & 1;
}

int main(int argc, char **argv)
{
	int full = argc > 1 && strcmp(argv[1], "linux") == 0;
	uintptr_t base = raw_brk(0);
	uintptr_t r;

	printf("initial break page aligned: %d\n", (base & (PAGE - 1)) == 0);
	printf("brk(0) again same: %d\n", raw_brk(0) == base);
	r = raw_brk(base + 3 * PAGE + 100);
	printf("grow by 3 pages + 100: %+ld\n", (long)(r - base));
	volatile char *heap = (volatile char *)base;
	printf("new heap zero: %d\n", heap[0] == 0 && heap[3 * PAGE + 99] == 0);
	heap[0] = 'h';
	heap[3 * PAGE + 99] = 't';
	printf("writable: %c%c\n", heap[0], heap[3 * PAGE + 99]);
	printf("last byte of the page past the break mapped: %d\n",
	       resident(base + 3 * PAGE + 100) >= 0);
	r = raw_brk(base + PAGE);
	printf("shrink to 1 page: %+ld\n", (long)(r - base));
	/* qemu-user keeps the pages of a shrunk heap mapped; Linux unmaps
	 * them (checked with the argument "linux", mmulab only). */
	if (full)
		printf("page 2 unmapped after shrink: %d\n",
		       resident(base + 2 * PAGE) == -12);
	printf("page 0 kept: %c\n", heap[0]);
	r = raw_brk(base + 3 * PAGE);
	printf("regrow: %+ld, regrown memory zero: %d\n", (long)(r - base),
	       heap[2 * PAGE] == 0 && heap[3 * PAGE - 1] == 0);
	r = raw_brk(base - 64 * PAGE * 1024);
	printf("below the start refused: %+ld\n", (long)(r - base));
	r = raw_brk(0xf0000000u);
	printf("into the stack refused: %+ld\n", (long)(r - base));
	r = raw_brk(base);
	printf("back to the start: %+ld\n", (long)(r - base));

	/* malloc grows the break through sbrk. */
	char *blocks[8];
	for (int i = 0; i < 8; i++) {
		blocks[i] = malloc(10000);
		memset(blocks[i], 'a' + i, 10000);
	}
	int ok = 1;
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 10000; j += 999)
			ok &= blocks[i][j] == 'a' + i;
	printf("malloc blocks intact: %d, break moved up: %d\n", ok,
	       raw_brk(0) > base);
	for (int i = 0; i < 8; i++)
		free(blocks[i]);
	return 0;
}
