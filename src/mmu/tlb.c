/*
 * The architectural TLB model (see tlb.h).
 *
 * Entries are stored set-major: set s owns e[s * ways .. s * ways + ways - 1].
 * Replacement state is either an LRU stamp per entry (t->clock is bumped on
 * every touch; the smallest stamp in a set is the victim) or a binary tree of
 * ways - 1 bits per set (tree pseudo-LRU).
 *
 * Tree-PLRU, 4 ways: nodes are numbered as a heap, root 1, children 2n and
 * 2n + 1; way w is leaf w + 4.  A node's bit says where the victim lies
 * (0 = left, 1 = right).  Touching way 1 (leaf 5) walks 5 -> 2 -> 1: 5 is a
 * right child so node 2 := 0, 2 is a left child so node 1 := 1.  The victim
 * search then goes 1 -> right (3) -> node 3's bit ... never towards way 1.
 *
 * t->mru[set] is the way touched last.  Whenever it changes, or the entry it
 * names is replaced or invalidated, t->on_change(t->arg, set) is called so
 * the MMU can drop its host-side mirror of that set.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/pte.h"
#include "mmu/tlb.h"

int tlb_init(struct tlb *t, const char *name, unsigned entries, unsigned ways,
	     enum tlb_policy policy)
{
	memset(t, 0, sizeof(*t));
	if (entries == 0 || entries > 4096 || (entries & (entries - 1)))
		return -EINVAL;
	if (ways == 0)
		ways = entries;
	if (ways > entries || entries % ways)
		return -EINVAL;
	if (policy != TLB_LRU && policy != TLB_PLRU)
		return -EINVAL;
	t->name = name;
	t->nr_entries = entries;
	t->ways = ways;
	t->nr_sets = entries / ways;
	t->policy = policy;
	t->clock = 1;
	t->e = calloc(entries, sizeof(*t->e));
	t->plru = calloc(entries, 1); /* ways - 1 nodes per set, index 0 unused */
	t->mru = calloc(t->nr_sets, 1 + (ways > 256));
	if (!t->e || !t->plru || !t->mru) {
		tlb_destroy(t);
		return -ENOMEM;
	}
	return 0;
}

void tlb_destroy(struct tlb *t)
{
	free(t->e);
	free(t->plru);
	free(t->mru);
	t->e = NULL;
	t->plru = NULL;
	t->mru = NULL;
}

/*
 * t->mru is a byte array in the header; sets with more than 256 ways (only a
 * fully associative TLB of 512+ entries has them) store the way as 16 bits.
 */
static unsigned mru_get(const struct tlb *t, unsigned set)
{
	if (t->ways > 256)
		return ((const uint16_t *)(const void *)t->mru)[set];
	return t->mru[set];
}

static void mru_put(struct tlb *t, unsigned set, unsigned way)
{
	if (t->ways > 256)
		((uint16_t *)(void *)t->mru)[set] = (uint16_t)way;
	else
		t->mru[set] = (uint8_t)way;
}

static void notify(struct tlb *t, unsigned set)
{
	if (t->on_change)
		t->on_change(t->arg, set);
}

/*
 * The stamp clock is 32 bits: when it wraps, re-rank every set's stamps as
 * 1..ways in their current order, which keeps the LRU order intact.
 */
static void renormalize_stamps(struct tlb *t)
{
	uint16_t rank[4096];

	for (unsigned s = 0; s < t->nr_sets; s++) {
		struct tlb_entry *base = &t->e[s * t->ways];

		/* rank = number of ways older than this one (ties by index) */
		for (unsigned w = 0; w < t->ways; w++) {
			rank[w] = 0;
			for (unsigned o = 0; o < t->ways; o++)
				if (base[o].stamp < base[w].stamp ||
				    (o < w && base[o].stamp == base[w].stamp))
					rank[w]++;
		}
		for (unsigned w = 0; w < t->ways; w++)
			base[w].stamp = 1u + rank[w];
	}
	t->clock = t->ways + 1;
}

/* Give @way of @set the newest LRU stamp and point its PLRU tree away. */
static inline __attribute__((always_inline)) void
stamp(struct tlb *t, unsigned set, unsigned way)
{
	struct tlb_entry *e = &t->e[set * t->ways + way];

	if (unlikely(t->clock == UINT32_MAX))
		renormalize_stamps(t);
	e->stamp = t->clock++;
	if (t->policy == TLB_PLRU && t->ways > 1) {
		uint8_t *node = &t->plru[set * t->ways];
		unsigned idx = way + t->ways;

		while (idx > 1) {
			/* point the parent away from the side we came from */
			node[idx / 2] = !(idx & 1);
			idx /= 2;
		}
	}
}

