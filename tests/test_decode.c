/*
 * Unit tests for the RV32IMAC decoder and disassembler (src/cpu/decode.h).
 *
 * Two independent oracles: encodings produced by GNU as
 * (riscv64-unknown-elf-as -march=rv32imac) with the expected expansion, and
 * small encoders written from the ISA manual's format diagrams.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"

/* ---- encoders for the six formats -------------------------------------- */

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

static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3,
		      unsigned opc)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       (u & 0x1f) << 7 | opc;
}

static uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3,
		      unsigned opc)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 |
	       rs1 << 15 | f3 << 12 | ((u >> 1) & 0xf) << 8 |
	       ((u >> 11) & 1) << 7 | opc;
}

static uint32_t enc_u(uint32_t imm, unsigned rd, unsigned opc)
{
	return (imm & 0xfffff000u) | rd << 7 | opc;
}

static uint32_t enc_j(int32_t imm, unsigned rd, unsigned opc)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 |
	       ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12 | rd << 7 |
	       opc;
}

static struct insn dec32(uint32_t bits)
{
	struct insn in;

	memset(&in, 0xa5, sizeof(in));
	decode32(bits, &in);
	return in;
}

static struct insn dec16(uint16_t bits)
{
	struct insn in;

	memset(&in, 0xa5, sizeof(in));
	decode16(bits, &in);
	return in;
}

#define expect_insn(in, o, d, s1, s2, i, l)                                   \
	do {                                                                  \
		cr_expect_eq((in).op, (o), "op %s, want %s",                  \
			     insn_op_name((in).op), insn_op_name(o));         \
		cr_expect_eq((in).rd, (d), "rd %u want %u", (in).rd,          \
			     (unsigned)(d));                                  \
		cr_expect_eq((in).rs1, (s1), "rs1 %u want %u", (in).rs1,      \
			     (unsigned)(s1));                                 \
		cr_expect_eq((in).rs2, (s2), "rs2 %u want %u", (in).rs2,      \
			     (unsigned)(s2));                                 \
		cr_expect_eq((in).imm, (i), "imm %d want %d", (in).imm,       \
			     (int)(i));                                       \
		cr_expect_eq((in).len, (l));                                  \
	} while (0)

/* ---- golden encodings from GNU as ------------------------------------- */

struct golden {
	uint32_t bits;
	unsigned len;
	const char *text; /* expansion, disassembled at pc 0 */
};

