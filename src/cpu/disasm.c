/*
 * Disassembler for the REPL and traces, in objdump's operand order without
 * pseudo-instructions: "addi a0,a0,1", "lw a0,8(sp)", "beq a0,a1,0x10094".
 * Compressed instructions print as their 32-bit expansion.  Branch and jump
 * targets print as absolute addresses (pc + imm).
 */
#include <stdio.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"

static const char *csr_name(unsigned csr, char *tmp, size_t len)
{
	switch (csr) {
	case 0xc00: return "cycle";
	case 0xc01: return "time";
	case 0xc02: return "instret";
	case 0xc80: return "cycleh";
	case 0xc81: return "timeh";
	case 0xc82: return "instreth";
	case 0x001: return "fflags";
	case 0x002: return "frm";
	case 0x003: return "fcsr";
	}
	snprintf(tmp, len, "0x%x", csr);
	return tmp;
}

char *insn_disasm(const struct insn *in, uint32_t pc, char *buf, size_t len)
{
	const char *name = insn_op_name(in->op);
	const char *rd = cpu_reg_name(in->rd);
	const char *rs1 = cpu_reg_name(in->rs1);
	const char *rs2 = cpu_reg_name(in->rs2);
	uint32_t target = pc + (uint32_t)in->imm;
	char tmp[16];

	if (!len)
		return buf;
	switch (in->op) {
	case OP_LUI:
	case OP_AUIPC:
		snprintf(buf, len, "%s %s,0x%x", name, rd,
			 (uint32_t)in->imm >> 12);
		break;
	case OP_JAL:
		snprintf(buf, len, "%s %s,0x%x", name, rd, target);
		break;
	case OP_JALR:
	case OP_LB: case OP_LH: case OP_LW: case OP_LBU: case OP_LHU:
		snprintf(buf, len, "%s %s,%d(%s)", name, rd, in->imm, rs1);
		break;
	case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE:
	case OP_BLTU: case OP_BGEU:
		snprintf(buf, len, "%s %s,%s,0x%x", name, rs1, rs2, target);
		break;
	case OP_SB: case OP_SH: case OP_SW:
		snprintf(buf, len, "%s %s,%d(%s)", name, rs2, in->imm, rs1);
		break;
	case OP_ADDI: case OP_SLTI: case OP_SLTIU: case OP_XORI:
	case OP_ORI: case OP_ANDI: case OP_SLLI: case OP_SRLI: case OP_SRAI:
		snprintf(buf, len, "%s %s,%s,%d", name, rd, rs1, in->imm);
		break;
	case OP_FENCE: case OP_FENCE_I: case OP_ECALL: case OP_EBREAK:
	case OP_ILLEGAL:
		snprintf(buf, len, "%s", name);
		break;
	case OP_CSRRW: case OP_CSRRS: case OP_CSRRC:
		snprintf(buf, len, "%s %s,%s,%s", name, rd,
			 csr_name((unsigned)in->imm, tmp, sizeof(tmp)), rs1);
		break;
	case OP_CSRRWI: case OP_CSRRSI: case OP_CSRRCI:
		snprintf(buf, len, "%s %s,%s,%u", name, rd,
			 csr_name((unsigned)in->imm, tmp, sizeof(tmp)),
			 in->rs1);
		break;
	case OP_LR_W:
		snprintf(buf, len, "%s %s,(%s)", name, rd, rs1);
		break;
	case OP_SC_W: case OP_AMOSWAP_W: case OP_AMOADD_W: case OP_AMOXOR_W:
	case OP_AMOAND_W: case OP_AMOOR_W: case OP_AMOMIN_W: case OP_AMOMAX_W:
	case OP_AMOMINU_W: case OP_AMOMAXU_W:
		snprintf(buf, len, "%s %s,%s,(%s)", name, rd, rs2, rs1);
		break;
	default: /* register-register ALU and M */
		snprintf(buf, len, "%s %s,%s,%s", name, rd, rs1, rs2);
		break;
	}
	return buf;
}
