/*
 * Unit tests for the interpreter (src/cpu/cpu.h): small instruction
 * sequences written into pages mapped by tests/vm_harness, run through the
 * real MMU.
 *
 * Layout used by most tests:
 *   CODE  0x10000  two pages, R X U
 *   DATA  0x20000  two pages, R W U
 *   RO    0x30000  one page,  R U        (0x31000 unmapped)
 *   EDGE  0x40000  one page,  R X U      (0x41000 unmapped)
 */
#include <criterion/criterion.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "vm_harness.h"

#define CODE 0x10000u
#define DATA 0x20000u
#define RO 0x30000u
#define EDGE 0x40000u

enum { ZERO = 0, RA = 1, SP = 2, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9,
       A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15,
       A7 = 17, T3 = 28 };

static struct vmh h;
static struct cpu c;
static gva_t at; /* where the next emitted instruction goes */

static void setup(void)
{
	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	cr_assert_eq(vmh_map(&h, CODE, 2 * PAGE_SIZE,
			     PTE_V | PTE_R | PTE_X | PTE_U), 0);
	cr_assert_eq(vmh_map(&h, DATA, 2 * PAGE_SIZE,
			     PTE_V | PTE_R | PTE_W | PTE_U), 0);
	cr_assert_eq(vmh_map(&h, RO, PAGE_SIZE, PTE_V | PTE_R | PTE_U), 0);
	cr_assert_eq(vmh_map(&h, EDGE, PAGE_SIZE,
			     PTE_V | PTE_R | PTE_X | PTE_U), 0);
	cpu_init(&c, &h.mmu, CODE);
	at = CODE;
}

static void teardown(void)
{
	vmh_destroy(&h);
}

TestSuite(cpu, .init = setup, .fini = teardown);

/* ---- guest memory and a tiny assembler --------------------------------- */

static uint8_t *host(gva_t va)
{
	uint8_t *p = vmh_host(&h, va);

	cr_assert_not_null(p, "va 0x%x not mapped", va);
	return p;
}

/* Byte-wise: consecutive pages need not be consecutive frames. */
static void poke(gva_t va, uint32_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		*host(va + i) = (uint8_t)(v >> (8 * i));
}

static uint32_t peek(gva_t va, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)*host(va + i) << (8 * i);
	return v;
}

static void emit32(uint32_t bits)
{
	poke(at, bits, 4);
	at += 4;
}

static void emit16(uint16_t bits)
{
	poke(at, bits, 2);
	at += 2;
}

static uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3,
		      unsigned rd, unsigned opc)
{
	return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_i(int32_t imm, unsigned rs1, unsigned f3, unsigned rd,
		      unsigned opc)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 |
	       opc;
}

static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       (u & 0x1f) << 7 | 0x23;
}

static uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 |
	       rs1 << 15 | f3 << 12 | ((u >> 1) & 0xf) << 8 |
	       ((u >> 11) & 1) << 7 | 0x63;
}

static uint32_t enc_j(int32_t imm, unsigned rd)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 |
	       ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12 | rd << 7 |
	       0x6f;
}

/* funct7/funct3 of the register-register ops (opcode 0x33) */
static uint32_t rr(unsigned op, unsigned rd, unsigned rs1, unsigned rs2)
{
	static const struct {
		uint8_t op, f7, f3;
	} t[] = {
		{ OP_ADD, 0, 0 }, { OP_SUB, 0x20, 0 }, { OP_SLL, 0, 1 },
		{ OP_SLT, 0, 2 }, { OP_SLTU, 0, 3 }, { OP_XOR, 0, 4 },
		{ OP_SRL, 0, 5 }, { OP_SRA, 0x20, 5 }, { OP_OR, 0, 6 },
		{ OP_AND, 0, 7 }, { OP_MUL, 1, 0 }, { OP_MULH, 1, 1 },
		{ OP_MULHSU, 1, 2 }, { OP_MULHU, 1, 3 }, { OP_DIV, 1, 4 },
		{ OP_DIVU, 1, 5 }, { OP_REM, 1, 6 }, { OP_REMU, 1, 7 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i].op == op)
			return enc_r(t[i].f7, rs2, rs1, t[i].f3, rd, 0x33);
	cr_assert_fail("no R encoding for %s", insn_op_name(op));
	return 0;
}

static uint32_t ri(unsigned op, unsigned rd, unsigned rs1, int32_t imm)
{
	switch (op) {
	case OP_ADDI: return enc_i(imm, rs1, 0, rd, 0x13);
	case OP_SLTI: return enc_i(imm, rs1, 2, rd, 0x13);
	case OP_SLTIU: return enc_i(imm, rs1, 3, rd, 0x13);
	case OP_XORI: return enc_i(imm, rs1, 4, rd, 0x13);
	case OP_ORI: return enc_i(imm, rs1, 6, rd, 0x13);
	case OP_ANDI: return enc_i(imm, rs1, 7, rd, 0x13);
	case OP_SLLI: return enc_i(imm, rs1, 1, rd, 0x13);
	case OP_SRLI: return enc_i(imm, rs1, 5, rd, 0x13);
	case OP_SRAI: return enc_i(imm | 0x400, rs1, 5, rd, 0x13);
	case OP_LB: return enc_i(imm, rs1, 0, rd, 0x03);
	case OP_LH: return enc_i(imm, rs1, 1, rd, 0x03);
	case OP_LW: return enc_i(imm, rs1, 2, rd, 0x03);
	case OP_LBU: return enc_i(imm, rs1, 4, rd, 0x03);
	case OP_LHU: return enc_i(imm, rs1, 5, rd, 0x03);
	case OP_JALR: return enc_i(imm, rs1, 0, rd, 0x67);
	}
	cr_assert_fail("no I encoding for %s", insn_op_name(op));
	return 0;
}

#define ADDI(rd, rs1, imm) ri(OP_ADDI, rd, rs1, imm)
#define LW(rd, rs1, imm) ri(OP_LW, rd, rs1, imm)
#define SB(rs2, rs1, imm) enc_s(imm, rs2, rs1, 0)
#define SH(rs2, rs1, imm) enc_s(imm, rs2, rs1, 1)
#define SW(rs2, rs1, imm) enc_s(imm, rs2, rs1, 2)
#define LUI(rd, v) ((uint32_t)(v) & 0xfffff000u) | (rd) << 7 | 0x37
#define AUIPC(rd, v) ((uint32_t)(v) & 0xfffff000u) | (rd) << 7 | 0x17
#define JAL(rd, off) enc_j(off, rd)
#define ECALL 0x00000073u
#define EBREAK 0x00100073u
#define FENCE_I 0x0000100fu
#define NOP ADDI(ZERO, ZERO, 0)
#define CSR(f3, rd, csr, rs1) \
	((uint32_t)(csr) << 20 | (rs1) << 15 | (f3) << 12 | (rd) << 7 | 0x73u)

static uint32_t amo(unsigned op, unsigned rd, unsigned rs1, unsigned rs2)
{
	static const struct {
		uint8_t op, f5;
	} t[] = {
		{ OP_LR_W, 0x02 }, { OP_SC_W, 0x03 },
		{ OP_AMOSWAP_W, 0x01 }, { OP_AMOADD_W, 0x00 },
		{ OP_AMOXOR_W, 0x04 }, { OP_AMOAND_W, 0x0c },
		{ OP_AMOOR_W, 0x08 }, { OP_AMOMIN_W, 0x10 },
		{ OP_AMOMAX_W, 0x14 }, { OP_AMOMINU_W, 0x18 },
		{ OP_AMOMAXU_W, 0x1c },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i].op == op)
			return enc_r(t[i].f5 << 2, rs2, rs1, 2, rd, 0x2f);
	cr_assert_fail("no AMO encoding");
	return 0;
}

