/*
 * The MMU: fast mirror vs slow path, exact TLB counters, stale entries and
 * flushes, page-crossing accesses, A/D bits and the write mirror's rules.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mmu/mmu.h"
#include "vm_harness.h"

#define URW (PTE_V | PTE_R | PTE_W | PTE_U)
#define URO (PTE_V | PTE_R | PTE_U)
#define URX (PTE_V | PTE_R | PTE_X | PTE_U)

static struct vmh h;

static void setup(void)
{
	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
}

static void teardown(void)
{
	vmh_destroy(&h);
}

TestSuite(mmu, .init = setup, .fini = teardown);

/* The leaf entry of @va through the walker (no A/D change). */
static pte_t leaf_of(gva_t va)
{
	struct mmu_walk w;

	(void)mmu_walk(&h.mmu, va, ACC_READ, false, &w);
	return w.pte;
}

static void dstats(struct tlb_stats *s)
{
	mmu_tlb_stats(&h.mmu, false, s);
}

Test(mmu, default_config)
{
	struct mmu_config c;

	mmu_default_config(&c);
	cr_assert_eq(c.paging, PAGING_PAE);
	cr_assert_eq(c.dtlb_entries, 64);
	cr_assert_eq(c.dtlb_ways, 4);
	cr_assert_eq(c.itlb_entries, 64);
	cr_assert_eq(c.itlb_ways, 4);
	cr_assert_eq(c.policy, TLB_LRU);
	cr_assert_not(c.asid);
	cr_assert_eq(h.mmu.dmask, 15);
	cr_assert_eq(h.mmu.imask, 15);
}

Test(mmu, bad_config)
{
	struct mmu_config c;
	struct mmu m;

	mmu_default_config(&c);
	c.dtlb_entries = 48;
	cr_assert_eq(mmu_init(&m, &h.phys, &c), -EINVAL);
	mmu_default_config(&c);
	c.itlb_ways = 3;
	cr_assert_eq(mmu_init(&m, &h.phys, &c), -EINVAL);
}

Test(mmu, load_store_roundtrip_and_fast_path_agrees)
{
	uint32_t v = 0;
	uint8_t b;
	uint16_t hw;

	cr_assert_eq(vmh_map(&h, 0x10000, 0x2000, URW), 0);
	cr_assert_eq(mmu_store32(&h.mmu, 0x10004, 0xdeadbeef), 0);
	/* the host view agrees */
	uint32_t host;
	memcpy(&host, vmh_host(&h, 0x10004), 4);
	cr_assert_eq(host, 0xdeadbeef);

	/* first load after the store: fast (mirror installed by the store) */
	uint64_t before = h.mmu.d_fast_hits;
	cr_assert_eq(mmu_load32(&h.mmu, 0x10004, &v), 0);
	cr_assert_eq(v, 0xdeadbeef);
	cr_assert_eq(h.mmu.d_fast_hits, before + 1);

	/* slow path reading the same bytes agrees */
	cr_assert_eq(mmu_load_slow(&h.mmu, 0x10004, &v, 4), 0);
	cr_assert_eq(v, 0xdeadbeef);
	cr_assert_eq(mmu_load8(&h.mmu, 0x10007, &b), 0);
	cr_assert_eq(b, 0xde);
	cr_assert_eq(mmu_load16(&h.mmu, 0x10004, &hw), 0);
	cr_assert_eq(hw, 0xbeef);
}