static const struct golden golden[] = {
	{ 0xfffff537, 4, "lui a0,0xfffff" }, /* lui a0,0xfffff */
	{ 0x00001fb7, 4, "lui t6,0x1" }, /* lui t6,0x1 */
	{ 0x80000097, 4, "auipc ra,0x80000" }, /* auipc ra,0x80000 */
	{ 0x001000ef, 4, "jal ra,0x800" }, /* jal ra,.+2048 */
	{ 0x8000006f, 4, "jal zero,0xfff00000" }, /* jal zero,.-1048576 */
	{ 0x7ffff56f, 4, "jal a0,0xffffe" }, /* jal a0,.+1048574 */
	{ 0x800780e7, 4, "jalr ra,-2048(a5)" }, /* jalr ra,-2048(a5) */
	{ 0x7ff28067, 4, "jalr zero,2047(t0)" }, /* jalr zero,2047(t0) */
	{ 0x7eb50fe3, 4, "beq a0,a1,0xffe" }, /* beq a0,a1,.+4094 */
	{ 0x80941063, 4, "bne s0,s1,0xfffff000" }, /* bne s0,s1,.-4096 */
	{ 0x0062c163, 4, "blt t0,t1,0x2" }, /* blt t0,t1,.+2 */
	{ 0xfed65fe3, 4, "bge a2,a3,0xfffffffe" }, /* bge a2,a3,.-2 */
	{ 0x00f760e3, 4, "bltu a4,a5,0x800" }, /* bltu a4,a5,.+2048 */
	{ 0x01397863, 4, "bgeu s2,s3,0x10" }, /* bgeu s2,s3,.+16 */
	{ 0xfff10503, 4, "lb a0,-1(sp)" }, /* lb a0,-1(sp) */
	{ 0x80041583, 4, "lh a1,-2048(s0)" }, /* lh a1,-2048(s0) */
	{ 0x7ff1a603, 4, "lw a2,2047(gp)" }, /* lw a2,2047(gp) */
	{ 0x00024683, 4, "lbu a3,0(tp)" }, /* lbu a3,0(tp) */
	{ 0x0643d703, 4, "lhu a4,100(t2)" }, /* lhu a4,100(t2) */
	{ 0xfea10fa3, 4, "sb a0,-1(sp)" }, /* sb a0,-1(sp) */
	{ 0x81fd9023, 4, "sh t6,-2048(s11)" }, /* sh t6,-2048(s11) */
	{ 0x7e112fa3, 4, "sw ra,2047(sp)" }, /* sw ra,2047(sp) */
	{ 0x80050513, 4, "addi a0,a0,-2048" }, /* addi a0,a0,-2048 */
	{ 0x7ff62593, 4, "slti a1,a2,2047" }, /* slti a1,a2,2047 */
	{ 0xfff63593, 4, "sltiu a1,a2,-1" }, /* sltiu a1,a2,-1 */
	{ 0xfff34293, 4, "xori t0,t1,-1" }, /* xori t0,t1,-1 */
	{ 0x55536293, 4, "ori t0,t1,1365" }, /* ori t0,t1,1365 */
	{ 0x0ff97493, 4, "andi s1,s2,255" }, /* andi s1,s2,255 */
	{ 0x01f59513, 4, "slli a0,a1,31" }, /* slli a0,a1,31 */
	{ 0x0015d513, 4, "srli a0,a1,1" }, /* srli a0,a1,1 */
	{ 0x41f5d513, 4, "srai a0,a1,31" }, /* srai a0,a1,31 */
	{ 0x00c58533, 4, "add a0,a1,a2" }, /* add a0,a1,a2 */
	{ 0x40c58533, 4, "sub a0,a1,a2" }, /* sub a0,a1,a2 */
	{ 0x01ee9e33, 4, "sll t3,t4,t5" }, /* sll t3,t4,t5 */
	{ 0x01eeae33, 4, "slt t3,t4,t5" }, /* slt t3,t4,t5 */
	{ 0x01eebe33, 4, "sltu t3,t4,t5" }, /* sltu t3,t4,t5 */
	{ 0x016aca33, 4, "xor s4,s5,s6" }, /* xor s4,s5,s6 */
	{ 0x016ada33, 4, "srl s4,s5,s6" }, /* srl s4,s5,s6 */
	{ 0x416ada33, 4, "sra s4,s5,s6" }, /* sra s4,s5,s6 */
	{ 0x019c6bb3, 4, "or s7,s8,s9" }, /* or s7,s8,s9 */
	{ 0x001dfd33, 4, "and s10,s11,ra" }, /* and s10,s11,ra */
	{ 0x0ff0000f, 4, "fence" }, /* fence */
	{ 0x0000100f, 4, "fence.i" }, /* fence.i */
	{ 0x00000073, 4, "ecall" }, /* ecall */
	{ 0x00100073, 4, "ebreak" }, /* ebreak */
	{ 0xc0059573, 4, "csrrw a0,cycle,a1" }, /* csrrw a0,cycle,a1 */
	{ 0xc0202573, 4, "csrrs a0,instret,zero" }, /* csrrs a0,instret,zero */
	{ 0xc8163573, 4, "csrrc a0,timeh,a2" }, /* csrrc a0,timeh,a2 */
	{ 0x123fd573, 4, "csrrwi a0,0x123,31" }, /* csrrwi a0,0x123,31 */
	{ 0xc800e573, 4, "csrrsi a0,cycleh,1" }, /* csrrsi a0,cycleh,1 */
	{ 0x00307073, 4, "csrrci zero,fcsr,0" }, /* csrrci zero,fcsr,0 */
	{ 0x02c58533, 4, "mul a0,a1,a2" }, /* mul a0,a1,a2 */
	{ 0x02c59533, 4, "mulh a0,a1,a2" }, /* mulh a0,a1,a2 */
	{ 0x02c5a533, 4, "mulhsu a0,a1,a2" }, /* mulhsu a0,a1,a2 */
	{ 0x02c5b533, 4, "mulhu a0,a1,a2" }, /* mulhu a0,a1,a2 */
	{ 0x02c5c533, 4, "div a0,a1,a2" }, /* div a0,a1,a2 */
	{ 0x02c5d533, 4, "divu a0,a1,a2" }, /* divu a0,a1,a2 */
	{ 0x02c5e533, 4, "rem a0,a1,a2" }, /* rem a0,a1,a2 */
	{ 0x02c5f533, 4, "remu a0,a1,a2" }, /* remu a0,a1,a2 */
	{ 0x1005a52f, 4, "lr.w a0,(a1)" }, /* lr.w a0,(a1) */
	{ 0x160322af, 4, "lr.w t0,(t1)" }, /* lr.w.aqrl t0,(t1) */
	{ 0x18c5a52f, 4, "sc.w a0,a2,(a1)" }, /* sc.w a0,a2,(a1) */
	{ 0x08c5a52f, 4, "amoswap.w a0,a2,(a1)" }, /* amoswap.w a0,a2,(a1) */
	{ 0x04c5a52f, 4, "amoadd.w a0,a2,(a1)" }, /* amoadd.w.aq a0,a2,(a1) */
	{ 0x20c5a52f, 4, "amoxor.w a0,a2,(a1)" }, /* amoxor.w a0,a2,(a1) */
	{ 0x60c5a52f, 4, "amoand.w a0,a2,(a1)" }, /* amoand.w a0,a2,(a1) */
	{ 0x42c5a52f, 4, "amoor.w a0,a2,(a1)" }, /* amoor.w.rl a0,a2,(a1) */
	{ 0x80c5a52f, 4, "amomin.w a0,a2,(a1)" }, /* amomin.w a0,a2,(a1) */
	{ 0xa0c5a52f, 4, "amomax.w a0,a2,(a1)" }, /* amomax.w a0,a2,(a1) */
	{ 0xc0c5a52f, 4, "amominu.w a0,a2,(a1)" }, /* amominu.w a0,a2,(a1) */
	{ 0xe1b12faf, 4, "amomaxu.w t6,s11,(sp)" }, /* amomaxu.w t6,s11,(sp) */
	{ 0x0040, 2, "addi s0,sp,4" }, /* c.addi4spn s0,sp,4 */
	{ 0x1ffc, 2, "addi a5,sp,1020" }, /* c.addi4spn a5,sp,1020 */
	{ 0x4188, 2, "lw a0,0(a1)" }, /* c.lw a0,0(a1) */
	{ 0x5fe4, 2, "lw s1,124(a5)" }, /* c.lw s1,124(a5) */
	{ 0xc028, 2, "sw a0,64(s0)" }, /* c.sw a0,64(s0) */
	{ 0xdcfc, 2, "sw a5,124(s1)" }, /* c.sw a5,124(s1) */
	{ 0x0001, 2, "addi zero,zero,0" }, /* c.nop */
	{ 0x1501, 2, "addi a0,a0,-32" }, /* c.addi a0,-32 */
	{ 0x0ffd, 2, "addi t6,t6,31" }, /* c.addi t6,31 */
	{ 0x2ffd, 2, "jal ra,0x7fe" }, /* c.jal .+2046 */
	{ 0x3001, 2, "jal ra,0xfffff800" }, /* c.jal .-2048 */
	{ 0x557d, 2, "addi a0,zero,-1" }, /* c.li a0,-1 */
	{ 0x40fd, 2, "addi ra,zero,31" }, /* c.li ra,31 */
	{ 0x7101, 2, "addi sp,sp,-512" }, /* c.addi16sp sp,-512 */
	{ 0x617d, 2, "addi sp,sp,496" }, /* c.addi16sp sp,496 */
	{ 0x6141, 2, "addi sp,sp,16" }, /* c.addi16sp sp,16 */
	{ 0x6505, 2, "lui a0,0x1" }, /* c.lui a0,1 */
	{ 0x72fd, 2, "lui t0,0xfffff" }, /* c.lui t0,0xfffff */
	{ 0x7401, 2, "lui s0,0xfffe0" }, /* c.lui s0,0xfffe0 */
	{ 0x60fd, 2, "lui ra,0x1f" }, /* c.lui ra,0x1f */
	{ 0x8105, 2, "srli a0,a0,1" }, /* c.srli a0,1 */
	{ 0x83fd, 2, "srli a5,a5,31" }, /* c.srli a5,31 */
	{ 0x847d, 2, "srai s0,s0,31" }, /* c.srai s0,31 */
	{ 0x9981, 2, "andi a1,a1,-32" }, /* c.andi a1,-32 */
	{ 0x89fd, 2, "andi a1,a1,31" }, /* c.andi a1,31 */
	{ 0x8c05, 2, "sub s0,s0,s1" }, /* c.sub s0,s1 */
	{ 0x8d3d, 2, "xor a0,a0,a5" }, /* c.xor a0,a5 */
	{ 0x8e55, 2, "or a2,a2,a3" }, /* c.or a2,a3 */
	{ 0x8f7d, 2, "and a4,a4,a5" }, /* c.and a4,a5 */
	{ 0xaffd, 2, "jal zero,0x7fe" }, /* c.j .+2046 */
	{ 0xb001, 2, "jal zero,0xfffff800" }, /* c.j .-2048 */
	{ 0xcd7d, 2, "beq a0,zero,0xfe" }, /* c.beqz a0,.+254 */
	{ 0xd081, 2, "beq s1,zero,0xffffff00" }, /* c.beqz s1,.-256 */
	{ 0xe389, 2, "bne a5,zero,0x2" }, /* c.bnez a5,.+2 */
	{ 0x057e, 2, "slli a0,a0,31" }, /* c.slli a0,31 */
	{ 0x0f86, 2, "slli t6,t6,1" }, /* c.slli t6,1 */
	{ 0x50fe, 2, "lw ra,252(sp)" }, /* c.lwsp ra,252(sp) */
	{ 0x4502, 2, "lw a0,0(sp)" }, /* c.lwsp a0,0(sp) */
	{ 0x8082, 2, "jalr zero,0(ra)" }, /* c.jr ra */
	{ 0x8f82, 2, "jalr zero,0(t6)" }, /* c.jr t6 */
	{ 0x852e, 2, "add a0,zero,a1" }, /* c.mv a0,a1 */
	{ 0x9002, 2, "ebreak" }, /* c.ebreak */
	{ 0x9502, 2, "jalr ra,0(a0)" }, /* c.jalr a0 */
	{ 0x957e, 2, "add a0,a0,t6" }, /* c.add a0,t6 */
	{ 0xdf86, 2, "sw ra,252(sp)" }, /* c.swsp ra,252(sp) */
	{ 0xc07e, 2, "sw t6,0(sp)" }, /* c.swsp t6,0(sp) */
};