/* Run until something stops the hart; most programs end with ecall. */
static enum cpu_trap run(void)
{
	return cpu_run(&c, 100000);
}

static void run_to_ecall(void)
{
	enum cpu_trap t = run();

	cr_assert_eq(t, TRAP_ECALL, "stopped by %s at pc 0x%x (tval 0x%x)",
		     cpu_trap_name(t), c.pc, c.tval);
	cr_assert_eq(c.pc, at - 4, "ecall at 0x%x, pc 0x%x", at - 4, c.pc);
}

/* ---- ALU --------------------------------------------------------------- */

Test(cpu, alu_register_ops_and_corners)
{
	static const struct {
		unsigned op;
		uint32_t a, b, want;
	} t[] = {
		{ OP_ADD, 0xffffffff, 1, 0 },
		{ OP_ADD, 0x7fffffff, 1, 0x80000000 },
		{ OP_SUB, 0, 1, 0xffffffff },
		{ OP_SUB, 0x80000000, 1, 0x7fffffff },
		{ OP_SLL, 1, 31, 0x80000000 },
		{ OP_SLL, 1, 33, 2 },		/* only rs2[4:0] counts */
		{ OP_SRL, 0x80000000, 31, 1 },
		{ OP_SRL, 0x80000000, 32, 0x80000000 },
		{ OP_SRA, 0x80000000, 31, 0xffffffff },
		{ OP_SRA, 0x80000000, 1, 0xc0000000 },
		{ OP_SRA, 0xfffffff0, 2, 0xfffffffc },
		{ OP_SRA, 0x40000000, 30, 1 },
		{ OP_SRA, 0x80000000, 33, 0xc0000000 },	/* rs2[4:0] */
		{ OP_SLT, 0xffffffff, 0, 1 },	/* -1 < 0 */
		{ OP_SLT, 0, 0xffffffff, 0 },
		{ OP_SLT, 0x80000000, 0x7fffffff, 1 },
		{ OP_SLT, 5, 5, 0 },
		{ OP_SLTU, 0xffffffff, 0, 0 },
		{ OP_SLTU, 0, 0xffffffff, 1 },
		{ OP_SLTU, 0x7fffffff, 0x80000000, 1 },
		{ OP_XOR, 0xf0f0f0f0, 0xff00ff00, 0x0ff00ff0 },
		{ OP_OR, 0xf0f0f0f0, 0x0000ffff, 0xf0f0ffff },
		{ OP_AND, 0xf0f0f0f0, 0x0000ffff, 0x0000f0f0 },
	};
	/* each case uses a0 = a, a1 = b, result in a2..: run one at a time */
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		at = CODE;
		emit32(rr(t[i].op, A2, A0, A1));
		emit32(ECALL);
		c.pc = CODE;
		c.x[A0] = t[i].a;
		c.x[A1] = t[i].b;
		c.x[A2] = 0xdeadbeef;
		run_to_ecall();
		cr_expect_eq(c.x[A2], t[i].want,
			     "%s 0x%x, 0x%x = 0x%x, want 0x%x",
			     insn_op_name(t[i].op), t[i].a, t[i].b, c.x[A2],
			     t[i].want);
	}
}

Test(cpu, alu_immediate_ops_and_corners)
{
	static const struct {
		unsigned op;
		uint32_t a;
		int32_t imm;
		uint32_t want;
	} t[] = {
		{ OP_ADDI, 1, -2048, 0xfffff801 },
		{ OP_ADDI, 0xffffffff, 2047, 2046 },
		{ OP_SLTI, 0xffffffff, 0, 1 },
		{ OP_SLTI, 0, -1, 0 },
		{ OP_SLTI, 0x80000000, -2048, 1 },
		{ OP_SLTIU, 5, -1, 1 },		/* imm sign-extends then compares unsigned */
		{ OP_SLTIU, 0xffffffff, -1, 0 },
		{ OP_SLTIU, 0, 1, 1 },		/* seqz */
		{ OP_XORI, 0x12345678, -1, 0xedcba987 },	/* not */
		{ OP_ORI, 0x10000000, -2048, 0xfffff800 },
		{ OP_ANDI, 0xffffffff, -2048, 0xfffff800 },
		{ OP_ANDI, 0x12345678, 0xff, 0x78 },
		{ OP_SLLI, 0xffffffff, 31, 0x80000000 },
		{ OP_SLLI, 0x12345678, 0, 0x12345678 },
		{ OP_SRLI, 0x80000000, 31, 1 },
		{ OP_SRLI, 0xffffffff, 16, 0xffff },
		{ OP_SRAI, 0x80000000, 31, 0xffffffff },
		{ OP_SRAI, 0x80000001, 1, 0xc0000000 },
		{ OP_SRAI, 0x7fffffff, 31, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		at = CODE;
		emit32(ri(t[i].op, A2, A0, t[i].imm));
		emit32(ECALL);
		c.pc = CODE;
		c.x[A0] = t[i].a;
		run_to_ecall();
		cr_expect_eq(c.x[A2], t[i].want, "%s 0x%x, %d = 0x%x want 0x%x",
			     insn_op_name(t[i].op), t[i].a, t[i].imm, c.x[A2],
			     t[i].want);
	}
}

Test(cpu, lui_auipc_and_compressed_alu)
{
	c.x[A0] = 5;
	emit32(LUI(A0, 0x80000000u));
	emit32(AUIPC(A1, 0xfffff000u));	/* at CODE + 4 */
	emit32(rr(OP_ADD, A2, A0, ZERO));
	emit16(0x557d);			/* c.li a0,-1 */
	emit16(0x5681);			/* c.li a3,-32 */
	emit16(0x0685);			/* c.addi a3,1: -31 */
	emit16(0x8e89);			/* c.sub a3,a0: -30 */
	emit16(0x74fd);			/* c.lui s1,0xfffff */
	emit16(0x8485);			/* c.srai s1,1 */
	emit16(0x0001);			/* c.nop */
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A2], 0x80000000);
	cr_expect_eq(c.x[A0], 0xffffffff);
	cr_expect_eq(c.x[A1], CODE + 4 - 0x1000);
	cr_expect_eq(c.x[A3], 0xffffffe2);
	cr_expect_eq(c.x[S1], 0xfffff800);
	cr_expect_eq(c.instret, 10);
}

Test(cpu, x0_writes_are_discarded)
{
	c.x[A1] = DATA;
	poke(DATA, 0x11223344, 4);
	emit32(ADDI(ZERO, ZERO, 5));
	emit32(LW(ZERO, A1, 0));	/* the load still happens */
	emit32(LUI(ZERO, 0x12345000));
	emit16(0x4015);			/* c.li x0,5 (HINT) */
	emit32(JAL(ZERO, 4));		/* jal x0: no link */
	emit32(rr(OP_ADD, A0, ZERO, ZERO));
	emit32(ECALL);
	c.x[A0] = 77;
	run_to_ecall();
	cr_expect_eq(c.x[ZERO], 0);
	cr_expect_eq(c.x[A0], 0);
	cr_expect_eq(c.instret, 6);
}

