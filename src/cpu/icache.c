/*
 * The pre-decoded instruction cache (see icache.h for how it stays exact).
 *
 * The cache hangs off the MMU (struct mmu_code) because its lifetime and
 * its invalidation are the MMU's: the MMU frees it in mmu_destroy() and
 * calls icache_drop() when a store reaches a marked frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode_inline.h"
#include "cpu/icache.h"

static __cold __attribute__((noreturn)) void icache_oom(void)
{
	fprintf(stderr, "mmulab: out of host memory for the instruction cache\n");
	abort();
}

static void block_clear(const struct icache *ic, struct ic_block *b)
{
	memset(b->s, 0, sizeof(b->s));
	for (unsigned i = 0; i < IC_SLOTS; i++)
		ic_bind(ic, &b->s[i]);
	b->s[IC_SLOTS].op = XOP_PAGE_END;
	b->s[IC_SLOTS].off = PAGE_SIZE;
	ic_bind(ic, &b->s[IC_SLOTS]);
}

/* Called by the MMU, which has already unmarked @pfn. */
static void icache_drop(void *cache, pfn_t pfn)
{
	struct icache *ic = cache;
	struct ic_block *b = ic->b[pfn % IC_BLOCKS];

	if (b && b->pfn == pfn && b->marked) {
		block_clear(ic, b);
		b->marked = false;
		ic->clears++;
	}
}

static void icache_release(void *cache)
{
	struct icache *ic = cache;

	for (unsigned i = 0; i < IC_BLOCKS; i++)
		free(ic->b[i]);
	free(ic);
}

struct icache *icache_of(struct mmu *m)
{
	struct icache *ic = m->code.cache;

	if (likely(ic))
		return ic;
	ic = calloc(1, sizeof(*ic));
	if (!ic)
		icache_oom();
	ic->m = m;
	if (mmu_code_attach(m, ic, icache_drop, icache_release)) {
		free(ic);
		icache_oom();
	}
	return ic;
}

/* Mark the frame and take the snapshot the next runs compare against. */
static void block_mark(struct icache *ic, struct ic_block *b)
{
	mmu_code_mark(ic->m, b->pfn);
	memcpy(b->shadow, b->host, PAGE_SIZE);
	b->marked = true;
}

struct ic_block *icache_block(struct icache *ic, pfn_t pfn,
			      const uint8_t *host)
{
	struct ic_block **slot = &ic->b[pfn % IC_BLOCKS];
	struct ic_block *b = *slot;

	if (likely(b && b->pfn == pfn)) {
		if (likely(b->epoch == ic->epoch))
			return b;
		/* first entry in this run: has anyone changed the frame? */
		b->epoch = ic->epoch;
		if (b->marked && memcmp(b->shadow, host, PAGE_SIZE)) {
			block_clear(ic, b);
			memcpy(b->shadow, host, PAGE_SIZE);
		}
		return b;
	}
	if (!b) {
		b = malloc(sizeof(*b));
		if (!b)
			icache_oom();
		*slot = b;
	} else if (b->marked) {
		mmu_code_unmark(ic->m, b->pfn); /* evicted from the cache */
	}
	block_clear(ic, b);
	b->pfn = pfn;
	b->host = host;
	b->epoch = ic->epoch;
	b->marked = false; /* marked by the first decode */
	return b;
}

void icache_flush_all(struct icache *ic)
{
	for (unsigned i = 0; i < IC_BLOCKS; i++) {
		struct ic_block *b = ic->b[i];

		if (b && b->marked) {
			mmu_code_unmark(ic->m, b->pfn);
			block_clear(ic, b);
			b->marked = false;
		}
	}
	ic->clears++;
}

static bool ends_run(unsigned op)
{
	switch (op) {
	case OP_JAL: case OP_JALR:
	case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE:
	case OP_BLTU: case OP_BGEU:
	case OP_ECALL: case OP_EBREAK: case OP_ILLEGAL: case OP_FENCE_I:
	case XOP_CROSS:
	case XOP_BEQ_N: case XOP_BNE_N: case XOP_BLT_N: case XOP_BGE_N:
	case XOP_BLTU_N: case XOP_BGEU_N: case XOP_JAL_N:
		return true;
	default:
		return false;
	}
}

static inline uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * A branch or jal of slot @s whose target is in the same page becomes its
 * "near" form, which steps straight to the target slot: its imm becomes the
 * distance in bytes between the two slots.  E.g. a beq at
 * offset 0xff0 with imm -0x20 targets 0xfd0: near; with imm +0x10 it
 * targets 0x1000, the next page: it stays OP_BEQ and goes through pc.
 */