Test(decode, golden_gnu_as_encodings)
{
	char buf[64];

	for (size_t i = 0; i < ARRAY_SIZE(golden); i++) {
		const struct golden *g = &golden[i];
		struct insn in;

		cr_assert_eq(insn_length((uint16_t)g->bits), g->len,
			     "length of 0x%x", g->bits);
		if (g->len == 2)
			in = dec16((uint16_t)g->bits);
		else
			in = dec32(g->bits);
		cr_expect_eq(in.len, g->len, "len of 0x%x", g->bits);
		insn_disasm(&in, 0, buf, sizeof(buf));
		cr_expect_str_eq(buf, g->text, "0x%x: got \"%s\" want \"%s\"",
				 g->bits, buf, g->text);
	}
}

/* ---- every 32-bit instruction through the encoders --------------------- */

Test(decode, every_rv32i_instruction)
{
	static const struct {
		unsigned op, f3, opc;
	} br[] = {
		{ OP_BEQ, 0, 0x63 }, { OP_BNE, 1, 0x63 }, { OP_BLT, 4, 0x63 },
		{ OP_BGE, 5, 0x63 }, { OP_BLTU, 6, 0x63 }, { OP_BGEU, 7, 0x63 },
	}, ld[] = {
		{ OP_LB, 0, 3 }, { OP_LH, 1, 3 }, { OP_LW, 2, 3 },
		{ OP_LBU, 4, 3 }, { OP_LHU, 5, 3 },
	}, st[] = {
		{ OP_SB, 0, 0x23 }, { OP_SH, 1, 0x23 }, { OP_SW, 2, 0x23 },
	}, imm[] = {
		{ OP_ADDI, 0, 0x13 }, { OP_SLTI, 2, 0x13 },
		{ OP_SLTIU, 3, 0x13 }, { OP_XORI, 4, 0x13 },
		{ OP_ORI, 6, 0x13 }, { OP_ANDI, 7, 0x13 },
	};
	static const struct {
		unsigned op, f7, f3;
	} rr[] = {
		{ OP_ADD, 0, 0 }, { OP_SUB, 0x20, 0 }, { OP_SLL, 0, 1 },
		{ OP_SLT, 0, 2 }, { OP_SLTU, 0, 3 }, { OP_XOR, 0, 4 },
		{ OP_SRL, 0, 5 }, { OP_SRA, 0x20, 5 }, { OP_OR, 0, 6 },
		{ OP_AND, 0, 7 }, { OP_MUL, 1, 0 }, { OP_MULH, 1, 1 },
		{ OP_MULHSU, 1, 2 }, { OP_MULHU, 1, 3 }, { OP_DIV, 1, 4 },
		{ OP_DIVU, 1, 5 }, { OP_REM, 1, 6 }, { OP_REMU, 1, 7 },
	};
	struct insn in;

	for (size_t i = 0; i < ARRAY_SIZE(br); i++) {
		in = dec32(enc_b(-8, 31, 17, br[i].f3, br[i].opc));
		expect_insn(in, br[i].op, 0, 17, 31, -8, 4);
	}
	for (size_t i = 0; i < ARRAY_SIZE(ld); i++) {
		in = dec32(enc_i(-3, 2, ld[i].f3, 10, ld[i].opc));
		expect_insn(in, ld[i].op, 10, 2, 0, -3, 4);
	}
	for (size_t i = 0; i < ARRAY_SIZE(st); i++) {
		in = dec32(enc_s(33, 7, 8, st[i].f3, st[i].opc));
		expect_insn(in, st[i].op, 0, 8, 7, 33, 4);
	}
	for (size_t i = 0; i < ARRAY_SIZE(imm); i++) {
		in = dec32(enc_i(-100, 5, imm[i].f3, 6, imm[i].opc));
		expect_insn(in, imm[i].op, 6, 5, 0, -100, 4);
	}
	for (size_t i = 0; i < ARRAY_SIZE(rr); i++) {
		in = dec32(enc_r(rr[i].f7, 3, 4, rr[i].f3, 5, 0x33));
		expect_insn(in, rr[i].op, 5, 4, 3, 0, 4);
	}

	in = dec32(enc_r(0, 31, 1, 1, 2, 0x13));
	expect_insn(in, OP_SLLI, 2, 1, 0, 31, 4);
	in = dec32(enc_r(0, 0, 1, 5, 2, 0x13));
	expect_insn(in, OP_SRLI, 2, 1, 0, 0, 4);
	in = dec32(enc_r(0x20, 17, 1, 5, 2, 0x13));
	expect_insn(in, OP_SRAI, 2, 1, 0, 17, 4);

	in = dec32(enc_u(0xabcde000u, 9, 0x37));
	expect_insn(in, OP_LUI, 9, 0, 0, (int32_t)0xabcde000u, 4);
	in = dec32(enc_u(0x00001000u, 9, 0x17));
	expect_insn(in, OP_AUIPC, 9, 0, 0, 0x1000, 4);
	in = dec32(enc_j(-2, 1, 0x6f));
	expect_insn(in, OP_JAL, 1, 0, 0, -2, 4);
	in = dec32(enc_i(-1, 11, 0, 0, 0x67));
	expect_insn(in, OP_JALR, 0, 11, 0, -1, 4);

	cr_expect_eq(dec32(0x0ff0000f).op, OP_FENCE);	/* fence iorw,iorw */
	cr_expect_eq(dec32(0x8330000f).op, OP_FENCE);	/* fence.tso */
	cr_expect_eq(dec32(0x0000100f).op, OP_FENCE_I);
	expect_insn(dec32(0x00000073), OP_ECALL, 0, 0, 0, 0, 4);
	expect_insn(dec32(0x00100073), OP_EBREAK, 0, 0, 0, 0, 4);
}