Test(mmu, counters_exact)
{
	struct tlb_stats s;
	uint32_t v;

	cr_assert_eq(vmh_map(&h, 0x40000, 0x1000, URW), 0);
	dstats(&s);
	cr_assert_eq(s.accesses, 0);
	cr_assert_eq(s.misses, 0);

	cr_assert_eq(mmu_load32(&h.mmu, 0x40000, &v), 0); /* miss + walk */
	dstats(&s);
	cr_assert_eq(s.accesses, 1);
	cr_assert_eq(s.misses, 1);
	cr_assert_eq(h.mmu.st.walks, 1);
	cr_assert_eq(h.mmu.st.walk_reads, 3);

	for (int i = 0; i < 10; i++)
		cr_assert_eq(mmu_load32(&h.mmu, 0x40000 + 4 * i, &v), 0);
	dstats(&s);
	cr_assert_eq(s.accesses, 11);
	cr_assert_eq(s.misses, 1);
	cr_assert_eq(h.mmu.d_fast_hits, 10);

	/* first store to the clean page: slow hit + A/D re-walk, no miss */
	cr_assert_eq(mmu_store32(&h.mmu, 0x40000, 1), 0);
	dstats(&s);
	cr_assert_eq(s.accesses, 12);
	cr_assert_eq(s.misses, 1);
	cr_assert_eq(h.mmu.st.walks, 2);
	/* the next store is a mirror hit */
	cr_assert_eq(mmu_store32(&h.mmu, 0x40004, 2), 0);
	cr_assert_eq(h.mmu.d_fast_hits, 11);
	dstats(&s);
	cr_assert_eq(s.accesses, 13);
	cr_assert_eq(s.accesses - s.misses, 12); /* hits */
}

Test(mmu, other_way_hit_goes_slow_but_is_a_hit)
{
	struct tlb_stats s;
	uint32_t v;
	/* 16 sets: pages 0x10 and 0x20 share set 0 */
	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URW), 0);
	cr_assert_eq(vmh_map(&h, 0x20000, 0x1000, URW), 0);
	cr_assert_eq(mmu_load32(&h.mmu, 0x10000, &v), 0);
	cr_assert_eq(mmu_load32(&h.mmu, 0x20000, &v), 0);
	cr_assert_eq(h.mmu.fast_r[0].tag, 0x20000);
	uint64_t fast = h.mmu.d_fast_hits;
	cr_assert_eq(mmu_load32(&h.mmu, 0x10000, &v), 0); /* not the MRU */
	cr_assert_eq(h.mmu.d_fast_hits, fast);
	cr_assert_eq(h.mmu.fast_r[0].tag, 0x10000);
	dstats(&s);
	cr_assert_eq(s.accesses, 3);
	cr_assert_eq(s.misses, 2);
}

Test(mmu, stale_entry_until_flush)
{
	uint32_t v;
	uint8_t *old_host, *new_host;

	cr_assert_eq(vmh_map(&h, 0x50000, 0x1000, URW), 0);
	cr_assert_eq(vmh_map(&h, 0x51000, 0x1000, URW), 0);
	old_host = vmh_host(&h, 0x50000);
	new_host = vmh_host(&h, 0x51000);
	memcpy(old_host, &(uint32_t){ 0x01d }, 4);
	memcpy(new_host, &(uint32_t){ 0x2e3 }, 4);

	cr_assert_eq(mmu_load32(&h.mmu, 0x50000, &v), 0);
	cr_assert_eq(v, 0x01d);

	/* repoint 0x50000's PTE at 0x51000's frame, without a flush */
	struct mmu_walk w1, w2;
	cr_assert_eq(mmu_walk(&h.mmu, 0x50000, ACC_READ, false, &w1), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x51000, ACC_READ, false, &w2), 0);
	pt_write(h.mmu.geo, phys_host(&h.phys, w1.pte_pa, 8), w2.pte);

	/* fast path and slow path both still see the old frame */
	cr_assert_eq(mmu_load32(&h.mmu, 0x50000, &v), 0);
	cr_assert_eq(v, 0x01d);
	cr_assert_eq(mmu_load_slow(&h.mmu, 0x50000, &v, 4), 0);
	cr_assert_eq(v, 0x01d);

	mmu_flush_page(&h.mmu, 0x50000);
	cr_assert_eq(h.mmu.dtlb.st.flush_page, 3); /* 2 from vmh_map */
	cr_assert_eq(mmu_load32(&h.mmu, 0x50000, &v), 0);
	cr_assert_eq(v, 0x2e3);
}

