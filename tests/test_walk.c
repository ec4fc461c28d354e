/*
 * The page walker over both geometries: every level, huge leaves, malformed
 * entries, permission faults, A/D updates and tables outside RAM.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/mmu.h"
#include "vm_harness.h"

#define URW (PTE_V | PTE_R | PTE_W | PTE_U)
#define URO (PTE_V | PTE_R | PTE_U)

static struct vmh h;

static void fini(void)
{
	vmh_destroy(&h);
}

TestSuite(walk, .fini = fini);

/* Host pointer to entry @idx of the table at frame @pfn. */
static void *slot(pfn_t table_pfn, unsigned idx)
{
	return phys_host(&h.phys,
			 ((gpa_t)table_pfn << PAGE_SHIFT) +
				 (gpa_t)idx * h.mmu.geo->entry_size,
			 h.mmu.geo->entry_size);
}

static void set_entry(pfn_t table_pfn, unsigned idx, pte_t v)
{
	pt_write(h.mmu.geo, slot(table_pfn, idx), v);
}

static pte_t get_entry(pfn_t table_pfn, unsigned idx)
{
	return pt_read(h.mmu.geo, slot(table_pfn, idx));
}

static pfn_t root_pfn(void)
{
	return h.mmu.root >> PAGE_SHIFT;
}

/* A fresh zeroed frame from the harness's bump allocator. */
static pfn_t new_table(void)
{
	pfn_t pfn = h.next_free++;

	memset(phys_frame(&h.phys, pfn), 0, PAGE_SIZE);
	return pfn;
}

/* pae: install a PMD table for @va's PGD slot; returns its frame */
static pfn_t pae_pmd_for(gva_t va)
{
	pfn_t pmd = new_table();

	set_entry(root_pfn(), pt_index(h.mmu.geo, 0, va), pfn_pte(pmd, PTE_V));
	return pmd;
}

Test(walk, geometry_tables)
{
	const struct pt_geometry *p = pt_geometry(PAGING_PAE);
	const struct pt_geometry *s = pt_geometry(PAGING_SV32);

	cr_assert_eq(p, &pt_geometry_pae);
	cr_assert_eq(s, &pt_geometry_sv32);
	cr_assert_eq(p->nr_levels, 3);
	cr_assert_eq(p->entry_size, 8);
	cr_assert_eq(p->pfn_bits, 24);
	cr_assert_eq(p->level[0].shift, 30);
	cr_assert_eq(p->level[0].bits, 2);
	cr_assert_not(p->level[0].leaf_ok);
	cr_assert_eq(p->level[1].shift, 21);
	cr_assert_eq(p->level[1].bits, 9);
	cr_assert(p->level[1].leaf_ok);
	cr_assert_str_eq(p->level[1].name, "pmd");
	cr_assert_eq(p->level[2].shift, 12);
	cr_assert_eq(p->level[2].bits, 9);
	cr_assert_eq(s->nr_levels, 2);
	cr_assert_eq(s->entry_size, 4);
	cr_assert_eq(s->pfn_bits, 22);
	cr_assert_eq(s->level[0].shift, 22);
	cr_assert_eq(s->level[0].bits, 10);
	cr_assert(s->level[0].leaf_ok);
	cr_assert_eq(s->level[1].shift, 12);
	cr_assert_str_eq(s->name, "sv32");
	/* the worked example in pte.h */
	cr_assert_eq(pt_index(p, 0, 0x40203123), 1);
	cr_assert_eq(pt_index(p, 1, 0x40203123), 1);
	cr_assert_eq(pt_index(p, 2, 0x40203123), 3);
}