Test(decode, csr_and_atomics)
{
	static const struct {
		unsigned op, f3;
	} csr[] = {
		{ OP_CSRRW, 1 }, { OP_CSRRS, 2 }, { OP_CSRRC, 3 },
		{ OP_CSRRWI, 5 }, { OP_CSRRSI, 6 }, { OP_CSRRCI, 7 },
	};
	static const struct {
		unsigned op, f5;
	} amo[] = {
		{ OP_SC_W, 0x03 }, { OP_AMOSWAP_W, 0x01 },
		{ OP_AMOADD_W, 0x00 }, { OP_AMOXOR_W, 0x04 },
		{ OP_AMOAND_W, 0x0c }, { OP_AMOOR_W, 0x08 },
		{ OP_AMOMIN_W, 0x10 }, { OP_AMOMAX_W, 0x14 },
		{ OP_AMOMINU_W, 0x18 }, { OP_AMOMAXU_W, 0x1c },
	};
	struct insn in;

	/* The CSR number is unsigned: 0xc82 must not sign-extend. */
	for (size_t i = 0; i < ARRAY_SIZE(csr); i++) {
		in = dec32(enc_i((int32_t)0xc82, 19, csr[i].f3, 10, 0x73));
		expect_insn(in, csr[i].op, 10, 19, 0, 0xc82, 4);
	}
	for (size_t i = 0; i < ARRAY_SIZE(amo); i++) {
		for (unsigned aqrl = 0; aqrl < 4; aqrl++) {
			in = dec32(enc_r(amo[i].f5 << 2 | aqrl, 12, 11, 2, 10,
					 0x2f));
			expect_insn(in, amo[i].op, 10, 11, 12, 0, 4);
		}
	}
	in = dec32(enc_r(0x02 << 2 | 3, 0, 11, 2, 10, 0x2f));
	expect_insn(in, OP_LR_W, 10, 11, 0, 0, 4);
}