Test(mmu, crossing_store_fault_on_second_page_writes_nothing)
{
	struct tlb_stats s;

	cr_assert_eq(vmh_map(&h, 0x60000, 0x1000, URW), 0);
	cr_assert_eq(vmh_map(&h, 0x61000, 0x1000, URO), 0);
	uint8_t *p = vmh_host(&h, 0x60ffe);
	p[0] = 0x11;
	p[1] = 0x22;

	cr_assert_eq(mmu_store32(&h.mmu, 0x60ffe, 0xaabbccdd), -1);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_PROTECTION);
	cr_assert_eq(h.mmu.fault.va, 0x61000);
	cr_assert_eq(h.mmu.fault.access, ACC_WRITE);
	cr_assert_eq(p[0], 0x11);
	cr_assert_eq(p[1], 0x22);
	cr_assert_eq(h.mmu.st.faults, 1);
	cr_assert_eq(h.mmu.st.misaligned, 1);
	dstats(&s);
	cr_assert_eq(s.accesses, 2); /* one lookup per page */

	/* unmapped second page: NOT_PRESENT at its first byte */
	cr_assert_eq(vmh_map(&h, 0x63000, 0x1000, URW), 0);
	cr_assert_eq(mmu_store16(&h.mmu, 0x63fff, 0x1234), -1);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(h.mmu.fault.va, 0x64000);
	cr_assert_eq(*(uint8_t *)vmh_host(&h, 0x63fff), 0);
	/* a fault on the first page reports the access's own address */
	cr_assert_eq(mmu_store16(&h.mmu, 0x61fff, 0x1234), -1);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_PROTECTION);
	cr_assert_eq(h.mmu.fault.va, 0x61fff);
}

Test(mmu, crossing_load_and_store_succeed)
{
	uint32_t v;

	cr_assert_eq(vmh_map(&h, 0x70000, 0x2000, URW), 0);
	cr_assert_eq(mmu_store32(&h.mmu, 0x70ffd, 0x44332211), 0);
	cr_assert_eq(*(uint8_t *)vmh_host(&h, 0x70ffd), 0x11);
	cr_assert_eq(*(uint8_t *)vmh_host(&h, 0x70fff), 0x33);
	cr_assert_eq(*(uint8_t *)vmh_host(&h, 0x71000), 0x44);
	cr_assert_eq(mmu_load32(&h.mmu, 0x70ffd, &v), 0);
	cr_assert_eq(v, 0x44332211);
	/* misaligned inside one page */
	cr_assert_eq(mmu_store32(&h.mmu, 0x70101, 0xcafef00d), 0);
	cr_assert_eq(mmu_load32(&h.mmu, 0x70101, &v), 0);
	cr_assert_eq(v, 0xcafef00d);
	cr_assert_eq(h.mmu.st.misaligned, 4);
}

Test(mmu, store_to_clean_page_sets_dirty)
{
	uint32_t v;

	cr_assert_eq(vmh_map(&h, 0x80000, 0x1000, URW), 0);
	cr_assert_eq(leaf_of(0x80000) & (PTE_A | PTE_D), 0);
	cr_assert_eq(mmu_load32(&h.mmu, 0x80000, &v), 0);
	cr_assert_eq(leaf_of(0x80000) & (PTE_A | PTE_D), PTE_A);
	/* clean entry: no write mirror */
	cr_assert_eq(h.mmu.fast_w[0].tag, MMU_FAST_INVALID);
	cr_assert_eq(mmu_store8(&h.mmu, 0x80010, 7), 0);
	cr_assert_eq(leaf_of(0x80000) & (PTE_A | PTE_D), PTE_A | PTE_D);
	cr_assert_eq(h.mmu.fast_w[0].tag, 0x80000);
	cr_assert_eq(*(uint8_t *)vmh_host(&h, 0x80010), 7);
}

Test(mmu, no_write_mirror_for_read_only_page)
{
	uint32_t v;

	cr_assert_eq(vmh_map(&h, 0x90000, 0x1000, URO), 0);
	cr_assert_eq(mmu_load32(&h.mmu, 0x90000, &v), 0);
	cr_assert_eq(h.mmu.fast_r[0].tag, 0x90000);
	cr_assert_eq(h.mmu.fast_w[0].tag, MMU_FAST_INVALID);
	cr_assert_eq(mmu_store32(&h.mmu, 0x90000, 1), -1);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_PROTECTION);
	cr_assert_eq(h.mmu.fast_w[0].tag, MMU_FAST_INVALID);
	cr_assert_eq(leaf_of(0x90000) & PTE_D, 0);
	/* protect to RW (as a COW break would), then the store succeeds */
	cr_assert_eq(vmh_protect(&h, 0x90000, URW), 0);
	cr_assert_eq(mmu_store32(&h.mmu, 0x90000, 5), 0);
	cr_assert_eq(h.mmu.fast_w[0].tag, 0x90000);
}

