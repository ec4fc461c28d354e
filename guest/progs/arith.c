/*
 * M-extension and shift corners: every mul/div/rem variant over a table of
 * edge values (0, 1, -1, INT_MIN, INT_MAX, ...), including division by zero
 * and the INT_MIN / -1 overflow, each executed by its own instruction (inline
 * asm, so the compiler cannot fold it).  Prints hex; exits 0.
 */
#include <stdint.h>
#include <stdio.h>

#define RR(op)                                                                 \
	static uint32_t op##_(uint32_t a, uint32_t b)                          \
	{                                                                      \
		uint32_t r;                                                    \
		__asm__ volatile(#op " %0, %1, %2"                             \
				 : "=r"(r)                                     \
				 : "r"(a), "r"(b));                            \
		return r;                                                      \
	}

RR(mul)
RR(mulh)
RR(mulhsu)
RR(mulhu)
RR(div)
RR(divu)
RR(rem)
RR(remu)
RR(sll)
RR(srl)
RR(sra)
RR(slt)
RR(sltu)

static const uint32_t vals[] = {
	0x00000000, 0x00000001, 0xffffffff, 0x00000002, 0x80000000,
	0x7fffffff, 0x12345678, 0x80000001, 0x00000007, 0xfffffff9,
	0x0000001f, 0x00000020, 0xdeadbeef,
};

int main(void)
{
	uint32_t acc = 0;

	for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		for (unsigned j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
			uint32_t a = vals[i], b = vals[j];
			uint32_t r[13] = {
				mul_(a, b),  mulh_(a, b), mulhsu_(a, b),
				mulhu_(a, b), div_(a, b), divu_(a, b),
				rem_(a, b),  remu_(a, b), sll_(a, b),
				srl_(a, b),  sra_(a, b),  slt_(a, b),
				sltu_(a, b),
			};
			printf("%08lx %08lx:", (unsigned long)a,
			       (unsigned long)b);
			for (unsigned k = 0; k < 13; k++) {
				printf(" %lx", (unsigned long)r[k]);
				acc = acc * 31 + r[k];
			}
			printf("\n");
		}
	}
	/* The spec's table for division by zero and overflow, spelled out. */
	printf("div(7,0)=%lx divu(7,0)=%lx rem(7,0)=%lx remu(7,0)=%lx\n",
	       (unsigned long)div_(7, 0), (unsigned long)divu_(7, 0),
	       (unsigned long)rem_(7, 0), (unsigned long)remu_(7, 0));
	printf("div(INT_MIN,-1)=%lx rem(INT_MIN,-1)=%lx\n",
	       (unsigned long)div_(0x80000000, 0xffffffff),
	       (unsigned long)rem_(0x80000000, 0xffffffff));
	printf("checksum %08lx\n", (unsigned long)acc);
	return 0;
}