static void near_branch(const struct icache *ic, struct ic_slot *s)
{
	static const uint8_t near[OP_COUNT] = {
		[OP_BEQ] = XOP_BEQ_N, [OP_BNE] = XOP_BNE_N,
		[OP_BLT] = XOP_BLT_N, [OP_BGE] = XOP_BGE_N,
		[OP_BLTU] = XOP_BLTU_N, [OP_BGEU] = XOP_BGEU_N,
		[OP_JAL] = XOP_JAL_N,
	};
	int32_t target;

	/* Only a branch's or jal's imm (+-1 MiB) may be added to the offset:
	 * another slot's imm can be anything, an illegal one's raw bits
	 * 0x7fffffff for one, and the sum would overflow. */
	if (s->op >= OP_COUNT || !near[s->op])
		return;
	target = (int32_t)s->off + s->imm;
	if (target >= 0 && target < (int32_t)PAGE_SIZE) {
		s->op = near[s->op];
		s->imm = s->imm / 2 * (int32_t)sizeof(struct ic_slot);
		ic_bind(ic, s);
	}
}

static void decode_slot(const struct icache *ic, const uint8_t *host,
			unsigned idx, struct ic_slot *s)
{
	uint16_t lo = rd16(host + 2 * idx);
	struct insn in;
	uint32_t raw;

	if ((lo & 3) != 3) {
		raw = lo;
		decode16_inline(lo, &in);
	} else if (idx == IC_SLOTS - 1) {
		/* the upper half is on the next page: decoded when run */
		s->op = XOP_CROSS;
		s->rd = s->rs1 = s->rs2 = 0;
		s->imm = lo;
		s->len = 4;
		s->adv = IC_ADV32;
		s->off = (uint16_t)(2 * idx);
		ic_bind(ic, s);
		return;
	} else {
		raw = lo | (uint32_t)rd16(host + 2 * idx + 2) << 16;
		decode32_inline(raw, &in);
	}
	icache_fill_slot(ic, s, &in, raw);
	s->off = (uint16_t)(2 * idx);
	near_branch(ic, s);
}

/* The chained twin of each op that has one, and the plain op of each twin. */
#define CH_TWIN(op) [op] = op##_CH,
#define CH_PLAIN(op) [op##_CH] = op,
static const uint8_t ch_twin[XOP_COUNT] = { IC_CHAINED(CH_TWIN) };
static const uint8_t ch_plain[XOP_COUNT] = { IC_CHAINED(CH_PLAIN) };
#undef CH_PLAIN
#undef CH_TWIN

/* Does the handler of @op set acc to the value it writes to rd? */
static bool writes_acc(unsigned op)
{
	switch (op) {
	case OP_LUI: case XOP_C_LUI: case OP_AUIPC:
	case OP_MULH: case OP_MULHSU: case OP_MULHU:
	case OP_DIV: case OP_DIVU: case OP_REM: case OP_REMU:
		return true;
	default:
		return ch_twin[op] || ch_plain[op];
	}
}

static bool commutes(unsigned op)
{
	switch (op) {
	case OP_ADD: case XOP_C_ADD: case OP_XOR: case XOP_C_XOR:
	case OP_OR: case XOP_C_OR: case OP_AND: case XOP_C_AND: case OP_MUL:
		return true;
	default:
		return false;
	}
}

/* @s was just decoded and @p precedes it in straight-line order. */
static void chain_slot(const struct icache *ic, const struct ic_slot *p,
		       struct ic_slot *s)
{
	if (!p || !writes_acc(p->op) || p->rd == 32 || !ch_twin[s->op])
		return;
	if (s->rs1 != p->rd && commutes(s->op) && s->rs2 == p->rd) {
		s->rs2 = s->rs1;
		s->rs1 = p->rd;
	}
	if (s->rs1 == p->rd) {
		s->op = ch_twin[s->op];
		ic_bind(ic, s);
	}
}

/*
 * @s, decoded before, is also the straight-line successor of @p: keep it
 * chained only if @p leaves in acc what it expects (it may be patched with
 * XOP_STOP meanwhile: then its real op is saved_op).
 */
static void chain_join(const struct icache *ic, const struct ic_slot *p,
		       struct ic_slot *s)
{
	uint8_t *op = s->op == XOP_STOP ? &s->saved_op : &s->op;

	if (!ch_plain[*op])
		return;
	if (writes_acc(p->op) && p->rd != 32 && p->rd == s->rs1)
		return;
	*op = ch_plain[*op];
	ic_bind(ic, s);
}

void icache_decode_run(struct icache *ic, struct ic_block *b, unsigned idx)
{
	uint16_t chain[IC_SLOTS];
	unsigned cnt = 0, tail = 0;
	const struct ic_slot *prev = NULL;

	if (!b->marked)
		block_mark(ic, b);
	for (;;) {
		struct ic_slot *s;

		if (idx >= IC_SLOTS)
			break;	/* the page-end sentinel: run 0 */
		s = &b->s[idx];
		if (s->run) {
			tail = s->run; /* joins a run decoded before */
			if (prev)
				chain_join(ic, prev, s);
			break;
		}
		decode_slot(ic, b->host, idx, s);
		chain_slot(ic, prev, s);
		prev = s;
		chain[cnt++] = (uint16_t)idx;
		if (ends_run(s->op)) {
			s->run = 1;
			cnt--;
			tail = 1;
			break;
		}
		idx += s->len / 2;
	}
	while (cnt--)
		b->s[chain[cnt]].run = (uint16_t)++tail;
}