Test(walk, pae_three_levels)
{
	struct mmu_walk w;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	cr_assert_eq(vmh_map(&h, 0x40203000, 0x1000, URW), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x40203123, ACC_READ, false, &w),
		     MMU_FAULT_NONE);
	cr_assert_eq(w.steps, 3);
	cr_assert_eq(w.level, 2);
	cr_assert_eq(h.phys.ram + w.pa, (uint8_t *)vmh_host(&h, 0x40203123));
	cr_assert_eq(w.pa & 0xfff, 0x123);
	cr_assert_eq(w.pte & PTE_FLAGS_MASK, URW);
	cr_assert_eq(pt_read(h.mmu.geo, phys_host(&h.phys, w.pte_pa, 8)),
		     w.pte);
	cr_assert_eq(h.mmu.st.walks, 1);
	cr_assert_eq(h.mmu.st.walk_reads, 3);
}

Test(walk, sv32_two_levels)
{
	struct mmu_walk w;

	cr_assert_eq(vmh_init(&h, PAGING_SV32), 0);
	cr_assert_eq(vmh_map(&h, 0xbfff0000, 0x1000, URW), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0xbfff0ffc, ACC_WRITE, false, &w),
		     MMU_FAULT_NONE);
	cr_assert_eq(w.steps, 2);
	cr_assert_eq(w.level, 1);
	cr_assert_eq(h.phys.ram + w.pa, (uint8_t *)vmh_host(&h, 0xbfff0ffc));
	cr_assert_eq(h.mmu.st.walk_reads, 2);
}

Test(walk, pae_2m_leaf)
{
	struct mmu_walk w;
	gva_t va = 0x40323456;
	pfn_t pmd;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	pmd = pae_pmd_for(va);
	set_entry(pmd, pt_index(h.mmu.geo, 1, va), pfn_pte(0x600, URW));
	cr_assert_eq(mmu_walk(&h.mmu, va, ACC_READ, true, &w), MMU_FAULT_NONE);
	cr_assert_eq(w.level, 1);
	cr_assert_eq(w.steps, 2);
	cr_assert_eq(w.pa, 0x600000 + (va & 0x1fffff));
	cr_assert_eq(w.pa, 0x723456);
	/* and through the TLB: one entry covers the whole 2 MiB page */
	uint32_t v = 0x5a5a5a5a;
	cr_assert_eq(mmu_store32(&h.mmu, va, v), 0);
	uint32_t got;
	memcpy(&got, h.phys.ram + 0x723456, sizeof(got));
	cr_assert_eq(got, v);
	struct tlb_entry *e = tlb_lookup(&h.mmu.dtlb, va >> PAGE_SHIFT, 0);
	cr_assert_not_null(e);
	cr_assert_eq(e->level, 1);
	cr_assert(e->huge);
	cr_assert_eq(e->vpn, 0x40200);
	cr_assert_eq(e->pfn, 0x600);
	cr_assert_eq(tlb_entry_pfn(e, va >> PAGE_SHIFT), 0x723);
}

/* Any 4 KiB page of a huge leaf hits the one TLB entry the first filled. */
Test(walk, huge_tlb_entry_reach)
{
	gva_t base = 0x40200000;
	pfn_t pmd;
	uint32_t v;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	pmd = pae_pmd_for(base);
	set_entry(pmd, pt_index(h.mmu.geo, 1, base), pfn_pte(0x600, URW));
	for (gva_t off = 0; off < 0x200000; off += PAGE_SIZE)
		cr_assert_eq(mmu_store32(&h.mmu, base + off, off), 0);
	cr_assert_eq(h.mmu.dtlb.st.misses, 1);
	cr_assert_eq(tlb_count_valid(&h.mmu.dtlb), 1);
	for (gva_t off = 0; off < 0x200000; off += PAGE_SIZE) {
		cr_assert_eq(mmu_load32(&h.mmu, base + off, &v), 0);
		cr_assert_eq(v, off);
		memcpy(&v, h.phys.ram + 0x600000 + off, 4);
		cr_assert_eq(v, off);
	}
	cr_assert_eq(h.mmu.dtlb.st.misses, 1);
	/* a page flush anywhere inside drops the whole entry */
	mmu_flush_page(&h.mmu, base + 0x123000);
	cr_assert_eq(tlb_count_valid(&h.mmu.dtlb), 0);
	cr_assert_eq(mmu_load32(&h.mmu, base + 0x1ff000, &v), 0);
	cr_assert_eq(v, 0x1ff000);
	cr_assert_eq(h.mmu.dtlb.st.misses, 2);
	/* a stricter leaf after the flush is seen: the mirror went too */
	set_entry(pmd, pt_index(h.mmu.geo, 1, base), pfn_pte(0x600, URO));
	mmu_flush_page(&h.mmu, base);
	cr_assert_neq(mmu_store32(&h.mmu, base + 0x1ff000, 1), 0);
	cr_assert_eq(h.mmu.fault.kind, MMU_FAULT_PROTECTION);
}