/* ---- immediates at their extremes -------------------------------------- */

Test(decode, immediate_extremes)
{
	cr_expect_eq(dec32(enc_i(-2048, 1, 0, 1, 0x13)).imm, -2048);
	cr_expect_eq(dec32(enc_i(2047, 1, 0, 1, 0x13)).imm, 2047);
	cr_expect_eq(dec32(enc_i(-1, 1, 0, 1, 0x13)).imm, -1);
	cr_expect_eq(dec32(enc_i(-2048, 1, 2, 1, 0x03)).imm, -2048);
	cr_expect_eq(dec32(enc_s(-2048, 1, 2, 2, 0x23)).imm, -2048);
	cr_expect_eq(dec32(enc_s(2047, 1, 2, 2, 0x23)).imm, 2047);
	cr_expect_eq(dec32(enc_s(-1, 1, 2, 2, 0x23)).imm, -1);
	cr_expect_eq(dec32(enc_b(-4096, 1, 2, 0, 0x63)).imm, -4096);
	cr_expect_eq(dec32(enc_b(4094, 1, 2, 0, 0x63)).imm, 4094);
	cr_expect_eq(dec32(enc_b(-2, 1, 2, 0, 0x63)).imm, -2);
	cr_expect_eq(dec32(enc_b(2048, 1, 2, 0, 0x63)).imm, 2048);
	cr_expect_eq(dec32(enc_j(-1048576, 1, 0x6f)).imm, -1048576);
	cr_expect_eq(dec32(enc_j(1048574, 1, 0x6f)).imm, 1048574);
	cr_expect_eq(dec32(enc_j(2048, 1, 0x6f)).imm, 2048);
	cr_expect_eq(dec32(enc_u(0x80000000u, 1, 0x37)).imm, INT32_MIN);
	cr_expect_eq(dec32(enc_u(0xfffff000u, 1, 0x17)).imm, -4096);
	/* the CSR field is a number, not a signed immediate */
	cr_expect_eq(dec32(enc_i(-1, 0, 2, 1, 0x73)).imm, 0xfff);
}