Test(mmu, write_protect_drops_write_mirror)
{
	cr_assert_eq(vmh_map(&h, 0xa0000, 0x1000, URW), 0);
	cr_assert_eq(mmu_store32(&h.mmu, 0xa0000, 1), 0);
	cr_assert_eq(h.mmu.fast_w[0].tag, 0xa0000);
	cr_assert_eq(vmh_protect(&h, 0xa0000, URO), 0);
	cr_assert_eq(h.mmu.fast_w[0].tag, MMU_FAST_INVALID);
	cr_assert_eq(h.mmu.fast_r[0].tag, MMU_FAST_INVALID);
	cr_assert_eq(mmu_store32(&h.mmu, 0xa0000, 2), -1);
}

Test(mmu, fault_not_present_and_root_zero)
{
	uint32_t v;

	cr_assert_eq(mmu_load32(&h.mmu, 0x12345678, &v), -1);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(h.mmu.fault.va, 0x12345678);
	cr_assert_eq(h.mmu.fault.access, ACC_READ);
	cr_assert_eq(h.mmu.st.faults, 1);

	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URW), 0);
	mmu_set_root(&h.mmu, 0, 0);
	cr_assert_eq(mmu_load32(&h.mmu, 0x10000, &v), -1);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(h.mmu.fault.pte, 0);
}

Test(mmu, fetch_page)
{
	const uint8_t *page;
	struct tlb_stats s;

	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URX), 0);
	cr_assert_eq(vmh_map(&h, 0x20000, 0x1000, URW), 0);
	cr_assert_eq(mmu_fetch_page(&h.mmu, 0x10abc, &page), 0);
	cr_assert_eq(page, vmh_host(&h, 0x10000));
	cr_assert_eq(h.mmu.fast_x[0].tag, 0x10000);
	cr_assert_eq(h.mmu.fast_x[0].addend + 0x10abc,
		     (uintptr_t)vmh_host(&h, 0x10abc));
	cr_assert_eq(mmu_fetch_page(&h.mmu, 0x10000, &page), 0);
	mmu_tlb_stats(&h.mmu, true, &s);
	cr_assert_eq(s.accesses, 2);
	cr_assert_eq(s.misses, 1);
	h.mmu.i_fast_hits = 5;
	mmu_tlb_stats(&h.mmu, true, &s);
	cr_assert_eq(s.accesses, 7);

	cr_assert_eq(mmu_fetch_page(&h.mmu, 0x20000, &page), -1);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_PROTECTION);
	cr_assert_eq(h.mmu.fault.access, ACC_EXEC);
	cr_assert_eq(h.mmu.st.faults, 1);
	/* exec-only data page is not readable by loads */
	uint32_t v;
	cr_assert_eq(mmu_load32(&h.mmu, 0x10000, &v), 0); /* R set: ok */
}

Test(mmu, set_root_flushes_without_asid)
{
	uint32_t v;

	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URW), 0);
	cr_assert_eq(mmu_load32(&h.mmu, 0x10000, &v), 0);
	cr_assert_eq(tlb_count_valid(&h.mmu.dtlb), 1);
	uint64_t fa = h.mmu.dtlb.st.flush_all;
	mmu_set_root(&h.mmu, h.mmu.root, 0);
	cr_assert_eq(tlb_count_valid(&h.mmu.dtlb), 0);
	cr_assert_eq(h.mmu.dtlb.st.flush_all, fa + 1);
	cr_assert_eq(h.mmu.fast_r[0].tag, MMU_FAST_INVALID);
}