/* sv32: a 4 MiB leaf is one entry too, and mixes with 4 KiB entries. */
Test(walk, sv32_huge_and_small_entries)
{
	gva_t big = 0x00800000;
	uint32_t v;

	cr_assert_eq(vmh_init(&h, PAGING_SV32), 0);
	set_entry(root_pfn(), pt_index(h.mmu.geo, 0, big), pfn_pte(0x400, URW));
	for (gva_t off = 0; off < 0x400000; off += PAGE_SIZE)
		cr_assert_eq(mmu_load32(&h.mmu, big + off, &v), 0);
	cr_assert_eq(h.mmu.dtlb.st.misses, 1);
	cr_assert_eq(mmu_store32(&h.mmu, big + 0x3ffffc, 0xdeadbeef), 0);
	memcpy(&v, h.phys.ram + 0x7ffffc, 4);
	cr_assert_eq(v, 0xdeadbeef);
	/* the store set D on the 4 MiB leaf */
	cr_assert(get_entry(root_pfn(), pt_index(h.mmu.geo, 0, big)) & PTE_D);
}

Test(walk, sv32_4m_leaf)
{
	struct mmu_walk w;
	gva_t va = 0x00abcdef;

	cr_assert_eq(vmh_init(&h, PAGING_SV32), 0);
	set_entry(root_pfn(), pt_index(h.mmu.geo, 0, va), pfn_pte(0x800, URO));
	cr_assert_eq(mmu_walk(&h.mmu, va, ACC_READ, false, &w), MMU_FAULT_NONE);
	cr_assert_eq(w.level, 0);
	cr_assert_eq(w.steps, 1);
	cr_assert_eq(w.pa, 0x800000 + (va & 0x3fffff));
	cr_assert_eq(mmu_walk(&h.mmu, va, ACC_WRITE, false, &w),
		     MMU_FAULT_PROTECTION);
}

Test(walk, misaligned_superpage)
{
	struct mmu_walk w;
	gva_t va = 0x00400000;
	pfn_t pmd;

	cr_assert_eq(vmh_init(&h, PAGING_SV32), 0);
	set_entry(root_pfn(), 1, pfn_pte(0x801, URW));
	cr_assert_eq(mmu_walk(&h.mmu, va, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.level, 0);
	vmh_destroy(&h);

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	pmd = pae_pmd_for(va);
	set_entry(pmd, pt_index(h.mmu.geo, 1, va), pfn_pte(0x7ff, URW));
	cr_assert_eq(mmu_walk(&h.mmu, va, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.level, 1);
	cr_assert_eq(pte_pfn(w.pte), 0x7ff);
}

Test(walk, leaf_at_pae_pgd_is_invalid)
{
	struct mmu_walk w;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	set_entry(root_pfn(), 0, pfn_pte(0, URW)); /* 1 GiB leaf: no */
	cr_assert_eq(mmu_walk(&h.mmu, 0x1000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.level, 0);
	cr_assert_eq(w.steps, 1);
}

Test(walk, w_without_r_is_invalid)
{
	struct mmu_walk w;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, PTE_V | PTE_W | PTE_U), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_WRITE, true, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.level, 2);
	cr_assert_eq(w.pte & PTE_A, 0); /* nothing set on a fault */
}

Test(walk, user_bit_required)
{
	struct mmu_walk w;

	cr_assert_eq(vmh_init(&h, PAGING_SV32), 0);
	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, PTE_V | PTE_R | PTE_W), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, true, &w),
		     MMU_FAULT_PROTECTION);
	cr_assert_eq(w.level, 1);
	cr_assert_eq(w.pte & PTE_A, 0);
}

