/*
 * Disassembler for the REPL and traces, in objdump's operand order without
 * pseudo-instructions: "addi a0,a0,1", "lw a0,8(sp)", "beq a0,a1,0x10094".
 * Compressed instructions print as their 32-bit expansion.  Branch and jump
 * targets print as absolute addresses (pc + imm).
 */
#include <stdio.h>
#include <string.h>

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

/* ---- objdump syntax ----------------------------------------------------- */

/*
 * What `riscv64-unknown-elf-objdump -d -M no-aliases` prints for the same
 * bits (tests/disasm.sh holds us to it): compressed instructions under
 * their own c.* names and operands, shift amounts and upper immediates in
 * hex, branch and jump targets as bare hex addresses (the REPL adds
 * <symbol+off>), fence sets as letters, AMO ordering as .aq/.rl.
 */

static void fence_set(unsigned v, char *out)
{
	int n = 0;

	if (v & 8)
		out[n++] = 'i';
	if (v & 4)
		out[n++] = 'o';
	if (v & 2)
		out[n++] = 'r';
	if (v & 1)
		out[n++] = 'w';
	out[n] = '\0';
}

static char *disasm32_objdump(uint32_t bits, uint32_t pc, char *buf,
			      size_t len)
{
	struct insn in;
	const char *rd, *rs1, *rs2, *name;
	uint32_t target;
	char tmp[16];

	decode32(bits, &in);
	name = insn_op_name(in.op);
	rd = cpu_reg_name(in.rd);
	rs1 = cpu_reg_name(in.rs1);
	rs2 = cpu_reg_name(in.rs2);
	target = pc + (uint32_t)in.imm;
	switch (in.op) {
	case OP_ILLEGAL:
		snprintf(buf, len, "illegal 0x%08x", bits);
		break;
	case OP_JAL:
		snprintf(buf, len, "jal %s,%x", rd, target);
		break;
	case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE:
	case OP_BLTU: case OP_BGEU:
		snprintf(buf, len, "%s %s,%s,%x", name, rs1, rs2, target);
		break;
	case OP_SLLI: case OP_SRLI: case OP_SRAI:
		snprintf(buf, len, "%s %s,%s,0x%x", name, rd, rs1,
			 (unsigned)in.imm);
		break;
	case OP_FENCE: {
		char p[8], s[8];
		unsigned fm = bits >> 28;
		fence_set((bits >> 24) & 15, p);
		fence_set((bits >> 20) & 15, s);
		if (fm == 8 && !strcmp(p, "rw") && !strcmp(s, "rw"))
			snprintf(buf, len, "fence.tso");
		else
			snprintf(buf, len, "fence %s,%s", p[0] ? p : "0",
				 s[0] ? s : "0");
		break;
	}
	case OP_LR_W: case OP_SC_W: case OP_AMOSWAP_W: case OP_AMOADD_W:
	case OP_AMOXOR_W: case OP_AMOAND_W: case OP_AMOOR_W:
	case OP_AMOMIN_W: case OP_AMOMAX_W: case OP_AMOMINU_W:
	case OP_AMOMAXU_W: {
		const char *ord = (bits >> 25 & 3) == 3 ? ".aqrl"
				: (bits >> 25 & 3) == 2 ? ".aq"
				: (bits >> 25 & 3) == 1 ? ".rl"
							: "";
		if (in.op == OP_LR_W)
			snprintf(buf, len, "%s%s %s,(%s)", name, ord, rd, rs1);
		else
			snprintf(buf, len, "%s%s %s,%s,(%s)", name, ord, rd,
				 rs2, rs1);
		break;
	}
	case OP_CSRRW: case OP_CSRRS: case OP_CSRRC:
		snprintf(buf, len, "%s %s,%s,%s", name, rd,
			 csr_name((unsigned)in.imm, tmp, sizeof(tmp)), rs1);
		break;
	default:
		insn_disasm(&in, pc, buf, len);
		break;
	}
	return buf;
}