/* ---- loads and stores -------------------------------------------------- */

Test(cpu, load_widths_and_sign_extension)
{
	poke(DATA, 0x80, 1);
	poke(DATA + 2, 0x8001, 2);
	poke(DATA + 4, 0x7f, 1);
	poke(DATA + 8, 0xcafef00d, 4);
	c.x[S0] = DATA;
	emit32(ri(OP_LB, A0, S0, 0));
	emit32(ri(OP_LBU, A1, S0, 0));
	emit32(ri(OP_LH, A2, S0, 2));
	emit32(ri(OP_LHU, A3, S0, 2));
	emit32(ri(OP_LB, A4, S0, 4));
	emit32(ri(OP_LW, A5, S0, 8));
	emit16(0x4404);			/* c.lw s1,8(s0) */
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A0], 0xffffff80);
	cr_expect_eq(c.x[A1], 0x80);
	cr_expect_eq(c.x[A2], 0xffff8001);
	cr_expect_eq(c.x[A3], 0x8001);
	cr_expect_eq(c.x[A4], 0x7f);
	cr_expect_eq(c.x[A5], 0xcafef00d);
	cr_expect_eq(c.x[S1], 0xcafef00d);
}

Test(cpu, store_widths_touch_only_their_bytes)
{
	poke(DATA, 0xffffffff, 4);
	poke(DATA + 4, 0xffffffff, 4);
	poke(DATA + 8, 0xffffffff, 4);
	c.x[S0] = DATA + 0x100;		/* negative offsets reach DATA */
	c.x[A0] = 0x12345678;
	emit32(SB(A0, S0, -0x100));
	emit32(SH(A0, S0, -0x100 + 5));
	emit32(SW(A0, S0, -0x100 + 8));
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(peek(DATA, 4), 0xffffff78);
	cr_expect_eq(peek(DATA + 4, 4), 0xff5678ff);
	cr_expect_eq(peek(DATA + 8, 4), 0x12345678);
}

Test(cpu, compressed_sp_loads_and_stores)
{
	c.x[SP] = DATA + 0x200;
	c.x[RA] = 0xabcdef01;
	emit16(0xdf86);			/* c.swsp ra,252(sp) */
	emit16(0x50fe);			/* c.lwsp ra,252(sp) -> overwrite */
	emit16(0x4502);			/* c.lwsp a0,0(sp) */
	emit32(ECALL);
	poke(DATA + 0x200, 0x5555aaaa, 4);
	run_to_ecall();
	cr_expect_eq(peek(DATA + 0x200 + 252, 4), 0xabcdef01);
	cr_expect_eq(c.x[RA], 0xabcdef01);
	cr_expect_eq(c.x[A0], 0x5555aaaa);
}

Test(cpu, misaligned_access_inside_a_page)
{
	poke(DATA, 0x33221100, 4);
	poke(DATA + 4, 0x77665544, 4);
	c.x[S0] = DATA;
	c.x[A0] = 0xa1b2c3d4;
	emit32(LW(A1, S0, 1));
	emit32(ri(OP_LH, A2, S0, 3));
	emit32(SW(A0, S0, 0x13));
	emit32(LW(A3, S0, 0x13));
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A1], 0x44332211);
	cr_expect_eq(c.x[A2], 0x4433);
	cr_expect_eq(peek(DATA + 0x13, 4), 0xa1b2c3d4);
	cr_expect_eq(c.x[A3], 0xa1b2c3d4);
}

Test(cpu, misaligned_access_across_a_page)
{
	poke(DATA + 0xffc, 0x44332211, 4);
	poke(DATA + 0x1000, 0x88776655, 4);
	c.x[S0] = DATA + 0x1000;
	c.x[A0] = 0x0badf00d;
	emit32(LW(A1, S0, -2));
	emit32(ri(OP_LHU, A2, S0, -1));
	emit32(SW(A0, S0, -1));
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A1], 0x66554433);
	cr_expect_eq(c.x[A2], 0x5544);
	cr_expect_eq(peek(DATA + 0xfff, 4), 0x0badf00d);
	cr_expect_eq(peek(DATA + 0xffe, 1), 0x33);
	cr_expect_eq(peek(DATA + 0x1003, 1), 0x88);
}

Test(cpu, crossing_load_faults_on_second_page)
{
	c.x[S0] = RO + 0xffe;
	c.x[A1] = 0x5a5a5a5a;
	emit32(NOP);
	emit32(LW(A1, S0, 0));
	emit32(ECALL);
	cr_expect_eq(run(), TRAP_LOAD_FAULT);
	cr_expect_eq(c.tval, RO + PAGE_SIZE);
	cr_expect_eq(c.pc, CODE + 4);
	cr_expect_eq(c.x[A1], 0x5a5a5a5a, "rd changed by a faulting load");
	cr_expect_eq(c.instret, 1);
	cr_expect_eq(c.cause, TRAP_LOAD_FAULT);
}

Test(cpu, crossing_store_faults_and_writes_nothing)
{
	cr_assert_eq(vmh_protect(&h, RO, PTE_V | PTE_R | PTE_W | PTE_U), 0);
	poke(RO + 0xffe, 0xeeee, 2);
	c.x[S0] = RO + 0xffe;
	c.x[A0] = 0x12345678;
	emit32(SW(A0, S0, 0));
	emit32(ECALL);
	cr_expect_eq(run(), TRAP_STORE_FAULT);
	cr_expect_eq(c.tval, RO + PAGE_SIZE);
	cr_expect_eq(c.pc, CODE);
	cr_expect_eq(peek(RO + 0xffe, 2), 0xeeee);
}

Test(cpu, load_from_unmapped_and_store_to_readonly)
{
	c.x[S0] = 0x50000;
	c.x[S1] = RO + 8;
	emit32(LW(A0, S0, 4));
	emit32(SW(A0, S1, 0));
	emit32(ECALL);
	c.x[A0] = 9;
	cr_expect_eq(run(), TRAP_LOAD_FAULT);
	cr_expect_eq(c.tval, 0x50004);
	cr_expect_eq(c.pc, CODE);
	cr_expect_eq(h.mmu.fault.access, ACC_READ);

	/* the "kernel" maps the page and resumes */
	cr_assert_eq(vmh_map(&h, 0x50000, PAGE_SIZE,
			     PTE_V | PTE_R | PTE_W | PTE_U), 0);
	poke(0x50004, 1234, 4);
	cr_expect_eq(run(), TRAP_STORE_FAULT);
	cr_expect_eq(c.x[A0], 1234);
	cr_expect_eq(c.tval, RO + 8);
	cr_expect_eq(c.pc, CODE + 4);
	cr_expect_eq(h.mmu.fault.access, ACC_WRITE);
	cr_expect_eq(peek(RO + 8, 4), 0);
}

/* ---- control flow ------------------------------------------------------ */

