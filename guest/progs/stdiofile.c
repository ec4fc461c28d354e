/*
 * picolibc's stdio on files: fopen/fprintf/fgets/fseek/ftell/fread/fwrite,
 * append mode, remove, and a large heap workload (malloc/realloc/free)
 * with a checksum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned mix(unsigned h, unsigned v)
{
	return (h ^ v) * 16777619u;
}

int main(void)
{
	FILE *f = fopen("notes.txt", "w");
	if (!f) {
		puts("fopen failed");
		return 1;
	}
	for (int i = 0; i < 100; i++)
		fprintf(f, "line %d: %s\n", i, i % 2 ? "odd" : "even");
	fclose(f);

	f = fopen("notes.txt", "r");
	char line[64];
	int n = 0;
	unsigned h = 2166136261u;
	while (fgets(line, sizeof(line), f)) {
		n++;
		for (char *p = line; *p; p++)
			h = mix(h, (unsigned char)*p);
	}
	printf("read %d lines, hash %08x\n", n, h);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 10, SEEK_SET);
	size_t got = fread(line, 1, 5, f);
	line[got] = 0;
	printf("size %ld, bytes 10..14 '%s'\n", size, line);
	fclose(f);

	f = fopen("notes.txt", "a");
	fputs("appended\n", f);
	fclose(f);
	f = fopen("notes.txt", "rb");
	fseek(f, -9, SEEK_END);
	got = fread(line, 1, 9, f);
	line[got] = 0;
	printf("tail '%s'", line);
	fclose(f);
	printf("remove: %d, reopen: %s\n", remove("notes.txt"),
	       fopen("notes.txt", "r") ? "found" : "gone");

	/* Heap: many blocks of many sizes, grown and freed. */
	void *blocks[512] = {0};
	unsigned seed = 12345, sum = 0;
	for (int round = 0; round < 20000; round++) {
		seed = seed * 1103515245u + 12345u;
		int i = (seed >> 8) % 512;
		size_t sz = (seed >> 4) % 3000 + 1;
		if (blocks[i] && (seed & 1)) {
			free(blocks[i]);
			blocks[i] = NULL;
		} else {
			char *p = realloc(blocks[i], sz);
			if (!p) {
				puts("out of memory");
				return 1;
			}
			p[0] = (char)i;
			p[sz - 1] = (char)sz;
			sum += (unsigned char)p[0] + (unsigned char)p[sz - 1];
			blocks[i] = p;
		}
	}
	for (int i = 0; i < 512; i++)
		free(blocks[i]);
	printf("heap workload sum %u\n", sum);
	return 0;
}
