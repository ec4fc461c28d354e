/*
 * The MMU: every guest load, store and instruction fetch is translated here.
 *
 * Hot path (inline below): index the fast mirror by the page's TLB set,
 * compare the tag, add the host addend -- three operations, as in QEMU's
 * softmmu and TinyEMU.  Misaligned accesses miss by construction (the tag
 * compare keeps the low address bits) and go out of line.
 *
 * The fast mirror holds, for each set of the modelled D-TLB (fast_r,
 * fast_w) and I-TLB (fast_x), the translation of that set's most recently
 * used entry -- the one entry whose hit changes no replacement state.  So a
 * mirror hit is exactly a modelled hit with nothing to update but a counter,
 * and everything else (hits on other ways, misses, walks, A/D updates,
 * faults) goes through mmu_*_slow(), which keeps the model exact.  fast_w is
 * filled only for entries whose PTE is writable *and* dirty, so COW,
 * read-only and clean pages never get a write entry.  A debugger or tracer
 * can withhold mirrors (mmu_set_fast(), watchpoints): fewer mirror hits,
 * the same counts.
 *
 * The MMU translates and reports; it never decides what a fault means.  A
 * failed access returns -1 with m->fault describing it; the CPU turns that
 * into a trap for the kernel.
 */
#ifndef MMULAB_MMU_MMU_H
#define MMULAB_MMU_MMU_H

#include <string.h>

#include "mmu/phys.h"
#include "mmu/pte.h"
#include "mmu/tlb.h"
#include "trace/event.h"
#include "types.h"

enum mmu_access { ACC_READ = 0, ACC_WRITE = 1, ACC_EXEC = 2 };

/* The TEV_* flag of an access kind in events: 0, TEV_WRITE or TEV_EXEC. */
static inline uint16_t mmu_access_tev(enum mmu_access acc)
{
	return acc == ACC_WRITE ? TEV_WRITE : acc == ACC_EXEC ? TEV_EXEC : 0;
}

enum mmu_fault_kind {
	MMU_FAULT_NONE = 0,
	MMU_FAULT_NOT_PRESENT, /* no valid leaf: none or swap entry */
	MMU_FAULT_PROTECTION,  /* a leaf exists but forbids this access */
};

struct mmu_fault {
	gva_t va;		 /* faulting address (first faulting byte) */
	enum mmu_access access;
	enum mmu_fault_kind kind;
	pte_t pte;		 /* the entry found (0 if none) */
	int level;		 /* level where the walk stopped */
};

/* Result of a page walk. */
struct mmu_walk {
	gpa_t pa;	/* translated physical address */
	pte_t pte;	/* the leaf entry (after A/D update) */
	gpa_t pte_pa;	/* where the leaf lives */
	int level;	/* level of the leaf (0 = root) */
	int steps;	/* page-table entries read */
};

/*
 * What mmu_probe() saw: every table entry it read, top down, and the leaf.
 * A debugger draws the walk from it.
 */
struct mmu_probe_level {
	gpa_t table_pa;		/* the table read at this level */
	unsigned index;		/* entry index of the va in it */
	gpa_t entry_pa;		/* table_pa + index * entry size */
	pte_t entry;		/* its value (0 if the table is outside RAM) */
};

struct mmu_probe {
	gva_t va;
	int nr_levels;		/* entries read (lv[0 .. nr_levels - 1]) */
	struct mmu_probe_level lv[4];
	bool ok;		/* translated, and the access is allowed */
	gpa_t pa;		/* va's physical address, whenever a valid
				 * leaf was found (even if !ok) */
	pte_t leaf;		/* that leaf, as stored (A/D untouched) */
	int leaf_level;		/* its level, -1 without one */
	enum mmu_fault_kind fault; /* MMU_FAULT_NONE when ok */
	int fault_level;	/* where the walk stopped, -1 when ok */
};

/*
 * Watchpoints: ranges of the current address space whose program accesses
 * the slow paths report (mmu_watch_add()).  Kinds are bit sets.
 */
enum mmu_watch_kind {
	MMU_WATCH_WRITE = 1,	/* stores, AMOs, SC */
	MMU_WATCH_READ = 2,	/* loads, AMOs, LR */
	MMU_WATCH_ACCESS = 3,	/* either */
};