/* ---- compressed: each form and its expansion -------------------------- */

/* CI-style fields for hand-built parcels */
static uint16_t c_ci(unsigned f3, unsigned b12, unsigned rd, unsigned lo5,
		     unsigned q)
{
	return (uint16_t)(f3 << 13 | b12 << 12 | rd << 7 | lo5 << 2 | q);
}

Test(decode, compressed_forms)
{
	/* c.addi4spn a0,sp,8: nzuimm[3] is bit 5 */
	expect_insn(dec16(0x0028), OP_ADDI, 10, 2, 0, 8, 2);
	/* c.lw / c.sw with uimm[6] (bit 5) and uimm[2] (bit 6) */
	expect_insn(dec16(0x4170), OP_LW, 12, 10, 0, 68, 2);
	expect_insn(dec16(0xc170), OP_SW, 0, 10, 12, 68, 2);
	/* c.addi extremes, c.li, c.lui */
	expect_insn(dec16(c_ci(0, 1, 5, 0, 1)), OP_ADDI, 5, 5, 0, -32, 2);
	expect_insn(dec16(c_ci(0, 0, 5, 31, 1)), OP_ADDI, 5, 5, 0, 31, 2);
	expect_insn(dec16(c_ci(2, 1, 7, 31, 1)), OP_ADDI, 7, 0, 0, -1, 2);
	expect_insn(dec16(c_ci(3, 1, 7, 0, 1)), OP_LUI, 7, 0, 0, -131072, 2);
	expect_insn(dec16(c_ci(3, 0, 7, 31, 1)), OP_LUI, 7, 0, 0, 0x1f000, 2);
	/* c.addi16sp: -512 and 16 */
	expect_insn(dec16(0x7101), OP_ADDI, 2, 2, 0, -512, 2);
	expect_insn(dec16(0x6141), OP_ADDI, 2, 2, 0, 16, 2);
	/* c.jal / c.j */
	expect_insn(dec16(0x3001), OP_JAL, 1, 0, 0, -2048, 2);
	expect_insn(dec16(0xaffd), OP_JAL, 0, 0, 0, 2046, 2);
	/* shifts, andi, register ops */
	expect_insn(dec16(0x83fd), OP_SRLI, 15, 15, 0, 31, 2);
	expect_insn(dec16(0x847d), OP_SRAI, 8, 8, 0, 31, 2);
	expect_insn(dec16(0x9981), OP_ANDI, 11, 11, 0, -32, 2);
	expect_insn(dec16(0x8c05), OP_SUB, 8, 8, 9, 0, 2);
	expect_insn(dec16(0x8d3d), OP_XOR, 10, 10, 15, 0, 2);
	expect_insn(dec16(0x8e55), OP_OR, 12, 12, 13, 0, 2);
	expect_insn(dec16(0x8f7d), OP_AND, 14, 14, 15, 0, 2);
	/* branches at both ends */
	expect_insn(dec16(0xd081), OP_BEQ, 0, 9, 0, -256, 2);
	expect_insn(dec16(0xcd7d), OP_BEQ, 0, 10, 0, 254, 2);
	expect_insn(dec16(0xe389), OP_BNE, 0, 15, 0, 2, 2);
	/* quadrant 2 */
	expect_insn(dec16(0x057e), OP_SLLI, 10, 10, 0, 31, 2);
	expect_insn(dec16(0x50fe), OP_LW, 1, 2, 0, 252, 2);
	expect_insn(dec16(0xdf86), OP_SW, 0, 2, 1, 252, 2);
	expect_insn(dec16(0x8082), OP_JALR, 0, 1, 0, 0, 2);
	expect_insn(dec16(0x9502), OP_JALR, 1, 10, 0, 0, 2);
	expect_insn(dec16(0x852e), OP_ADD, 10, 0, 11, 0, 2);
	expect_insn(dec16(0x957e), OP_ADD, 10, 10, 31, 0, 2);
	expect_insn(dec16(0x9002), OP_EBREAK, 0, 0, 0, 0, 2);
}

