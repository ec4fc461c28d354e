/*
 * gen_rand -- write a random RV32IMAC instruction sequence as assembly.
 *
 * Usage: gen_rand SEED [COUNT]
 *
 * The program it writes (linked with the guest runtime and rand-dump.c):
 *   1. fills an 8 KiB scratch buffer (page aligned) with a seeded pattern;
 *   2. points sp at scratch+4096 (a page boundary, so misaligned accesses
 *      near sp straddle two pages) and s0 at scratch+2048: these two are the
 *      base registers of every memory access and are never written;
 *   3. sets every other register x1..x31 (gp and tp included: no libc runs
 *      until the end) to a seeded value, edge values now and then;
 *   4. runs COUNT (default 200) random items: RV32I ALU and shifts, lui/auipc,
 *      loads and stores (some misaligned) off sp or s0, M with forced
 *      division-by-zero and INT_MIN/-1 corners, A (every AMO with random
 *      ordering bits, and lr/sc pairs with only ALU work between), explicit
 *      compressed instructions, forward branches and jumps over small
 *      blocks, short counted loops, fences;
 *   5. stores x1..x31 at sp+1536, restores gp and a real stack, and calls
 *      rand_dump(), which prints the registers and checksums of the scratch
 *      buffer with write() and exits with exit_group(0).
 * Nothing in the registers or memory depends on the host (the initial stack
 * address is saved to memory, never left in a register), so qemu-riscv32
 * and mmulab must print the same text.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REG_SP 2
#define REG_S0 8
#define SP_OFF 4096	/* sp = scratch + SP_OFF */
#define S0_OFF 2048	/* s0 = scratch + S0_OFF */
#define SAVE_OFF 1536	/* registers saved at sp + SAVE_OFF */
#define SCRATCH_SIZE 8192
#define CHECK_LEN (SP_OFF + SAVE_OFF) /* bytes checksummed */

struct gen {
	uint64_t rng;
	unsigned label;		/* next .L number */
	uint32_t blocked;	/* registers that must keep their value */
	FILE *out;
};