Test(walk, permission_per_access)
{
	struct mmu_walk w;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URO), 0);
	cr_assert_eq(vmh_map(&h, 0x11000, 0x1000, URW), 0);
	cr_assert_eq(vmh_map(&h, 0x12000, 0x1000, PTE_V | PTE_X | PTE_U), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_WRITE, false, &w),
		     MMU_FAULT_PROTECTION);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_EXEC, false, &w),
		     MMU_FAULT_PROTECTION);
	cr_assert_eq(mmu_walk(&h.mmu, 0x11000, ACC_WRITE, false, &w), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x11000, ACC_EXEC, false, &w),
		     MMU_FAULT_PROTECTION);
	cr_assert_eq(mmu_walk(&h.mmu, 0x12000, ACC_EXEC, false, &w), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x12000, ACC_READ, false, &w),
		     MMU_FAULT_PROTECTION);
}

Test(walk, not_present_kinds)
{
	struct mmu_walk w;
	pfn_t pmd, pt;
	pte_t swp = swp_entry_pte(3, 0x1234);

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	/* empty PGD */
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.level, 0);
	cr_assert_eq(w.steps, 1);
	cr_assert_eq(w.pte, 0);
	/* empty PMD */
	pmd = pae_pmd_for(0x10000);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.level, 1);
	cr_assert_eq(w.steps, 2);
	/* a swap entry in the PTE */
	pt = new_table();
	set_entry(pmd, 0, pfn_pte(pt, PTE_V));
	set_entry(pt, 0x10, swp);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.level, 2);
	cr_assert_eq(w.pte, swp);
	/* a pointer (V, no RWX) at the last level is no leaf */
	set_entry(pt, 0x10, pfn_pte(0x300, PTE_V));
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.steps, 3);
}

Test(walk, root_zero)
{
	struct mmu_walk w;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	mmu_set_root(&h.mmu, 0, 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.steps, 0);
}

Test(walk, tables_outside_ram)
{
	struct mmu_walk w;
	pfn_t pmd;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	/* a PMD pointer to a frame past the end of RAM */
	set_entry(root_pfn(), 0, pfn_pte(0x100000, PTE_V));
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.level, 1);
	cr_assert_eq(w.steps, 1);
	cr_assert_eq(w.pte, 0);
	/* root itself outside RAM */
	mmu_set_root(&h.mmu, 1ull << 33, 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(w.steps, 0);
	/* a leaf whose frame is outside RAM */
	vmh_destroy(&h);
	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URW), 0);
	pmd = pte_pfn(get_entry(root_pfn(), 0));
	pfn_t pt = pte_pfn(get_entry(pmd, 0));
	set_entry(pt, 0x10, pfn_pte(h.phys.nr_frames, URW));
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	uint32_t v;
	mmu_flush_all(&h.mmu);
	cr_assert_eq(mmu_load32(&h.mmu, 0x10000, &v), -1);
	/* a 2 MiB leaf that runs past the end of RAM */
	set_entry(pmd, 1, pfn_pte(h.phys.nr_frames, URW));
	cr_assert_eq(mmu_walk(&h.mmu, 0x200000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	set_entry(pmd, 1, pfn_pte(h.phys.nr_frames - 0x200, URW));
	cr_assert_eq(mmu_walk(&h.mmu, 0x200000, ACC_READ, false, &w), 0);
}

Test(walk, accessed_and_dirty)
{
	struct mmu_walk w;
	pte_t pte;

	cr_assert_eq(vmh_init(&h, PAGING_SV32), 0);
	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URW), 0);
	/* without set_ad nothing changes */
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_WRITE, false, &w), 0);
	pte = pt_read(h.mmu.geo, phys_host(&h.phys, w.pte_pa, 4));
	cr_assert_eq(pte & (PTE_A | PTE_D), 0);
	/* a read sets A only */
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_READ, true, &w), 0);
	pte = pt_read(h.mmu.geo, phys_host(&h.phys, w.pte_pa, 4));
	cr_assert_eq(pte & (PTE_A | PTE_D), PTE_A);
	cr_assert_eq(w.pte, pte);
	/* a write sets D */
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_WRITE, true, &w), 0);
	pte = pt_read(h.mmu.geo, phys_host(&h.phys, w.pte_pa, 4));
	cr_assert_eq(pte & (PTE_A | PTE_D), PTE_A | PTE_D);
	cr_assert_eq(pte & ~(pte_t)(PTE_A | PTE_D),
		     pfn_pte(pte_pfn(pte), URW));
	/* intermediate entries are left alone */
	cr_assert_eq(get_entry(root_pfn(), 0) & PTE_FLAGS_MASK, PTE_V);
	/* a failing walk sets nothing */
	cr_assert_eq(vmh_protect(&h, 0x10000, URO), 0);
	cr_assert_eq(mmu_walk(&h.mmu, 0x10000, ACC_WRITE, true, &w),
		     MMU_FAULT_PROTECTION);
	pte = pt_read(h.mmu.geo, phys_host(&h.phys, w.pte_pa, 4));
	cr_assert_eq(pte & (PTE_A | PTE_D), 0);
}

