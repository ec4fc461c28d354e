/*
 * The MMU: fast mirror vs slow path, exact TLB counters, stale entries and
 * flushes, page-crossing accesses, A/D bits and the write mirror's rules.
 */
#include <criterion/criterion.h>
#include <errno.h>
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
