/*
 * The decoder's bodies, private to src/cpu/.
 *
 * decode.c wraps these into the exported decode32()/decode16(); exec.c
 * includes them directly so that the interpreter's hot loop decodes without
 * a call.  A future per-page pre-decoded cache would call the exported
 * functions once per parcel instead, and the loop would execute the cached
 * struct insn: nothing here depends on where the bits came from.
 *
 * Immediates are assembled in unsigned arithmetic and sign-extended once by
 * sext(), so no negative value is ever shifted left (UBSan stays quiet).
 */
#ifndef MMULAB_CPU_DECODE_INLINE_H
#define MMULAB_CPU_DECODE_INLINE_H

#include "cpu/decode.h"

/* Bits hi..lo of @x, right-aligned: BITS(0xabcd, 11, 4) = 0xbc. */
#define BITS(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
/* Bit @b of @x moved to bit @to: BIT_TO(0x8, 3, 5) = 0x20. */
#define BIT_TO(x, b, to) ((((x) >> (b)) & 1u) << (to))

/* Sign-extend the low @bits bits of @v: sext(0x800, 12) = -2048. */
static inline int32_t sext(uint32_t v, unsigned bits)
{
	unsigned sh = 32 - bits;

	return (int32_t)(v << sh) >> sh;
}

static inline void insn_set(struct insn *in, unsigned op, unsigned rd,
			    unsigned rs1, unsigned rs2, int32_t imm,
			    unsigned len)
{
	in->op = (uint8_t)op;
	in->rd = (uint8_t)rd;
	in->rs1 = (uint8_t)rs1;
	in->rs2 = (uint8_t)rs2;
	in->len = (uint8_t)len;
	in->imm = imm;
}

static inline void insn_illegal(struct insn *in, unsigned len)
{
	insn_set(in, OP_ILLEGAL, 0, 0, 0, 0, len);
}

/* ---- 32-bit ------------------------------------------------------------ */

static inline int32_t imm_i(uint32_t b)
{
	return sext(b >> 20, 12);
}

static inline int32_t imm_s(uint32_t b)
{
	return sext((BITS(b, 31, 25) << 5) | BITS(b, 11, 7), 12);
}

/* imm[12|10:5] in 31:25, imm[4:1|11] in 11:7. */
static inline int32_t imm_b(uint32_t b)
{
	return sext(BIT_TO(b, 31, 12) | BIT_TO(b, 7, 11) |
			    (BITS(b, 30, 25) << 5) | (BITS(b, 11, 8) << 1),
		    13);
}

/* imm[20|10:1|11|19:12] in 31:12. */
static inline int32_t imm_j(uint32_t b)
{
	return sext(BIT_TO(b, 31, 20) | (BITS(b, 19, 12) << 12) |
			    BIT_TO(b, 20, 11) | (BITS(b, 30, 21) << 1),
		    21);
}

