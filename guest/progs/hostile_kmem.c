/*
 * A hostile guest exhausts kernel memory rather than user pages: one
 * touched byte every 2 MiB (pae) makes the kernel allocate a page-table
 * page per touch, and splitting a mapping into single-page vmas fills the
 * vm_area_struct slab.  The kernel's memory runs out; the emulator must
 * fail the allocation or kill the task cleanly (OOM), never crash, and
 * free every table and object afterwards.
 *
 *   hostile_kmem tables   -- page tables until memory runs out
 *   hostile_kmem vmas     -- vmas until max_map_count or memory runs out
 *   hostile_kmem retry    -- the same, then 2000 more failing attempts
 */
#include <stdio.h>
#include <string.h>

#include "mmulab.h"

#define MB (1024u * 1024u)

static void tables(void)
{
	/* 2.5 GiB reserved without commitment, touched sparsely. */
	size_t len = 2560u * MB;
	char *base = mmap(0, len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned n = 0;

	if (base == MAP_FAILED) {
		printf("tables: mmap failed, errno %d\n", mmulab_linux_errno);
		return;
	}
	for (size_t off = 0; off < len; off += 2 * MB, n++)
		base[off] = 1;
	/* Reached only if RAM sufficed. */
	printf("tables: %u tables touched\n", n);
	munmap(base, len);
}

static void vmas(int retry)
{
	size_t pages = 70000;
	char *base = mmap(0, pages * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	size_t i;

	if (base == MAP_FAILED) {
		printf("vmas: mmap failed, errno %d\n", mmulab_linux_errno);
		return;
	}
	int err = 0, retries = 0;

	for (i = 1; i < pages; i += 2)
		if (mprotect(base + i * 4096, 4096, PROT_READ) < 0) {
			err = mmulab_linux_errno;
			break;
		}
	/* Hammer the failing allocation: the kernel's warnings about it
	 * must stay rate-limited. */
	if (retry)
		while (retries < 2000 &&
		       mprotect(base + i * 4096, 4096, PROT_READ) < 0)
			retries++;
	/* Free it all before printing: stdio may need a page. */
	munmap(base, pages * 4096);
	printf("vmas: mprotect failed after %zu splits, errno %d\n", i / 2,
	       err);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "vmas"))
		vmas(0);
	else if (argc > 1 && !strcmp(argv[1], "retry"))
		vmas(1);
	else
		tables();
	return 0;
}