/* splitmix64: every seed gives an unrelated stream. */
static uint64_t rnd64(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd(struct gen *g, uint32_t n)
{
	return (uint32_t)(rnd64(g) % n);
}

static int rnd_range(struct gen *g, int lo, int hi)
{
	return lo + (int)rnd(g, (uint32_t)(hi - lo + 1));
}

static bool chance(struct gen *g, unsigned one_in)
{
	return rnd(g, one_in) == 0;
}

static void __attribute__((format(printf, 2, 3)))
emit(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	fputc('\t', g->out);
	va_start(ap, fmt);
	vfprintf(g->out, fmt, ap);
	va_end(ap);
	fputc('\n', g->out);
}

/* A 32-bit value: mostly random, sometimes an edge value. */
static uint32_t value(struct gen *g)
{
	static const uint32_t edge[] = { 0, 1, 0xffffffff, 0x80000000,
					 0x7fffffff, 2, 0xfffffffe, 31, 32,
					 0x80000001, 0xffff, 0x8000 };

	if (chance(g, 4))
		return edge[rnd(g, sizeof(edge) / sizeof(edge[0]))];
	if (chance(g, 4))
		return (uint32_t)rnd_range(g, -64, 64);
	return (uint32_t)rnd64(g);
}

static bool writable(const struct gen *g, unsigned r)
{
	return r != 0 && r != REG_SP && r != REG_S0 &&
	       !(g->blocked & (1u << r));
}

/* A destination register: any writable one, rarely x0. */
static unsigned rd_any(struct gen *g)
{
	unsigned r;

	if (chance(g, 40))
		return 0;
	do
		r = rnd(g, 32);
	while (!writable(g, r));
	return r;
}

/* A source register: anything, the bases included. */
static unsigned rs_any(struct gen *g)
{
	return rnd(g, 32);
}

/* A compressed-form register x8..x15 that may be written (not s0);
 * returns 0 when all are blocked. */
static unsigned rdc(struct gen *g)
{
	unsigned r, tries = 0;

	do {
		r = 9 + rnd(g, 7);
		if (++tries > 64)
			return 0;
	} while (!writable(g, r));
	return r;
}

static unsigned rsc(struct gen *g)
{
	return 8 + rnd(g, 8);
}

static void alu_r(struct gen *g)
{
	static const char *const op[] = { "add", "sub", "sll", "slt", "sltu",
					  "xor", "srl", "sra", "or", "and" };

	emit(g, "%s x%u, x%u, x%u", op[rnd(g, 10)], rd_any(g), rs_any(g),
	     rs_any(g));
}

static void alu_i(struct gen *g)
{
	static const char *const op[] = { "addi", "slti", "sltiu", "xori",
					  "ori", "andi" };
	static const char *const sh[] = { "slli", "srli", "srai" };

	if (chance(g, 3))
		emit(g, "%s x%u, x%u, %d", sh[rnd(g, 3)], rd_any(g),
		     rs_any(g), rnd_range(g, 0, 31));
	else
		emit(g, "%s x%u, x%u, %d", op[rnd(g, 6)], rd_any(g),
		     rs_any(g), rnd_range(g, -2048, 2047));
}

static void upper(struct gen *g)
{
	emit(g, "%s x%u, 0x%x", chance(g, 2) ? "lui" : "auipc", rd_any(g),
	     rnd(g, 1u << 20));
}

/* Mostly aligned to @size, sometimes not (the access may then cross the
 * page boundary at sp). */
static int mem_offset(struct gen *g, unsigned base, unsigned size)
{
	int span = base == REG_SP ? 1024 : 256;
	int off = rnd_range(g, -span, span - (int)size);

	if (!chance(g, 6))
		off &= ~(int)(size - 1);
	return off;
}

static void load(struct gen *g)
{
	static const char *const op[] = { "lb", "lbu", "lh", "lhu", "lw" };
	static const unsigned size[] = { 1, 1, 2, 2, 4 };
	unsigned k = rnd(g, 5), base = chance(g, 2) ? REG_SP : REG_S0;

	emit(g, "%s x%u, %d(x%u)", op[k], rd_any(g),
	     mem_offset(g, base, size[k]), base);
}

static void store(struct gen *g)
{
	static const char *const op[] = { "sb", "sh", "sw" };
	static const unsigned size[] = { 1, 2, 4 };
	unsigned k = rnd(g, 3), base = chance(g, 2) ? REG_SP : REG_S0;

	emit(g, "%s x%u, %d(x%u)", op[k], rs_any(g),
	     mem_offset(g, base, size[k]), base);
}

/* M extension; divisions sometimes get a zero divisor or INT_MIN / -1. */
static void muldiv(struct gen *g)
{
	static const char *const op[] = { "mul",  "mulh", "mulhsu", "mulhu",
					  "div",  "divu", "rem",    "remu" };
	unsigned k = rnd(g, 8), rs1 = rs_any(g), rs2 = rs_any(g);

	if (k >= 4 && chance(g, 3) && writable(g, rs2)) {
		if (chance(g, 2) && writable(g, rs1) && rs1 != rs2) {
			emit(g, "li x%u, 0x80000000", rs1);
			emit(g, "li x%u, -1", rs2);
		} else {
			emit(g, "li x%u, 0", rs2);
		}
	}
	emit(g, "%s x%u, x%u, x%u", op[k], rd_any(g), rs1, rs2);
}

/* A word-aligned address in the scratch buffer, in a fresh register (or
 * sp/s0 themselves); the register is returned blocked. */
static unsigned amo_addr(struct gen *g)
{
	unsigned t;

	if (chance(g, 4))
		return chance(g, 2) ? REG_SP : REG_S0;
	t = rd_any(g);
	if (t == 0)
		return REG_SP;
	emit(g, "addi x%u, x%u, %d", t, REG_SP, rnd_range(g, -256, 255) * 4);
	g->blocked |= 1u << t;
	return t;
}

static const char *order(struct gen *g)
{
	static const char *const o[] = { "", ".aq", ".rl", ".aqrl" };

	return o[rnd(g, 4)];
}

static void amo(struct gen *g)
{
	static const char *const op[] = { "amoswap", "amoadd", "amoxor",
					  "amoand",  "amoor",  "amomin",
					  "amomax",  "amominu", "amomaxu" };
	uint32_t saved = g->blocked;
	unsigned a = amo_addr(g);

	g->blocked = saved;
	emit(g, "%s.w%s x%u, x%u, (x%u)", op[rnd(g, 9)], order(g), rd_any(g),
	     rs_any(g), a);
}

static void simple(struct gen *g);

/* lr/sc with at most three ALU instructions between: the constrained
 * sequence whose outcome the ISA defines (the sc succeeds). */
static void lrsc(struct gen *g)
{
	uint32_t saved = g->blocked;
	unsigned a = amo_addr(g), n = rnd(g, 4);

	emit(g, "lr.w%s x%u, (x%u)", order(g), rd_any(g), a);
	for (unsigned i = 0; i < n; i++) {
		if (chance(g, 2))
			alu_r(g);
		else
			alu_i(g);
	}
	emit(g, "sc.w%s x%u, x%u, (x%u)", order(g), rd_any(g), rs_any(g), a);
	g->blocked = saved;
}

/* Explicit compressed instructions, respecting each form's limits. */
static void compressed(struct gen *g)
{
	unsigned r, s;
	int imm;

	switch (rnd(g, 16)) {
	case 0:
		if ((r = rd_any(g)))
			emit(g, "c.li x%u, %d", r, rnd_range(g, -32, 31));
		break;
	case 1:
		r = rd_any(g);
		imm = rnd_range(g, 1, 31);
		if (chance(g, 2))
			imm = 0x100000 - imm; /* a negative 6-bit nzimm */
		if (r)
			emit(g, "c.lui x%u, 0x%x", r, imm);
		break;
	case 2:
		imm = rnd_range(g, -32, 30);
		if ((r = rd_any(g)))
			emit(g, "c.addi x%u, %d", r, imm >= 0 ? imm + 1 : imm);
		break;
	case 3:
		s = rs_any(g);
		if ((r = rd_any(g)) && s)
			emit(g, "c.mv x%u, x%u", r, s);
		break;
	case 4:
		s = rs_any(g);
		if ((r = rd_any(g)) && s)
			emit(g, "c.add x%u, x%u", r, s);
		break;
	case 5: {
		static const char *const op[] = { "c.sub", "c.xor", "c.or",
						  "c.and" };
		if ((r = rdc(g)))
			emit(g, "%s x%u, x%u", op[rnd(g, 4)], r, rsc(g));
		break;
	}
	case 6:
		if ((r = rdc(g)))
			emit(g, "c.andi x%u, %d", r, rnd_range(g, -32, 31));
		break;
	case 7:
		if ((r = rd_any(g)))
			emit(g, "c.slli x%u, %d", r, rnd_range(g, 1, 31));
		break;
	case 8:
		if ((r = rdc(g)))
			emit(g, "%s x%u, %d", chance(g, 2) ? "c.srli" : "c.srai",
			     r, rnd_range(g, 1, 31));
		break;
	case 9:
		if ((r = rdc(g)))
			emit(g, "c.lw x%u, %d(x%u)", r, rnd_range(g, 0, 31) * 4,
			     REG_S0);
		break;
	case 10:
		emit(g, "c.sw x%u, %d(x%u)", rsc(g), rnd_range(g, 0, 31) * 4,
		     REG_S0);
		break;
	case 11:
		if ((r = rd_any(g)))
			emit(g, "c.lwsp x%u, %d(sp)", r, rnd_range(g, 0, 63) * 4);
		break;
	case 12:
		emit(g, "c.swsp x%u, %d(sp)", rs_any(g), rnd_range(g, 0, 63) * 4);
		break;
	case 13:
		if ((r = rdc(g)))
			emit(g, "c.addi4spn x%u, sp, %d", r,
			     rnd_range(g, 1, 255) * 4);
		break;
	case 14:
		emit(g, "c.nop");
		break;
	default:
		alu_r(g); /* gas compresses what it can under .option rvc */
		break;
	}
}

static void simple(struct gen *g)
{
	unsigned k = rnd(g, 100);

	if (k < 20)
		alu_r(g);
	else if (k < 38)
		alu_i(g);
	else if (k < 44)
		upper(g);
	else if (k < 55)
		load(g);
	else if (k < 65)
		store(g);
	else if (k < 77)
		muldiv(g);
	else if (k < 83)
		amo(g);
	else
		compressed(g);
}

static void block(struct gen *g, unsigned max)
{
	unsigned n = 1 + rnd(g, max);

	for (unsigned i = 0; i < n; i++)
		simple(g);
}

/* A forward branch, compressed branch or jump over a small block. */
static void forward(struct gen *g)
{
	static const char *const br[] = { "beq", "bne", "blt",
					  "bge", "bltu", "bgeu" };
	unsigned l = g->label++, k = rnd(g, 10), r;

	if (k < 6) {
		emit(g, "%s x%u, x%u, .L%u", br[k], rs_any(g), rs_any(g), l);
	} else if (k == 6) {
		emit(g, "%s x%u, .L%u", chance(g, 2) ? "c.beqz" : "c.bnez",
		     rsc(g), l);
	} else if (k == 7) {
		if (writable(g, 1) && chance(g, 2))
			emit(g, "c.jal .L%u", l);
		else
			emit(g, "c.j .L%u", l);
	} else if (k == 8) {
		emit(g, "jal x%u, .L%u", rd_any(g), l);
	} else {
		/* jalr through a register loaded with the target address */
		r = rd_any(g);
		if (r) {
			emit(g, "la x%u, .L%u", r, l);
			if (chance(g, 2) && writable(g, 1))
				emit(g, "c.jalr x%u", r);
			else
				emit(g, "jalr x%u, 0(x%u)", rd_any(g), r);
		} else {
			emit(g, "j .L%u", l);
		}
	}
	block(g, 4);
	fprintf(g->out, ".L%u:\n", l);
}

/* A counted loop: the counter is blocked while the body is generated. */
static void loop(struct gen *g)
{
	unsigned c = rd_any(g), l = g->label++;
	uint32_t saved = g->blocked;

	if (c == 0)
		return;
	emit(g, "li x%u, %d", c, rnd_range(g, 1, 5));
	g->blocked |= 1u << c;
	fprintf(g->out, ".L%u:\n", l);
	block(g, 4);
	emit(g, "addi x%u, x%u, -1", c, c);
	emit(g, "bnez x%u, .L%u", c, l);
	g->blocked = saved;
}

static void item(struct gen *g)
{
	unsigned k = rnd(g, 100);

	if (k < 70)
		simple(g);
	else if (k < 82)
		forward(g);
	else if (k < 88)
		loop(g);
	else if (k < 96)
		lrsc(g);
	else if (k < 98)
		emit(g, "fence");
	else
		emit(g, ".4byte 0x0000100f /* fence.i */");
}

static void prologue(struct gen *g, uint64_t seed)
{
	fprintf(g->out,
		"/* generated by gen_rand %" PRIu64 " */\n"
		"\t.option norelax\n"
		"\t.option rvc\n"
		"\t.bss\n"
		"\t.balign 4096\n"
		"rand_scratch:\n"
		"\t.space %u\n"
		"rand_orig_sp:\n"
		"\t.space 4\n"
		"\t.text\n"
		"\t.globl main\n"
		"\t.type main, @function\n"
		"main:\n",
		seed, SCRATCH_SIZE);
	emit(g, "la t0, rand_orig_sp");
	emit(g, "sw sp, 0(t0)");
	/* fill the scratch buffer with an LCG pattern */
	emit(g, "la t0, rand_scratch");
	emit(g, "li t1, %u", SCRATCH_SIZE / 4);
	emit(g, "li t2, 0x%08x", (uint32_t)rnd64(g));
	emit(g, "li t3, 1103515245");
	fprintf(g->out, "1:\n");
	emit(g, "sw t2, 0(t0)");
	emit(g, "mul t2, t2, t3");
	emit(g, "addi t2, t2, 777");
	emit(g, "addi t0, t0, 4");
	emit(g, "addi t1, t1, -1");
	emit(g, "bnez t1, 1b");
	emit(g, "la sp, rand_scratch + %u", SP_OFF);
	emit(g, "la s0, rand_scratch + %u", S0_OFF);
	for (unsigned r = 1; r < 32; r++)
		if (r != REG_SP && r != REG_S0)
			emit(g, "li x%u, 0x%08x", r, value(g));
}

static void epilogue(struct gen *g)
{
	for (unsigned r = 1; r < 32; r++)
		emit(g, "sw x%u, %u(sp)", r, SAVE_OFF + 4 * r);
	emit(g, "sw x0, %u(sp)", SAVE_OFF);
	emit(g, "la gp, __global_pointer$");
	emit(g, "li tp, 0");
	emit(g, "la t0, rand_orig_sp");
	emit(g, "lw sp, 0(t0)");
	emit(g, "la a0, rand_scratch + %u", SP_OFF + SAVE_OFF);
	emit(g, "la a1, rand_scratch");
	emit(g, "li a2, %u", CHECK_LEN);
	emit(g, "call rand_dump");
	fprintf(g->out, "2:\n");
	emit(g, "j 2b");
	emit(g, ".size main, . - main");
}

int main(int argc, char **argv)
{
	struct gen g = { .out = stdout };
	unsigned long count = 200;
	uint64_t seed;
	char *end;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen_rand SEED [COUNT]\n");
		return 2;
	}
	seed = strtoull(argv[1], &end, 0);
	if (*end) {
		fprintf(stderr, "gen_rand: bad seed '%s'\n", argv[1]);
		return 2;
	}
	if (argc == 3) {
		count = strtoul(argv[2], &end, 0);
		if (*end || count > 100000) {
			fprintf(stderr, "gen_rand: bad count '%s'\n", argv[2]);
			return 2;
		}
	}
	g.rng = seed * 0x2545f4914f6cdd1dull + 1;
	prologue(&g, seed);
	for (unsigned long i = 0; i < count; i++)
		item(&g);
	epilogue(&g);
	return ferror(stdout) ? 1 : 0;
}
