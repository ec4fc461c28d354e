/*
 * The TLB model: hits and misses, LRU and tree-PLRU replacement, every flush
 * and its counter, ASIDs and global entries, the on_change callback.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "mmu/pte.h"
#include "mmu/tlb.h"

#define PERM (PTE_V | PTE_R | PTE_U | PTE_A)

struct change_log {
	unsigned n;
	unsigned set[64];
};

static void log_change(void *arg, unsigned set)
{
	struct change_log *l = arg;

	if (l->n < 64)
		l->set[l->n] = set;
	l->n++;
}

static struct tlb t;
static struct change_log log_;

static void new_tlb(unsigned entries, unsigned ways, enum tlb_policy pol)
{
	cr_assert_eq(tlb_init(&t, "dtlb", entries, ways, pol), 0);
	t.on_change = log_change;
	t.arg = &log_;
	log_.n = 0;
}

static void fini(void)
{
	tlb_destroy(&t);
}

TestSuite(tlb, .fini = fini);

/* vpn that falls into set @set, tag @i, for a TLB of @sets sets */
static uint32_t vpn_in(unsigned sets, unsigned set, unsigned i)
{
	return set + i * sets;
}

Test(tlb, init_validation)
{
	cr_assert_eq(tlb_init(&t, "x", 0, 1, TLB_LRU), -EINVAL);
	cr_assert_eq(tlb_init(&t, "x", 48, 4, TLB_LRU), -EINVAL);
	cr_assert_eq(tlb_init(&t, "x", 8192, 4, TLB_LRU), -EINVAL);
	cr_assert_eq(tlb_init(&t, "x", 64, 3, TLB_LRU), -EINVAL);
	cr_assert_eq(tlb_init(&t, "x", 64, 128, TLB_LRU), -EINVAL);
	new_tlb(64, 0, TLB_LRU); /* fully associative */
	cr_assert_eq(t.ways, 64);
	cr_assert_eq(t.nr_sets, 1);
	tlb_destroy(&t);
	new_tlb(64, 4, TLB_LRU);
	cr_assert_eq(t.nr_sets, 16);
	cr_assert_eq(tlb_count_valid(&t), 0);
}

Test(tlb, hit_and_miss)
{
	struct tlb_entry *e;

	new_tlb(64, 4, TLB_LRU);
	cr_assert_null(tlb_lookup(&t, 0x123, 0));
	cr_assert_eq(t.st.accesses, 1);
	cr_assert_eq(t.st.misses, 1);
	e = tlb_fill(&t, 0x123, 0, 0x777, PERM, 2);
	cr_assert_not_null(e);
	cr_assert_eq(tlb_lookup(&t, 0x123, 0), e);
	cr_assert_eq(e->pfn, 0x777);
	cr_assert_eq(e->level, 2);
	cr_assert_eq(t.st.accesses, 2);
	cr_assert_eq(t.st.misses, 1);
	cr_assert_null(tlb_lookup(&t, 0x124, 0));
	cr_assert_eq(t.st.misses, 2);
	cr_assert_eq(tlb_count_valid(&t), 1);
	cr_assert_eq(tlb_set_of(&t, 0x123), 3);
}

Test(tlb, lru_eviction_order_4way)
{
	new_tlb(16, 4, TLB_LRU); /* 4 sets */
	for (unsigned i = 0; i < 4; i++)
		tlb_fill(&t, vpn_in(4, 1, i), 0, 100 + i, PERM, 2);
	cr_assert_eq(t.st.evictions, 0);
	/* use order now 0,1,2,3; touch 0 and 2 -> LRU order 1,3,0,2 */
	cr_assert_not_null(tlb_lookup(&t, vpn_in(4, 1, 0), 0));
	cr_assert_not_null(tlb_lookup(&t, vpn_in(4, 1, 2), 0));

	tlb_fill(&t, vpn_in(4, 1, 4), 0, 104, PERM, 2);
	cr_assert_eq(t.st.evictions, 1);
	cr_assert_null(tlb_lookup(&t, vpn_in(4, 1, 1), 0)); /* evicted */
	tlb_fill(&t, vpn_in(4, 1, 5), 0, 105, PERM, 2);
	cr_assert_null(tlb_lookup(&t, vpn_in(4, 1, 3), 0)); /* evicted next */
	tlb_fill(&t, vpn_in(4, 1, 6), 0, 106, PERM, 2);
	cr_assert_null(tlb_lookup(&t, vpn_in(4, 1, 0), 0));
	cr_assert_not_null(tlb_lookup(&t, vpn_in(4, 1, 2), 0));
	cr_assert_not_null(tlb_lookup(&t, vpn_in(4, 1, 4), 0));
	cr_assert_eq(t.st.evictions, 3);
	/* other sets untouched */
	cr_assert_eq(tlb_count_valid(&t), 4);
}

