/*
 * Reads stdin to EOF with read() in odd-sized chunks and prints the byte
 * count, the line count and an FNV-1a checksum; exits 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	static unsigned char buf[777];
	uint32_t h = 2166136261u;
	unsigned long bytes = 0, lines = 0;
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			h = (h ^ buf[i]) * 16777619u;
			lines += buf[i] == '\n';
		}
		bytes += (unsigned long)n;
	}
	if (n < 0) {
		perror("read");
		return 1;
	}
	printf("bytes=%lu lines=%lu fnv1a=%08lx\n", bytes, lines,
	       (unsigned long)h);
	return 0;
}
