/*
 * The exported decoder entry points and operation names.  The bodies live
 * in decode_inline.h so that the interpreter can inline them.
 */
#include "cpu/decode.h"
#include "cpu/decode_inline.h"

void decode32(uint32_t bits, struct insn *in)
{
	decode32_inline(bits, in);
}

void decode16(uint16_t bits, struct insn *in)
{
	decode16_inline(bits, in);
}

static const char *const op_names[OP_COUNT] = {
	[OP_ILLEGAL] = "illegal",
	[OP_LUI] = "lui",
	[OP_AUIPC] = "auipc",
	[OP_JAL] = "jal",
	[OP_JALR] = "jalr",
	[OP_BEQ] = "beq",
	[OP_BNE] = "bne",
	[OP_BLT] = "blt",
	[OP_BGE] = "bge",
	[OP_BLTU] = "bltu",
	[OP_BGEU] = "bgeu",
	[OP_LB] = "lb",
	[OP_LH] = "lh",
	[OP_LW] = "lw",
	[OP_LBU] = "lbu",
	[OP_LHU] = "lhu",
	[OP_SB] = "sb",
	[OP_SH] = "sh",
	[OP_SW] = "sw",
	[OP_ADDI] = "addi",
	[OP_SLTI] = "slti",
	[OP_SLTIU] = "sltiu",
	[OP_XORI] = "xori",
	[OP_ORI] = "ori",
	[OP_ANDI] = "andi",
	[OP_SLLI] = "slli",
	[OP_SRLI] = "srli",
	[OP_SRAI] = "srai",
	[OP_ADD] = "add",
	[OP_SUB] = "sub",
	[OP_SLL] = "sll",
	[OP_SLT] = "slt",
	[OP_SLTU] = "sltu",
	[OP_XOR] = "xor",
	[OP_SRL] = "srl",
	[OP_SRA] = "sra",
	[OP_OR] = "or",
	[OP_AND] = "and",
	[OP_FENCE] = "fence",
	[OP_FENCE_I] = "fence.i",
	[OP_ECALL] = "ecall",
	[OP_EBREAK] = "ebreak",
	[OP_CSRRW] = "csrrw",
	[OP_CSRRS] = "csrrs",
	[OP_CSRRC] = "csrrc",
	[OP_CSRRWI] = "csrrwi",
	[OP_CSRRSI] = "csrrsi",
	[OP_CSRRCI] = "csrrci",
	[OP_MUL] = "mul",
	[OP_MULH] = "mulh",
	[OP_MULHSU] = "mulhsu",
	[OP_MULHU] = "mulhu",
	[OP_DIV] = "div",
	[OP_DIVU] = "divu",
	[OP_REM] = "rem",
	[OP_REMU] = "remu",
	[OP_LR_W] = "lr.w",
	[OP_SC_W] = "sc.w",
	[OP_AMOSWAP_W] = "amoswap.w",
	[OP_AMOADD_W] = "amoadd.w",
	[OP_AMOXOR_W] = "amoxor.w",
	[OP_AMOAND_W] = "amoand.w",
	[OP_AMOOR_W] = "amoor.w",
	[OP_AMOMIN_W] = "amomin.w",
	[OP_AMOMAX_W] = "amomax.w",
	[OP_AMOMINU_W] = "amominu.w",
	[OP_AMOMAXU_W] = "amomaxu.w",
};

const char *insn_op_name(unsigned op)
{
	if (op >= OP_COUNT || !op_names[op])
		return "?";
	return op_names[op];
}
