/*
 * The architectural TLB model: set-associative, LRU (or tree pseudo-LRU)
 * replacement, optional ASID tags.  This is the TLB a learner sees, counts
 * and flushes.  A 4 KiB leaf fills one entry for its page; a huge leaf (a
 * PMD-level leaf: 2 MiB under pae, 4 MiB under sv32) fills one entry that
 * covers the whole huge page, which is what huge pages buy: TLB reach.
 * Huge entries live in the same sets, tagged with the size (huge = 1) and
 * indexed by the huge page number (vpn >> huge_shift) instead of the vpn; a
 * lookup that finds no 4 KiB entry in the vpn's set also looks in the huge
 * set, and any 4 KiB page inside a huge entry hits it.
 *
 * The model holds no host pointers; the MMU keeps a host-side fast mirror of
 * the most recently used entry of every set (see mmu.h) and is told through
 * the @on_change callback whenever an entry stops being its set's MRU entry.
 */
#ifndef MMULAB_MMU_TLB_H
#define MMULAB_MMU_TLB_H

#include "trace/event.h"
#include "types.h"

enum tlb_policy { TLB_LRU, TLB_PLRU };

/* arg[0] of EV_TLB_FLUSH */
enum tlb_flush_kind { TLB_FLUSH_PAGE, TLB_FLUSH_ASID, TLB_FLUSH_ALL };

struct tlb_entry {
	uint32_t vpn;	  /* virtual page number (va >> 12); huge: the first */
	uint32_t pfn;	  /* physical frame of this 4 KiB page; huge: the first */
	uint16_t asid;
	uint8_t valid;
	uint8_t perm;	  /* PTE bits V R W X U G A D of the leaf */
	uint8_t level;	  /* page-table level of the leaf (for size) */
	uint8_t huge;	  /* covers 1 << huge_shift pages from vpn/pfn */
	uint32_t stamp;	  /* LRU: last use; larger is more recent */
};

struct tlb_stats {
	uint64_t accesses;	/* lookups (hits = accesses - misses) */
	uint64_t misses;	/* lookups that needed a page walk */
	uint64_t evictions;	/* valid entries replaced by a fill */
	uint64_t flush_page;	/* single-page flushes requested */
	uint64_t flush_asid;	/* per-ASID flushes */
	uint64_t flush_all;	/* full flushes */
};

struct tlb {
	const char *name;	/* "itlb" / "dtlb" */
	unsigned nr_entries;
	unsigned ways;
	unsigned nr_sets;	/* nr_entries / ways, a power of two */
	enum tlb_policy policy;
	uint8_t huge_shift;	/* log2 pages of a huge entry; 0: none */
	unsigned nr_huge;	/* valid huge entries (0: lookups skip them) */
	uint32_t clock;		/* LRU stamp source */
	struct tlb_entry *e;	/* nr_sets * ways, set-major */
	uint8_t *plru;		/* PLRU tree bits per set */
	uint8_t *mru;		/* way index of the MRU entry of each set */
	struct tlb_stats st;
	/* Called with the set index when the set's MRU entry changes or is
	 * invalidated, so the MMU can drop its fast mirror of that set. */
	void (*on_change)(void *arg, unsigned set);
	void *arg;
	/* Where EV_TLB_FLUSH goes (NULL: nowhere), and the flags TLB events
	 * carry (TEV_ITLB for an instruction TLB). */
	struct tracer *trace;
	uint16_t trace_flags;
};

/*
 * Build a TLB of @entries entries in sets of @ways (0 = fully associative).
 * @entries must be a power of two between 1 and 4096 and @ways divide it.
 * Returns 0 or -EINVAL / -ENOMEM.
 */
int tlb_init(struct tlb *t, const char *name, unsigned entries, unsigned ways,
	     enum tlb_policy policy) __must_check;
void tlb_destroy(struct tlb *t);

static inline unsigned tlb_set_of(const struct tlb *t, uint32_t vpn)
{
	return vpn & (t->nr_sets - 1);
}

/* The set of a huge entry covering @vpn. */
static inline unsigned tlb_huge_set_of(const struct tlb *t, uint32_t vpn)
{
	return (vpn >> t->huge_shift) & (t->nr_sets - 1);
}

/* The frame of page @vpn translated by @e (which matched it). */
static inline uint32_t tlb_entry_pfn(const struct tlb_entry *e, uint32_t vpn)
{
	return e->huge ? e->pfn + (vpn - e->vpn) : e->pfn;
}

/*
 * Look up @vpn for @asid (global entries match any ASID).  Counts one access
 * and, when nothing matches, one miss; a hit becomes its set's MRU entry.
 * Returns the entry or NULL.
 */
struct tlb_entry *tlb_lookup(struct tlb *t, uint32_t vpn, uint16_t asid);

/*
 * Insert a translation after a miss, replacing an invalid way or the LRU
 * victim of the set.  The new entry becomes the set's MRU entry.
 */
struct tlb_entry *tlb_fill(struct tlb *t, uint32_t vpn, uint16_t asid,
			   uint32_t pfn, uint8_t perm, uint8_t level);

/*
 * Insert a huge translation (t->huge_shift must be set) covering @vpn,
 * whose 4 KiB page is at frame @pfn: the entry keeps the first page and
 * frame of the huge page and sits in the huge set of @vpn.
 */
struct tlb_entry *tlb_fill_huge(struct tlb *t, uint32_t vpn, uint16_t asid,
				uint32_t pfn, uint8_t perm, uint8_t level);

/* The entry tlb_fill() (@huge: tlb_fill_huge()) would replace for @vpn
 * now (for EV_TLB_EVICT). */
const struct tlb_entry *tlb_victim(const struct tlb *t, uint32_t vpn);
const struct tlb_entry *tlb_victim_huge(const struct tlb *t, uint32_t vpn);

/* Invalidate entries: one page (any ASID when @all_asids; a huge entry
 * covering the page goes as a whole), one ASID's
 * non-global entries, or everything.  Each counts one flush of its kind
 * and emits one EV_TLB_FLUSH. */
void tlb_flush_page(struct tlb *t, uint32_t vpn, uint16_t asid, bool all_asids);
void tlb_flush_asid(struct tlb *t, uint16_t asid);
void tlb_flush_all(struct tlb *t);

/* Number of valid entries (for the REPL and tests). */
unsigned tlb_count_valid(const struct tlb *t);

#endif