#define MMU_MAX_WATCH 8

struct mmu_watch {
	gva_t va;
	uint32_t len;		/* >= 1; va + len <= 2^32 */
	enum mmu_watch_kind kind;
};

struct mmu_watchpoints {
	int nr;
	struct mmu_watch w[MMU_MAX_WATCH];
	/* The first hit since the hart last reported one (it clears hit). */
	bool hit;
	int hit_index;		/* into w[] */
	gva_t hit_addr;		/* first watched byte the access touched */
	enum mmu_access hit_access;
};

#define MMU_HSRC_NONE 0xffffu
#define MMU_FAST_INVALID 0x800u /* a tag no masked address can equal */

struct mmu_fast {
	gva_t tag;	  /* page base va, or MMU_FAST_INVALID */
	uintptr_t addend; /* host address = addend + va */
};

struct mmu_stats {
	uint64_t walks;		/* page walks started (misses + A/D updates) */
	uint64_t walk_reads;	/* page-table entries read by walks */
	uint64_t faults;	/* accesses that raised a page fault */
	uint64_t misaligned;	/* misaligned accesses emulated */
};

struct mmu_config {
	enum paging_mode paging;
	unsigned itlb_entries, itlb_ways;
	unsigned dtlb_entries, dtlb_ways;
	enum tlb_policy policy;
	bool asid;		/* tag entries with ASIDs instead of flushing */
};

/*
 * Decoded-code tracking for the CPU's pre-decoded instruction cache, which
 * the MMU holds (and frees) without looking inside.  A frame is marked while
 * decoded instructions of it exist.  No fast_w mirror ever points into a
 * marked frame, so every guest store to it takes the slow path, which
 * unmarks it and calls drop() before the bytes change; a kernel write
 * through mmu_translate_nocache() does the same.  (QEMU's "notdirty".)
 */
struct mmu_code {
	void *cache;			/* the CPU's, or NULL */
	void (*drop)(void *cache, pfn_t pfn);
	void (*release)(void *cache);	/* called by mmu_destroy() */
	uint8_t *mark;			/* per frame: 1 = decoded code exists */
};

struct mmu {
	/* Hot: the fast mirrors and their masks (nr_sets - 1). */
	struct mmu_fast *fast_r, *fast_w, *fast_x;
	uint32_t dmask, imask;
	uint64_t d_fast_hits;	/* D-TLB hits served by the mirror */
	uint64_t i_fast_hits;	/* I-TLB hits counted by the CPU */

	struct phys *phys;
	const struct pt_geometry *geo;
	gpa_t root;		/* physical address of the PGD; 0 = none */
	uint16_t asid;
	bool use_asid;
	struct tlb itlb, dtlb;
	struct mmu_fault fault;
	struct mmu_stats st;
	struct mmu_code code;
	/*
	 * Mirrors of huge D-TLB entries: fast_r[s]/fast_w[s] may translate a
	 * page through a huge entry that lives in another set; fast_hsrc[s]
	 * names that set (or is MMU_HSRC_NONE) so a change of its MRU entry
	 * drops the mirror too.  huge_mirrors: some fast_hsrc[] is set.
	 */
	uint16_t *fast_hsrc;
	bool huge_mirrors;

	/* Cold: debugging (mmu_set_fast(), mmu_watch_add()). */
	struct mmu_watchpoints watch;
	bool fast_off;		/* no mirrors at all: every access is slow */
	bool no_mirror;		/* fast_off or watchpoints: the slow paths
				 * filter the mirrors (watch.h); next to
				 * trace.mask, which they test with it */

	/*
	 * Cold: observation.  Events (docs/events.md) are emitted on slow
	 * paths only, each behind one trace_on() test; the hart's instret is
	 * the clock (cpu_init()), the kernel sets trace.pid.
	 */
	struct tracer trace;

	/*
	 * Cold: called after every TLB fill with the page's vpn when set
	 * (the kernel's working-set sampling, kernel/mm/wss.c).  Only on
	 * the walk path, behind one test; it must not touch the MMU.
	 */
	void (*on_fill)(void *arg, uint32_t vpn);
	void *fill_arg;
	/* Cold: the cost model (--cost).  When cost_clock is set, every TLB
	 * miss adds cost_tlb_miss to *cost_clock and every entry a walk
	 * reads cost_walk_access: on the miss path only. */
	uint64_t *cost_clock;
	uint32_t cost_tlb_miss, cost_walk_access;
};