/* Make @way of @set the most recently used one. */
static inline __attribute__((always_inline)) void
touch(struct tlb *t, unsigned set, unsigned way)
{
	stamp(t, set, way);
	if (mru_get(t, set) != way) {
		mru_put(t, set, way);
		notify(t, set);
	}
}

static inline __attribute__((always_inline)) unsigned
victim(const struct tlb *t, unsigned set)
{
	const struct tlb_entry *base = &t->e[set * t->ways];
	unsigned v = 0;

	if (t->policy == TLB_PLRU) {
		const uint8_t *node = &t->plru[set * t->ways];
		unsigned idx = 1;

		for (unsigned w = 0; w < t->ways; w++)
			if (!base[w].valid)
				return w;
		while (idx < t->ways)
			idx = 2 * idx + node[idx];
		return idx - t->ways;
	}
	/* the first invalid way, else the oldest stamp (first of equals) */
	for (unsigned w = 0; w < t->ways; w++) {
		if (!base[w].valid)
			return w;
		if (base[w].stamp < base[v].stamp)
			v = w;
	}
	return v;
}

static inline bool entry_matches(const struct tlb_entry *e, uint32_t vpn,
				 uint16_t asid, uint8_t huge)
{
	return e->valid && e->vpn == vpn && e->huge == huge &&
	       (e->asid == asid || (e->perm & PTE_G));
}

/* Does @e translate page @vpn (whatever its size)? */
static inline bool entry_covers(const struct tlb *t,
				const struct tlb_entry *e, uint32_t vpn)
{
	if (e->huge)
		return e->vpn == (vpn & ~((1u << t->huge_shift) - 1));
	return e->vpn == vpn;
}

/* The second half of a lookup while huge entries exist: @vpn's huge set. */
static __noinline struct tlb_entry *lookup_huge(struct tlb *t, uint32_t vpn,
						uint16_t asid)
{
	uint32_t hvpn = vpn & ~((1u << t->huge_shift) - 1);
	unsigned set = tlb_huge_set_of(t, vpn);
	struct tlb_entry *base = &t->e[set * t->ways];

	for (unsigned w = 0; w < t->ways; w++) {
		if (entry_matches(&base[w], hvpn, asid, 1)) {
			touch(t, set, w);
			return &base[w];
		}
	}
	t->st.misses++;
	return NULL;
}

/*
 * Both halves of a lookup run on every TLB miss, and so does a fill: they
 * are the host's work per miss.  A way is rejected by its vpn first.
 */
struct tlb_entry *tlb_lookup(struct tlb *t, uint32_t vpn, uint16_t asid)
{
	unsigned set = tlb_set_of(t, vpn);
	struct tlb_entry *base = &t->e[set * t->ways];

	t->st.accesses++;
	for (unsigned w = 0; w < t->ways; w++) {
		if (base[w].vpn == vpn && entry_matches(&base[w], vpn, asid, 0)) {
			touch(t, set, w);
			return &base[w];
		}
	}
	if (unlikely(t->nr_huge))
		return lookup_huge(t, vpn, asid);
	t->st.misses++;
	return NULL;
}

/* EV_TLB_FLUSH of @kind that is about to invalidate @count entries. */
static __cold __noinline void trace_flush(struct tlb *t,
					  enum tlb_flush_kind kind,
					  uint32_t vpn, uint16_t asid,
					  bool all_asids, unsigned count)
{
	trace_emit(t->trace, &(struct trace_event){
		.type = EV_TLB_FLUSH, .flags = t->trace_flags,
		.addr = (uint64_t)vpn << PAGE_SHIFT,
		.arg = { kind, asid, count, all_asids },
		.str = t->name });
}

static inline bool tracing(const struct tlb *t, unsigned type)
{
	return unlikely(t->trace && trace_on(t->trace, type));
}

const struct tlb_entry *tlb_victim(const struct tlb *t, uint32_t vpn)
{
	unsigned set = tlb_set_of(t, vpn);

	return &t->e[set * t->ways + victim(t, set)];
}

const struct tlb_entry *tlb_victim_huge(const struct tlb *t, uint32_t vpn)
{
	unsigned set = tlb_huge_set_of(t, vpn);

	return &t->e[set * t->ways + victim(t, set)];
}

static inline __attribute__((always_inline)) struct tlb_entry *
fill_set(struct tlb *t, unsigned set, uint32_t vpn, uint16_t asid,
	 uint32_t pfn, uint8_t perm, uint8_t level, uint8_t huge)
{
	unsigned way = victim(t, set);
	struct tlb_entry *e = &t->e[set * t->ways + way];

	if (e->valid) {
		t->st.evictions++;
		t->nr_huge -= e->huge;
	}
	t->nr_huge += huge;
	e->vpn = vpn;
	e->pfn = pfn;
	e->asid = asid;
	e->valid = 1;
	e->perm = perm;
	e->level = level;
	e->huge = huge;
	/* a new entry is its set's MRU one: one notification either way */
	stamp(t, set, way);
	mru_put(t, set, way);
	notify(t, set);
	return e;
}

