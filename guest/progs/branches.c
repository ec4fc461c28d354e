/*
 * Control flow: every conditional branch against edge values, a switch
 * the compiler turns into a jump table, calls through function pointers,
 * deep recursion (the stack grows over several pages) and setjmp/longjmp.
 * Prints results; exits with 7.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

static const int32_t vals[] = { 0, 1, -1, 2, INT32_MIN, INT32_MAX, -2 };

#define BR(name, insn)                                                         \
	static int name(int32_t a, int32_t b)                                  \
	{                                                                      \
		int r;                                                         \
		__asm__ volatile("li %0, 1\n\t" insn " %1, %2, 1f\n\t"        \
				 "li %0, 0\n"                                  \
				 "1:"                                          \
				 : "=&r"(r)                                    \
				 : "r"(a), "r"(b));                            \
		return r;                                                      \
	}

BR(beq_, "beq")
BR(bne_, "bne")
BR(blt_, "blt")
BR(bge_, "bge")
BR(bltu_, "bltu")
BR(bgeu_, "bgeu")

static int (*const brs[])(int32_t, int32_t) = { beq_, bne_, blt_,
						bge_, bltu_, bgeu_ };

static __attribute__((noinline)) int classify(unsigned x)
{
	switch (x % 11) {
	case 0: return 17;
	case 1: return 3;
	case 2: return 99;
	case 3: return -4;
	case 4: return 8;
	case 5: return 1000;
	case 6: return 6;
	case 7: return -77;
	case 8: return 12;
	case 9: return 5;
	default: return 0;
	}
}

static __attribute__((noinline)) uint32_t deep(uint32_t n)
{
	volatile uint8_t pad[96];

	pad[n % 96] = (uint8_t)n;
	if (n == 0)
		return 1;
	return deep(n - 1) * 3 + pad[n % 96];
}

static jmp_buf env;

/* gcc does not see that longjmp ends the recursion. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static __attribute__((noinline)) void thrower(int depth)
{
	if (depth == 0)
		longjmp(env, 42);
	thrower(depth - 1);
}

int main(void)
{
	int n = (int)(sizeof(vals) / sizeof(vals[0]));
	long sw = 0;
	int r;

	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			printf("%d,%d:", i, j);
			for (unsigned k = 0; k < 6; k++)
				printf("%d", brs[k](vals[i], vals[j]));
			printf("%c", j == n - 1 ? '\n' : ' ');
		}
	}
	for (unsigned x = 0; x < 1000; x++)
		sw += classify(x * 2654435761u);
	printf("switch sum %ld\n", sw);
	printf("deep(2000) = %08lx\n", (unsigned long)deep(2000));
	r = setjmp(env);
	if (r == 0)
		thrower(50);
	printf("longjmp returned %d\n", r);
	return 7;
}
