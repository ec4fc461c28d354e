/*
 * The interpreter: fetch through the I-TLB, decode, execute.
 *
 * Hot state lives in locals for the whole of cpu_run(): pc, the count of
 * retired instructions, the host pointer and guest page of the code page
 * being executed, and the number of fetches served from that page.  They are
 * written back to struct cpu and struct mmu only at the one exit, so every
 * trap leaves through `trap:` (pc = the trapping instruction) and the budget
 * through `out:` (pc = the next instruction).
 *
 * Fetch: the page pointer is refreshed with mmu_fetch_page() (one counted
 * I-TLB lookup) whenever pc leaves the cached page; every other fetch from
 * that page is the same I-TLB entry hitting again and is counted in
 * mmu->i_fast_hits.  Nothing inside cpu_run() can change the I-TLB or the
 * page tables (only the kernel does, between runs), so the cached pointer
 * stays valid; stores to the code page land in the same host frame and are
 * seen by the next fetch.
 *
 * The loop decodes each parcel into a struct insn and then executes the
 * struct insn, so a per-page pre-decoded cache can later replace the decode
 * step without touching the opcode bodies.
 */
#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "cpu/decode_inline.h"

/* Read-only user counters (Zicsr / Zicntr). */
enum {
	CSR_CYCLE = 0xc00,
	CSR_TIME = 0xc01,
	CSR_INSTRET = 0xc02,
	CSR_CYCLEH = 0xc80,
	CSR_TIMEH = 0xc81,
	CSR_INSTRETH = 0xc82,
};

/*
 * Dispatch in the style of Lua's lvm.c: the opcode bodies are written with
 * these macros so that a computed-goto table can replace the switch later
 * without touching them.
 */
#define vmdispatch(o) switch (o)
#define vmcase(l) case l:
#define vmbreak break

/* Host reads of code parcels; guest memory is little-endian as the host. */
static inline uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Value of counter @csr for an instruction executed after @c->cycle and
 * @c->instret were last written back plus @n retired in this run.
 * Returns false for any CSR that does not exist here.
 */
static inline bool csr_read(const struct cpu *c, uint64_t n, unsigned csr,
			    uint32_t *out)
{
	uint64_t v;

	switch (csr) {
	case CSR_CYCLE:
	case CSR_CYCLEH:
		v = c->cycle + n;
		break;
	case CSR_TIME:
	case CSR_TIMEH:
		v = (c->cycle + n) / CPU_TIME_DIV + c->time_base;
		break;
	case CSR_INSTRET:
	case CSR_INSTRETH:
		v = c->instret + n;
		break;
	default:
		return false;
	}
	*out = (csr & 0x080) ? (uint32_t)(v >> 32) : (uint32_t)v;
	return true;
}

/* New memory value of an AMO from the @old one and the register @src. */
static inline uint32_t amo_apply(unsigned op, uint32_t old, uint32_t src)
{
	switch (op) {
	case OP_AMOSWAP_W: return src;
	case OP_AMOADD_W: return old + src;
	case OP_AMOXOR_W: return old ^ src;
	case OP_AMOAND_W: return old & src;
	case OP_AMOOR_W: return old | src;
	case OP_AMOMIN_W: return (int32_t)old < (int32_t)src ? old : src;
	case OP_AMOMAX_W: return (int32_t)old > (int32_t)src ? old : src;
	case OP_AMOMINU_W: return old < src ? old : src;
	default: /* OP_AMOMAXU_W */ return old > src ? old : src;
	}
}

/*
 * Read-modify-write of the aligned word at @va for an AMO.  Returns 0 with
 * *old set, or -1 with m->fault describing a *store* fault: RISC-V reports
 * any page fault of an AMO as a store/AMO fault, and the kernel must treat
 * it as a write (demand-allocate writable, break COW).
 *
 * Fast path: the write mirror (filled only for writable, dirty entries)
 * hits, and the whole operation is one D-TLB hit, as in hardware.
 * Otherwise the word is read and then written through the ordinary slow
 * paths; the store faults on a read-only page before anything is written.
 * Cost of that fallback: two D-TLB lookups instead of one, and a read
 * fault that precedes the store is re-labelled as a write.
 */