Test(decode, compressed_hints_are_legal)
{
	/* rd = x0 or zero amounts are HINTs: they decode and do nothing */
	expect_insn(dec16(0x0001), OP_ADDI, 0, 0, 0, 0, 2);	 /* c.nop */
	expect_insn(dec16(c_ci(0, 0, 0, 5, 1)), OP_ADDI, 0, 0, 0, 5, 2);
	expect_insn(dec16(c_ci(0, 0, 9, 0, 1)), OP_ADDI, 9, 9, 0, 0, 2);
	expect_insn(dec16(c_ci(2, 0, 0, 3, 1)), OP_ADDI, 0, 0, 0, 3, 2);
	expect_insn(dec16(c_ci(3, 0, 0, 1, 1)), OP_LUI, 0, 0, 0, 0x1000, 2);
	expect_insn(dec16(0x8001), OP_SRLI, 8, 8, 0, 0, 2);	 /* shamt 0 */
	expect_insn(dec16(c_ci(0, 0, 0, 3, 2)), OP_SLLI, 0, 0, 0, 3, 2);
	expect_insn(dec16(0x802e), OP_ADD, 0, 0, 11, 0, 2);	 /* c.mv x0 */
	expect_insn(dec16(0x902e), OP_ADD, 0, 0, 11, 0, 2);	 /* c.add x0 */
}

/* ---- illegal and reserved encodings ------------------------------------ */