static inline void decode32_inline(uint32_t b, struct insn *in)
{
	static const uint8_t branch_ops[8] = {
		OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL,
		OP_BLT, OP_BGE, OP_BLTU, OP_BGEU,
	};
	static const uint8_t load_ops[8] = {
		OP_LB, OP_LH, OP_LW, OP_ILLEGAL,
		OP_LBU, OP_LHU, OP_ILLEGAL, OP_ILLEGAL,
	};
	static const uint8_t store_ops[8] = {
		OP_SB, OP_SH, OP_SW, OP_ILLEGAL,
		OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL,
	};
	static const uint8_t opimm_ops[8] = {
		OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
		OP_XORI, OP_SRLI, OP_ORI, OP_ANDI,
	};
	static const uint8_t op_ops[8] = {
		OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_OR, OP_AND,
	};
	static const uint8_t muldiv_ops[8] = {
		OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
		OP_DIV, OP_DIVU, OP_REM, OP_REMU,
	};
	static const uint8_t csr_ops[8] = {
		OP_ILLEGAL, OP_CSRRW, OP_CSRRS, OP_CSRRC,
		OP_ILLEGAL, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI,
	};
	unsigned rd = BITS(b, 11, 7), rs1 = BITS(b, 19, 15);
	unsigned rs2 = BITS(b, 24, 20), f3 = BITS(b, 14, 12);
	unsigned f7 = BITS(b, 31, 25);
	unsigned op;

	if ((b & 3) != 3)
		goto illegal;

	switch (BITS(b, 6, 2)) {
	case 0x0d: /* LUI */
		insn_set(in, OP_LUI, rd, 0, 0, (int32_t)(b & 0xfffff000u), 4);
		return;
	case 0x05: /* AUIPC */
		insn_set(in, OP_AUIPC, rd, 0, 0, (int32_t)(b & 0xfffff000u), 4);
		return;
	case 0x1b: /* JAL */
		insn_set(in, OP_JAL, rd, 0, 0, imm_j(b), 4);
		return;
	case 0x19: /* JALR */
		if (f3)
			goto illegal;
		insn_set(in, OP_JALR, rd, rs1, 0, imm_i(b), 4);
		return;
	case 0x18: /* BRANCH */
		op = branch_ops[f3];
		if (op == OP_ILLEGAL)
			goto illegal;
		insn_set(in, op, 0, rs1, rs2, imm_b(b), 4);
		return;
	case 0x00: /* LOAD */
		op = load_ops[f3];
		if (op == OP_ILLEGAL)
			goto illegal;
		insn_set(in, op, rd, rs1, 0, imm_i(b), 4);
		return;
	case 0x08: /* STORE */
		op = store_ops[f3];
		if (op == OP_ILLEGAL)
			goto illegal;
		insn_set(in, op, 0, rs1, rs2, imm_s(b), 4);
		return;
	case 0x04: /* OP-IMM */
		op = opimm_ops[f3];
		if (f3 == 1 || f3 == 5) {
			/* RV32: shamt[5] (bit 25) set is reserved. */
			if (f3 == 5 && f7 == 0x20)
				op = OP_SRAI;
			else if (f7 != 0)
				goto illegal;
			insn_set(in, op, rd, rs1, 0, (int32_t)rs2, 4);
			return;
		}
		insn_set(in, op, rd, rs1, 0, imm_i(b), 4);
		return;
	case 0x0c: /* OP */
		if (f7 == 0x00)
			op = op_ops[f3];
		else if (f7 == 0x01)
			op = muldiv_ops[f3];
		else if (f7 == 0x20 && f3 == 0)
			op = OP_SUB;
		else if (f7 == 0x20 && f3 == 5)
			op = OP_SRA;
		else
			goto illegal;
		insn_set(in, op, rd, rs1, rs2, 0, 4);
		return;
	case 0x03: /* MISC-MEM: the unused fields are ignored, as specified */
		if (f3 == 0)
			insn_set(in, OP_FENCE, 0, 0, 0, imm_i(b), 4);
		else if (f3 == 1)
			insn_set(in, OP_FENCE_I, 0, 0, 0, 0, 4);
		else
			goto illegal;
		return;
	case 0x1c: /* SYSTEM */
		if (f3 == 0) {
			if (b == 0x00000073u)
				insn_set(in, OP_ECALL, 0, 0, 0, 0, 4);
			else if (b == 0x00100073u)
				insn_set(in, OP_EBREAK, 0, 0, 0, 0, 4);
			else
				goto illegal; /* wfi, xret, sfence: not user */
			return;
		}
		op = csr_ops[f3];
		if (op == OP_ILLEGAL)
			goto illegal;
		/* rs1 holds the 5-bit uimm of the *I forms. */
		insn_set(in, op, rd, rs1, 0, (int32_t)(b >> 20), 4);
		return;
	case 0x0b: /* AMO */
		if (f3 != 2)
			goto illegal;
		switch (b >> 27) {
		case 0x02:
			if (rs2)
				goto illegal;
			op = OP_LR_W;
			break;
		case 0x03: op = OP_SC_W; break;
		case 0x01: op = OP_AMOSWAP_W; break;
		case 0x00: op = OP_AMOADD_W; break;
		case 0x04: op = OP_AMOXOR_W; break;
		case 0x0c: op = OP_AMOAND_W; break;
		case 0x08: op = OP_AMOOR_W; break;
		case 0x10: op = OP_AMOMIN_W; break;
		case 0x14: op = OP_AMOMAX_W; break;
		case 0x18: op = OP_AMOMINU_W; break;
		case 0x1c: op = OP_AMOMAXU_W; break;
		default:
			goto illegal;
		}
		/* aq/rl (bits 26:25) order nothing on a single hart. */
		insn_set(in, op, rd, rs1, rs2, 0, 4);
		return;
	default:
		goto illegal;
	}
illegal:
	insn_illegal(in, 4);
}

