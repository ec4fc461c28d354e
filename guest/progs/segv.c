/*
 * Prints a line, then stores to address 0x10 (below mmap_min_addr, never
 * mapped): the kernel kills it with SIGSEGV (exit status 128+11 = 139).
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	static volatile uintptr_t addr = 0x10;
	volatile uint32_t *p = (volatile uint32_t *)addr;

	printf("about to write to %p\n", (void *)p);
	fflush(stdout);
	*p = 42;
	printf("still alive?\n");
	return 0;
}
