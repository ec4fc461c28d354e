/*
 * The RV32IMAC decoder.
 *
 * Instruction formats (32-bit):
 *
 *   31        25 24  20 19  15 14 12 11         7 6      0
 *  +------------+------+------+-----+------------+--------+
 *  |   funct7   | rs2  | rs1  |funct3|    rd      | opcode |  R
 *  |      imm[11:0]    | rs1  |funct3|    rd      | opcode |  I
 *  | imm[11:5]  | rs2  | rs1  |funct3|  imm[4:0]  | opcode |  S
 *  |imm[12|10:5]| rs2  | rs1  |funct3|imm[4:1|11] | opcode |  B
 *  |             imm[31:12]          |    rd      | opcode |  U
 *  |      imm[20|10:1|11|19:12]      |    rd      | opcode |  J
 *  +------------+------+------+-----+------------+--------+
 *
 * 16-bit (C) instructions are expanded into the same struct insn as their
 * 32-bit equivalents, with len = 2.
 */
#ifndef MMULAB_CPU_DECODE_H
#define MMULAB_CPU_DECODE_H

#include "types.h"

/* One line per operation: its semantics. */
enum insn_op {
	OP_ILLEGAL = 0,
	OP_LUI,    /* rd = imm */
	OP_AUIPC,  /* rd = pc + imm */
	OP_JAL,    /* rd = pc + len; pc += imm */
	OP_JALR,   /* t = pc + len; pc = (rs1 + imm) & ~1; rd = t */
	OP_BEQ, OP_BNE, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU, /* if cond pc += imm */
	OP_LB, OP_LH, OP_LW, OP_LBU, OP_LHU, /* rd = mem[rs1 + imm] */
	OP_SB, OP_SH, OP_SW,		     /* mem[rs1 + imm] = rs2 */
	OP_ADDI, OP_SLTI, OP_SLTIU, OP_XORI, OP_ORI, OP_ANDI,
	OP_SLLI, OP_SRLI, OP_SRAI,
	OP_ADD, OP_SUB, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_SRA,
	OP_OR, OP_AND,
	OP_FENCE, OP_FENCE_I, /* ordering: no-ops for one hart */
	OP_ECALL, OP_EBREAK,
	OP_CSRRW, OP_CSRRS, OP_CSRRC, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI,
	OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
	OP_DIV, OP_DIVU, OP_REM, OP_REMU,
	OP_LR_W, OP_SC_W,
	OP_AMOSWAP_W, OP_AMOADD_W, OP_AMOXOR_W, OP_AMOAND_W, OP_AMOOR_W,
	OP_AMOMIN_W, OP_AMOMAX_W, OP_AMOMINU_W, OP_AMOMAXU_W,
	OP_COUNT
};

struct insn {
	uint8_t op;	/* enum insn_op */
	uint8_t rd, rs1, rs2;
	uint8_t len;	/* 2 or 4 */
	int32_t imm;	/* sign-extended immediate; CSR number for CSR ops */
};

/* Length in bytes of the instruction whose low 16 bits are @lo. */
static inline unsigned insn_length(uint16_t lo)
{
	return (lo & 3) == 3 ? 4 : 2;
}

/* Decode a 32-bit instruction.  Unknown encodings give OP_ILLEGAL. */
void decode32(uint32_t bits, struct insn *in);

/* Decode (expand) a 16-bit instruction.  Reserved encodings, including the
 * all-zero parcel, give OP_ILLEGAL. */
void decode16(uint16_t bits, struct insn *in);

/* Name of an operation ("addi", "lr.w", ...). */
const char *insn_op_name(unsigned op);

/* Disassemble into @buf (for the REPL and traces); returns @buf. */
char *insn_disasm(const struct insn *in, uint32_t pc, char *buf, size_t len);

/*
 * Disassemble the instruction whose bits are @bits (the low 16 only for a
 * compressed one) at @pc as `objdump -d -M no-aliases` does: "c.addi
 * sp,-32", "jal ra,12740", "slli a0,a0,0x2", "amoadd.w.aqrl a0,a2,(a1)".
 * Operands follow one space.  Unknown encodings give "illegal 0x...",
 * the all-zero parcel "c.unimp".  Returns @buf.
 */
char *insn_disasm_objdump(uint32_t bits, uint32_t pc, char *buf, size_t len);

#endif