Test(cpu, branches_taken_and_not_taken)
{
	static const struct {
		unsigned f3;
		uint32_t a, b;
		bool taken;
	} t[] = {
		{ 0, 5, 5, true }, { 0, 5, 6, false },		/* beq */
		{ 1, 5, 6, true }, { 1, 5, 5, false },		/* bne */
		{ 4, 0xffffffff, 0, true }, { 4, 0, 0xffffffff, false },
		{ 4, 3, 3, false },				/* blt */
		{ 5, 0, 0xffffffff, true }, { 5, 3, 3, true },
		{ 5, 0x80000000, 0, false },			/* bge */
		{ 6, 0, 0xffffffff, true }, { 6, 0xffffffff, 0, false },
		{ 6, 3, 3, false },				/* bltu */
		{ 7, 0xffffffff, 0, true }, { 7, 3, 3, true },
		{ 7, 0, 1, false },				/* bgeu */
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		at = CODE;
		emit32(enc_b(8, A1, A0, t[i].f3));	/* -> +8 */
		emit32(ADDI(A2, ZERO, 1));		/* not taken path */
		emit32(ECALL);
		c.pc = CODE;
		c.x[A0] = t[i].a;
		c.x[A1] = t[i].b;
		c.x[A2] = 0;
		run_to_ecall();
		cr_expect_eq(c.x[A2], t[i].taken ? 0u : 1u,
			     "case %zu: f3 %u 0x%x,0x%x", i, t[i].f3, t[i].a,
			     t[i].b);
	}
}

Test(cpu, backward_branch_loop)
{
	/* a0 = 10; do a1 += a0; while (--a0); */
	c.x[A0] = 10;
	emit32(rr(OP_ADD, A1, A1, A0));
	emit32(ADDI(A0, A0, -1));
	emit32(enc_b(-8, ZERO, A0, 1));		/* bne a0,zero,-8 */
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A1], 55);
	cr_expect_eq(c.instret, 30);
	cr_expect_eq(c.cycle, 30);
}

Test(cpu, jal_jalr_link_and_clear_bit0)
{
	emit32(JAL(RA, 12));			/* CODE+0 -> CODE+12 */
	emit32(ECALL);				/* CODE+4 */
	emit32(NOP);				/* CODE+8 */
	emit32(ADDI(A0, RA, 0));		/* CODE+12: a0 = CODE+4 */
	c.x[T0] = CODE + 4 + 1;			/* odd: bit 0 is cleared */
	emit32(ri(OP_JALR, T0, T0, 0));		/* rd == rs1: link after */
	at = CODE + 8;				/* ecall is at CODE + 4 */
	cr_expect_eq(run(), TRAP_ECALL);
	cr_expect_eq(c.pc, CODE + 4);
	cr_expect_eq(c.x[RA], CODE + 4);
	cr_expect_eq(c.x[A0], CODE + 4);
	cr_expect_eq(c.x[T0], CODE + 20);
}

Test(cpu, compressed_jumps_and_branches)
{
	/* CODE+0: c.jal +8 ; CODE+2: ecall (4 bytes) ; CODE+6: c.nop
	 * CODE+8: c.beqz a0,+6 (taken) ; CODE+10: c.j .-... (not reached)
	 * CODE+14: c.bnez a0,+2 (not taken) ; CODE+16: c.jr ra -> CODE+2 */
	emit16(0x2021);			/* c.jal +8 */
	emit32(ECALL);			/* CODE+2 */
	emit16(0x0001);			/* CODE+6: c.nop */
	emit16(0xc119);			/* CODE+8: c.beqz a0,+6 */
	emit32(EBREAK);			/* CODE+10 */
	emit16(0xe109);			/* CODE+14: c.bnez a0,+2 */
	emit16(0x8082);			/* CODE+16: c.jr ra */
	cr_assert_eq(run(), TRAP_ECALL, "%s pc 0x%x", cpu_trap_name(c.cause),
		     c.pc);
	cr_expect_eq(c.pc, CODE + 2);
	cr_expect_eq(c.x[RA], CODE + 2);
	cr_expect_eq(c.instret, 4);

	/* c.jalr links pc + 2; c.mv; c.j backwards */
	at = CODE;
	emit16(0x9582);			/* c.jalr a1 */
	emit32(ECALL);			/* CODE+2 */
	emit16(0x852e);			/* CODE+6: c.mv a0,a1 */
	emit16(0xbfed);			/* CODE+8: c.j .-6 -> CODE+2 */
	c.pc = CODE;
	c.x[A1] = CODE + 6;
	cr_assert_eq(cpu_run(&c, 2), TRAP_BUDGET);
	cr_expect_eq(c.x[RA], CODE + 2);
	cr_expect_eq(c.x[A0], CODE + 6);
	cr_expect_eq(c.pc, CODE + 8);
	cr_expect_eq(run(), TRAP_ECALL);
	cr_expect_eq(c.pc, CODE + 2);
}

/* ---- M extension -------------------------------------------------------- */

Test(cpu, multiply_divide_corners)
{
	static const struct {
		unsigned op;
		uint32_t a, b, want;
	} t[] = {
		{ OP_MUL, 0xffffffff, 0xffffffff, 1 },
		{ OP_MUL, 0x10000, 0x10000, 0 },
		{ OP_MUL, 7, 0xfffffffd, 0xffffffeb },		/* 7 * -3 */
		{ OP_MULH, 0xffffffff, 0xffffffff, 0 },		/* -1 * -1 */
		{ OP_MULH, 0x80000000, 0x80000000, 0x40000000 },
		{ OP_MULH, 0x80000000, 0x7fffffff, 0xc0000000 },
		{ OP_MULH, 0xffffffff, 1, 0xffffffff },
		{ OP_MULHU, 0xffffffff, 0xffffffff, 0xfffffffe },
		{ OP_MULHU, 0x80000000, 2, 1 },
		{ OP_MULHSU, 0xffffffff, 0xffffffff, 0xffffffff },	/* -1 * (2^32-1) */
		{ OP_MULHSU, 0x80000000, 0xffffffff, 0x80000000 },
		{ OP_MULHSU, 2, 0x80000000, 1 },
		{ OP_DIV, 7, 0xfffffffe, 0xfffffffd },		/* 7 / -2 = -3 */
		{ OP_DIV, 0xfffffff9, 2, 0xfffffffd },		/* -7 / 2 = -3 */
		{ OP_DIV, 5, 0, 0xffffffff },
		{ OP_DIV, 0x80000000, 0xffffffff, 0x80000000 },
		{ OP_DIVU, 0xffffffff, 2, 0x7fffffff },
		{ OP_DIVU, 5, 0, 0xffffffff },
		{ OP_REM, 0xfffffff9, 2, 0xffffffff },		/* -7 % 2 = -1 */
		{ OP_REM, 7, 0xfffffffe, 1 },
		{ OP_REM, 0xfffffff9, 0, 0xfffffff9 },
		{ OP_REM, 0x80000000, 0xffffffff, 0 },
		{ OP_REMU, 0xffffffff, 10, 5 },
		{ OP_REMU, 0xfffffff9, 0, 0xfffffff9 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		at = CODE;
		emit32(rr(t[i].op, A2, A0, A1));
		emit32(ECALL);
		c.pc = CODE;
		c.x[A0] = t[i].a;
		c.x[A1] = t[i].b;
		run_to_ecall();
		cr_expect_eq(c.x[A2], t[i].want,
			     "%s 0x%x, 0x%x = 0x%x, want 0x%x",
			     insn_op_name(t[i].op), t[i].a, t[i].b, c.x[A2],
			     t[i].want);
	}
}

/* ---- A extension -------------------------------------------------------- */

Test(cpu, lr_sc_success_and_failure)
{
	poke(DATA + 16, 41, 4);
	c.x[S0] = DATA + 16;
	c.x[S1] = DATA + 20;
	c.x[A1] = 100;
	c.x[A2] = 200;
	emit32(amo(OP_LR_W, A0, S0, 0));
	emit32(amo(OP_SC_W, A3, S0, A1));	/* succeeds: a3 = 0 */
	emit32(amo(OP_SC_W, A4, S0, A2));	/* reservation gone: a4 = 1 */
	emit32(amo(OP_LR_W, A5, S0, 0));
	emit32(amo(OP_SC_W, T0, S1, A2));	/* other address: fails */
	emit32(amo(OP_SC_W, T1, S0, A2));	/* and cleared it: fails */
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A0], 41);
	cr_expect_eq(c.x[A3], 0);
	cr_expect_eq(c.x[A4], 1);
	cr_expect_eq(c.x[A5], 100);
	cr_expect_eq(c.x[T0], 1);
	cr_expect_eq(c.x[T1], 1);
	cr_expect_eq(peek(DATA + 16, 4), 100);
	cr_expect_eq(peek(DATA + 20, 4), 0);
	cr_expect_not(c.resv_valid);
}

