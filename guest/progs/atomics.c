/*
 * The A extension on globals: lr.w/sc.w (success, failure after a completed
 * pair, failure on another address) and every AMO with each ordering
 * suffix.  Prints old values and memory contents in hex; exits 0.
 */
#include <stdint.h>
#include <stdio.h>

static volatile uint32_t word = 0x10;
static volatile uint32_t other = 0x20;
static volatile uint32_t counter;

#define AMO(fn, insn)                                                          \
	static uint32_t fn(volatile uint32_t *p, uint32_t v)                   \
	{                                                                      \
		uint32_t old;                                                  \
		__asm__ volatile(insn " %0, %2, (%1)"                          \
				 : "=r"(old)                                   \
				 : "r"(p), "r"(v)                              \
				 : "memory");                                  \
		return old;                                                    \
	}

AMO(amoswap_w_, "amoswap.w")
AMO(amoadd_w_, "amoadd.w")
AMO(amoxor_w_, "amoxor.w")
AMO(amoand_w_, "amoand.w")
AMO(amoor_w_, "amoor.w")
AMO(amomin_w_, "amomin.w")
AMO(amomax_w_, "amomax.w")
AMO(amominu_w_, "amominu.w")
AMO(amomaxu_w_, "amomaxu.w")
AMO(amoadd_w_aq_, "amoadd.w.aq")
AMO(amoswap_w_rl_, "amoswap.w.rl")
AMO(amoor_w_aqrl_, "amoor.w.aqrl")

static uint32_t lr(volatile uint32_t *p)
{
	uint32_t v;

	__asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static uint32_t sc(volatile uint32_t *p, uint32_t v)
{
	uint32_t fail;

	__asm__ volatile("sc.w %0, %2, (%1)"
			 : "=r"(fail)
			 : "r"(p), "r"(v)
			 : "memory");
	return fail;
}

/* A CAS loop from lr/sc, as libatomic would write it. */
static uint32_t fetch_add(volatile uint32_t *p, uint32_t v)
{
	uint32_t old, fail;

	__asm__ volatile("1: lr.w.aq %0, (%2)\n"
			 "   add t0, %0, %3\n"
			 "   sc.w.rl %1, t0, (%2)\n"
			 "   bnez %1, 1b\n"
			 : "=&r"(old), "=&r"(fail)
			 : "r"(p), "r"(v)
			 : "t0", "memory");
	return old;
}

static void show(const char *what, uint32_t old)
{
	printf("%-14s old=%08lx mem=%08lx\n", what, (unsigned long)old,
	       (unsigned long)word);
}

int main(void)
{
	static const uint32_t ops[] = { 0x80000000, 0x7fffffff, 0xffffffff,
					0x00000005, 0x0000f0f0 };
	uint32_t v, f;

	v = lr(&word);
	f = sc(&word, v + 1);
	printf("lr=%08lx sc=%lu mem=%08lx\n", (unsigned long)v,
	       (unsigned long)f, (unsigned long)word);
	f = sc(&word, 0x99);
	printf("sc without reservation=%lu mem=%08lx\n", (unsigned long)f,
	       (unsigned long)word);
	v = lr(&word);
	f = sc(&other, 0x77);
	printf("sc to another address=%lu other=%08lx\n", (unsigned long)f,
	       (unsigned long)other);

	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		uint32_t x = ops[i];

		printf("-- operand %08lx\n", (unsigned long)x);
		word = 0x80000001 ^ (i * 0x01010101);
		show("amoswap.w", amoswap_w_(&word, x));
		show("amoadd.w", amoadd_w_(&word, x));
		show("amoxor.w", amoxor_w_(&word, x));
		show("amoand.w", amoand_w_(&word, x));
		show("amoor.w", amoor_w_(&word, x));
		word = 0x00000010 + i;
		show("amomin.w", amomin_w_(&word, x));
		word = 0x00000010 + i;
		show("amomax.w", amomax_w_(&word, x));
		word = 0x00000010 + i;
		show("amominu.w", amominu_w_(&word, x));
		word = 0x00000010 + i;
		show("amomaxu.w", amomaxu_w_(&word, x));
		show("amoadd.w.aq", amoadd_w_aq_(&word, x));
		show("amoswap.w.rl", amoswap_w_rl_(&word, x));
		show("amoor.w.aqrl", amoor_w_aqrl_(&word, x));
	}

	for (unsigned i = 0; i < 1000; i++)
		fetch_add(&counter, i);
	printf("counter=%lu\n", (unsigned long)counter);
	return 0;
}