Test(decode, illegal_32bit)
{
	static const uint32_t bad[] = {
		0x00000000, 0xffffffff,
		0x00000012,		/* low bits not 11 */
		0x00003003,		/* ld (RV64) */
		0x00006003, 0x00007003, /* lwu, reserved load */
		0x00003023,		/* sd */
		0x00004023, 0x00007023,
		0x00002063, 0x00003063, /* branch funct3 2, 3 */
		0x00001067,		/* jalr funct3 1 */
		0x02051513,		/* slli a0,a0,32 (shamt[5]) */
		0x02055513,		/* srli shamt[5] */
		0x42055513,		/* srai shamt[5] */
		0x40051513,		/* slli with funct7 0x20 */
		0x10055513,		/* srli funct7 0x08 */
		0x40b51533,		/* funct7 0x20 with funct3 1 */
		0x40b57533,		/* funct7 0x20 with funct3 7 */
		0x08b50533,		/* funct7 0x04 */
		0x0000200f,		/* misc-mem funct3 2 */
		0x10500073,		/* wfi */
		0x30200073,		/* mret */
		0x10200073,		/* sret */
		0x12000073,		/* sfence.vma */
		0x000000f3,		/* ecall with rd != 0 */
		0x00200073,		/* uret / bad funct12 */
		0x00004073,		/* system funct3 4 */
		0x0005352f,		/* amo funct3 3 (.d) */
		0x1005a52f | (1u << 20), /* lr.w with rs2 != 0 */
		0x2805a52f,		/* amo funct5 0x05 */
		0x00000007,		/* flw */
		0x00000053,		/* fadd */
		0x0000001b,		/* addiw */
		0x0000003b,		/* addw */
		0x0000007f,		/* >32-bit encoding */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct insn in = dec32(bad[i]);

		cr_expect_eq(in.op, OP_ILLEGAL, "0x%08x decoded as %s", bad[i],
			     insn_op_name(in.op));
		cr_expect_eq(in.len, 4);
	}
}

Test(decode, illegal_16bit)
{
	static const uint16_t bad[] = {
		0x0000,			/* all zero: c.addi4spn imm 0 */
		0x001c,			/* c.addi4spn a5,sp,0 */
		0x2000, 0x6000,		/* c.fld, c.flw */
		0x8000, 0x9ffc,		/* quadrant 0 funct3 100 */
		0xa000, 0xe000,		/* c.fsd, c.fsw */
		0x6501,			/* c.lui a0,0 */
		0x6101,			/* c.addi16sp sp,0 */
		0x9001,			/* c.srli s0,32 */
		0x9401,			/* c.srai s0,32 */
		0x9c05, 0x9c25,		/* c.subw, c.addw */
		0x9c45, 0x9c65,		/* reserved */
		0x1502,			/* c.slli a0,32 */
		0x2002, 0x6002,		/* c.fldsp, c.flwsp */
		0xa002, 0xe002,		/* c.fsdsp, c.fswsp */
		0x4002, 0x5002,		/* c.lwsp x0 */
		0x8002,			/* c.jr x0 */
		0xffff, 0x0003,		/* quadrant 3 is not a C parcel */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct insn in = dec16(bad[i]);

		cr_expect_eq(in.op, OP_ILLEGAL, "0x%04x decoded as %s", bad[i],
			     insn_op_name(in.op));
		cr_expect_eq(in.len, 2);
	}
}

/* ---- names ------------------------------------------------------------- */

Test(decode, op_names)
{
	for (unsigned op = 0; op < OP_COUNT; op++) {
		const char *n = insn_op_name(op);

		cr_expect_str_neq(n, "?", "op %u has no name", op);
		for (unsigned o2 = 0; o2 < op; o2++)
			cr_expect_str_neq(n, insn_op_name(o2), "dup name %s", n);
	}
	cr_expect_str_eq(insn_op_name(OP_COUNT), "?");
	cr_expect_str_eq(insn_op_name(OP_LR_W), "lr.w");
	cr_expect_str_eq(insn_op_name(OP_AMOMAXU_W), "amomaxu.w");
}

Test(decode, reg_and_trap_names)
{
	cr_expect_str_eq(cpu_reg_name(0), "zero");
	cr_expect_str_eq(cpu_reg_name(2), "sp");
	cr_expect_str_eq(cpu_reg_name(8), "s0");
	cr_expect_str_eq(cpu_reg_name(31), "t6");
	cr_expect_str_eq(cpu_reg_name(32), "?");
	cr_expect_str_eq(cpu_trap_name(TRAP_ECALL), "ecall");
	cr_expect_str_eq(cpu_trap_name(TRAP_LOAD_FAULT), "load page fault");
	cr_expect_str_eq(cpu_trap_name((enum cpu_trap)99), "?");
}

Test(decode, disasm_branch_target_uses_pc)
{
	struct insn in = dec32(enc_b(-8, 11, 10, 0, 0x63));
	char buf[64];

	cr_expect_str_eq(insn_disasm(&in, 0x10010, buf, sizeof(buf)),
			 "beq a0,a1,0x10008");
	/* truncation never overflows */
	cr_expect_eq(strlen(insn_disasm(&in, 0x10010, buf, 5)), 4);
}