Test(tlb, invalid_way_preferred_over_victim)
{
	new_tlb(4, 4, TLB_LRU);
	for (unsigned i = 0; i < 4; i++)
		tlb_fill(&t, i, 0, i, PERM, 2);
	tlb_flush_page(&t, 2, 0, false);
	tlb_fill(&t, 9, 0, 9, PERM, 2);
	cr_assert_eq(t.st.evictions, 0);
	cr_assert_not_null(tlb_lookup(&t, 0, 0));
	cr_assert_eq(tlb_count_valid(&t), 4);
}

Test(tlb, plru_victims)
{
	new_tlb(4, 4, TLB_PLRU); /* one set of 4 */
	for (unsigned i = 0; i < 4; i++)
		tlb_fill(&t, i, 0, i, PERM, 2);
	/*
	 * After filling ways 0,1,2,3 in order the tree points at way 0.
	 * Touch 0: root -> right half; right node points at 2 (touched 3
	 * last) -> victim way 2 (vpn 2), not the true-LRU way 1.
	 */
	cr_assert_not_null(tlb_lookup(&t, 0, 0));
	tlb_fill(&t, 10, 0, 10, PERM, 2);
	cr_assert_null(tlb_lookup(&t, 2, 0));
	cr_assert_not_null(tlb_lookup(&t, 1, 0));
	/* touched: 10 (way 2), then 1 (way 1) -> root points right
	 * (away from 1), right node points away from way 2 -> way 3 */
	tlb_fill(&t, 11, 0, 11, PERM, 2);
	cr_assert_null(tlb_lookup(&t, 3, 0));
	cr_assert_not_null(tlb_lookup(&t, 0, 0));
	cr_assert_not_null(tlb_lookup(&t, 10, 0));
	cr_assert_not_null(tlb_lookup(&t, 11, 0));
	cr_assert_eq(t.st.evictions, 2);
}

Test(tlb, plru_and_lru_differ)
{
	/* same sequence as plru_victims under true LRU evicts vpn 1 */
	new_tlb(4, 4, TLB_LRU);
	for (unsigned i = 0; i < 4; i++)
		tlb_fill(&t, i, 0, i, PERM, 2);
	cr_assert_not_null(tlb_lookup(&t, 0, 0));
	tlb_fill(&t, 10, 0, 10, PERM, 2);
	cr_assert_null(tlb_lookup(&t, 1, 0));
	cr_assert_not_null(tlb_lookup(&t, 2, 0));
}

Test(tlb, direct_mapped)
{
	new_tlb(8, 1, TLB_PLRU);
	tlb_fill(&t, 3, 0, 1, PERM, 2);
	tlb_fill(&t, 11, 0, 2, PERM, 2);
	cr_assert_eq(t.st.evictions, 1);
	cr_assert_null(tlb_lookup(&t, 3, 0));
	cr_assert_eq(tlb_lookup(&t, 11, 0)->pfn, 2);
}

Test(tlb, flush_page_counts_and_asids)
{
	new_tlb(64, 4, TLB_LRU);
	tlb_fill(&t, 5, 1, 50, PERM, 2);
	tlb_fill(&t, 5, 2, 51, PERM, 2);
	tlb_fill(&t, 6, 1, 60, PERM, 2);
	tlb_flush_page(&t, 5, 1, false);
	cr_assert_eq(t.st.flush_page, 1);
	cr_assert_null(tlb_lookup(&t, 5, 1));
	cr_assert_eq(tlb_lookup(&t, 5, 2)->pfn, 51);
	cr_assert_not_null(tlb_lookup(&t, 6, 1));
	tlb_fill(&t, 5, 1, 50, PERM, 2);
	tlb_flush_page(&t, 5, 7, true);
	cr_assert_eq(t.st.flush_page, 2);
	cr_assert_null(tlb_lookup(&t, 5, 1));
	cr_assert_null(tlb_lookup(&t, 5, 2));
	cr_assert_eq(tlb_count_valid(&t), 1);
	tlb_flush_page(&t, 1234, 0, false); /* nothing there still counts */
	cr_assert_eq(t.st.flush_page, 3);
}