/* ---- 16-bit (C) -------------------------------------------------------- */

/*
 * Quadrants (bits 1:0) and funct3 (bits 15:13) of RV32C, with what each
 * expands to; "-" marks encodings that are reserved or belong to F/D (absent
 * here) and decode as illegal.
 *
 *        q0               q1                     q2
 *  000   addi4spn         addi (nop)             slli
 *  001   - (fld)          jal                    - (fldsp)
 *  010   lw               li                     lwsp
 *  011   - (flw)          lui / addi16sp         - (flwsp)
 *  100   - (reserved)     srli srai andi sub..   jr mv ebreak jalr add
 *  101   - (fsd)          j                      - (fsdsp)
 *  110   sw               beqz                   swsp
 *  111   - (fsw)          bnez                   - (fswsp)
 *
 * HINT encodings (rd = x0, zero shift amounts, ...) are legal and execute
 * as their expansion, whose result is discarded or unchanged.
 */

/* Compressed register field: x8..x15. */
#define CREG(b, lo) (8 + BITS(b, (lo) + 2, (lo)))

/* c.j / c.jal: offset[11|4|9:8|10|6|7|3:1|5] in 12:2. */
static inline int32_t cimm_j(uint32_t b)
{
	return sext(BIT_TO(b, 12, 11) | BIT_TO(b, 11, 4) |
			    (BITS(b, 10, 9) << 8) | BIT_TO(b, 8, 10) |
			    BIT_TO(b, 7, 6) | BIT_TO(b, 6, 7) |
			    (BITS(b, 5, 3) << 1) | BIT_TO(b, 2, 5),
		    12);
}

/* c.beqz / c.bnez: offset[8|4:3] in 12:10, offset[7:6|2:1|5] in 6:2. */
static inline int32_t cimm_b(uint32_t b)
{
	return sext(BIT_TO(b, 12, 8) | (BITS(b, 11, 10) << 3) |
			    (BITS(b, 6, 5) << 6) | (BITS(b, 4, 3) << 1) |
			    BIT_TO(b, 2, 5),
		    9);
}

/* 6-bit signed immediate imm[5] in 12, imm[4:0] in 6:2. */
static inline int32_t cimm_6(uint32_t b)
{
	return sext(BIT_TO(b, 12, 5) | BITS(b, 6, 2), 6);
}