Test(mmu, asid_keeps_entries_across_switch)
{
	struct mmu_config c;
	struct mmu m;
	uint32_t v;

	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URW), 0);
	mmu_default_config(&c);
	c.asid = true;
	cr_assert_eq(mmu_init(&m, &h.phys, &c), 0);
	mmu_set_root(&m, h.mmu.root, 1);
	cr_assert_eq(mmu_load32(&m, 0x10000, &v), 0);
	mmu_set_root(&m, h.mmu.root, 2);
	cr_assert_eq(m.dtlb.st.flush_all, 0);
	cr_assert_eq(tlb_count_valid(&m.dtlb), 1);
	cr_assert_eq(m.fast_r[0].tag, MMU_FAST_INVALID);
	cr_assert_eq(mmu_load32(&m, 0x10000, &v), 0); /* ASID 2: miss */
	cr_assert_eq(m.dtlb.st.misses, 2);
	mmu_set_root(&m, h.mmu.root, 1);
	cr_assert_eq(mmu_load32(&m, 0x10000, &v), 0); /* ASID 1: hit */
	cr_assert_eq(m.dtlb.st.misses, 2);
	mmu_flush_asid(&m, 2);
	cr_assert_eq(tlb_count_valid(&m.dtlb), 1);
	mmu_flush_page_asid(&m, 0x10000, 1);
	cr_assert_eq(tlb_count_valid(&m.dtlb), 0);
	mmu_destroy(&m);
}

Test(mmu, flush_all_and_asid_counters)
{
	uint32_t v;

	cr_assert_eq(vmh_map(&h, 0x10000, 0x4000, URW), 0);
	for (gva_t a = 0x10000; a < 0x14000; a += 0x1000)
		cr_assert_eq(mmu_load32(&h.mmu, a, &v), 0);
	cr_assert_eq(tlb_count_valid(&h.mmu.dtlb), 4);
	mmu_flush_asid(&h.mmu, 0);
	cr_assert_eq(tlb_count_valid(&h.mmu.dtlb), 0);
	cr_assert_eq(h.mmu.dtlb.st.flush_asid, 1);
	cr_assert_eq(h.mmu.itlb.st.flush_asid, 1);
	for (gva_t a = 0x10000; a < 0x14000; a += 0x1000)
		cr_assert_eq(mmu_load32(&h.mmu, a, &v), 0);
	uint64_t fa = h.mmu.dtlb.st.flush_all;
	mmu_flush_all(&h.mmu);
	cr_assert_eq(h.mmu.dtlb.st.flush_all, fa + 1);
	cr_assert_eq(tlb_count_valid(&h.mmu.dtlb), 0);
	for (unsigned s = 0; s <= h.mmu.dmask; s++)
		cr_assert_eq(h.mmu.fast_r[s].tag, MMU_FAST_INVALID);
}

Test(mmu, translate_nocache)
{
	gpa_t pa;
	struct tlb_stats s;

	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URO), 0);
	cr_assert_eq(mmu_translate_nocache(&h.mmu, 0x10123, ACC_READ, &pa), 0);
	cr_assert_eq(h.phys.ram + pa, (uint8_t *)vmh_host(&h, 0x10123));
	cr_assert_eq(leaf_of(0x10000) & PTE_A, PTE_A);
	dstats(&s);
	cr_assert_eq(s.accesses, 0);
	cr_assert_eq(mmu_translate_nocache(&h.mmu, 0x10123, ACC_WRITE, &pa), -1);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_PROTECTION);
	cr_assert_eq(h.mmu.fault.va, 0x10123);
}

Test(mmu, sv32_works_too)
{
	struct vmh s;
	uint32_t v;

	cr_assert_eq(vmh_init(&s, PAGING_SV32), 0);
	cr_assert_eq(vmh_map(&s, 0x7fff0000, 0x3000, URW), 0);
	cr_assert_eq(mmu_store32(&s.mmu, 0x7fff1ffe, 0x12345678), 0);
	cr_assert_eq(mmu_load32(&s.mmu, 0x7fff1ffe, &v), 0);
	cr_assert_eq(v, 0x12345678);
	cr_assert_eq(s.mmu.st.walk_reads, 2 * 2); /* two pages, 2 levels */
	vmh_destroy(&s);
}

/* ---- events ------------------------------------------------------------- */

#define MAX_EV 64

struct ev_log {
	int n;
	struct trace_event ev[MAX_EV];
};

static void log_event(void *arg, const struct trace_event *ev)
{
	struct ev_log *l = arg;

	if (l->n < MAX_EV)
		l->ev[l->n] = *ev;
	l->n++; /* counts them all */
}