Test(tlb, flush_asid_keeps_globals_and_others)
{
	new_tlb(64, 4, TLB_LRU);
	tlb_fill(&t, 1, 1, 10, PERM, 2);
	tlb_fill(&t, 2, 1, 20, PERM | PTE_G, 2);
	tlb_fill(&t, 3, 2, 30, PERM, 2);
	tlb_flush_asid(&t, 1);
	cr_assert_eq(t.st.flush_asid, 1);
	cr_assert_null(tlb_lookup(&t, 1, 1));
	cr_assert_not_null(tlb_lookup(&t, 2, 1));
	cr_assert_not_null(tlb_lookup(&t, 3, 2));
	cr_assert_eq(tlb_count_valid(&t), 2);
	tlb_flush_all(&t);
	cr_assert_eq(t.st.flush_all, 1);
	cr_assert_eq(tlb_count_valid(&t), 0);
}

Test(tlb, asid_isolation_and_global_match)
{
	new_tlb(64, 4, TLB_LRU);
	tlb_fill(&t, 0x40, 1, 1, PERM, 2);
	cr_assert_null(tlb_lookup(&t, 0x40, 2));
	cr_assert_not_null(tlb_lookup(&t, 0x40, 1));
	tlb_fill(&t, 0x80, 1, 2, PERM | PTE_G, 2);
	cr_assert_eq(tlb_lookup(&t, 0x80, 2)->pfn, 2);
	cr_assert_eq(tlb_lookup(&t, 0x80, 999)->pfn, 2);
	/* a page flush drops the global entry too */
	tlb_flush_page(&t, 0x80, 3, false);
	cr_assert_null(tlb_lookup(&t, 0x80, 1));
}

Test(tlb, on_change_callback)
{
	new_tlb(16, 4, TLB_LRU); /* 4 sets */
	tlb_fill(&t, vpn_in(4, 2, 0), 0, 1, PERM, 2);
	/* way 0 was already MRU of set 2 (initial), the entry changed */
	cr_assert_eq(log_.n, 1);
	cr_assert_eq(log_.set[0], 2);
	tlb_fill(&t, vpn_in(4, 2, 1), 0, 2, PERM, 2); /* way 1 becomes MRU */
	cr_assert_eq(log_.n, 2);
	cr_assert_eq(log_.set[1], 2);
	cr_assert_not_null(tlb_lookup(&t, vpn_in(4, 2, 1), 0)); /* MRU hit */
	cr_assert_eq(log_.n, 2);
	cr_assert_null(tlb_lookup(&t, vpn_in(4, 2, 7), 0)); /* miss */
	cr_assert_eq(log_.n, 2);
	cr_assert_not_null(tlb_lookup(&t, vpn_in(4, 2, 0), 0)); /* way 0 */
	cr_assert_eq(log_.n, 3);
	/* flushing a non-MRU entry: no call; the MRU entry: call */
	tlb_flush_page(&t, vpn_in(4, 2, 1), 0, false);
	cr_assert_eq(log_.n, 3);
	tlb_flush_page(&t, vpn_in(4, 2, 0), 0, false);
	cr_assert_eq(log_.n, 4);
	cr_assert_eq(log_.set[3], 2);
	/* fill in set 3, flush all: one call for set 3 only */
	tlb_fill(&t, vpn_in(4, 3, 0), 0, 3, PERM, 2);
	log_.n = 0;
	tlb_flush_all(&t);
	cr_assert_eq(log_.n, 1);
	cr_assert_eq(log_.set[0], 3);
	cr_assert_eq(t.mru[3], 0);
}

Test(tlb, mru_tracks_last_touch)
{
	new_tlb(8, 4, TLB_PLRU); /* 2 sets */
	for (unsigned i = 0; i < 4; i++)
		tlb_fill(&t, vpn_in(2, 1, i), 0, i, PERM, 2);
	cr_assert_eq(t.mru[1], 3);
	cr_assert_not_null(tlb_lookup(&t, vpn_in(2, 1, 1), 0));
	cr_assert_eq(t.mru[1], 1);
}

