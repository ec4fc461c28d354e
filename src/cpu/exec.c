/*
 * The interpreter: threaded dispatch over the pre-decoded instruction cache.
 *
 * Fetch.  pc's page is translated through the I-TLB (mmu_fetch_frame(), one
 * counted lookup) whenever execution enters a page other than the current
 * one; every other fetch is the same I-TLB entry hitting again and is
 * counted in mmu->i_fast_hits, exactly as if each fetch were looked up:
 * i_fast_hits += instructions fetched - page lookups, worked out once at
 * the exit.  The page's frame selects its decoded block (icache.h), and
 * each slot of the block is one instruction, ready to execute.
 *
 * Dispatch.  Every handler ends by jumping straight to the next slot's
 * handler, whose address the slot holds (direct threading: s->h, bound by
 * ic_bind() whenever s->op changes; a switch on s->op when the compiler
 * has no label addresses).  Straight-line code never looks at pc's page or the budget:
 * falling off the end of a page lands on the block's sentinel slot, and a
 * run of instructions is entered only through `entry:`, which compares the
 * run's length with the budget left.  When the run is longer, the slot at
 * which the budget runs out is patched with XOP_STOP for the duration, so
 * the budget still stops the hart between exactly the same instructions.
 *
 * Hot state lives in locals: pc, the current slot, the registers (x[32] is
 * the sink that x0 writes are decoded to), the retired count and the mirror
 * hits, and acc, the value the last instruction wrote to its rd, which the
 * chained twins of dependent instructions read instead of x[rs1] (see
 * IC_CHAINED in icache.h; ENTER() reloads it for the slot it enters).  They are written back only at the one exit, so every trap leaves
 * through `trap:` (pc = the trapping instruction) and the budget through
 * `out:` (pc = the next instruction).  Nothing inside cpu_run() changes the
 * TLBs except the MMU's own slow paths, so a page's translation stays valid
 * until pc leaves it.
 *
 * Debugging (debug.c) adds nothing to a handler: a breakpoint is a slot
 * patched with XOP_BKPT, which stops before the instruction, and an access
 * a watchpoint saw stops the hart after its instruction, at store_obs
 * (slow stores) or through the next slot patched like XOP_STOP (loads).
 * Whether anybody observes the MMU's slow paths (mmu_observed(): events,
 * watchpoints, the mirrors off) is asked once per run, into `obs`: if
 * not, the slow paths are the __mmu_*() that test nothing, and the only
 * cost of all this is a test of obs on each of them; if so, OBS_CLOCK()
 * brings c->instret, the events' clock, up to date before each.
 */
/*
 * Each handler must keep its own indirect jump (that is the point of
 * threading: one branch-predictor entry per opcode).  GCC would otherwise
 * merge the identical tails into one shared jump, and its GCSE pass is
 * known to hurt computed-goto loops (see the GCC manual on -fgcse).
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-crossjumping", "no-gcse")
#endif

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "cpu/decode_inline.h"
#include "cpu/exec.h"
#include "cpu/icache.h"

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
 * Dispatch in the style of Lua's lvm.c/ljumptab.h: the opcode bodies are
 * written with vmcase() labels and end in DISPATCH(), which is an indirect
 * jump through a table of label addresses with GNU C, a jump back to one
 * switch otherwise (or when MMULAB_SWITCH_DISPATCH is defined).
 */
#if defined(__GNUC__) && !defined(MMULAB_SWITCH_DISPATCH)
#define CPU_THREADED 1
#define vmcase(l) L_##l:
#define DISPATCH() goto *s->h
#else
#define CPU_THREADED 0
#define vmcase(l) case l:
#define DISPATCH() goto dispatch
#endif

/*
 * Value of counter @csr for an instruction executed after @c->cycle was
 * last written back, and @instret0 retired before this run, plus @n
 * retired in this run.  (c->instret itself may run ahead as the tracer's
 * clock: see OBS_CLOCK().)  Returns false for any CSR that does not
 * exist here.
 */
static inline bool csr_read(const struct cpu *c, uint64_t instret0,
			    uint64_t n, unsigned csr, uint32_t *out)
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
		v = instret0 + n;
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
 * Otherwise one write translation through the slow path (a single counted
 * lookup: W implies R, A/D are set, decoded code on the page is dropped,
 * and a fault is a store fault) gives the host word to update.
 */
static inline int amo_rmw(struct mmu *m, gva_t va, unsigned op, uint32_t src,
			  uint32_t *old, bool obs)
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
	void *p = obs ? mmu_data_ptr(m, va, 4, ACC_WRITE)
		      : __mmu_data_ptr(m, va, 4, ACC_WRITE);
	if (!p)
		return -1;
	if (obs && m->watch.nr)	/* the AMO reads too */
		mmu_watch_access(m, va, 4, ACC_READ);
	memcpy(&v, p, 4);
	*old = v;
	v = amo_apply(op, v, src);
	memcpy(p, &v, 4);
	return 0;
}

/*
 * The encoding of a CSR instruction, rebuilt from its slot for the trap
 * value of an illegal access (CSR instructions are never compressed).
 */
