/*
 * Regression: a read that reloads the TLB mirror of a page holding
 * decoded code must not reinstall its write mirror; the later store has
 * to drop the stale decode (whatever the quantum or TLB geometry).
 */
#include <stdio.h>
#include <stdint.h>
#include "mmulab.h"
#define LI_A0(v) (0x00000513u | ((uint32_t)(v) << 20))
int main(void)
{
	uint32_t *p = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 0x00012283; /* lw t0, 0(sp): another page becomes the D-TLB MRU */
	p[1] = 0x00052283; /* lw t0, 0(a0): slow load from the code page      */
	p[2] = 0x00b52823; /* sw a1, 16(a0): patch the instruction at +16      */
	p[3] = 0x00000013; /* nop */
	p[4] = LI_A0(1);
	p[5] = 0x00008067; /* ret */
	__asm__ volatile(".word 0x0000100f" ::: "memory");
	register uint32_t a0 __asm__("a0") = (uint32_t)p;
	register uint32_t a1 __asm__("a1") = LI_A0(2);
	__asm__ volatile("jalr ra, 0(a0)"
			 : "+r"(a0)
			 : "r"(a1)
			 : "ra", "t0", "memory");
	printf("executed li a0,%u\n", (unsigned)a0);
	return 0;
}
