/*
 * Prints a line, then executes an illegal instruction: the kernel kills it
 * with SIGILL (exit status 128+4 = 132 from qemu-riscv32 and mmulab run).
 */
#include <stdio.h>

int main(void)
{
	printf("about to execute an illegal instruction\n");
	fflush(stdout);
	__asm__ volatile(".word 0x00000000"); /* all-zero: defined illegal */
	printf("still alive?\n");
	return 0;
}