static __cold uint32_t csr_raw(const struct ic_slot *s)
{
	static const uint8_t f3[] = {
		[OP_CSRRW - OP_CSRRW] = 1, [OP_CSRRS - OP_CSRRW] = 2,
		[OP_CSRRC - OP_CSRRW] = 3, [OP_CSRRWI - OP_CSRRW] = 5,
		[OP_CSRRSI - OP_CSRRW] = 6, [OP_CSRRCI - OP_CSRRW] = 7,
	};
	unsigned rd = s->rd == 32 ? 0 : s->rd;

	return (uint32_t)s->imm << 20 | (uint32_t)s->rs1 << 15 |
	       (uint32_t)f3[s->op - OP_CSRRW] << 12 | rd << 7 | 0x73u;
}

/*
 * The slow paths of LOAD() and STORE(), out of line: *_slow for a run
 * nobody observes (__mmu_data_ptr()), *_obs for one observed
 * (mmu_data_ptr()).  An access inside one page is translated by the MMU
 * and its fixed number of bytes moved here; only a page-crossing one takes
 * mmu_load_slow()/mmu_store_slow().  The loads return the value instead of
 * writing through a pointer, so that the fast path's value can stay in a
 * register.
 */
#define CROSSES_PAGE(va, size) (((va) & ~PAGE_MASK) > PAGE_SIZE - (size))
#define DEFINE_SLOW(bits, kind, data_ptr)                                     \
	static __noinline uint##bits##_t load_##kind##bits(struct mmu *m,     \
							   gva_t va,          \
							   bool *fail)        \
	{                                                                     \
		uint##bits##_t v = 0;                                         \
		const void *p;                                                \
                                                                              \
		if (unlikely(CROSSES_PAGE(va, (bits) / 8))) {                 \
			*fail = mmu_load_slow(m, va, &v, (bits) / 8) != 0;    \
			return v;                                             \
		}                                                             \
		p = data_ptr(m, va, (bits) / 8, ACC_READ);                    \
		*fail = !p;                                                   \
		if (likely(p))                                                \
			memcpy(&v, p, (bits) / 8);                            \
		return v;                                                     \
	}                                                                     \
	static __noinline int store_##kind##bits(struct mmu *m, gva_t va,     \
						 uint##bits##_t v)            \
	{                                                                     \
		void *p;                                                      \
                                                                              \
		if (unlikely(CROSSES_PAGE(va, (bits) / 8)))                   \
			return mmu_store_slow(m, va, &v, (bits) / 8);         \
		p = data_ptr(m, va, (bits) / 8, ACC_WRITE);                   \
		if (unlikely(!p))                                             \
			return -1;                                            \
		memcpy(p, &v, (bits) / 8);                                    \
		return 0;                                                     \
	}
DEFINE_SLOW(8, slow, __mmu_data_ptr)
DEFINE_SLOW(16, slow, __mmu_data_ptr)
DEFINE_SLOW(32, slow, __mmu_data_ptr)
DEFINE_SLOW(8, obs, mmu_data_ptr)
DEFINE_SLOW(16, obs, mmu_data_ptr)
DEFINE_SLOW(32, obs, mmu_data_ptr)

/*
 * A watchpoint fired in the load at @s, which falls through to the next
 * slot like every load: patch that slot with XOP_STOP as the budget does
 * (taking over from @patched, the budget's patch) so that the hart stops
 * right after the load retires.  Returns the slot now patched.
 */
static __cold __noinline struct ic_slot *
watch_stop_next(const struct icache *ic, const struct ic_slot *s,
		struct ic_slot *patched)
{
	struct ic_slot *t = (struct ic_slot *)((char *)s + s->adv);

	if (patched && patched->op == XOP_STOP) {
		patched->op = patched->saved_op;
		ic_bind(ic, patched);
	}
	t->saved_op = t->op;
	t->op = XOP_STOP;
	ic_bind(ic, t);
	return t;
}

/*
 * Counting.  left is the budget minus the instructions retired before the
 * current run minus the length of that run when it was entered, so while
 * the slot s of the run has not retired, total - left - s->run
 * instructions have.  Entering a run (ENTER()) subtracts its length, and
 * leaving it after its last instruction needs nothing at all; a negative
 * left means the run is longer than the budget (see over_budget:).
 */
#define RETIRED() ((uint64_t)(total - left - s->run))
#define PC() (pcbase + s->off)

/*
 * The tracer's clock is c->instret (cpu_init()).  In an observed run,
 * bring it up to date before a slow path that may emit events, @k being
 * the instructions retired in this run; the exit writes the final value.
 */
#define OBS_CLOCK(k)                                                          \
	do {                                                                  \
		if (unlikely(obs))                                            \
			c->instret = instret0 + (k);                          \
	} while (0)

/* Start the run at s: the one place that looks at the budget. */
#define ENTER()                                                               \
	do {                                                                  \
		acc = x[s->rs1];                                              \
		left -= s->run;                                               \
		if (unlikely(left < 0))                                       \
			goto over_budget;                                     \
		DISPATCH();                                                   \
	} while (0)

/* A branch or jump to a slot of the same block, decoded as "near". */
#define NEAR_TARGET() ((struct ic_slot *)((char *)s + s->imm))

/* One step along straight-line code: the instruction at s retired. */
#define NEXT_ADV(a)                                                           \
	do {                                                                  \
		s = (struct ic_slot *)((char *)s + (a));                      \
		DISPATCH();                                                   \
	} while (0)
#define NEXT() NEXT_ADV(s->adv)

/* Data accesses through the mirrors (mmu.h), with the hits counted in a
 * local.  A slow store may clear decoded blocks (the current one too), so
 * stores note the slot's run and advance first and check ic->clears. */