Test(cpu, lr_fault_is_a_load_fault_sc_fault_a_store_fault)
{
	c.x[S0] = 0x50000;
	emit32(amo(OP_LR_W, A0, S0, 0));
	emit32(ECALL);
	cr_expect_eq(run(), TRAP_LOAD_FAULT);
	cr_expect_eq(c.tval, 0x50000);
	cr_expect_not(c.resv_valid);

	at = CODE;
	c.pc = CODE;
	c.x[S0] = RO;
	c.x[A1] = 7;
	c.x[A0] = 55;
	emit32(amo(OP_LR_W, A0, S0, 0));
	emit32(amo(OP_SC_W, A0, S0, A1));
	emit32(ECALL);
	cr_expect_eq(run(), TRAP_STORE_FAULT);
	cr_expect_eq(c.pc, CODE + 4);
	cr_expect_eq(c.tval, RO);
	cr_expect_eq(c.x[A0], 0, "lr.w result kept, sc.w did not write rd");
	cr_expect_eq(peek(RO, 4), 0);
}

Test(cpu, every_amo)
{
	static const struct {
		unsigned op;
		uint32_t mem, src, want;
	} t[] = {
		{ OP_AMOSWAP_W, 0x11111111, 0x22222222, 0x22222222 },
		{ OP_AMOADD_W, 0xffffffff, 2, 1 },
		{ OP_AMOXOR_W, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0 },
		{ OP_AMOAND_W, 0xff00ff00, 0x0ff00ff0, 0x0f000f00 },
		{ OP_AMOOR_W, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0 },
		{ OP_AMOMIN_W, 0xffffffff, 1, 0xffffffff },
		{ OP_AMOMIN_W, 5, 3, 3 },
		{ OP_AMOMAX_W, 0xffffffff, 1, 1 },
		{ OP_AMOMAX_W, 0x80000000, 0x7fffffff, 0x7fffffff },
		{ OP_AMOMINU_W, 0xffffffff, 1, 1 },
		{ OP_AMOMINU_W, 2, 0x80000000, 2 },
		{ OP_AMOMAXU_W, 0xffffffff, 1, 0xffffffff },
		{ OP_AMOMAXU_W, 2, 0x80000000, 0x80000000 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		/* alternate pages: one warm in the TLB (fast path), one
		 * cold (slow path) */
		gva_t va = DATA + (i & 1 ? PAGE_SIZE : 0) + 4 * i;

		at = CODE;
		emit32(amo(t[i].op, A0, S0, A1));
		emit32(ECALL);
		c.pc = CODE;
		poke(va, t[i].mem, 4);
		c.x[S0] = va;
		c.x[A1] = t[i].src;
		run_to_ecall();
		cr_expect_eq(c.x[A0], t[i].mem, "%s old", insn_op_name(t[i].op));
		cr_expect_eq(peek(va, 4), t[i].want,
			     "%s 0x%x, 0x%x -> 0x%x want 0x%x",
			     insn_op_name(t[i].op), t[i].mem, t[i].src,
			     peek(va, 4), t[i].want);
	}
}

Test(cpu, amo_on_readonly_page_is_a_store_fault)
{
	poke(RO + 4, 10, 4);
	c.x[S0] = RO + 4;
	c.x[A1] = 5;
	c.x[A0] = 0x77;
	emit32(amo(OP_AMOADD_W, A0, S0, A1));
	emit32(ECALL);
	cr_expect_eq(run(), TRAP_STORE_FAULT);
	cr_expect_eq(c.tval, RO + 4);
	cr_expect_eq(c.pc, CODE);
	cr_expect_eq(c.x[A0], 0x77);
	cr_expect_eq(peek(RO + 4, 4), 10);
	cr_expect_eq(h.mmu.fault.access, ACC_WRITE);

	/* unmapped: still reported as a write, so the kernel allocates a
	 * writable page at once */
	c.x[S0] = 0x50008;
	cr_expect_eq(run(), TRAP_STORE_FAULT);
	cr_expect_eq(c.tval, 0x50008);
	cr_expect_eq(h.mmu.fault.access, ACC_WRITE);
	cr_expect_eq(h.mmu.fault.kind, MMU_FAULT_NOT_PRESENT);
}

Test(cpu, misaligned_lr_sc_amo)
{
	static const unsigned ops[] = { OP_LR_W, OP_SC_W, OP_AMOSWAP_W,
					OP_AMOMAXU_W };

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		at = CODE;
		emit32(amo(ops[i], A0, S0, ops[i] == OP_LR_W ? ZERO : A1));
		emit32(ECALL);
		c.pc = CODE;
		c.x[S0] = DATA + 2 + (uint32_t)i * 8;
		c.x[A0] = 0x99;
		c.resv_valid = true;
		c.resv_addr = c.x[S0];
		cr_expect_eq(run(), TRAP_MISALIGNED_AMO, "%s",
			     insn_op_name(ops[i]));
		cr_expect_eq(c.tval, DATA + 2 + i * 8);
		cr_expect_eq(c.pc, CODE);
		cr_expect_eq(c.x[A0], 0x99);
	}
	/* unaligned by one also traps, even on an unmapped page */
	c.x[S0] = 0x50001;
	cr_expect_eq(run(), TRAP_MISALIGNED_AMO);
	cr_expect_eq(c.tval, 0x50001);
}

/* ---- Zicsr counters ----------------------------------------------------- */

Test(cpu, counters_read_the_current_position)
{
	c.cycle = 0x100000005ull;
	c.instret = 0x200000000ull;
	c.time_base = 7;
	emit32(NOP);
	emit32(NOP);
	emit32(CSR(2, A0, 0xc02, ZERO));	/* rdinstret: 2 retired */
	emit32(CSR(2, A1, 0xc82, ZERO));	/* rdinstreth */
	emit32(CSR(2, A2, 0xc00, ZERO));	/* rdcycle */
	emit32(CSR(2, A3, 0xc80, ZERO));	/* rdcycleh */
	emit32(CSR(6, A4, 0xc01, 0));		/* csrrsi a4,time,0 */
	emit32(CSR(3, A5, 0xc81, ZERO));	/* csrrc a5,timeh,zero */
	emit32(CSR(7, T0, 0xc02, 0));		/* csrrci t0,instret,0 */
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A0], 2);
	cr_expect_eq(c.x[A1], 2);
	cr_expect_eq(c.x[A2], 0x00000005 + 4);
	cr_expect_eq(c.x[A3], 1);
	cr_expect_eq(c.x[A4],
		     (uint32_t)((0x100000005ull + 6) / CPU_TIME_DIV + 7));
	cr_expect_eq(c.x[A5],
		     (uint32_t)(((0x100000005ull + 7) / CPU_TIME_DIV + 7) >> 32));
	cr_expect_eq(c.x[T0], 8);
	cr_expect_eq(c.instret, 0x200000000ull + 9);
	cr_expect_eq(c.cycle, 0x100000005ull + 9);
}