static inline void decode16_inline(uint16_t bits, struct insn *in)
{
	uint32_t b = bits;
	unsigned rd = BITS(b, 11, 7), rs2 = BITS(b, 6, 2);
	uint32_t u;

	switch ((BITS(b, 15, 13) << 2) | (b & 3)) {
	/* ---- quadrant 0 ---- */
	case 0x00: /* c.addi4spn: nzuimm[5:4|9:6|2|3] in 12:5; 0 reserved */
		u = (BITS(b, 12, 11) << 4) | (BITS(b, 10, 7) << 6) |
		    BIT_TO(b, 6, 2) | BIT_TO(b, 5, 3);
		if (!u)
			goto illegal;
		insn_set(in, OP_ADDI, CREG(b, 2), 2, 0, (int32_t)u, 2);
		return;
	case 0x08: /* c.lw: uimm[5:3] in 12:10, [2] in 6, [6] in 5 */
		u = (BITS(b, 12, 10) << 3) | BIT_TO(b, 6, 2) | BIT_TO(b, 5, 6);
		insn_set(in, OP_LW, CREG(b, 2), CREG(b, 7), 0, (int32_t)u, 2);
		return;
	case 0x18: /* c.sw */
		u = (BITS(b, 12, 10) << 3) | BIT_TO(b, 6, 2) | BIT_TO(b, 5, 6);
		insn_set(in, OP_SW, 0, CREG(b, 7), CREG(b, 2), (int32_t)u, 2);
		return;

	/* ---- quadrant 1 ---- */
	case 0x01: /* c.addi (c.nop when rd = 0) */
		insn_set(in, OP_ADDI, rd, rd, 0, cimm_6(b), 2);
		return;
	case 0x05: /* c.jal (RV32 only) */
		insn_set(in, OP_JAL, 1, 0, 0, cimm_j(b), 2);
		return;
	case 0x09: /* c.li */
		insn_set(in, OP_ADDI, rd, 0, 0, cimm_6(b), 2);
		return;
	case 0x0d:
		if (rd == 2) {
			/* c.addi16sp: nzimm[9] in 12, [4|6|8:7|5] in 6:2 */
			u = BIT_TO(b, 12, 9) | BIT_TO(b, 6, 4) |
			    BIT_TO(b, 5, 6) | (BITS(b, 4, 3) << 7) |
			    BIT_TO(b, 2, 5);
			if (!u)
				goto illegal;
			insn_set(in, OP_ADDI, 2, 2, 0, sext(u, 10), 2);
			return;
		}
		/* c.lui: nzimm[17] in 12, nzimm[16:12] in 6:2 */
		u = (BIT_TO(b, 12, 5) | BITS(b, 6, 2)) << 12;
		if (!u)
			goto illegal;
		insn_set(in, OP_LUI, rd, 0, 0, sext(u, 18), 2);
		return;
	case 0x11: { /* misc-alu */
		unsigned r = CREG(b, 7);
		unsigned sh = BIT_TO(b, 12, 5) | BITS(b, 6, 2);

		switch (BITS(b, 11, 10)) {
		case 0: /* c.srli: shamt[5] = 1 is reserved on RV32 */
			if (sh & 32)
				goto illegal;
			insn_set(in, OP_SRLI, r, r, 0, (int32_t)sh, 2);
			return;
		case 1: /* c.srai */
			if (sh & 32)
				goto illegal;
			insn_set(in, OP_SRAI, r, r, 0, (int32_t)sh, 2);
			return;
		case 2: /* c.andi */
			insn_set(in, OP_ANDI, r, r, 0, cimm_6(b), 2);
			return;
		default: {
			static const uint8_t ops[4] = {
				OP_SUB, OP_XOR, OP_OR, OP_AND,
			};

			/* bit 12 set: subw/addw (RV64) or reserved */
			if (b & (1u << 12))
				goto illegal;
			insn_set(in, ops[BITS(b, 6, 5)], r, r, CREG(b, 2), 0,
				 2);
			return;
		}
		}
	}
	case 0x15: /* c.j */
		insn_set(in, OP_JAL, 0, 0, 0, cimm_j(b), 2);
		return;
	case 0x19: /* c.beqz */
		insn_set(in, OP_BEQ, 0, CREG(b, 7), 0, cimm_b(b), 2);
		return;
	case 0x1d: /* c.bnez */
		insn_set(in, OP_BNE, 0, CREG(b, 7), 0, cimm_b(b), 2);
		return;

	/* ---- quadrant 2 ---- */
	case 0x02: { /* c.slli: shamt[5] = 1 is reserved on RV32 */
		unsigned sh = BIT_TO(b, 12, 5) | BITS(b, 6, 2);

		if (sh & 32)
			goto illegal;
		insn_set(in, OP_SLLI, rd, rd, 0, (int32_t)sh, 2);
		return;
	}
	case 0x0a: /* c.lwsp: uimm[5] in 12, [4:2|7:6] in 6:2; rd = 0 rsvd */
		if (!rd)
			goto illegal;
		u = BIT_TO(b, 12, 5) | (BITS(b, 6, 4) << 2) |
		    (BITS(b, 3, 2) << 6);
		insn_set(in, OP_LW, rd, 2, 0, (int32_t)u, 2);
		return;
	case 0x12:
		if (!(b & (1u << 12))) {
			if (!rs2) { /* c.jr; rs1 = 0 reserved */
				if (!rd)
					goto illegal;
				insn_set(in, OP_JALR, 0, rd, 0, 0, 2);
			} else { /* c.mv */
				insn_set(in, OP_ADD, rd, 0, rs2, 0, 2);
			}
			return;
		}
		if (!rs2) {
			if (!rd) /* c.ebreak */
				insn_set(in, OP_EBREAK, 0, 0, 0, 0, 2);
			else /* c.jalr */
				insn_set(in, OP_JALR, 1, rd, 0, 0, 2);
			return;
		}
		insn_set(in, OP_ADD, rd, rd, rs2, 0, 2); /* c.add */
		return;
	case 0x1a: /* c.swsp: uimm[5:2|7:6] in 12:7 */
		u = (BITS(b, 12, 9) << 2) | (BITS(b, 8, 7) << 6);
		insn_set(in, OP_SW, 0, 2, rs2, (int32_t)u, 2);
		return;
	default: /* F/D forms, quadrant 0 funct3 100, or not a C parcel */
		goto illegal;
	}
illegal:
	insn_illegal(in, 2);
}

#endif