#define LOAD(bits, va, out, fail)                                             \
	do {                                                                  \
		const struct mmu_fast *f_ = &fast_r[((va) >> PAGE_SHIFT) &    \
						    dmask];                   \
		uint##bits##_t t_;                                            \
		if (likely(MMU_FAST_TAG((va), (bits) / 8) == f_->tag)) {      \
			dhits++;                                              \
			memcpy(&t_, (const void *)(f_->addend + (va)),        \
			       (bits) / 8);                                   \
		} else if (likely(!obs)) {                                    \
			t_ = load_slow##bits(m, (va), &slow_fail);            \
			if (unlikely(slow_fail))                              \
				goto fail;                                    \
		} else {                                                      \
			c->instret = instret0 + RETIRED();                    \
			t_ = load_obs##bits(m, (va), &slow_fail);             \
			if (unlikely(slow_fail))                              \
				goto fail;                                    \
			if (m->watch.hit) {                                   \
				c->watch_pc = PC();                           \
				patched = watch_stop_next(ic, s, patched);    \
			}                                                     \
		}                                                             \
		(out) = t_;                                                   \
	} while (0)

#define SLOW_STORE_PREP()                                                     \
	do {                                                                  \
		pc = PC();                                                    \
		cl_n = RETIRED();                                             \
		cl_adv = s->adv;                                              \
		cl_gen = ic->clears;                                          \
	} while (0)