/* Default configuration: pae, 64-entry 4-way I and D TLBs, LRU, no ASIDs. */
void mmu_default_config(struct mmu_config *c);

/* Build an MMU over @phys.  Returns 0 or -EINVAL / -ENOMEM. */
int mmu_init(struct mmu *m, struct phys *phys, const struct mmu_config *c)
	__must_check;
void mmu_destroy(struct mmu *m);

/*
 * Switch address space (as a satp write does).  Without ASIDs this flushes
 * both TLBs (one flush_all each); with ASIDs only the host mirrors are
 * dropped and the entries of other ASIDs stay.
 */
void mmu_set_root(struct mmu *m, gpa_t root, uint16_t asid);

/* TLB maintenance for the kernel (sfence.vma): both TLBs and the mirrors. */
void mmu_flush_page(struct mmu *m, gva_t va);	/* current ASID */
void mmu_flush_page_asid(struct mmu *m, gva_t va, uint16_t asid);
void mmu_flush_asid(struct mmu *m, uint16_t asid);
void mmu_flush_all(struct mmu *m);

/*
 * Call @fn with the vpn of every valid entry of both TLBs that belongs to
 * the current address space (its ASID, or every entry without ASIDs).
 * Reads only: no replacement state, no counter changes.
 */
void mmu_for_each_resident(const struct mmu *m,
			   void (*fn)(void *arg, uint32_t vpn), void *arg);

/*
 * Walk the page tables of the current root for a user access.  Checks V, the
 * leaf level, U and R/W/X; on success sets A (and D for a write) in the leaf
 * when @set_ad and fills @w.  Returns MMU_FAULT_NONE or the fault kind (with
 * @w->pte / @w->level describing where it stopped).  Does not touch the TLB.
 * Counts one walk and its reads; emits EV_WALK_LEVEL per entry read and one
 * EV_WALK_DONE.  (mmu_probe() is the walk that counts and emits nothing.)
 */
enum mmu_fault_kind mmu_walk(struct mmu *m, gva_t va, enum mmu_access acc,
			     bool set_ad, struct mmu_walk *w);

/* mmu_walk() for a caller that knows no walk event is wanted. */
enum mmu_fault_kind __mmu_walk(struct mmu *m, gva_t va, enum mmu_access acc,
			       bool set_ad, struct mmu_walk *w);

/*
 * Walk the tables at @root (any address space, not only the current one)
 * for a user access @acc to @va, the way the hardware would, but with no
 * side effect at all: no A/D bit set, nothing counted, no event, neither
 * the TLB model nor the mirrors nor m->fault touched.  For debuggers and
 * views.  Returns 0 (out->ok), -EACCES when a valid leaf forbids @acc
 * (U is required as for the program; out->pa and out->leaf are filled), or
 * -EFAULT when there is no valid leaf (none, a swap entry, a malformed
 * one, a table outside RAM).
 */
int mmu_probe(const struct mmu *m, gpa_t root, gva_t va, enum mmu_access acc,
	      struct mmu_probe *out);

/*
 * Copy @len bytes of the address space at @root from @va into @buf as a
 * debugger reads memory: page by page through mmu_probe(), so with no
 * side effect, and with no permission check beyond a valid leaf
 * (execute-only and supervisor pages read too).  Returns the number of
 * bytes copied: @len, or fewer when the copy stopped at the first byte
 * whose page is not mapped; -1 when @va itself is not mapped (@len > 0).
 */
long mmu_probe_read(const struct mmu *m, gpa_t root, gva_t va, void *buf,
		    size_t len);

/*
 * Copy physical memory for a debugger.  Both return 0, or -EFAULT when the
 * range is not entirely inside RAM (nothing copied).  A write first drops
 * the decoded instructions of every frame it touches (struct mmu_code), so
 * the next fetch decodes the new bytes; neither touches the TLB model, the
 * mirrors or any A/D bit.  A write into a page table is the caller's to
 * flush.
 */
int mmu_phys_read(const struct mmu *m, gpa_t pa, void *buf, size_t len)
	__must_check;