static inline int amo_rmw(struct mmu *m, gva_t va, unsigned op, uint32_t src,
			  uint32_t *old)
{
	const struct mmu_fast *f = &m->fast_w[(va >> PAGE_SHIFT) & m->dmask];
	uint32_t v;

	if (likely(MMU_FAST_TAG(va, 4) == f->tag)) {
		void *p = (void *)(f->addend + va);

		m->d_fast_hits++;
		memcpy(&v, p, 4);
		*old = v;
		v = amo_apply(op, v, src);
		memcpy(p, &v, 4);
		return 0;
	}
	if (mmu_load32(m, va, &v)) {
		m->fault.access = ACC_WRITE;
		return -1;
	}
	*old = v;
	return mmu_store32(m, va, amo_apply(op, v, src));
}

enum cpu_trap cpu_run(struct cpu *c, uint64_t budget)
{
	struct mmu *m = c->mmu;
	uint32_t *x = c->x;
	/* sepc[0] is hard-wired to zero with IALIGN=16; pc stays even since. */
	uint32_t pc = c->pc & ~1u;
	uint32_t npc, raw = 0, tval = 0;
	uint64_t n = 0;		/* instructions retired in this run */
	uint64_t ihits = 0;	/* fetches served by the cached code page */
	const uint8_t *page = NULL;
	gva_t page_va = 1;	/* no page: never equals a page-aligned va */
	enum cpu_trap cause;
	struct insn in;