Test(tlb, fully_associative_large)
{
	new_tlb(1024, 0, TLB_LRU); /* 1024 ways, mru stored 16-bit */
	for (unsigned i = 0; i < 1024; i++)
		tlb_fill(&t, i * 7, 0, i, PERM, 2);
	cr_assert_eq(t.st.evictions, 0);
	cr_assert_not_null(tlb_lookup(&t, 0, 0));
	tlb_fill(&t, 99999, 0, 1, PERM, 2); /* evicts vpn 7, the LRU */
	cr_assert_eq(t.st.evictions, 1);
	cr_assert_null(tlb_lookup(&t, 7, 0));
	cr_assert_not_null(tlb_lookup(&t, 0, 0));
	cr_assert_not_null(tlb_lookup(&t, 14, 0));
}

Test(tlb, stamp_wrap_keeps_order)
{
	new_tlb(4, 4, TLB_LRU);
	t.clock = UINT32_MAX - 3;
	for (unsigned i = 0; i < 4; i++)
		tlb_fill(&t, i, 0, i, PERM, 2); /* wraps during the fills */
	cr_assert_lt(t.clock, 100);
	cr_assert_not_null(tlb_lookup(&t, 0, 0));
	tlb_fill(&t, 20, 0, 20, PERM, 2);
	cr_assert_null(tlb_lookup(&t, 1, 0)); /* still the LRU */
	cr_assert_not_null(tlb_lookup(&t, 3, 0));
}

/* ---- huge entries ------------------------------------------------------- */

/* One huge entry covers all 512 pages of its 2 MiB page, in its huge set. */
Test(tlb, huge_entry_covers_its_pages)
{
	new_tlb(16, 4, TLB_LRU);
	t.huge_shift = 9;
	struct tlb_entry *e = tlb_fill_huge(&t, 0x40203, 0, 0x1203, PERM, 1);
	cr_assert(e->huge);
	cr_assert_eq(e->vpn, 0x40200);
	cr_assert_eq(e->pfn, 0x1200);
	cr_assert_eq(e - t.e, (long)(tlb_huge_set_of(&t, 0x40203) * 4));
	cr_assert_eq(t.nr_huge, 1);
	for (uint32_t v = 0x40200; v < 0x40400; v++) {
		struct tlb_entry *h = tlb_lookup(&t, v, 0);
		cr_assert_eq(h, e);
		cr_assert_eq(tlb_entry_pfn(h, v), 0x1200 + (v - 0x40200));
	}
	cr_assert_eq(t.st.misses, 0);
	cr_assert_null(tlb_lookup(&t, 0x40400, 0), "the next huge page");
	cr_assert_null(tlb_lookup(&t, 0x401ff, 0), "the one before");
	/* a 4 KiB entry for a page inside is looked up first */
	struct tlb_entry *s = tlb_fill(&t, 0x40210, 0, 0x777, PERM, 2);
	cr_assert_eq(tlb_lookup(&t, 0x40210, 0), s);
	cr_assert_eq(tlb_lookup(&t, 0x40211, 0), e);
	/* a page flush inside drops the whole huge entry */
	tlb_flush_page(&t, 0x403ff, 0, false);
	cr_assert_eq(t.nr_huge, 0);
	cr_assert_null(tlb_lookup(&t, 0x40200, 0));
	cr_assert_eq(tlb_lookup(&t, 0x40210, 0), s);
}

/* Evicting or flushing huge entries keeps the count of them exact. */
Test(tlb, huge_entries_counted_through_evictions)
{
	new_tlb(4, 1, TLB_LRU);	/* direct-mapped: 4 sets of 1 way */
	t.huge_shift = 9;
	tlb_fill_huge(&t, 0x00000, 0, 0x000, PERM, 1);	/* huge set 0 */
	tlb_fill_huge(&t, 0x00200, 0, 0x200, PERM, 1);	/* huge set 1 */
	cr_assert_eq(t.nr_huge, 2);
	tlb_fill(&t, 0x00004, 0, 0x999, PERM, 2);	/* set 0: evicts */
	cr_assert_eq(t.nr_huge, 1);
	cr_assert_null(tlb_lookup(&t, 0x00001, 0));
	cr_assert_not_null(tlb_lookup(&t, 0x00201, 0));
	tlb_flush_all(&t);
	cr_assert_eq(t.nr_huge, 0);
	cr_assert_eq(tlb_count_valid(&t), 0);
}