int mmu_phys_write(struct mmu *m, gpa_t pa, const void *buf, size_t len)
	__must_check;

/*
 * Translate for the kernel (copy_{to,from}_user): walk without the TLB,
 * setting A/D as the hardware would.  Returns 0 with *pa set, or -1 with
 * m->fault filled.
 */
int mmu_translate_nocache(struct mmu *m, gva_t va, enum mmu_access acc,
			  gpa_t *pa) __must_check;

/* Out-of-line paths.  Return 0, or -1 with m->fault set. */
int mmu_load_slow(struct mmu *m, gva_t va, void *out, unsigned size)
	__must_check;
int mmu_store_slow(struct mmu *m, gva_t va, const void *in, unsigned size)
	__must_check;

/*
 * The slow path of an access of @size bytes at @va that stays inside one
 * page: one counted D-TLB lookup (a walk and a fill on a miss, the A/D
 * update of a first write), the set's mirrors re-installed, exactly as
 * mmu_load_slow()/mmu_store_slow() do.  Returns the host address of @va --
 * the caller moves the bytes, with a fixed size -- or NULL with m->fault set
 * (and counted).  A write to a frame with decoded code has dropped that
 * code on return.
 */
void *mmu_data_ptr(struct mmu *m, gva_t va, unsigned size,
		   enum mmu_access acc) __must_check;

/* The events the slow paths emit (flushes come from the mmu_flush_*()). */
#define MMU_EVENTS                                                            \
	(TRACE_BIT(EV_TLB_HIT) | TRACE_BIT(EV_TLB_MISS) |                     \
	 TRACE_BIT(EV_TLB_FILL) | TRACE_BIT(EV_TLB_EVICT) |                   \
	 TRACE_BIT(EV_WALK_LEVEL) | TRACE_BIT(EV_WALK_DONE))

/*
 * Does anybody observe the slow paths: a sink that wants an MMU event, a
 * watchpoint, or the mirrors off?  The slow paths ask on entry; the
 * interpreter asks once per run and then calls the __ variants below.
 */
static inline bool mmu_observed(const struct mmu *m)
{
	return (m->trace.mask & MMU_EVENTS) | m->no_mirror;
}

/*
 * mmu_data_ptr() and mmu_fetch_frame() for a caller that knows
 * !mmu_observed(m): no event, no mirror filter, no watchpoint, and not the
 * test.
 */
void *__mmu_data_ptr(struct mmu *m, gva_t va, unsigned size,
		     enum mmu_access acc) __must_check;
int __mmu_fetch_frame(struct mmu *m, gva_t va, const uint8_t **page,
		      pfn_t *pfn) __must_check;

/*
 * Translate @va for instruction fetch through the I-TLB (one counted
 * lookup) and return in *page the host address of the start of its page.
 * Returns 0, or -1 with m->fault set.
 */
int mmu_fetch_page(struct mmu *m, gva_t va, const uint8_t **page)
	__must_check;

/*
 * Like mmu_fetch_page(), and also returns the frame number of the page, the
 * key of the decoded-instruction cache.
 */
int mmu_fetch_frame(struct mmu *m, gva_t va, const uint8_t **page,
		    pfn_t *pfn) __must_check;

/*
 * Attach the CPU's decoded-instruction cache (see struct mmu_code); the MMU
 * owns it from now on.  Returns 0 or -ENOMEM (nothing attached).
 */
int mmu_code_attach(struct mmu *m, void *cache,
		    void (*drop)(void *cache, pfn_t pfn),
		    void (*release)(void *cache)) __must_check;

/* Frame @pfn now has decoded code: drop any write mirror into it. */
void mmu_code_mark(struct mmu *m, pfn_t pfn);

/* The cache forgot frame @pfn by itself: stores need not tell it. */
void mmu_code_unmark(struct mmu *m, pfn_t pfn);

