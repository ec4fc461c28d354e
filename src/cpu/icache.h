/*
 * The pre-decoded instruction cache, private to src/cpu/.
 *
 * One block per physical frame that has executed code: a slot per 16-bit
 * parcel (an instruction may start at any even offset) holding the decoded
 * instruction, plus a page-end sentinel.  Slots are decoded lazily, a
 * straight-line run at a time, and each knows how many instructions remain
 * in its run (slot.run), which lets the interpreter check its budget once
 * per run instead of once per instruction.
 *
 * Keeping the blocks exact:
 *  - while a block holds decoded slots its frame is marked in the MMU
 *    (mmu_code_mark), so no fast_w mirror points into it and every guest
 *    store to it goes through the slow path, which calls icache_drop()
 *    before writing: the slots are cleared and decoded again on next use;
 *  - anything else that may write the frame -- the kernel between runs
 *    (page reuse, COW copies, file reads), a test poking code -- is caught
 *    by comparing the frame with the block's shadow copy the first time the
 *    block is entered in each cpu_run() ("epoch"): a frame whose bytes are
 *    unchanged decodes to the same instructions, whoever owns it now;
 *  - FENCE.I clears every block.
 *
 * A cleared slot is all zero: op OP_ILLEGAL with run 0, which no decoded
 * slot has (a decoded illegal instruction ends its run: run 1).
 *
 * Breakpoints (debug.c) are slots too: the frame and offset of each
 * breakpoint's instruction, resolved by debug.c, is patched with XOP_BKPT
 * (the real op kept in bp_op) whenever it is decoded, so the interpreter
 * pays nothing for them until it reaches one.  Guest memory is never
 * written: the program reads its own code unchanged.
 */
#ifndef MMULAB_CPU_ICACHE_H
#define MMULAB_CPU_ICACHE_H

#include "cpu/decode.h"
#include "mmu/mmu.h"
#include "types.h"

#define IC_SLOTS (PAGE_SIZE / 2)
#define IC_BLOCKS 256		/* direct-mapped by frame number */
#define IC_NO_PFN (~(pfn_t)0)

/*
 * Chaining.  The interpreter keeps the value that the last instruction wrote
 * to its rd in a host register ("acc") as well as in the register file, and
 * reloads it from x[s->rs1] whenever it enters a run somewhere (a branch, a
 * jump, a new page...).  An instruction whose rs1 is the rd of its
 * straight-line predecessor p, where p is one of the ops that set acc
 * (icache.c: writes_acc()), is decoded as its chained twin, op##_CH, which
 * takes rs1's value from acc: the value then does not make a round trip
 * through memory between two dependent instructions.  For commutative ops,
 * rs1 and rs2 are swapped when rs2 is the one that was just written.
 * Chaining is an optimisation only: the plain op is always correct.
 */
#define IC_CHAINED(X)                                                         \
	X(OP_ADDI) X(XOP_C_ADDI) X(OP_SLTI) X(OP_SLTIU) X(OP_XORI) X(OP_ORI)  \
	X(OP_ANDI) X(XOP_C_ANDI) X(OP_SLLI) X(XOP_C_SLLI) X(OP_SRLI)          \
	X(XOP_C_SRLI) X(OP_SRAI) X(XOP_C_SRAI)                                \
	X(OP_ADD) X(XOP_C_ADD) X(OP_SUB) X(XOP_C_SUB) X(OP_SLL) X(OP_SLT)     \
	X(OP_SLTU) X(OP_XOR) X(XOP_C_XOR) X(OP_SRL) X(OP_SRA) X(OP_OR)        \
	X(XOP_C_OR) X(OP_AND) X(XOP_C_AND) X(OP_MUL)                          \
	X(OP_LB) X(OP_LBU) X(OP_LH) X(OP_LHU) X(OP_LW) X(XOP_C_LW)

/* Internal operations beyond enum insn_op. */
enum {
	XOP_PAGE_END = OP_COUNT, /* sentinel after the last parcel */
	XOP_CROSS,		 /* 32-bit instruction crossing the page end */
	XOP_RESYNC,		 /* after the crossing instruction: re-find pc */
	XOP_STOP,		 /* budget exhausted here (temporary patch) */
	XOP_BKPT,		 /* maybe a breakpoint here (see above) */
	/* compressed forms: their handlers step by a constant 2 bytes */
	XOP_C_ADDI, XOP_C_LW, XOP_C_SW, XOP_C_LUI, XOP_C_SLLI, XOP_C_SRLI,
	XOP_C_SRAI, XOP_C_ANDI, XOP_C_SUB, XOP_C_XOR, XOP_C_OR, XOP_C_AND,
	XOP_C_ADD,
	/* branches and jal whose target lies in the same page: imm is the
	 * distance in bytes from this slot to the target slot */
	XOP_BEQ_N, XOP_BNE_N, XOP_BLT_N, XOP_BGE_N, XOP_BLTU_N, XOP_BGEU_N,
	XOP_JAL_N,
	/* the chained twins of IC_CHAINED (OP_ADDI_CH, ...), see below */
#define IC_CH_ENUM(op) op##_CH,
	IC_CHAINED(IC_CH_ENUM)
#undef IC_CH_ENUM
	XOP_COUNT
};