#define STORE(bits, va, val, adv)                                             \
	do {                                                                  \
		uint##bits##_t v_ = (uint##bits##_t)(val);                    \
		const struct mmu_fast *f_ = &fast_w[((va) >> PAGE_SHIFT) &    \
						    dmask];                   \
		if (likely(MMU_FAST_TAG((va), (bits) / 8) == f_->tag)) {      \
			dhits++;                                              \
			memcpy((void *)(f_->addend + (va)), &v_, (bits) / 8); \
			NEXT_ADV(adv);                                        \
		}                                                             \
		SLOW_STORE_PREP();                                            \
		if (likely(!obs)) {                                           \
			if (unlikely(store_slow##bits(m, (va), v_)))          \
				goto store_fault;                             \
			goto store_done;                                      \
		}                                                             \
		c->instret = instret0 + cl_n;                                 \
		if (unlikely(store_obs##bits(m, (va), v_)))                   \
			goto store_fault;                                     \
		goto store_obs;                                               \
	} while (0)

enum cpu_trap cpu_exec(struct cpu *c, uint64_t budget)
{
#if CPU_THREADED
	/* cppcheck reads the label addresses (&&label) as logical ands */
	static const void *const disptab[XOP_COUNT] = {
		/* cppcheck-suppress assignBoolToPointer */
		[OP_ILLEGAL] = &&L_OP_ILLEGAL,
		/* cppcheck-suppress assignBoolToPointer */
		[OP_LUI] = &&L_OP_LUI, [OP_AUIPC] = &&L_OP_AUIPC,
		[OP_JAL] = &&L_OP_JAL, [OP_JALR] = &&L_OP_JALR,
		[OP_BEQ] = &&L_OP_BEQ, [OP_BNE] = &&L_OP_BNE,
		[OP_BLT] = &&L_OP_BLT, [OP_BGE] = &&L_OP_BGE,
		[OP_BLTU] = &&L_OP_BLTU, [OP_BGEU] = &&L_OP_BGEU,
		[OP_LB] = &&L_OP_LB, [OP_LH] = &&L_OP_LH, [OP_LW] = &&L_OP_LW,
		[OP_LBU] = &&L_OP_LBU, [OP_LHU] = &&L_OP_LHU,
		[OP_SB] = &&L_OP_SB, [OP_SH] = &&L_OP_SH, [OP_SW] = &&L_OP_SW,
		[OP_ADDI] = &&L_OP_ADDI, [OP_SLTI] = &&L_OP_SLTI,
		[OP_SLTIU] = &&L_OP_SLTIU, [OP_XORI] = &&L_OP_XORI,
		[OP_ORI] = &&L_OP_ORI, [OP_ANDI] = &&L_OP_ANDI,
		[OP_SLLI] = &&L_OP_SLLI, [OP_SRLI] = &&L_OP_SRLI,
		[OP_SRAI] = &&L_OP_SRAI,
		[OP_ADD] = &&L_OP_ADD, [OP_SUB] = &&L_OP_SUB,
		[OP_SLL] = &&L_OP_SLL, [OP_SLT] = &&L_OP_SLT,
		[OP_SLTU] = &&L_OP_SLTU, [OP_XOR] = &&L_OP_XOR,
		[OP_SRL] = &&L_OP_SRL, [OP_SRA] = &&L_OP_SRA,
		[OP_OR] = &&L_OP_OR, [OP_AND] = &&L_OP_AND,
		[OP_FENCE] = &&L_OP_FENCE, [OP_FENCE_I] = &&L_OP_FENCE_I,
		[OP_ECALL] = &&L_OP_ECALL, [OP_EBREAK] = &&L_OP_EBREAK,
		[OP_CSRRW] = &&L_OP_CSRRW, [OP_CSRRS] = &&L_OP_CSRRS,
		[OP_CSRRC] = &&L_OP_CSRRC, [OP_CSRRWI] = &&L_OP_CSRRWI,
		[OP_CSRRSI] = &&L_OP_CSRRSI, [OP_CSRRCI] = &&L_OP_CSRRCI,
		[OP_MUL] = &&L_OP_MUL, [OP_MULH] = &&L_OP_MULH,
		[OP_MULHSU] = &&L_OP_MULHSU, [OP_MULHU] = &&L_OP_MULHU,
		[OP_DIV] = &&L_OP_DIV, [OP_DIVU] = &&L_OP_DIVU,
		[OP_REM] = &&L_OP_REM, [OP_REMU] = &&L_OP_REMU,
		[OP_LR_W] = &&L_OP_LR_W, [OP_SC_W] = &&L_OP_SC_W,
		[OP_AMOSWAP_W] = &&L_OP_AMOSWAP_W,
		[OP_AMOADD_W] = &&L_OP_AMOADD_W,
		[OP_AMOXOR_W] = &&L_OP_AMOXOR_W,
		[OP_AMOAND_W] = &&L_OP_AMOAND_W,
		[OP_AMOOR_W] = &&L_OP_AMOOR_W,
		[OP_AMOMIN_W] = &&L_OP_AMOMIN_W,
		[OP_AMOMAX_W] = &&L_OP_AMOMAX_W,
		[OP_AMOMINU_W] = &&L_OP_AMOMINU_W,
		[OP_AMOMAXU_W] = &&L_OP_AMOMAXU_W,
		[XOP_PAGE_END] = &&L_XOP_PAGE_END,
		[XOP_CROSS] = &&L_XOP_CROSS,
		[XOP_RESYNC] = &&L_XOP_RESYNC,
		[XOP_STOP] = &&L_XOP_STOP,
		[XOP_BKPT] = &&L_XOP_BKPT,
		[XOP_C_ADDI] = &&L_XOP_C_ADDI,
		[XOP_C_LW] = &&L_XOP_C_LW,
		[XOP_C_SW] = &&L_XOP_C_SW,
		[XOP_C_LUI] = &&L_XOP_C_LUI,
		[XOP_C_SLLI] = &&L_XOP_C_SLLI,
		[XOP_C_SRLI] = &&L_XOP_C_SRLI,
		[XOP_C_SRAI] = &&L_XOP_C_SRAI,
		[XOP_C_ANDI] = &&L_XOP_C_ANDI,
		[XOP_C_SUB] = &&L_XOP_C_SUB,
		[XOP_C_XOR] = &&L_XOP_C_XOR,
		[XOP_C_OR] = &&L_XOP_C_OR,
		[XOP_C_AND] = &&L_XOP_C_AND,
		[XOP_C_ADD] = &&L_XOP_C_ADD,
		[XOP_BEQ_N] = &&L_XOP_BEQ_N,
		[XOP_BNE_N] = &&L_XOP_BNE_N,
		[XOP_BLT_N] = &&L_XOP_BLT_N,
		[XOP_BGE_N] = &&L_XOP_BGE_N,
		[XOP_BLTU_N] = &&L_XOP_BLTU_N,
		[XOP_BGEU_N] = &&L_XOP_BGEU_N,
		[XOP_JAL_N] = &&L_XOP_JAL_N,
#define CH_LABEL(op) [op##_CH] = &&L_##op##_CH,
		IC_CHAINED(CH_LABEL)
#undef CH_LABEL
	};
#endif
	struct mmu *m = c->mmu;
	struct icache *ic = icache_of(m);
	const struct mmu_fast *const fast_r = m->fast_r;
	const struct mmu_fast *const fast_w = m->fast_w;
	const uint32_t dmask = m->dmask;
	uint32_t x[33];		/* x[32]: where writes to x0 go */
	uint32_t acc = 0;	/* chaining: see IC_CHAINED in icache.h */
	/* sepc[0] is hard-wired to zero with IALIGN=16; pc stays even since. */
	uint32_t pc = c->pc & ~1u; /* valid at run boundaries only */
	uint32_t tval = 0;
	const uint64_t instret0 = c->instret;
	/* anybody watching the MMU's slow paths (see the head comment) */
	const bool obs = mmu_observed(m);
	/* the budget, as a signed count (no run is 2^63 long) */
	const int64_t total = budget > INT64_MAX ? INT64_MAX : (int64_t)budget;
	int64_t left = total;	/* see RETIRED() */
	uint64_t n;		/* retired, worked out at the exit */
	uint64_t dhits = 0;	/* D-TLB mirror hits */
	uint64_t lookups = 0;	/* I-TLB lookups for a first parcel */
	bool fetched = true;	/* the instruction we stop at was fetched */
	gva_t page_va = 1;	/* no page: never equals a page-aligned va */
	gva_t pcbase = 0;	/* pc = pcbase + s->off */
	struct ic_block *blk = NULL;
	struct ic_slot *s = NULL;
	struct ic_slot *patched = NULL; /* slot holding XOP_STOP */
	struct ic_slot scratch[3];	/* the page-crossing instruction */
	/* a slow store's pc is in pc and: */
	uint64_t cl_gen = 0;	/* ic->clears before it */
	uint64_t cl_n = 0;	/* instructions retired before it */
	unsigned cl_adv = 0;	/* its slot's adv */
	bool slow_fail;		/* a slow load faulted */
	enum cpu_trap cause;

#if CPU_THREADED
	ic->disptab = disptab;
#endif
	memcpy(x, c->x, sizeof(c->x));
	x[0] = 0;
	x[32] = 0;
	ic->epoch++;
	memset(scratch, 0, sizeof(scratch));
	scratch[0].off = PAGE_SIZE - 2;
	scratch[2].op = XOP_RESYNC;
	scratch[2].off = PAGE_SIZE + 2;	/* PC() after the crossing insn */
	ic_bind(ic, &scratch[2]);
	goto newpage;

	/*
	 * pc has left the current page (or no page is current yet): look
	 * its page up in the I-TLB -- unless the budget is used up, which
	 * stops the hart before the fetch.  No run is current: total - left
	 * have retired.
	 */
newpage: {
	const uint8_t *host;
	pfn_t pfn;

	n = (uint64_t)(total - left);
	if (unlikely(left <= 0))
		goto budget_out;
	lookups++;
	if (likely(!obs)) {
		if (unlikely(__mmu_fetch_frame(m, pc, &host, &pfn)))
			goto fetch_fault;
	} else {
		c->instret = instret0 + n;
		if (unlikely(mmu_fetch_frame(m, pc, &host, &pfn)))
			goto fetch_fault;
	}
	page_va = pcbase = pc & PAGE_MASK;
	blk = icache_block(ic, pfn, host);
	s = &blk->s[(pc & ~PAGE_MASK) >> 1];
	goto entry;
}

	/* The last instruction of the run retired and transferred to pc. */
jump:
	if (unlikely((pc & PAGE_MASK) != page_va))
		goto newpage;
	pcbase = page_va;
	s = &blk->s[(pc & ~PAGE_MASK) >> 1];
	/* fall through */

	/*
	 * The start of a run of s->run instructions (0 for a slot not yet
	 * decoded and for the sentinels, which come back here).  Handlers
	 * that end a run inline the same ENTER(), each with its own dispatch.
	 */
entry:
	ENTER();

	/*
	 * The run at s is longer than the budget left, k: stop before its
	 * k-th instruction by patching that slot with XOP_STOP.  RETIRED()
	 * stays right throughout the run (left is negative meanwhile).
	 */
over_budget: {
	uint64_t k = (uint64_t)(left + s->run);
	struct ic_slot *t = s;

	if (k == 0)
		goto budget_at_s;
	for (; k; k--)
		t = (struct ic_slot *)((char *)t + t->adv);
	if (patched && patched->op == XOP_STOP) {
		patched->op = patched->saved_op;
		ic_bind(ic, patched);
	}
	t->saved_op = t->op;
	t->op = XOP_STOP;
	ic_bind(ic, t);
	patched = t;
	DISPATCH();
}

	/* A slow store in an observed run retired: if it set off a
	 * watchpoint, stop right after it. */
store_obs:
	if (m->watch.hit) {
		c->watch_pc = pc;
		pc += cl_adv == IC_ADV16 ? 2 : 4;
		n = cl_n + 1;
		goto budget_out;
	}
	/* fall through */

	/* A slow store retired; if it cleared blocks, re-enter at the next
	 * slot as at the start of a run (its run count may be gone). */
store_done:
	if (likely(ic->clears == cl_gen))
		NEXT_ADV(cl_adv);
	left = total - (int64_t)cl_n - 1;
	s = (struct ic_slot *)((char *)s + cl_adv);
	goto entry;

#if !CPU_THREADED
dispatch:
	switch (s->op) {
#endif
	/*
	 * The ops of IC_CHAINED (icache.h) come in pairs: the plain handler
	 * reads rs1 from the register file, its _CH twin from acc.  Both, and
	 * every other handler that writes_acc() (icache.c), leave the value
	 * written to rd in acc as well.
	 */
#define CHAINED(op, a, ...)                                                   \
	vmcase(op) {                                                          \
		const uint32_t a = x[s->rs1];                                 \
		__VA_ARGS__                                                   \
	}                                                                     \
	vmcase(op##_CH) {                                                     \
		const uint32_t a = acc;                                       \
		__VA_ARGS__                                                   \
	}
#define SET_RD(val)                                                           \
	do {                                                                  \
		acc = (val);                                                  \
		x[s->rd] = acc;                                               \
	} while (0)
	vmcase(OP_LUI)
		SET_RD((uint32_t)s->imm);
		NEXT_ADV(IC_ADV32);
	vmcase(XOP_C_LUI)
		SET_RD((uint32_t)s->imm);
		NEXT_ADV(IC_ADV16);
	vmcase(OP_AUIPC)
		SET_RD(PC() + (uint32_t)s->imm);
		NEXT_ADV(IC_ADV32);
	vmcase(OP_JAL)
		pc = PC();
		x[s->rd] = pc + s->len;
		pc += (uint32_t)s->imm;
		goto jump;
	vmcase(XOP_JAL_N)
		x[s->rd] = PC() + s->len;
		s = NEAR_TARGET();
		ENTER();
	vmcase(OP_JALR) {
		uint32_t t = (x[s->rs1] + (uint32_t)s->imm) & ~1u;

		x[s->rd] = PC() + s->len;
		pc = t;
		goto jump;
	}

#define BRANCH(cond)                                                          \
	do {                                                                  \
		if (cond) {                                                   \
			pc = PC() + (uint32_t)s->imm;                         \
			goto jump;                                            \
		}                                                             \
		s = (struct ic_slot *)((char *)s + s->adv);                   \
		goto entry;                                                   \
	} while (0)
	vmcase(OP_BEQ)
		BRANCH(x[s->rs1] == x[s->rs2]);
	vmcase(OP_BNE)
		BRANCH(x[s->rs1] != x[s->rs2]);
	vmcase(OP_BLT)
		BRANCH((int32_t)x[s->rs1] < (int32_t)x[s->rs2]);
	vmcase(OP_BGE)
		BRANCH((int32_t)x[s->rs1] >= (int32_t)x[s->rs2]);
	vmcase(OP_BLTU)
		BRANCH(x[s->rs1] < x[s->rs2]);
	vmcase(OP_BGEU)
		BRANCH(x[s->rs1] >= x[s->rs2]);
	/* the target is in this block: no pc, no page check */
#define BRANCH_NEAR(cond)                                                     \
	do {                                                                  \
		s = (cond) ? NEAR_TARGET()                                    \
			   : (struct ic_slot *)((char *)s + s->adv);          \
		ENTER();                                                      \
	} while (0)
	vmcase(XOP_BEQ_N)
		BRANCH_NEAR(x[s->rs1] == x[s->rs2]);
	vmcase(XOP_BNE_N)
		BRANCH_NEAR(x[s->rs1] != x[s->rs2]);
	vmcase(XOP_BLT_N)
		BRANCH_NEAR((int32_t)x[s->rs1] < (int32_t)x[s->rs2]);
	vmcase(XOP_BGE_N)
		BRANCH_NEAR((int32_t)x[s->rs1] >= (int32_t)x[s->rs2]);
	vmcase(XOP_BLTU_N)
		BRANCH_NEAR(x[s->rs1] < x[s->rs2]);
	vmcase(XOP_BGEU_N)
		BRANCH_NEAR(x[s->rs1] >= x[s->rs2]);
#undef BRANCH_NEAR
#undef BRANCH

#define DEFINE_LOAD_OP(op, bits, conv, adv)                                   \
	CHAINED(op, a_, {                                                     \
		uint32_t va = a_ + (uint32_t)s->imm;                          \
		uint##bits##_t v;                                             \
                                                                              \
		LOAD(bits, va, v, load_fault);                                \
		SET_RD(conv v);                                               \
		NEXT_ADV(adv);                                                \
	})
	DEFINE_LOAD_OP(OP_LB, 8, (uint32_t)(int32_t)(int8_t), IC_ADV32)
	DEFINE_LOAD_OP(OP_LBU, 8, (uint32_t), IC_ADV32)
	DEFINE_LOAD_OP(OP_LH, 16, (uint32_t)(int32_t)(int16_t), IC_ADV32)
	DEFINE_LOAD_OP(OP_LHU, 16, (uint32_t), IC_ADV32)
	DEFINE_LOAD_OP(OP_LW, 32, (uint32_t), IC_ADV32)
	DEFINE_LOAD_OP(XOP_C_LW, 32, (uint32_t), IC_ADV16)
#undef DEFINE_LOAD_OP

	vmcase(OP_SB) {
		uint32_t va = x[s->rs1] + (uint32_t)s->imm;

		STORE(8, va, x[s->rs2], IC_ADV32);
	}
	vmcase(OP_SH) {
		uint32_t va = x[s->rs1] + (uint32_t)s->imm;

		STORE(16, va, x[s->rs2], IC_ADV32);
	}
	vmcase(OP_SW) {
		uint32_t va = x[s->rs1] + (uint32_t)s->imm;

		STORE(32, va, x[s->rs2], IC_ADV32);
	}

	vmcase(XOP_C_SW) {
		uint32_t va = x[s->rs1] + (uint32_t)s->imm;

		STORE(32, va, x[s->rs2], IC_ADV16);
	}

	/* a = rs1's value, b = rs2's (or the immediate) */
#define ALU_I(op, expr, adv)                                                  \
	CHAINED(op, a, {                                                      \
		const uint32_t b = (uint32_t)s->imm;                          \
                                                                              \
		SET_RD(expr);                                                 \
		NEXT_ADV(adv);                                                \
	})
#define ALU_R(op, expr, adv)                                                  \
	CHAINED(op, a, {                                                      \
		const uint32_t b = x[s->rs2];                                 \
                                                                              \
		SET_RD(expr);                                                 \
		NEXT_ADV(adv);                                                \
	})
	ALU_I(OP_ADDI, a + b, IC_ADV32)
	ALU_I(XOP_C_ADDI, a + b, IC_ADV16)
	ALU_I(OP_SLTI, (int32_t)a < (int32_t)b, IC_ADV32)
	ALU_I(OP_SLTIU, a < b, IC_ADV32)
	ALU_I(OP_XORI, a ^ b, IC_ADV32)
	ALU_I(OP_ORI, a | b, IC_ADV32)
	ALU_I(OP_ANDI, a & b, IC_ADV32)
	ALU_I(XOP_C_ANDI, a & b, IC_ADV16)
	/* shift amounts were decoded to 0..31 */
	ALU_I(OP_SLLI, a << b, IC_ADV32)
	ALU_I(XOP_C_SLLI, a << b, IC_ADV16)
	ALU_I(OP_SRLI, a >> b, IC_ADV32)
	ALU_I(XOP_C_SRLI, a >> b, IC_ADV16)
	ALU_I(OP_SRAI, (uint32_t)((int32_t)a >> b), IC_ADV32)
	ALU_I(XOP_C_SRAI, (uint32_t)((int32_t)a >> b), IC_ADV16)

	ALU_R(OP_ADD, a + b, IC_ADV32)
	ALU_R(XOP_C_ADD, a + b, IC_ADV16)
	ALU_R(OP_SUB, a - b, IC_ADV32)
	ALU_R(XOP_C_SUB, a - b, IC_ADV16)
	ALU_R(OP_SLL, a << (b & 31), IC_ADV32)
	ALU_R(OP_SLT, (int32_t)a < (int32_t)b, IC_ADV32)
	ALU_R(OP_SLTU, a < b, IC_ADV32)
	ALU_R(OP_XOR, a ^ b, IC_ADV32)
	ALU_R(XOP_C_XOR, a ^ b, IC_ADV16)
	ALU_R(OP_SRL, a >> (b & 31), IC_ADV32)
	ALU_R(OP_SRA, (uint32_t)((int32_t)a >> (b & 31)), IC_ADV32)
	ALU_R(OP_OR, a | b, IC_ADV32)
	ALU_R(XOP_C_OR, a | b, IC_ADV16)
	ALU_R(OP_AND, a & b, IC_ADV32)
	ALU_R(XOP_C_AND, a & b, IC_ADV16)
	ALU_R(OP_MUL, a * b, IC_ADV32)
#undef ALU_R
#undef ALU_I
#undef CHAINED

	vmcase(OP_MULH)
		SET_RD((uint32_t)((uint64_t)((int64_t)(int32_t)x[s->rs1] *
					     (int64_t)(int32_t)x[s->rs2]) >>
				  32));
		NEXT_ADV(IC_ADV32);
	vmcase(OP_MULHSU)
		/* |signed 32 x unsigned 32| < 2^63: fits in int64. */
		SET_RD((uint32_t)((uint64_t)((int64_t)(int32_t)x[s->rs1] *
					     (int64_t)x[s->rs2]) >>
				  32));
		NEXT_ADV(IC_ADV32);
	vmcase(OP_MULHU)
		SET_RD((uint32_t)(((uint64_t)x[s->rs1] * x[s->rs2]) >> 32));
		NEXT_ADV(IC_ADV32);
	vmcase(OP_DIV) {
		int32_t a = (int32_t)x[s->rs1], d = (int32_t)x[s->rs2];

		if (unlikely(d == 0))
			SET_RD(UINT32_MAX);
		else if (unlikely(a == INT32_MIN && d == -1))
			SET_RD((uint32_t)INT32_MIN);
		else
			SET_RD((uint32_t)(a / d));
		NEXT_ADV(IC_ADV32);
	}
	vmcase(OP_DIVU)
		SET_RD(x[s->rs2] ? x[s->rs1] / x[s->rs2] : UINT32_MAX);
		NEXT_ADV(IC_ADV32);
	vmcase(OP_REM) {
		int32_t a = (int32_t)x[s->rs1], d = (int32_t)x[s->rs2];

		if (unlikely(d == 0))
			SET_RD((uint32_t)a);
		else if (unlikely(a == INT32_MIN && d == -1))
			SET_RD(0);
		else
			SET_RD((uint32_t)(a % d));
		NEXT_ADV(IC_ADV32);
	}
	vmcase(OP_REMU)
		SET_RD(x[s->rs2] ? x[s->rs1] % x[s->rs2] : x[s->rs1]);
		NEXT_ADV(IC_ADV32);
#undef SET_RD

	vmcase(OP_FENCE)
		NEXT_ADV(IC_ADV32);
	vmcase(OP_FENCE_I)
		/* Stores already drop the code they hit; FENCE.I also makes
		 * every other block decode again (and re-verify). */
		pc = PC() + s->len;
		icache_flush_all(ic);
		goto jump;
	vmcase(OP_ECALL)
		cause = TRAP_ECALL;
		goto trap_at_s;
	vmcase(OP_EBREAK)
		cause = TRAP_EBREAK;
		goto trap_at_s;

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
		 * csrrs/c(i) write unless rs1 / uimm is zero.  The read
		 * happens before this instruction retires.
		 */
		writes = s->op == OP_CSRRW || s->op == OP_CSRRWI ||
			 s->rs1 != 0;
		if (unlikely(writes || !csr_read(c, instret0, RETIRED(),
						 (unsigned)s->imm, &v)))
			goto illegal;
		x[s->rd] = v;
		NEXT_ADV(IC_ADV32);
	}

	vmcase(OP_LR_W) {
		uint32_t va = x[s->rs1], v;

		if (unlikely(va & 3))
			goto misaligned_amo;
		OBS_CLOCK(RETIRED());
		if (unlikely(mmu_load32(m, va, &v)))
			goto load_fault;
		if (unlikely(obs) && m->watch.hit) {
			c->watch_pc = PC();
			patched = watch_stop_next(ic, s, patched);
		}
		c->resv_addr = va;
		c->resv_valid = true;
		x[s->rd] = v;
		NEXT_ADV(IC_ADV32);
	}
	vmcase(OP_SC_W) {
		uint32_t va = x[s->rs1];
		unsigned rd = s->rd;

		if (unlikely(va & 3))
			goto misaligned_amo;
		if (!c->resv_valid || c->resv_addr != va) {
			x[rd] = 1;
			c->resv_valid = false;
			NEXT_ADV(IC_ADV32);
		}
		/* A faulting SC keeps the reservation: the instruction did
		 * not execute. */
		SLOW_STORE_PREP();
		OBS_CLOCK(cl_n);
		if (unlikely(mmu_store32(m, va, x[s->rs2])))
			goto store_fault;
		x[rd] = 0;
		c->resv_valid = false;
		if (unlikely(obs))
			goto store_obs;
		goto store_done;
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
		uint32_t va = x[s->rs1], old;
		unsigned rd = s->rd, op = s->op;

		if (unlikely(va & 3))
			goto misaligned_amo;
		SLOW_STORE_PREP();
		OBS_CLOCK(cl_n);
		if (unlikely(amo_rmw(m, va, op, x[s->rs2], &old, obs)))
			goto store_fault;
		x[rd] = old;
		if (unlikely(obs))
			goto store_obs;
		goto store_done;
	}

	vmcase(XOP_PAGE_END)
		/* sequential flow ran off the page into the next one */
		pc = PC();
		goto newpage;
	vmcase(XOP_CROSS) {
		/* The upper half of this instruction lies on the next page:
		 * look that page up (a counted I-TLB access, not a fetch of
		 * its own), decode into scratch[0] and make the next page the
		 * current one; scratch[2] finds pc's slot there afterwards. */
		gva_t nva = page_va + PAGE_SIZE;
		const uint8_t *host;
		uint16_t hi;
		uint32_t raw;
		struct insn in;
		pfn_t pfn;

		OBS_CLOCK(RETIRED());
		if (unlikely(mmu_fetch_frame(m, nva, &host, &pfn))) {
			cause = TRAP_FETCH_FAULT;
			pc = PC();
			n = RETIRED();
			goto mmu_fault;
		}
		memcpy(&hi, host, sizeof(hi));
		raw = (uint32_t)(uint16_t)s->imm | (uint32_t)hi << 16;
		decode32_inline(raw, &in);
		icache_fill_slot(ic, &scratch[0], &in, raw);
		scratch[0].run = 1;	/* as s->run: RETIRED() goes on */
		page_va = nva;		/* pcbase stays: PC() is still right */
		blk = icache_block(ic, pfn, host);
		s = &scratch[0];
		DISPATCH();
	}
	vmcase(XOP_RESYNC)
		/* the crossing instruction retired: on to page_va + 2 */
		pcbase = page_va;
		s = &blk->s[1];
		goto entry;
	vmcase(XOP_STOP)
		/* the budget ends before this instruction */
		s->op = s->saved_op;
		ic_bind(ic, s);
		patched = NULL;
		goto budget_at_s;
	vmcase(XOP_BKPT)
		/* Stop before this instruction, which a breakpoint may name
		 * (cpu_run() in debug.c decides, and steps over it).  It is
		 * not fetched now, as at a budget stop: its fetch is counted
		 * when it executes. */
		cause = TRAP_BREAKPOINT;
		pc = PC();
		n = RETIRED();
		fetched = false;
		goto trap;

	vmcase(OP_ILLEGAL)
#if !CPU_THREADED
	default:
#endif
		if (s->run == 0) {
			/* a slot not decoded yet: decode its run */
			icache_decode_run(ic, blk, (unsigned)(s - blk->s));
			goto entry;
		}
		goto illegal;
#if !CPU_THREADED
	}
#endif

illegal:
	tval = s->op == OP_ILLEGAL ? (uint32_t)s->imm : csr_raw(s);
	cause = TRAP_ILLEGAL;
	goto trap_at_s;
misaligned_amo:
	tval = x[s->rs1];
	cause = TRAP_MISALIGNED_AMO;
	goto trap_at_s;
fetch_fault:
	/* at newpage: pc and n are set */
	cause = TRAP_FETCH_FAULT;
	goto mmu_fault;
load_fault:
	cause = TRAP_LOAD_FAULT;
	pc = PC();
	n = RETIRED();
	goto mmu_fault;
store_fault:
	/* the slot may have been cleared: SLOW_STORE_PREP() saved pc, n */
	cause = TRAP_STORE_FAULT;
	n = cl_n;
	/* fall through */
mmu_fault:
	/* pc and n are set: what the MMU refused, for the kernel */
	tval = m->fault.va;
	c->fault_access = m->fault.access;
	c->fault_kind = m->fault.kind;
	goto trap;
trap_at_s:
	pc = PC();
	n = RETIRED();
	goto trap;
budget_at_s:
	pc = PC();
	n = RETIRED();
budget_out:
	fetched = false;
	cause = TRAP_BUDGET;
	if (unlikely(obs) && m->watch.hit) {
		/* the stop after an access a watchpoint saw (LOAD, store_obs) */
		cause = TRAP_WATCHPOINT;
		tval = m->watch.hit_addr;
		m->watch.hit = false;
	}
trap:
	/* pc names the instruction we stopped at; it did not retire. */
	if (patched && patched->op == XOP_STOP) {
		patched->op = patched->saved_op;
		ic_bind(ic, patched);
	}
	x[0] = 0;
	memcpy(c->x, x, sizeof(c->x));
	c->pc = pc;
	c->cause = cause;
	c->tval = tval;
	c->instret = instret0 + n;
	c->cycle += n;
	/*
	 * Every fetch but the first-parcel lookups hit the cached page.  A
	 * stop at a breakpoint right after looking its page up adds -1 (mod
	 * 2^64): that lookup is repeated when the instruction executes, and
	 * mmu_tlb_stats() sums the two counts.
	 */
	m->i_fast_hits += n + fetched - lookups;
	m->d_fast_hits += dhits;
	return cause;
}