Test(cpu, counters_continue_across_runs)
{
	emit32(NOP);
	emit32(CSR(2, A0, 0xc02, ZERO));
	emit32(ECALL);
	cr_assert_eq(cpu_run(&c, 1), TRAP_BUDGET);
	cr_assert_eq(run(), TRAP_ECALL);
	cr_expect_eq(c.x[A0], 1);
}

Test(cpu, counter_writes_and_unknown_csrs_are_illegal)
{
	static const uint32_t bad[] = {
		CSR(1, A0, 0xc00, ZERO),	/* csrrw always writes */
		CSR(1, ZERO, 0xc02, A1),
		CSR(2, A0, 0xc00, A1),		/* csrrs with rs1 != x0 */
		CSR(3, A0, 0xc81, A1),		/* csrrc with rs1 != x0 */
		CSR(5, A0, 0xc00, 0),		/* csrrwi always writes */
		CSR(6, A0, 0xc01, 1),		/* csrrsi uimm != 0 */
		CSR(7, A0, 0xc02, 31),		/* csrrci uimm != 0 */
		CSR(2, A0, 0x003, ZERO),	/* fcsr: no F */
		CSR(2, A0, 0x001, ZERO),	/* fflags */
		CSR(2, A0, 0xc03, ZERO),	/* hpmcounter3 */
		CSR(2, A0, 0x100, ZERO),	/* sstatus */
		CSR(2, A0, 0x180, ZERO),	/* satp */
		CSR(2, A0, 0xf14, ZERO),	/* mhartid */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		at = CODE;
		emit32(NOP);
		emit32(bad[i]);
		emit32(ECALL);
		c.pc = CODE;
		c.instret = 0;
		c.x[A0] = 0x1234;
		cr_expect_eq(run(), TRAP_ILLEGAL, "0x%08x", bad[i]);
		cr_expect_eq(c.tval, bad[i]);
		cr_expect_eq(c.pc, CODE + 4);
		cr_expect_eq(c.x[A0], 0x1234);
		cr_expect_eq(c.instret, 1);
	}
}

/* ---- traps --------------------------------------------------------------- */

Test(cpu, ecall_ebreak_illegal_leave_pc_in_place)
{
	static const struct {
		uint32_t bits;
		unsigned len;
		enum cpu_trap trap;
		uint32_t tval;
	} t[] = {
		{ ECALL, 4, TRAP_ECALL, 0 },
		{ EBREAK, 4, TRAP_EBREAK, 0 },
		{ 0x9002, 2, TRAP_EBREAK, 0 },		/* c.ebreak */
		{ 0x00000000, 2, TRAP_ILLEGAL, 0 },	/* parcel 0 */
		{ 0xffffffff, 4, TRAP_ILLEGAL, 0xffffffff },
		/* raw bits kept as imm: offset + imm once overflowed */
		{ 0x7fffffff, 4, TRAP_ILLEGAL, 0x7fffffff },
		{ 0x10500073, 4, TRAP_ILLEGAL, 0x10500073 },	/* wfi */
		{ 0x30200073, 4, TRAP_ILLEGAL, 0x30200073 },	/* mret */
		{ 0x6501, 2, TRAP_ILLEGAL, 0x6501 },	/* c.lui a0,0 */
		{ 0x2002, 2, TRAP_ILLEGAL, 0x2002 },	/* c.fldsp */
		{ 0x02051513, 4, TRAP_ILLEGAL, 0x02051513 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		at = CODE;
		emit16(0x0505);			/* c.addi a0,1 */
		if (t[i].len == 2) {
			emit16((uint16_t)t[i].bits);
			emit16(0);		/* never reached */
		} else {
			emit32(t[i].bits);
		}
		c.pc = CODE;
		c.instret = 0;
		c.cycle = 0;
		c.x[A0] = 0;
		cr_expect_eq(run(), t[i].trap, "0x%x -> %s", t[i].bits,
			     cpu_trap_name(c.cause));
		cr_expect_eq(c.cause, t[i].trap);
		cr_expect_eq(c.tval, t[i].tval, "0x%x: tval 0x%x", t[i].bits,
			     c.tval);
		cr_expect_eq(c.pc, CODE + 2);
		cr_expect_eq(c.instret, 1);
		cr_expect_eq(c.cycle, 1);
		cr_expect_eq(c.x[A0], 1);
	}
}

Test(cpu, ecall_resumes_after_kernel_advances_pc)
{
	emit32(ADDI(A7, ZERO, 93));
	emit32(ECALL);
	emit32(ADDI(A0, A0, 1));
	emit32(ECALL);
	cr_expect_eq(run(), TRAP_ECALL);
	cr_expect_eq(c.x[A7], 93);
	c.pc += 4;
	c.x[A0] = 41;
	cr_expect_eq(run(), TRAP_ECALL);
	cr_expect_eq(c.pc, CODE + 12);
	cr_expect_eq(c.x[A0], 42);
	cr_expect_eq(c.instret, 2, "a trapping ecall does not retire");
}

Test(cpu, fetch_fault_on_non_executable_and_unmapped_pages)
{
	poke(DATA, ECALL, 4);
	c.x[T0] = DATA;
	emit32(ri(OP_JALR, RA, T0, 0));
	cr_expect_eq(run(), TRAP_FETCH_FAULT);
	cr_expect_eq(c.pc, DATA);
	cr_expect_eq(c.tval, DATA);
	cr_expect_eq(c.x[RA], CODE + 4);
	cr_expect_eq(c.instret, 1);
	cr_expect_eq(h.mmu.fault.access, ACC_EXEC);
	cr_expect_eq(h.mmu.fault.kind, MMU_FAULT_PROTECTION);

	c.pc = 0x60000;
	cr_expect_eq(run(), TRAP_FETCH_FAULT);
	cr_expect_eq(c.tval, 0x60000);
	cr_expect_eq(h.mmu.fault.kind, MMU_FAULT_NOT_PRESENT);
}

Test(cpu, instruction_crossing_a_page_boundary)
{
	/* CODE+0xffc: c.nop, then a 32-bit addi split over two pages */
	at = CODE + 0xffc;
	emit16(0x0001);
	emit32(ADDI(A0, A0, 100));
	emit16(0x0505);			/* c.addi a0,1 at CODE+0x1002 */
	emit32(ECALL);
	c.pc = CODE + 0xffc;
	run_to_ecall();
	cr_expect_eq(c.x[A0], 101);
	cr_expect_eq(c.instret, 3);
}

Test(cpu, crossing_instruction_with_second_page_unmapped)
{
	at = EDGE + 0xffc;
	emit16(0x0505);			/* c.addi a0,1 */
	emit16(0x0513);			/* low half of addi a0,a0,... */
	c.pc = EDGE + 0xffc;
	cr_expect_eq(run(), TRAP_FETCH_FAULT);
	cr_expect_eq(c.pc, EDGE + 0xffe);
	cr_expect_eq(c.tval, EDGE + PAGE_SIZE);
	cr_expect_eq(c.x[A0], 1);
	cr_expect_eq(c.instret, 1);

	/* the kernel maps the page; the instruction completes */
	cr_assert_eq(vmh_map(&h, EDGE + PAGE_SIZE, PAGE_SIZE,
			     PTE_V | PTE_R | PTE_X | PTE_U), 0);
	at = EDGE + 0xffe;
	emit32(ADDI(A0, A0, 10));
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A0], 11);
}