static char *disasm16_objdump(uint16_t bits, uint32_t pc, char *buf,
			      size_t len)
{
	struct insn in;
	const char *rd, *rs1, *rs2;
	uint32_t target;

	decode16(bits, &in);
	if (in.op == OP_ILLEGAL) {
		if (!bits)
			snprintf(buf, len, "c.unimp");
		else
			snprintf(buf, len, "illegal 0x%04x", bits);
		return buf;
	}
	rd = cpu_reg_name(in.rd);
	rs1 = cpu_reg_name(in.rs1);
	rs2 = cpu_reg_name(in.rs2);
	target = pc + (uint32_t)in.imm;
	switch (((bits >> 13) << 2) | (bits & 3)) {
	case 0x00:
		snprintf(buf, len, "c.addi4spn %s,sp,%d", rd, in.imm);
		break;
	case 0x08:
		snprintf(buf, len, "c.lw %s,%d(%s)", rd, in.imm, rs1);
		break;
	case 0x18:
		snprintf(buf, len, "c.sw %s,%d(%s)", rs2, in.imm, rs1);
		break;
	case 0x01:
		snprintf(buf, len, "c.addi %s,%d", rd, in.imm);
		break;
	case 0x05:
		snprintf(buf, len, "c.jal %x", target);
		break;
	case 0x09:
		snprintf(buf, len, "c.li %s,%d", rd, in.imm);
		break;
	case 0x0d:
		if (in.op == OP_LUI)
			snprintf(buf, len, "c.lui %s,0x%x", rd,
				 ((uint32_t)in.imm >> 12) & 0xfffff);
		else
			snprintf(buf, len, "c.addi16sp sp,%d", in.imm);
		break;
	case 0x11:
		switch (in.op) {
		case OP_SRLI:
		case OP_SRAI:
			/* a zero shift is the HINT objdump calls c.srli64 */
			if (!in.imm)
				snprintf(buf, len, "c.%s64 %s",
					 insn_op_name(in.op), rd);
			else
				snprintf(buf, len, "c.%s %s,0x%x",
					 insn_op_name(in.op), rd,
					 (unsigned)in.imm);
			break;
		case OP_ANDI:
			snprintf(buf, len, "c.andi %s,%d", rd, in.imm);
			break;
		default:
			snprintf(buf, len, "c.%s %s,%s", insn_op_name(in.op),
				 rd, rs2);
			break;
		}
		break;
	case 0x15:
		snprintf(buf, len, "c.j %x", target);
		break;
	case 0x19:
	case 0x1d:
		snprintf(buf, len, "c.%s %s,%x", in.op == OP_BEQ ? "beqz" : "bnez",
			 rs1, target);
		break;
	case 0x02:
		if (!in.imm)
			snprintf(buf, len, "c.slli64 %s", rd);
		else
			snprintf(buf, len, "c.slli %s,0x%x", rd,
				 (unsigned)in.imm);
		break;
	case 0x0a:
		snprintf(buf, len, "c.lwsp %s,%d(sp)", rd, in.imm);
		break;
	case 0x12:
		if (in.op == OP_EBREAK)
			snprintf(buf, len, "c.ebreak");
		else if (in.op == OP_JALR)
			snprintf(buf, len, "c.%s %s", in.rd ? "jalr" : "jr",
				 rs1);
		else if (!(bits & 0x1000))
			snprintf(buf, len, "c.mv %s,%s", rd, rs2);
		else
			snprintf(buf, len, "c.add %s,%s", rd, rs2);
		break;
	case 0x1a:
		snprintf(buf, len, "c.swsp %s,%d(sp)", rs2, in.imm);
		break;
	default:
		snprintf(buf, len, "illegal 0x%04x", bits);
		break;
	}
	return buf;
}

char *insn_disasm_objdump(uint32_t bits, uint32_t pc, char *buf, size_t len)
{
	if (!len)
		return buf;
	if (insn_length((uint16_t)bits) == 2)
		return disasm16_objdump((uint16_t)bits, pc, buf, len);
	return disasm32_objdump(bits, pc, buf, len);
}