_Static_assert(XOP_COUNT <= 256, "ops fit in ic_slot.op");

struct ic_slot {
	const void *h;	/* the handler of op (direct threading; see ic_bind) */
	uint8_t op;	/* enum insn_op or XOP_* */
	uint8_t rd;	/* 32 (the sink) when the instruction names x0 */
	uint8_t rs1, rs2;
	int32_t imm;	/* raw bits for OP_ILLEGAL (the trap value) */
	uint16_t run;	/* instructions from here to the end of the run */
	uint16_t off;	/* offset of the instruction in its page */
	uint8_t adv;	/* bytes to the next slot: len / 2 slots */
	uint8_t len;	/* 2 or 4 */
	uint8_t saved_op; /* the real op while patched with XOP_STOP */
	uint8_t bp_op;	/* the real op while patched with XOP_BKPT (which
			 * XOP_STOP may cover in turn) */
};

_Static_assert(sizeof(struct ic_slot) == 24, "three words a parcel");

/* adv of a 32-bit and of a 16-bit instruction */
#define IC_ADV32 (2 * sizeof(struct ic_slot))
#define IC_ADV16 sizeof(struct ic_slot)

struct ic_block {
	struct ic_slot s[IC_SLOTS + 1];
	pfn_t pfn;		/* IC_NO_PFN when unused */
	const uint8_t *host;	/* the frame's host memory */
	uint64_t epoch;		/* the run in which it was last verified */
	bool marked;		/* frame marked in the MMU: slots may be decoded */
	uint8_t shadow[PAGE_SIZE]; /* the frame's bytes when marked */
};

#define IC_MAX_BP 64

/* A breakpoint as the cache sees it: an instruction's place in a frame. */
struct ic_bp {
	pfn_t pfn;
	uint16_t off;		/* even byte offset in the frame */
};

struct icache {
	struct mmu *m;
	/* The interpreter's handler addresses by op, set by cpu_run() before
	 * any block exists (NULL when it dispatches with a switch). */
	const void *const *disptab;
	uint64_t epoch;		/* bumped by every cpu_run() */
	uint64_t clears;	/* blocks cleared by stores or FENCE.I */
	uint64_t decoded;	/* slots decoded, ever (for tests) */
	unsigned nr_bp;		/* the slots patched with XOP_BKPT */
	struct ic_bp bp[IC_MAX_BP];
	struct ic_block *b[IC_BLOCKS];
};

/* Point s->h at the handler of s->op: after every change of s->op. */
static inline void ic_bind(const struct icache *ic, struct ic_slot *s)
{
	s->h = ic->disptab ? ic->disptab[s->op] : NULL;
}

/* Fill @s from the decoded @in whose encoding is @raw (and ic_bind() it). */
static inline void icache_fill_slot(const struct icache *ic, struct ic_slot *s,
				    const struct insn *in, uint32_t raw)
{
	static const uint8_t cop[OP_COUNT] = {
		[OP_ADDI] = XOP_C_ADDI, [OP_LW] = XOP_C_LW,
		[OP_SW] = XOP_C_SW, [OP_LUI] = XOP_C_LUI,
		[OP_SLLI] = XOP_C_SLLI, [OP_SRLI] = XOP_C_SRLI,
		[OP_SRAI] = XOP_C_SRAI, [OP_ANDI] = XOP_C_ANDI,
		[OP_SUB] = XOP_C_SUB, [OP_XOR] = XOP_C_XOR,
		[OP_OR] = XOP_C_OR, [OP_AND] = XOP_C_AND,
		[OP_ADD] = XOP_C_ADD,
	};

	s->op = in->len == 2 && cop[in->op] ? cop[in->op] : in->op;
	s->rd = in->rd ? in->rd : 32;
	s->rs1 = in->rs1;
	s->rs2 = in->rs2;
	s->imm = in->op == OP_ILLEGAL ? (int32_t)raw : in->imm;
	s->len = in->len;
	s->adv = (uint8_t)(in->len == 2 ? IC_ADV16 : IC_ADV32);
	ic_bind(ic, s);
}

/* The cache attached to @m, created on first use (aborts on ENOMEM). */
struct icache *icache_of(struct mmu *m);

/*
 * The block of frame @pfn (host memory @host), verified for this epoch:
 * created, taken over from another frame, or cleared when the frame's bytes
 * changed since it was marked.  Never NULL (aborts on ENOMEM).
 */
struct ic_block *icache_block(struct icache *ic, pfn_t pfn,
			      const uint8_t *host);

/*
 * Decode the straight-line run starting at slot @idx of @b (marking the
 * frame first if it is not) and set every decoded slot's run length.
 */
void icache_decode_run(struct icache *ic, struct ic_block *b, unsigned idx);

/* FENCE.I: clear every block and unmark its frame. */
void icache_flush_all(struct icache *ic);

/*
 * Make @bp[0 .. @n - 1] the slots patched with XOP_BKPT: the decoded ones
 * now, the others as they are decoded.  The previous set is unpatched.
 * Cheap when the set is unchanged.
 */
void icache_set_breakpoints(struct icache *ic, const struct ic_bp *bp,
			    unsigned n);

#endif