Test(cpu, compressed_instruction_at_end_of_page_needs_no_next_page)
{
	at = EDGE + 0xffe;
	emit16(0x9002);			/* c.ebreak: last parcel of the page */
	c.pc = EDGE + 0xffe;
	cr_expect_eq(run(), TRAP_EBREAK);
	cr_expect_eq(c.pc, EDGE + 0xffe);
}

Test(cpu, odd_pc_is_treated_as_even)
{
	emit32(ECALL);
	c.pc = CODE + 1;
	cr_expect_eq(run(), TRAP_ECALL);
	cr_expect_eq(c.pc, CODE);
}

Test(cpu, self_modifying_code_sees_new_bytes)
{
	/* a writable code page: store a new instruction, fence.i, run it */
	cr_assert_eq(vmh_protect(&h, CODE, PTE_V | PTE_R | PTE_W | PTE_X |
					   PTE_U), 0);
	c.x[S0] = CODE + 12;
	c.x[A1] = ADDI(A0, A0, 42);
	emit32(SW(A1, S0, 0));
	emit32(FENCE_I);
	emit32(0x0000000f);			/* fence */
	emit32(EBREAK);				/* overwritten */
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A0], 42);
}

/* ---- budget and statistics ------------------------------------------------ */

Test(cpu, budget_stops_between_instructions)
{
	for (int i = 0; i < 5; i++)
		emit32(ADDI(A0, A0, 1));
	emit32(ECALL);
	cr_expect_eq(cpu_run(&c, 0), TRAP_BUDGET);
	cr_expect_eq(c.pc, CODE);
	cr_expect_eq(c.instret, 0);
	cr_expect_eq(cpu_run(&c, 3), TRAP_BUDGET);
	cr_expect_eq(c.cause, TRAP_BUDGET);
	cr_expect_eq(c.pc, CODE + 12);
	cr_expect_eq(c.x[A0], 3);
	cr_expect_eq(c.instret, 3);
	cr_expect_eq(c.cycle, 3);
	/* exactly enough budget for the rest: the ecall still traps */
	cr_expect_eq(cpu_run(&c, 3), TRAP_ECALL);
	cr_expect_eq(c.x[A0], 5);
	cr_expect_eq(c.instret, 5);
}

Test(cpu, fetches_from_cached_page_count_as_itlb_hits)
{
	struct tlb_stats before, after;

	for (int i = 0; i < 9; i++)
		emit16(0x0505);		/* c.addi a0,1 */
	emit32(ECALL);
	mmu_tlb_stats(&h.mmu, true, &before);
	run_to_ecall();
	mmu_tlb_stats(&h.mmu, true, &after);
	/* 10 fetches: one through mmu_fetch_page, nine from the page */
	cr_expect_eq(after.accesses - before.accesses, 10);
	cr_expect_eq(h.mmu.i_fast_hits, 9);
	cr_expect_eq(after.misses - before.misses, 1);

	/* a second run starts with one fresh lookup, which now hits */
	c.pc = CODE;
	run_to_ecall();
	mmu_tlb_stats(&h.mmu, true, &after);
	cr_expect_eq(after.accesses - before.accesses, 20);
	cr_expect_eq(after.misses - before.misses, 1);
}

Test(cpu, runs_under_sv32_too)
{
	vmh_destroy(&h);
	cr_assert_eq(vmh_init(&h, PAGING_SV32), 0);
	cr_assert_eq(vmh_map(&h, CODE, PAGE_SIZE,
			     PTE_V | PTE_R | PTE_X | PTE_U), 0);
	cr_assert_eq(vmh_map(&h, DATA, PAGE_SIZE,
			     PTE_V | PTE_R | PTE_W | PTE_U), 0);
	cpu_init(&c, &h.mmu, CODE);
	at = CODE;
	c.x[S0] = DATA;
	c.x[A1] = 3;
	emit32(amo(OP_AMOADD_W, A0, S0, A1));
	emit32(amo(OP_AMOADD_W, A0, S0, A1));
	emit32(LW(A2, S0, 0));
	emit32(ECALL);
	run_to_ecall();
	cr_expect_eq(c.x[A0], 3);
	cr_expect_eq(c.x[A2], 6);
}

/* ---- observation --------------------------------------------------------- */

struct time_log {
	int n;
	uint64_t time[16];
	uint16_t type[16];
};

static void log_time(void *arg, const struct trace_event *ev)
{
	struct time_log *l = arg;

	if (l->n < 16) {
		l->time[l->n] = ev->time;
		l->type[l->n] = ev->type;
	}
	l->n++;
}

Test(cpu, event_time_is_instret_before_the_access)
{
	static struct time_log l;

	c.x[S0] = DATA;
	c.x[S1] = DATA + PAGE_SIZE;
	c.instret = 1000;	/* a run that does not start at zero */
	for (int i = 0; i < 3; i++)
		emit32(ADDI(A0, A0, 1));
	emit32(LW(A1, S0, 0));			/* D-TLB miss: 3 retired */
	emit32(ADDI(A0, A0, 1));
	emit32(SW(A0, S1, 0));			/* next page: 5 retired */
	emit32(CSR(2, A2, 0xc02, 0));		/* rdinstret: 6 */
	emit32(ECALL);
	cr_assert_geq(trace_add_sink(&h.mmu.trace, TRACE_BIT(EV_TLB_MISS),
				     log_time, &l), 0);
	run_to_ecall();
	cr_assert_eq(l.n, 3);
	cr_assert_eq(l.time[0], 1000);		/* the fetch of the first */
	cr_assert_eq(l.time[1], 1003);
	cr_assert_eq(l.time[2], 1005);
	cr_assert_eq(c.x[A2], 1006);		/* the counter is not moved */
	cr_assert_eq(c.instret, 1007);
}

/*
 * A workload for the equivalence tests: a loop whose body straddles the
 * two code pages (a 32-bit instruction across the boundary, a backward
 * branch from the second page into the first), loads, stores, a
 * misaligned page-crossing store, an AMO and LR/SC on memory that is
 * mapped on demand by the "kernel" below (each first touch faults), with
 * a stride that makes the 4-way D-TLB evict.
 */
#define LAZY 0x100000u
#define LAZY_END 0x200000u

