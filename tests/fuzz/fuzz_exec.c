/*
 * fuzz_exec: the decoder, the disassembler and the interpreter on random
 * code.
 *
 * Input: one byte of machine configuration, then the code.
 *	config bit 0	sv32 instead of pae
 *	config bits 1-3	instruction budget per cpu_run call: 1 << (2 * n)
 *			(small budgets stop the hart inside decoded runs)
 *	config bit 4	the code page is writable (self-modifying code:
 *			the pre-decoded cache must notice)
 * Every halfword and every 32-bit window at an even offset of the code is
 * decoded and disassembled; then the code runs on a machine built by
 * tests/vm_harness (no kernel), up to FUZZ_INSNS instructions in all:
 *	CODE	0x10000	two pages, R X U (+W with bit 4), the code
 *	DATA	0x20000	two pages, R W U; the registers point into it
 *	RO	0x30000	one page,  R U; 0x31000 is unmapped
 * An ecall is stepped over, as the kernel does; any other trap ends it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "fuzz.h"
#include "vm_harness.h"

#define CODE 0x10000u
#define DATA 0x20000u
#define RO 0x30000u
#define CODE_SIZE (2 * PAGE_SIZE)
#define FUZZ_INSNS 20000u
#define FUZZ_TRAPS 64

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz_exec: %s:%d: %s\n", __FILE__,  \
				__LINE__, #cond);                            \
			abort();                                             \
		}                                                            \
	} while (0)

static void check_insn(const struct insn *in, unsigned len, uint32_t pc)
{
	char buf[96];

	CHECK(in->op < OP_COUNT);
	CHECK(in->rd < 32 && in->rs1 < 32 && in->rs2 < 32);
	CHECK(in->op == OP_ILLEGAL || in->len == len);
	CHECK(insn_op_name(in->op) != NULL);
	memset(buf, 'x', sizeof(buf));
	CHECK(insn_disasm(in, pc, buf, sizeof(buf)) == buf);
	CHECK(memchr(buf, 0, sizeof(buf)) != NULL);
	/* A short buffer truncates, never overflows. */
	insn_disasm(in, pc, buf, 8);
	CHECK(memchr(buf, 0, 8) != NULL);
}

static void decode_all(const uint8_t *code, size_t n)
{
	struct insn in;

	for (size_t off = 0; off + 2 <= n; off += 2) {
		uint16_t h;
		uint32_t w;

		memcpy(&h, code + off, 2);
		decode16(h, &in);
		check_insn(&in, 2, CODE + (uint32_t)off);
		if (off + 4 <= n) {
			memcpy(&w, code + off, 4);
			decode32(w, &in);
			check_insn(&in, 4, CODE + (uint32_t)off);
		}
	}
}

/* Copy into guest memory page by page: frames need not be adjacent. */
static void poke(struct vmh *h, gva_t va, const uint8_t *src, size_t n)
{
	while (n) {
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		uint8_t *p = vmh_host(h, va);

		if (chunk > n)
			chunk = n;
		CHECK(p);
		memcpy(p, src, chunk);
		va += (gva_t)chunk;
		src += chunk;
		n -= chunk;
	}
}

static void run(const uint8_t *code, size_t n, uint8_t config)
{
	uint32_t code_flags = PTE_V | PTE_R | PTE_X | PTE_U;
	uint64_t per_call = 1ull << (2 * ((config >> 1) & 7));
	struct vmh *h = malloc(sizeof(*h));
	struct cpu c;
	uint64_t left = FUZZ_INSNS;

	CHECK(h);
	if (config & 16)
		code_flags |= PTE_W;
	CHECK(vmh_init(h, config & 1 ? PAGING_SV32 : PAGING_PAE) == 0);
	CHECK(vmh_map(h, CODE, CODE_SIZE, code_flags) == 0);
	CHECK(vmh_map(h, DATA, 2 * PAGE_SIZE,
		      PTE_V | PTE_R | PTE_W | PTE_U) == 0);
	CHECK(vmh_map(h, RO, PAGE_SIZE, PTE_V | PTE_R | PTE_U) == 0);
	poke(h, CODE, code, n);
	cpu_init(&c, &h->mmu, CODE);
	for (unsigned i = 1; i < 32; i++)
		c.x[i] = DATA + 128 * i;
	c.x[2] = DATA + 2 * PAGE_SIZE - 16; /* sp */

	for (int traps = 0; traps < FUZZ_TRAPS && left; traps++) {
		uint64_t before = c.instret;
		uint64_t budget = per_call < left ? per_call : left;
		enum cpu_trap t = cpu_run(&c, budget);
		uint64_t ran = c.instret - before;

		CHECK(c.x[0] == 0);
		CHECK(c.cause == t);
		CHECK(ran <= budget);
		CHECK(c.cycle >= c.instret);
		left -= ran;
		if (t == TRAP_BUDGET)
			continue;
		if (t != TRAP_ECALL)
			break;
		c.pc += 4;
	}
	vmh_destroy(h);
	free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t config = fz_u8(&f);
	size_t n = f.n < CODE_SIZE ? f.n : CODE_SIZE;

	decode_all(f.p, n);
	run(f.p, n, config);
	return 0;
}
