/*
 * disasm_raw FILE ADDR: disassemble the raw instruction bytes of FILE,
 * loaded at ADDR, one "addr: text" line per instruction -- the input of
 * tests/disasm.sh, which compares it with objdump's.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cpu/decode.h"

int main(int argc, char **argv)
{
	FILE *f;
	unsigned char *b;
	long n;

	if (argc != 3) {
		fprintf(stderr, "usage: disasm_raw FILE ADDR\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0) {
		perror(argv[1]);
		return 2;
	}
	rewind(f);
	b = malloc((size_t)n + 4);
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
		perror(argv[1]);
		return 2;
	}
	fclose(f);
	uint32_t base = (uint32_t)strtoul(argv[2], NULL, 0);
	for (long i = 0; i + 2 <= n;) {
		uint32_t w = b[i] | b[i + 1] << 8;
		unsigned l = insn_length((uint16_t)w);
		char text[96];
		if (i + l > n)
			break;
		if (l == 4)
			w |= (uint32_t)(b[i + 2] | b[i + 3] << 8) << 16;
		insn_disasm_objdump(w, base + (uint32_t)i, text, sizeof(text));
		printf("%x: %s\n", base + (uint32_t)i, text);
		i += l;
	}
	free(b);
	return 0;
}