static void emit_workload(void)
{
	c.x[A5] = 300;				/* iterations */
	c.x[T1] = 3 * PAGE_SIZE + 0x40;		/* stride */
	c.x[T2] = LAZY + 0x7f000;		/* wrap point */
	c.x[T3] = 0x7f000;
	c.x[S1] = DATA;
	c.x[A2] = 1;
	emit32(LUI(S0, LAZY));
	while (at < CODE + 0xff2)
		emit16(0x0001);			/* c.nop */
	gva_t loop = at;
	emit32(LW(A0, S0, 0));			/* 0xff2 */
	emit32(rr(OP_ADD, A4, A4, A0));		/* 0xff6 */
	emit32(SW(A4, S0, 8));			/* 0xffa */
	emit32(LUI(T0, PAGE_SIZE));		/* 0xffe: across the pages */
	emit32(rr(OP_ADD, A3, S0, T0));
	emit32(SW(A4, A3, -1));			/* misaligned, across pages */
	emit32(amo(OP_AMOADD_W, A1, S1, A2));
	emit32(amo(OP_LR_W, A1, S1, 0));
	emit32(amo(OP_SC_W, A1, S1, A4));
	emit32(rr(OP_ADD, S0, S0, T1));
	emit32(enc_b(8, T2, S0, 6));		/* bltu s0,t2,+8 */
	emit32(rr(OP_SUB, S0, S0, T3));
	emit32(ADDI(A5, A5, -1));
	emit32(enc_b((int32_t)(loop - at), ZERO, A5, 1)); /* bne: back */
	emit32(ECALL);
}

struct outcome {
	uint32_t x[32], pc;
	uint64_t instret, cycle;
	struct tlb_stats itlb, dtlb;
	struct mmu_stats st;
	uint64_t mem_sum;	/* over the lazily mapped pages */
	uint64_t hit_events, miss_events;
};

static void count_tlb_event(void *arg, const struct trace_event *ev)
{
	struct outcome *o = arg;

	if (ev->type == EV_TLB_HIT)
		o->hit_events++;
	else
		o->miss_events++;
}

static void ignore_event(void *arg, const struct trace_event *ev)
{
	(void)arg;
	(void)ev;
}

/* Run the workload on a fresh machine, @step instructions per cpu_run(),
 * the mirrors @fast, traced or not. */
static void run_workload(struct outcome *o, bool fast, uint64_t step,
			 bool traced)
{
	memset(o, 0, sizeof(*o));
	teardown();
	setup();
	emit_workload();
	mmu_set_fast(&h.mmu, fast);
	if (traced) {
		cr_assert_geq(trace_add_sink(&h.mmu.trace, TRACE_ALL,
					     ignore_event, NULL), 0);
		cr_assert_geq(trace_add_sink(&h.mmu.trace,
					     TRACE_BIT(EV_TLB_HIT) |
						     TRACE_BIT(EV_TLB_MISS),
					     count_tlb_event, o), 0);
	}
	for (;;) {
		enum cpu_trap t = cpu_run(&c, step);

		if (t == TRAP_BUDGET)
			continue;
		if (t == TRAP_ECALL)
			break;
		cr_assert(t == TRAP_LOAD_FAULT || t == TRAP_STORE_FAULT,
			  "%s at 0x%x", cpu_trap_name(t), c.pc);
		cr_assert(c.tval >= LAZY && c.tval < LAZY_END, "0x%x", c.tval);
		cr_assert_eq(vmh_map(&h, c.tval & PAGE_MASK, PAGE_SIZE,
				     PTE_V | PTE_R | PTE_W | PTE_U), 0);
	}
	memcpy(o->x, c.x, sizeof(o->x));
	o->pc = c.pc;
	o->instret = c.instret;
	o->cycle = c.cycle;
	mmu_tlb_stats(&h.mmu, true, &o->itlb);
	mmu_tlb_stats(&h.mmu, false, &o->dtlb);
	o->st = h.mmu.st;
	for (gva_t a = LAZY; a < LAZY_END; a += PAGE_SIZE) {
		const uint8_t *p = vmh_host(&h, a);

		for (unsigned i = 0; p && i < PAGE_SIZE; i++)
			o->mem_sum = o->mem_sum * 31 + p[i];
	}
}

static void expect_same(const struct outcome *a, const struct outcome *b,
			const char *what)
{
	cr_expect_eq(memcmp(a->x, b->x, sizeof(a->x)), 0, "%s: registers",
		     what);
	cr_expect_eq(a->pc, b->pc, "%s: pc", what);
	cr_expect_eq(a->instret, b->instret, "%s: instret", what);
	cr_expect_eq(a->cycle, b->cycle, "%s: cycle", what);
	cr_expect_eq(memcmp(&a->itlb, &b->itlb, sizeof(a->itlb)), 0,
		     "%s: itlb %lu/%lu vs %lu/%lu", what,
		     (unsigned long)a->itlb.accesses,
		     (unsigned long)a->itlb.misses,
		     (unsigned long)b->itlb.accesses,
		     (unsigned long)b->itlb.misses);
	cr_expect_eq(memcmp(&a->dtlb, &b->dtlb, sizeof(a->dtlb)), 0,
		     "%s: dtlb %lu/%lu/%lu vs %lu/%lu/%lu", what,
		     (unsigned long)a->dtlb.accesses,
		     (unsigned long)a->dtlb.misses,
		     (unsigned long)a->dtlb.evictions,
		     (unsigned long)b->dtlb.accesses,
		     (unsigned long)b->dtlb.misses,
		     (unsigned long)b->dtlb.evictions);
	cr_expect_eq(memcmp(&a->st, &b->st, sizeof(a->st)), 0,
		     "%s: walks, reads, faults, misaligned", what);
	cr_expect_eq(a->mem_sum, b->mem_sum, "%s: memory", what);
}

Test(cpu, workload_sanity)
{
	struct outcome o;

	run_workload(&o, true, 100000, false);
	cr_expect_eq(o.x[A5], 0);
	cr_expect_gt(o.dtlb.evictions, 100);
	cr_expect_gt(o.st.faults, 100);
	cr_expect_gt(o.st.misaligned, 299);
	cr_expect_gt(o.itlb.misses, 1);
}

/*
 * mmu_set_fast(false): every access through the model, every fetch looked
 * up; all counters as with the mirrors (mmu.h says why).
 */
Test(cpu, mirrors_off_change_no_counter)
{
	struct outcome fast, slow;

	run_workload(&fast, true, 100000, false);
	run_workload(&slow, false, 100000, false);
	expect_same(&fast, &slow, "slow");
	cr_expect_eq(h.mmu.d_fast_hits, 0);
	cr_expect_eq(h.mmu.i_fast_hits, 0);
}

/* ...so that with the mirrors off, every lookup is an event */
Test(cpu, mirrors_off_every_lookup_is_an_event)
{
	struct outcome fast, slow;

	run_workload(&fast, true, 100000, false);
	run_workload(&slow, false, 100000, true);
	expect_same(&fast, &slow, "slow, traced");
	cr_expect_eq(slow.hit_events + slow.miss_events,
		     slow.itlb.accesses + slow.dtlb.accesses);
	cr_expect_eq(slow.miss_events, slow.itlb.misses + slow.dtlb.misses);
}

/* a loop of cpu_run(c, 1) ends where one cpu_run(c, N) does */
Test(cpu, single_steps_equal_one_run)
{
	struct outcome one, steps, odd, traced;

	run_workload(&one, true, 100000, false);
	run_workload(&steps, true, 1, false);
	run_workload(&odd, true, 7, false);
	run_workload(&traced, true, 3, true);
	expect_same(&one, &steps, "steps of 1");
	expect_same(&one, &odd, "steps of 7");
	expect_same(&one, &traced, "steps of 3, traced");
}