Test(walk, pae_pfn_above_4g)
{
	struct mmu_walk w;
	pfn_t pmd;

	/* 36-bit frames are legal in pae, but this RAM is only 16 MiB */
	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	pmd = pae_pmd_for(0);
	set_entry(pmd, 0, pfn_pte(0xa00000, URW)); /* 40 GiB, 2 MiB leaf */
	cr_assert_eq(mmu_walk(&h.mmu, 0x1000, ACC_READ, false, &w),
		     MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(pte_pfn(w.pte), 0xa00000);
}

/* The software bits are distinct from each other and from the hardware
 * bits (PTE_COW once shared bit 8 with PTE_PROT_NONE). */
Test(walk, pte_bits_distinct)
{
	static const pte_t bits[] = { PTE_V, PTE_R, PTE_W, PTE_X, PTE_U,
				      PTE_G, PTE_A, PTE_D, PTE_PROT_NONE,
				      PTE_SPECIAL };
	pte_t seen = 0;

	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		cr_assert_eq(__builtin_popcountll(bits[i]), 1);
		cr_assert_eq(seen & bits[i], 0, "bit %zu reused", i);
		seen |= bits[i];
	}
	cr_assert_eq(seen & ~(pte_t)PTE_FLAGS_MASK, 0);
}

/* ---- mmu_probe: the walk with no side effect ---------------------------- */

/*
 * Everything a walk or an access could change: all of RAM (PTEs and their
 * A/D bits included), both TLB models with their replacement state and
 * statistics, the mirrors and their hit counts, the walk counters and the
 * last fault.
 */
struct snapshot {
	uint8_t *ram;
	struct tlb itlb, dtlb;		/* the structs: stats, clocks */
	struct tlb_entry ie[64], de[64];
	uint8_t iplru[64], dplru[64], imru[16], dmru[16];
	struct mmu_fast fr[16], fw[16], fx[16];
	uint64_t dfh, ifh;
	struct mmu_stats st;
	struct mmu_fault fault;
};