/* The types of the logged events, in order, as a string of names. */
static const char *types_of(const struct ev_log *l)
{
	static char buf[2048];
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < l->n && i < MAX_EV; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
					i ? " " : "",
					trace_event_name(l->ev[i].type));
	return buf;
}

Test(mmu, events_of_a_miss_in_order_with_their_fields)
{
	static struct ev_log l;
	uint32_t v;

	cr_assert_eq(vmh_map(&h, 0x40000, 0x1000, URW), 0);
	pte_t leaf = leaf_of(0x40000);
	cr_assert_geq(trace_add_sink(&h.mmu.trace, TRACE_ALL, log_event, &l),
		      0);
	cr_assert_eq(mmu_store32(&h.mmu, 0x40124, 7), 0);
	cr_assert_str_eq(types_of(&l),
			 "tlb:miss mmu:walk_level mmu:walk_level "
			 "mmu:walk_level mmu:walk_done tlb:fill");
	/* miss: va, set, ASID tag */
	cr_assert_eq(l.ev[0].addr, 0x40124);
	cr_assert_eq(l.ev[0].arg[0], 0x40 & h.mmu.dmask);
	cr_assert_eq(l.ev[0].flags, TEV_WRITE);
	cr_assert_str_eq(l.ev[0].str, "dtlb");
	/* the three levels: pa of the entry, level, index, value, table */
	for (int lvl = 0; lvl < 3; lvl++) {
		const struct trace_event *e = &l.ev[1 + lvl];

		cr_assert_eq(e->flags, TEV_WALKER | TEV_PHYS | TEV_WRITE);
		cr_assert_eq(e->arg[0], (uint64_t)lvl);
		cr_assert_eq(e->arg[1], pt_index(h.mmu.geo, lvl, 0x40124));
		cr_assert_eq(e->addr, e->arg[3] + e->arg[1] * 8);
		cr_assert_eq(e->arg[4], 0x40124);
		cr_assert_str_eq(e->str, h.mmu.geo->level[lvl].name);
	}
	cr_assert_eq(l.ev[1].arg[3], h.mmu.root);
	cr_assert_eq(l.ev[3].arg[2], leaf); /* before the A/D update */
	gpa_t pa = (pte_pfn(leaf) << PAGE_SHIFT) + 0x124;
	/* done: pa, no fault, leaf level, leaf after A/D, entries read */
	cr_assert_eq(l.ev[4].addr, 0x40124);
	cr_assert_eq(l.ev[4].arg[0], pa);
	cr_assert_eq(l.ev[4].arg[1], MMU_FAULT_NONE);
	cr_assert_eq(l.ev[4].arg[2], 2);
	cr_assert_eq(l.ev[4].arg[3], leaf | PTE_A | PTE_D);
	cr_assert_eq(l.ev[4].arg[4], 3);
	/* fill: pa, set, way, perm, level */
	cr_assert_eq(l.ev[5].arg[0], pa);
	cr_assert_eq(l.ev[5].arg[1], 0);
	cr_assert_eq(l.ev[5].arg[3], (leaf | PTE_A | PTE_D) & 0xff);
	cr_assert_eq(l.ev[5].arg[4], 2);

	/* a mirror hit is no event; a load of another way's entry is */
	l.n = 0;
	cr_assert_eq(mmu_load32(&h.mmu, 0x40124, &v), 0);
	cr_assert_eq(l.n, 0);
	cr_assert_eq(vmh_map(&h, 0x50000, 0x1000, URW), 0); /* same set */
	cr_assert_eq(mmu_load32(&h.mmu, 0x50000, &v), 0);
	l.n = 0;
	cr_assert_eq(mmu_load32(&h.mmu, 0x40124, &v), 0);
	cr_assert_str_eq(types_of(&l), "tlb:hit");
	cr_assert_eq(l.ev[0].addr, 0x40124);
	cr_assert_eq(l.ev[0].arg[0], 0);		/* set */
	cr_assert_eq(l.ev[0].arg[1], 0);		/* way: filled first */
	cr_assert_eq(l.ev[0].arg[2], pa);
	cr_assert_eq(l.ev[0].flags, 0);
}