	for (;;) {
		unsigned off;
		uint16_t lo;

		x[0] = 0;
		if (unlikely(n >= budget)) {
			cause = TRAP_BUDGET;
			goto out;
		}

		/* ---- fetch ---- */
		off = pc & ~PAGE_MASK;
		if (likely((pc & PAGE_MASK) == page_va)) {
			ihits++;
		} else {
			if (unlikely(mmu_fetch_page(m, pc, &page))) {
				page_va = 1;
				tval = m->fault.va;
				cause = TRAP_FETCH_FAULT;
				goto trap;
			}
			page_va = pc & PAGE_MASK;
		}
		lo = rd16(page + off);
		if ((lo & 3) != 3) {
			raw = lo;
			decode16_inline(lo, &in);
		} else {
			if (likely(off <= PAGE_SIZE - 4)) {
				raw = rd32(page + off);
			} else {
				/* The upper half lies on the next page. */
				gva_t nva = page_va + PAGE_SIZE;
				const uint8_t *np;

				if (unlikely(mmu_fetch_page(m, nva, &np))) {
					tval = nva;
					cause = TRAP_FETCH_FAULT;
					goto trap;
				}
				raw = lo | (uint32_t)rd16(np) << 16;
				page = np;
				page_va = nva;
			}
			decode32_inline(raw, &in);
		}

		/* ---- execute ---- */
		npc = pc + in.len;
		vmdispatch(in.op) {
		vmcase(OP_LUI)
			x[in.rd] = (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_AUIPC)
			x[in.rd] = pc + (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_JAL)
			x[in.rd] = npc;
			npc = pc + (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_JALR) {
			uint32_t t = (x[in.rs1] + (uint32_t)in.imm) & ~1u;

			x[in.rd] = npc;
			npc = t;
			vmbreak;
		}
		vmcase(OP_BEQ)
			if (x[in.rs1] == x[in.rs2])
				npc = pc + (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_BNE)
			if (x[in.rs1] != x[in.rs2])
				npc = pc + (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_BLT)
			if ((int32_t)x[in.rs1] < (int32_t)x[in.rs2])
				npc = pc + (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_BGE)
			if ((int32_t)x[in.rs1] >= (int32_t)x[in.rs2])
				npc = pc + (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_BLTU)
			if (x[in.rs1] < x[in.rs2])
				npc = pc + (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_BGEU)
			if (x[in.rs1] >= x[in.rs2])
				npc = pc + (uint32_t)in.imm;
			vmbreak;

		vmcase(OP_LB) {
			uint8_t v;

			if (unlikely(mmu_load8(m, x[in.rs1] + (uint32_t)in.imm,
					       &v)))
				goto load_fault;
			x[in.rd] = (uint32_t)(int32_t)(int8_t)v;
			vmbreak;
		}
		vmcase(OP_LBU) {
			uint8_t v;

			if (unlikely(mmu_load8(m, x[in.rs1] + (uint32_t)in.imm,
					       &v)))
				goto load_fault;
			x[in.rd] = v;
			vmbreak;
		}
		vmcase(OP_LH) {
			uint16_t v;

			if (unlikely(mmu_load16(m, x[in.rs1] + (uint32_t)in.imm,
						&v)))
				goto load_fault;
			x[in.rd] = (uint32_t)(int32_t)(int16_t)v;
			vmbreak;
		}
		vmcase(OP_LHU) {
			uint16_t v;

			if (unlikely(mmu_load16(m, x[in.rs1] + (uint32_t)in.imm,
						&v)))
				goto load_fault;
			x[in.rd] = v;
			vmbreak;
		}
		vmcase(OP_LW) {
			uint32_t v;

			if (unlikely(mmu_load32(m, x[in.rs1] + (uint32_t)in.imm,
						&v)))
				goto load_fault;
			x[in.rd] = v;
			vmbreak;
		}
		vmcase(OP_SB)
			if (unlikely(mmu_store8(m, x[in.rs1] + (uint32_t)in.imm,
						(uint8_t)x[in.rs2])))
				goto store_fault;
			vmbreak;
		vmcase(OP_SH)
			if (unlikely(mmu_store16(m, x[in.rs1] + (uint32_t)in.imm,
						 (uint16_t)x[in.rs2])))
				goto store_fault;
			vmbreak;
		vmcase(OP_SW)
			if (unlikely(mmu_store32(m, x[in.rs1] + (uint32_t)in.imm,
						 x[in.rs2])))
				goto store_fault;
			vmbreak;

		vmcase(OP_ADDI)
			x[in.rd] = x[in.rs1] + (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_SLTI)
			x[in.rd] = (int32_t)x[in.rs1] < in.imm;
			vmbreak;
		vmcase(OP_SLTIU)
			x[in.rd] = x[in.rs1] < (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_XORI)
			x[in.rd] = x[in.rs1] ^ (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_ORI)
			x[in.rd] = x[in.rs1] | (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_ANDI)
			x[in.rd] = x[in.rs1] & (uint32_t)in.imm;
			vmbreak;
		vmcase(OP_SLLI)
			x[in.rd] = x[in.rs1] << in.imm;
			vmbreak;
		vmcase(OP_SRLI)
			x[in.rd] = x[in.rs1] >> in.imm;
			vmbreak;
		vmcase(OP_SRAI)
			x[in.rd] = (uint32_t)((int32_t)x[in.rs1] >> in.imm);
			vmbreak;

		vmcase(OP_ADD)
			x[in.rd] = x[in.rs1] + x[in.rs2];
			vmbreak;
		vmcase(OP_SUB)
			x[in.rd] = x[in.rs1] - x[in.rs2];
			vmbreak;
		vmcase(OP_SLL)
			x[in.rd] = x[in.rs1] << (x[in.rs2] & 31);
			vmbreak;
		vmcase(OP_SLT)
			x[in.rd] = (int32_t)x[in.rs1] < (int32_t)x[in.rs2];
			vmbreak;
		vmcase(OP_SLTU)
			x[in.rd] = x[in.rs1] < x[in.rs2];
			vmbreak;
		vmcase(OP_XOR)
			x[in.rd] = x[in.rs1] ^ x[in.rs2];
			vmbreak;
		vmcase(OP_SRL)
			x[in.rd] = x[in.rs1] >> (x[in.rs2] & 31);
			vmbreak;
		vmcase(OP_SRA)
			x[in.rd] = (uint32_t)((int32_t)x[in.rs1] >>
					      (x[in.rs2] & 31));
			vmbreak;
		vmcase(OP_OR)
			x[in.rd] = x[in.rs1] | x[in.rs2];
			vmbreak;
		vmcase(OP_AND)
			x[in.rd] = x[in.rs1] & x[in.rs2];
			vmbreak;

		vmcase(OP_MUL)
			x[in.rd] = x[in.rs1] * x[in.rs2];
			vmbreak;
		vmcase(OP_MULH)
			x[in.rd] = (uint32_t)((uint64_t)((int64_t)(int32_t)x[in.rs1] *
							 (int64_t)(int32_t)x[in.rs2]) >> 32);
			vmbreak;
		vmcase(OP_MULHSU)
			/* |signed 32 x unsigned 32| < 2^63: fits in int64. */
			x[in.rd] = (uint32_t)((uint64_t)((int64_t)(int32_t)x[in.rs1] *
							 (int64_t)x[in.rs2]) >> 32);
			vmbreak;
		vmcase(OP_MULHU)
			x[in.rd] = (uint32_t)(((uint64_t)x[in.rs1] *
					       x[in.rs2]) >> 32);
			vmbreak;
		vmcase(OP_DIV) {
			int32_t a = (int32_t)x[in.rs1], d = (int32_t)x[in.rs2];

			if (unlikely(d == 0))
				x[in.rd] = UINT32_MAX;
			else if (unlikely(a == INT32_MIN && d == -1))
				x[in.rd] = (uint32_t)INT32_MIN;
			else
				x[in.rd] = (uint32_t)(a / d);
			vmbreak;
		}
		vmcase(OP_DIVU)
			x[in.rd] = x[in.rs2] ? x[in.rs1] / x[in.rs2] : UINT32_MAX;
			vmbreak;
		vmcase(OP_REM) {
			int32_t a = (int32_t)x[in.rs1], d = (int32_t)x[in.rs2];

			if (unlikely(d == 0))
				x[in.rd] = (uint32_t)a;
			else if (unlikely(a == INT32_MIN && d == -1))
				x[in.rd] = 0;
			else
				x[in.rd] = (uint32_t)(a % d);
			vmbreak;
		}
		vmcase(OP_REMU)
			x[in.rd] = x[in.rs2] ? x[in.rs1] % x[in.rs2] : x[in.rs1];
			vmbreak;

		vmcase(OP_FENCE)
			vmbreak;
		vmcase(OP_FENCE_I)
			/*
			 * No decoded-instruction cache yet.  When one exists,
			 * invalidate it here (and on stores to code pages).
			 */
			vmbreak;
		vmcase(OP_ECALL)
			tval = 0;
			cause = TRAP_ECALL;
			goto trap;
		vmcase(OP_EBREAK)
			tval = 0;
			cause = TRAP_EBREAK;
			goto trap;

		vmcase(OP_CSRRW)
		vmcase(OP_CSRRS)
		vmcase(OP_CSRRC)
		vmcase(OP_CSRRWI)
		vmcase(OP_CSRRSI)
		vmcase(OP_CSRRCI) {
			uint32_t v;
			bool writes;

			/*
			 * Every counter is read-only: csrrw(i) always writes,
			 * csrrs/c(i) write unless rs1 / uimm is zero.  The
			 * read happens before this instruction retires.
			 */
			writes = in.op == OP_CSRRW || in.op == OP_CSRRWI ||
				 in.rs1 != 0;
			if (unlikely(writes ||
				     !csr_read(c, n, (unsigned)in.imm, &v)))
				goto illegal;
			x[in.rd] = v;
			vmbreak;
		}

		vmcase(OP_LR_W) {
			uint32_t va = x[in.rs1], v;

			if (unlikely(va & 3))
				goto misaligned_amo;
			if (unlikely(mmu_load32(m, va, &v)))
				goto load_fault;
			c->resv_addr = va;
			c->resv_valid = true;
			x[in.rd] = v;
			vmbreak;
		}
		vmcase(OP_SC_W) {
			uint32_t va = x[in.rs1];

			if (unlikely(va & 3))
				goto misaligned_amo;
			if (c->resv_valid && c->resv_addr == va) {
				/* A faulting SC keeps the reservation: the
				 * instruction did not execute. */
				if (unlikely(mmu_store32(m, va, x[in.rs2])))
					goto store_fault;
				x[in.rd] = 0;
			} else {
				x[in.rd] = 1;
			}
			c->resv_valid = false;
			vmbreak;
		}
		vmcase(OP_AMOSWAP_W)
		vmcase(OP_AMOADD_W)
		vmcase(OP_AMOXOR_W)
		vmcase(OP_AMOAND_W)
		vmcase(OP_AMOOR_W)
		vmcase(OP_AMOMIN_W)
		vmcase(OP_AMOMAX_W)
		vmcase(OP_AMOMINU_W)
		vmcase(OP_AMOMAXU_W) {
			uint32_t va = x[in.rs1], old;

			if (unlikely(va & 3))
				goto misaligned_amo;
			if (unlikely(amo_rmw(m, va, in.op, x[in.rs2], &old)))
				goto store_fault;
			x[in.rd] = old;
			vmbreak;
		}

		vmcase(OP_ILLEGAL)
		default:
			goto illegal;
		}
		pc = npc;
		n++;
	}

illegal:
	tval = raw;
	cause = TRAP_ILLEGAL;
	goto trap;
misaligned_amo:
	tval = x[in.rs1];
	cause = TRAP_MISALIGNED_AMO;
	goto trap;
load_fault:
	tval = m->fault.va;
	cause = TRAP_LOAD_FAULT;
	goto trap;
store_fault:
	tval = m->fault.va;
	cause = TRAP_STORE_FAULT;
trap:
	/* pc already names the trapping instruction; it did not retire. */
out:
	x[0] = 0;
	c->pc = pc;
	c->cause = cause;
	c->tval = tval;
	c->instret += n;
	c->cycle += n;
	m->i_fast_hits += ihits;
	return cause;
}