static void take(struct snapshot *s)
{
	const struct mmu *m = &h.mmu;

	cr_assert_eq(m->dtlb.nr_entries, 64);
	cr_assert_eq(m->dtlb.nr_sets, 16);
	s->ram = malloc(h.phys.size);
	cr_assert_not_null(s->ram);
	memcpy(s->ram, h.phys.ram, h.phys.size);
	s->itlb = m->itlb;
	s->dtlb = m->dtlb;
	memcpy(s->ie, m->itlb.e, sizeof(s->ie));
	memcpy(s->de, m->dtlb.e, sizeof(s->de));
	memcpy(s->iplru, m->itlb.plru, sizeof(s->iplru));
	memcpy(s->dplru, m->dtlb.plru, sizeof(s->dplru));
	memcpy(s->imru, m->itlb.mru, sizeof(s->imru));
	memcpy(s->dmru, m->dtlb.mru, sizeof(s->dmru));
	memcpy(s->fr, m->fast_r, sizeof(s->fr));
	memcpy(s->fw, m->fast_w, sizeof(s->fw));
	memcpy(s->fx, m->fast_x, sizeof(s->fx));
	s->dfh = m->d_fast_hits;
	s->ifh = m->i_fast_hits;
	s->st = m->st;
	s->fault = m->fault;
}

static void expect_unchanged(const struct snapshot *s)
{
	struct snapshot now;

	take(&now);
	cr_expect_eq(memcmp(s->ram, now.ram, h.phys.size), 0, "RAM");
	cr_expect_eq(memcmp(&s->itlb, &now.itlb, sizeof(s->itlb)), 0, "itlb");
	cr_expect_eq(memcmp(&s->dtlb, &now.dtlb, sizeof(s->dtlb)), 0, "dtlb");
	cr_expect_eq(memcmp(s->ie, now.ie, sizeof(s->ie)), 0, "itlb entries");
	cr_expect_eq(memcmp(s->de, now.de, sizeof(s->de)), 0, "dtlb entries");
	cr_expect_eq(memcmp(s->iplru, now.iplru, sizeof(s->iplru)), 0);
	cr_expect_eq(memcmp(s->dplru, now.dplru, sizeof(s->dplru)), 0);
	cr_expect_eq(memcmp(s->imru, now.imru, sizeof(s->imru)), 0);
	cr_expect_eq(memcmp(s->dmru, now.dmru, sizeof(s->dmru)), 0);
	cr_expect_eq(memcmp(s->fr, now.fr, sizeof(s->fr)), 0, "fast_r");
	cr_expect_eq(memcmp(s->fw, now.fw, sizeof(s->fw)), 0, "fast_w");
	cr_expect_eq(memcmp(s->fx, now.fx, sizeof(s->fx)), 0, "fast_x");
	cr_expect_eq(s->dfh, now.dfh);
	cr_expect_eq(s->ifh, now.ifh);
	cr_expect_eq(memcmp(&s->st, &now.st, sizeof(s->st)), 0, "counters");
	cr_expect_eq(memcmp(&s->fault, &now.fault, sizeof(s->fault)), 0,
		     "m->fault");
	free(now.ram);
}

static int nr_events;

static void count_event(void *arg, const struct trace_event *ev)
{
	(void)arg;
	(void)ev;
	nr_events++;
}

Test(walk, probe_sees_what_the_walk_sees)
{
	static const enum paging_mode modes[] = { PAGING_PAE, PAGING_SV32 };

	for (unsigned i = 0; i < ARRAY_SIZE(modes); i++) {
		struct mmu_probe p;
		struct mmu_walk w;
		gva_t va = 0x40203123;

		cr_assert_eq(vmh_init(&h, modes[i]), 0);
		cr_assert_eq(vmh_map(&h, va & PAGE_MASK, 0x1000, URW), 0);
		cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_WRITE, &p),
			     0);
		cr_assert_eq(mmu_walk(&h.mmu, va, ACC_WRITE, false, &w), 0);
		cr_assert(p.ok);
		cr_assert_eq(p.va, va);
		cr_assert_eq(p.pa, w.pa);
		cr_assert_eq(p.leaf, w.pte);
		cr_assert_eq(p.leaf_level, w.level);
		cr_assert_eq(p.nr_levels, w.steps);
		cr_assert_eq(p.nr_levels, h.mmu.geo->nr_levels);
		cr_assert_eq(p.fault, MMU_FAULT_NONE);
		cr_assert_eq(p.fault_level, -1);
		cr_assert_eq(p.lv[0].table_pa, h.mmu.root);
		cr_assert_eq(p.lv[p.nr_levels - 1].entry_pa, w.pte_pa);
		for (int l = 0; l < p.nr_levels; l++) {
			cr_assert_eq(p.lv[l].index,
				     pt_index(h.mmu.geo, l, va));
			cr_assert_eq(p.lv[l].entry_pa,
				     p.lv[l].table_pa +
					     p.lv[l].index *
						     h.mmu.geo->entry_size);
			if (l)	/* each table is the entry above's frame */
				cr_assert_eq(p.lv[l].table_pa,
					     pte_pfn(p.lv[l - 1].entry)
						     << PAGE_SHIFT);
		}
		vmh_destroy(&h);
	}
	memset(&h, 0, sizeof(h));
}

