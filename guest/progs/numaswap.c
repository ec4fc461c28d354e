/*
 * A page that goes to swap and comes back is allocated under the memory
 * policy of its mapping, as the page of its first fault was.
 *
 *   numaswap [PAGES]    run under --numa 2 --swap FILE:SIZE
 *                       (PAGES defaults to 256)
 *
 * Binds PAGES anonymous pages to node 1 (mbind MPOL_BIND), writes them,
 * pushes them out with MADV_PAGEOUT, reads them back (swap-in faults) and
 * prints, before and after, how many of them sit on each node
 * (get_mempolicy with MPOL_F_NODE | MPOL_F_ADDR) and whether every word
 * came back.  mmulab-only: under qemu-riscv32 the calls reach the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "mmulab.h"

#define NR_mbind 235
#define NR_get_mempolicy 236
#define MPOL_BIND 2
#define MPOL_F_NODE 1
#define MPOL_F_ADDR 2
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define PAGE 4096

/* Print how many of the @n pages at @p are on nodes 0, 1 and elsewhere. */
static int show_nodes(const char *when, char *p, unsigned n)
{
	unsigned count[3] = { 0, 0, 0 };

	for (unsigned i = 0; i < n; i++) {
		int node = -1;
		long r = mmulab_syscall(NR_get_mempolicy, (long)&node, 0, 0,
					(long)(p + (size_t)i * PAGE),
					MPOL_F_NODE | MPOL_F_ADDR, 0);

		if (r < 0) {
			printf("%s: get_mempolicy: errno %ld\n", when, -r);
			return -1;
		}
		count[node == 0 ? 0 : node == 1 ? 1 : 2]++;
	}
	printf("%s: node 0: %u pages, node 1: %u pages, other: %u\n", when,
	       count[0], count[1], count[2]);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 256;
	unsigned long mask = 1ul << 1;	/* node 1 */
	unsigned bad = 0;
	uint32_t *w;
	char *p;
	long r;

	if (n == 0 || n > 65536) {
		printf("numaswap: PAGES must be 1..65536\n");
		return 2;
	}
	p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	r = mmulab_syscall(NR_mbind, (long)p, (long)n * PAGE, MPOL_BIND,
			   (long)&mask, 8 * sizeof(mask), 0);
	if (r < 0) {
		printf("mbind to node 1: errno %ld (run with --numa 2)\n", -r);
		return 1;
	}
	w = (uint32_t *)(void *)p;
	for (size_t i = 0; i < (size_t)n * PAGE / 4; i++)
		w[i] = (uint32_t)(i * 2654435761u);
	if (show_nodes("written", p, n))
		return 1;
	if (madvise(p, (size_t)n * PAGE, MADV_PAGEOUT))
		printf("madvise(MADV_PAGEOUT): errno %d\n", errno);
	for (size_t i = 0; i < (size_t)n * PAGE / 4; i++)
		bad += w[i] != (uint32_t)(i * 2654435761u);
	printf("read back: %u bad words\n", bad);
	if (show_nodes("swapped in", p, n))
		return 1;
	return bad != 0;
}
