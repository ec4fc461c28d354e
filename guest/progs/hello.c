/* The demo: greets, echoes its arguments and uses the heap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("Hello from RISC-V! argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	size_t n = 1000;
	int *v = malloc(n * sizeof *v);
	if (!v)
		return 1;
	long sum = 0;
	for (size_t i = 0; i < n; i++)
		v[i] = (int)(i * i), sum += v[i];
	free(v);
	printf("sum of squares below %zu = %ld\n", n, sum);
	return argc - 1;
}