Test(walk, probe_reports_faults_like_the_walk)
{
	struct mmu_probe p;
	gva_t va = 0x40323456;
	pfn_t pmd;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	/* nothing mapped: stops at the empty PGD slot */
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_READ, &p),
		     -EFAULT);
	cr_assert_not(p.ok);
	cr_assert_eq(p.fault, MMU_FAULT_NOT_PRESENT);
	cr_assert_eq(p.fault_level, 0);
	cr_assert_eq(p.nr_levels, 1);
	cr_assert_eq(p.leaf_level, -1);
	/* a 2 MiB read-only leaf: a write is forbidden, pa still given */
	pmd = pae_pmd_for(va);
	set_entry(pmd, pt_index(h.mmu.geo, 1, va), pfn_pte(0x600, URO));
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_WRITE, &p),
		     -EACCES);
	cr_assert_not(p.ok);
	cr_assert_eq(p.fault, MMU_FAULT_PROTECTION);
	cr_assert_eq(p.fault_level, 1);
	cr_assert_eq(p.leaf_level, 1);
	cr_assert_eq(p.pa, 0x723456);
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_READ, &p), 0);
	/* U is required */
	set_entry(pmd, pt_index(h.mmu.geo, 1, va),
		  pfn_pte(0x600, PTE_V | PTE_R));
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_READ, &p),
		     -EACCES);
	/* malformed (W without R) and swap entries are no leaf */
	set_entry(pmd, pt_index(h.mmu.geo, 1, va),
		  pfn_pte(0x600, PTE_V | PTE_W | PTE_U));
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_READ, &p),
		     -EFAULT);
	cr_assert_eq(p.leaf_level, -1);
	set_entry(pmd, pt_index(h.mmu.geo, 1, va), swp_entry_pte(1, 77));
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_READ, &p),
		     -EFAULT);
	cr_assert_eq(p.lv[1].entry, swp_entry_pte(1, 77));
	/* tables outside RAM, a zero root */
	set_entry(pmd, pt_index(h.mmu.geo, 1, va), pfn_pte(0x100000, PTE_V));
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_READ, &p),
		     -EFAULT);
	cr_assert_eq(p.fault_level, 2);
	cr_assert_eq(p.nr_levels, 2);
	cr_assert_eq(p.lv[2].table_pa, 0x100000ull << PAGE_SHIFT);
	cr_assert_eq(mmu_probe(&h.mmu, 0, va, ACC_READ, &p), -EFAULT);
	cr_assert_eq(p.nr_levels, 0);
}