/*
 * Switch the fast mirrors on (the default) or off.  Off, no mirror is ever
 * installed, so every data access takes the slow path and every TLB hit is
 * a counted lookup in the model that EV_TLB_HIT can report; the CPU reads
 * the same switch (mmu_fast()) and looks every instruction fetch up in the
 * I-TLB instead of counting fetches from the current page as hits.
 *
 * Every counter stays what it is with the mirrors on: a mirror hit is by
 * construction a hit on its set's MRU entry, and a counted lookup of that
 * entry changes no replacement decision (the entry is already MRU; only
 * its LRU stamp moves, and the order of the stamps is what LRU reads).
 * mmu_tlb_stats() adds the mirror hits (d_fast_hits, i_fast_hits) to the
 * model's lookups, so its totals are the same either way; only that split
 * differs.  Slow, not different: a tracer needs this only for EV_TLB_HIT
 * (`mmu_set_fast(m, !trace_on(&m->trace, EV_TLB_HIT))`), and the caller
 * decides.  Takes effect at the next access, for the interpreter at its
 * next cpu_run().
 */
void mmu_set_fast(struct mmu *m, bool on);

/* Are the fast mirrors on? */
static inline bool mmu_fast(const struct mmu *m)
{
	return !m->fast_off;
}

/*
 * Watch [@va, @va + @len) for program accesses of @kind.  A page holding a
 * watched byte gets no mirror of that kind, so every such access to it
 * takes the slow path, which records the first one touching a watched byte
 * in m->watch (hit_addr: that byte) once the whole access has succeeded;
 * the hart stops after the instruction (TRAP_WATCHPOINT).  The kernel's
 * own accesses (mmu_translate_nocache()), mmu_probe_read() and mmu_phys_*()
 * are not watched.  Counters stay exact (as with mmu_set_fast()).  Like
 * the fast switch and new sinks, a watch set or cleared reaches the
 * interpreter at its next cpu_run() (mmu_observed() is asked per run).
 * Returns 0 (also when the same watch exists), -EINVAL (@len 0, a range
 * past 2^32, no kind) or -ENOSPC.
 */
int mmu_watch_add(struct mmu *m, gva_t va, uint32_t len,
		  enum mmu_watch_kind kind) __must_check;
/* Remove the watch added with the same arguments: 0 or -ENOENT. */
int mmu_watch_del(struct mmu *m, gva_t va, uint32_t len,
		  enum mmu_watch_kind kind);
void mmu_watch_clear(struct mmu *m);
/*
 * An access of @size bytes at @va of kind @acc has just succeeded: record
 * it in m->watch if it touches a byte watched for @acc.  The slow paths
 * call it; so does the CPU for the read half of an AMO.
 */
void mmu_watch_access(struct mmu *m, gva_t va, unsigned size,
		      enum mmu_access acc);

/* TLB statistics including mirror hits. */
void mmu_tlb_stats(const struct mmu *m, bool itlb, struct tlb_stats *out);

/* ---- the inline fast path ---------------------------------------------- */

#define MMU_FAST_TAG(va, size) ((va) & (PAGE_MASK | ((size)-1)))

#define MMU_DEFINE_LOAD(bits)                                                 \
	static inline __must_check int mmu_load##bits(struct mmu *m, gva_t va, \
						      uint##bits##_t *out)    \
	{                                                                     \
		const struct mmu_fast *f = &m->fast_r[(va >> PAGE_SHIFT) &    \
						      m->dmask];              \
		if (likely(MMU_FAST_TAG(va, bits / 8) == f->tag)) {           \
			m->d_fast_hits++;                                     \
			memcpy(out, (const void *)(f->addend + va), bits / 8); \
			return 0;                                             \
		}                                                             \
		return mmu_load_slow(m, va, out, bits / 8);                   \
	}

#define MMU_DEFINE_STORE(bits)                                                \
	static inline __must_check int mmu_store##bits(struct mmu *m, gva_t va, \
						       uint##bits##_t v)      \
	{                                                                     \
		const struct mmu_fast *f = &m->fast_w[(va >> PAGE_SHIFT) &    \
						      m->dmask];              \
		if (likely(MMU_FAST_TAG(va, bits / 8) == f->tag)) {           \
			m->d_fast_hits++;                                     \
			memcpy((void *)(f->addend + va), &v, bits / 8);       \
			return 0;                                             \
		}                                                             \
		return mmu_store_slow(m, va, &v, bits / 8);                   \
	}

MMU_DEFINE_LOAD(8)
MMU_DEFINE_LOAD(16)
MMU_DEFINE_LOAD(32)
MMU_DEFINE_STORE(8)
MMU_DEFINE_STORE(16)
MMU_DEFINE_STORE(32)

#endif