Test(mmu, events_of_evictions_faults_and_flushes)
{
	static struct ev_log l;
	uint32_t v;

	/* five pages of set 0 in a 4-way set: the fifth evicts the first */
	for (gva_t a = 0x100000; a < 0x150000; a += 0x10000)
		cr_assert_eq(vmh_map(&h, a, 0x1000, URW), 0);
	for (gva_t a = 0x100000; a < 0x140000; a += 0x10000)
		cr_assert_eq(mmu_load32(&h.mmu, a, &v), 0);
	cr_assert_geq(trace_add_sink(&h.mmu.trace,
				     TRACE_BIT(EV_TLB_EVICT) |
					     TRACE_BIT(EV_TLB_FLUSH) |
					     TRACE_BIT(EV_WALK_DONE),
				     log_event, &l), 0);
	cr_assert_eq(mmu_load32(&h.mmu, 0x140000, &v), 0);
	cr_assert_str_eq(types_of(&l), "mmu:walk_done tlb:evict");
	cr_assert_eq(l.ev[1].addr, 0x100000);
	cr_assert_eq(l.ev[1].arg[0], 0);	/* set */
	cr_assert_eq(l.ev[1].arg[1], 0);	/* way */
	cr_assert_eq(l.ev[1].arg[2], pte_pfn(leaf_of(0x100000)));

	/* a failed walk says where it stopped */
	l.n = 0;
	cr_assert_eq(mmu_load32(&h.mmu, 0x7654321c, &v), -1);
	cr_assert_str_eq(types_of(&l), "mmu:walk_done");
	cr_assert_eq(l.ev[0].arg[0], 0);
	cr_assert_eq(l.ev[0].arg[1], MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(l.ev[0].arg[2], 0);	/* an empty PGD slot */

	/* one flush event per TLB, the I-TLB's flagged */
	l.n = 0;
	mmu_flush_page(&h.mmu, 0x140000);
	cr_assert_str_eq(types_of(&l), "tlb:tlb_flush tlb:tlb_flush");
	cr_assert_eq(l.ev[0].flags, TEV_ITLB);
	cr_assert_str_eq(l.ev[0].str, "itlb");
	cr_assert_eq(l.ev[0].arg[2], 0);	/* nothing there */
	cr_assert_eq(l.ev[1].flags, 0);
	cr_assert_eq(l.ev[1].addr, 0x140000);
	cr_assert_eq(l.ev[1].arg[0], TLB_FLUSH_PAGE);
	cr_assert_eq(l.ev[1].arg[2], 1);	/* one entry invalidated */
	l.n = 0;
	mmu_flush_all(&h.mmu);
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.ev[1].arg[0], TLB_FLUSH_ALL);
	cr_assert_eq(l.ev[1].arg[2], 3);
}

Test(mmu, tracing_changes_no_counter)
{
	static struct ev_log l;
	struct tlb_stats sa, sb;
	uint32_t v;

	/* the same accesses on a second machine, one traced */
	struct vmh t;
	cr_assert_eq(vmh_init(&t, PAGING_PAE), 0);
	cr_assert_geq(trace_add_sink(&t.mmu.trace, TRACE_BIT(EV_TLB_FLUSH),
				     log_event, &l), 0);
	for (int pass = 0; pass < 2; pass++) {
		struct vmh *x = pass ? &t : &h;

		cr_assert_eq(vmh_map(x, 0x100000, 0x80000, URW), 0);
		for (gva_t a = 0x100000; a < 0x180000; a += 0x1100)
			cr_assert_eq(mmu_store32(&x->mmu, a, a), 0);
		for (gva_t a = 0x17f000; a >= 0x100000; a -= 0x3000)
			cr_assert_eq(mmu_load32(&x->mmu, a, &v), 0);
	}
	cr_assert_gt(l.n, 0);
	mmu_tlb_stats(&h.mmu, false, &sa);
	mmu_tlb_stats(&t.mmu, false, &sb);
	cr_assert_eq(memcmp(&sa, &sb, sizeof(sa)), 0);
	cr_assert_eq(memcmp(&h.mmu.st, &t.mmu.st, sizeof(h.mmu.st)), 0);
	vmh_destroy(&t);
}