Test(walk, probe_has_no_side_effect)
{
	struct snapshot before;
	struct mmu_probe p;
	uint32_t v;

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	cr_assert_eq(vmh_map(&h, 0x10000, 0x3000, URW), 0);
	cr_assert_eq(vmh_map(&h, 0x20000, 0x1000, URO), 0);
	/* some TLB state, mirrors and a fault to keep */
	cr_assert_eq(mmu_load32(&h.mmu, 0x10000, &v), 0);
	cr_assert_eq(mmu_store32(&h.mmu, 0x11000, 1), 0);
	cr_assert_eq(mmu_store32(&h.mmu, 0x20000, 1), -1);
	cr_assert_geq(trace_add_sink(&h.mmu.trace, TRACE_ALL, count_event,
				     NULL), 0);
	nr_events = 0;
	take(&before);
	/* clean pages (A and D clear), written pages, a fault, no root */
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, 0x12000, ACC_WRITE, &p), 0);
	cr_assert_eq(p.leaf & (PTE_A | PTE_D), 0);
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, 0x11000, ACC_READ, &p), 0);
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, 0x20000, ACC_WRITE, &p),
		     -EACCES);
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, 0x90000, ACC_EXEC, &p),
		     -EFAULT);
	cr_assert_eq(mmu_probe(&h.mmu, 0, 0x10000, ACC_READ, &p), -EFAULT);
	uint8_t buf[0x2100];
	cr_assert_eq(mmu_probe_read(&h.mmu, h.mmu.root, 0x10f00, buf,
				    sizeof(buf)), sizeof(buf));
	expect_unchanged(&before);
	cr_expect_eq(nr_events, 0);
	free(before.ram);
}

Test(walk, probe_another_address_space)
{
	struct mmu_probe p;
	gpa_t other;
	pfn_t pmd, pt, frame;

	cr_assert_eq(vmh_init(&h, PAGING_SV32), 0);
	cr_assert_eq(vmh_map(&h, 0x10000, 0x1000, URW), 0);
	/* a second root mapping 0x10000 elsewhere, read-only */
	other = (gpa_t)new_table() << PAGE_SHIFT;
	pt = new_table();
	frame = new_table();
	pmd = other >> PAGE_SHIFT;
	set_entry(pmd, pt_index(h.mmu.geo, 0, 0x10000), pfn_pte(pt, PTE_V));
	set_entry(pt, pt_index(h.mmu.geo, 1, 0x10000), pfn_pte(frame, URO));
	cr_assert_eq(mmu_probe(&h.mmu, other, 0x10abc, ACC_READ, &p), 0);
	cr_assert_eq(p.pa, ((gpa_t)frame << PAGE_SHIFT) + 0xabc);
	cr_assert_eq(mmu_probe(&h.mmu, other, 0x10abc, ACC_WRITE, &p),
		     -EACCES);
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, 0x10abc, ACC_WRITE, &p),
		     0);
	cr_assert_neq(p.pa, ((gpa_t)frame << PAGE_SHIFT) + 0xabc);
}

Test(walk, probe_read_stops_at_the_first_unmapped_byte)
{
	uint8_t buf[0x3000];

	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	cr_assert_eq(vmh_map(&h, 0x10000, 0x2000, URW), 0);
	cr_assert_eq(vmh_map(&h, 0x30000, 0x1000, PTE_V | PTE_X | PTE_U), 0);
	for (unsigned i = 0; i < 0x2000; i++)
		*(uint8_t *)vmh_host(&h, 0x10000 + i) = (uint8_t)(i * 7);
	memset(buf, 0xee, sizeof(buf));
	/* across two pages (two frames) */
	cr_assert_eq(mmu_probe_read(&h.mmu, h.mmu.root, 0x10ffe, buf, 4), 4);
	cr_assert_eq(buf[0], (uint8_t)(0xffe * 7));
	cr_assert_eq(buf[3], (uint8_t)(0x1001 * 7));
	/* partial: the bytes up to the unmapped page */
	cr_assert_eq(mmu_probe_read(&h.mmu, h.mmu.root, 0x11ff0, buf, 0x40),
		     0x10);
	cr_assert_eq(buf[0xf], (uint8_t)(0x1fff * 7));
	cr_assert_eq(mmu_probe_read(&h.mmu, h.mmu.root, 0x12000, buf, 1), -1);
	cr_assert_eq(mmu_probe_read(&h.mmu, h.mmu.root, 0x12000, buf, 0), 0);
	/* execute-only pages read: no permission beyond a valid leaf */
	cr_assert_eq(mmu_probe_read(&h.mmu, h.mmu.root, 0x30000, buf, 8), 8);
	/* another root: none */
	cr_assert_eq(mmu_probe_read(&h.mmu, 0, 0x10000, buf, 8), -1);
}