struct tlb_entry *tlb_fill(struct tlb *t, uint32_t vpn, uint16_t asid,
			   uint32_t pfn, uint8_t perm, uint8_t level)
{
	return fill_set(t, tlb_set_of(t, vpn), vpn, asid, pfn, perm, level, 0);
}

struct tlb_entry *tlb_fill_huge(struct tlb *t, uint32_t vpn, uint16_t asid,
				uint32_t pfn, uint8_t perm, uint8_t level)
{
	uint32_t off = vpn & ((1u << t->huge_shift) - 1);

	return fill_set(t, tlb_huge_set_of(t, vpn), vpn - off, asid, pfn - off,
			perm, level, 1);
}

static void invalidate(struct tlb *t, unsigned set, unsigned way)
{
	t->nr_huge -= t->e[set * t->ways + way].huge;
	t->e[set * t->ways + way].valid = 0;
	if (mru_get(t, set) == way)
		notify(t, set);
}

/*
 * What each flush invalidates, for one set @set: the valid entries of
 * @vpn (kind page), of @asid (kind asid) or all of them.  The flushes
 * below test it per entry; EV_TLB_FLUSH counts it first, while traced.
 */
static inline bool flushed(const struct tlb *t, const struct tlb_entry *e,
			   enum tlb_flush_kind kind, uint32_t vpn,
			   uint16_t asid, bool all_asids)
{
	if (!e->valid)
		return false;
	switch (kind) {
	case TLB_FLUSH_PAGE:
		return entry_covers(t, e, vpn) &&
		       (all_asids || e->asid == asid || (e->perm & PTE_G));
	case TLB_FLUSH_ASID:
		return e->asid == asid && !(e->perm & PTE_G);
	default:
		return true;
	}
}

static __cold __noinline unsigned count_flushed(const struct tlb *t,
						enum tlb_flush_kind kind,
						uint32_t vpn, uint16_t asid,
						bool all_asids)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->nr_entries; i++)
		n += flushed(t, &t->e[i], kind, vpn, asid, all_asids);
	return n;
}

/*
 * A page flush also drops global entries of that page: the kernel asks for a
 * page to be forgotten, and a stale global translation would outlive it.
 */
void tlb_flush_page(struct tlb *t, uint32_t vpn, uint16_t asid, bool all_asids)
{
	unsigned set = tlb_set_of(t, vpn);
	struct tlb_entry *base = &t->e[set * t->ways];

	t->st.flush_page++;
	if (tracing(t, EV_TLB_FLUSH))
		trace_flush(t, TLB_FLUSH_PAGE, vpn, asid, all_asids,
			    count_flushed(t, TLB_FLUSH_PAGE, vpn, asid,
					  all_asids));
	for (unsigned w = 0; w < t->ways; w++)
		if (flushed(t, &base[w], TLB_FLUSH_PAGE, vpn, asid, all_asids))
			invalidate(t, set, w);
	if (t->nr_huge && tlb_huge_set_of(t, vpn) != set) {
		set = tlb_huge_set_of(t, vpn);
		base = &t->e[set * t->ways];
		for (unsigned w = 0; w < t->ways; w++)
			if (base[w].huge &&
			    flushed(t, &base[w], TLB_FLUSH_PAGE, vpn, asid,
				    all_asids))
				invalidate(t, set, w);
	}
}

void tlb_flush_asid(struct tlb *t, uint16_t asid)
{
	t->st.flush_asid++;
	if (tracing(t, EV_TLB_FLUSH))
		trace_flush(t, TLB_FLUSH_ASID, 0, asid, false,
			    count_flushed(t, TLB_FLUSH_ASID, 0, asid, false));
	for (unsigned set = 0; set < t->nr_sets; set++)
		for (unsigned w = 0; w < t->ways; w++)
			if (flushed(t, &t->e[set * t->ways + w], TLB_FLUSH_ASID,
				    0, asid, false))
				invalidate(t, set, w);
}

void tlb_flush_all(struct tlb *t)
{
	t->st.flush_all++;
	if (tracing(t, EV_TLB_FLUSH))
		trace_flush(t, TLB_FLUSH_ALL, 0, 0, true,
			    count_flushed(t, TLB_FLUSH_ALL, 0, 0, true));
	for (unsigned set = 0; set < t->nr_sets; set++)
		for (unsigned w = 0; w < t->ways; w++)
			if (t->e[set * t->ways + w].valid)
				invalidate(t, set, w);
}

unsigned tlb_count_valid(const struct tlb *t)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->nr_entries; i++)
		n += t->e[i].valid;
	return n;
}
