/*
 * Huge pages in the guest kernel (src/kernel/mm/hugetlb.c, huge_memory.c)
 * through the real MMU and TLB: the hugetlb pool and its reservations,
 * MAP_HUGETLB faults, alignment rules, copy-on-write after fork, THP under
 * MADV_HUGEPAGE and its splits, and that every page comes back.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "kharness.h"
#include "kernel/kernel/sysctl.h"
#include "kernel/mm/huge_mm.h"

#define MAP_HUGETLB_ 0x40000
#define MADV_HUGEPAGE_ 14
#define HP (2u * 1024 * 1024)

static struct kh *h;

static void setup(void)
{
	h = kh_boot(NULL);
}

static void teardown(void)
{
	kh_shutdown(h);
}

TestSuite(huge, .init = setup, .fini = teardown);

static unsigned long event(enum vm_event_item item)
{
	return h->k.mem.vm_events[item];
}

static void set_pool(const char *n)
{
	cr_assert_eq(vm_sysctl_set(&h->k, "nr_hugepages", n), 0);
}

static bool huge_leaf_at(gva_t va)
{
	return huge_pmd_mapped(&h->k, kh_mm(h), va, NULL);
}

Test(huge, pool_takes_and_gives_back_buddy_blocks)
{
	unsigned long free0 = nr_free_pages(&h->k.mem);

	set_pool("3");
	cr_assert_eq(h->k.mem.hugepages_total, 3);
	cr_assert_eq(h->k.mem.hugepages_free, 3);
	cr_assert_eq(nr_free_pages(&h->k.mem), free0 - 3 * 512);
	set_pool("1");
	cr_assert_eq(h->k.mem.hugepages_total, 1);
	set_pool("0");
	cr_assert_eq(nr_free_pages(&h->k.mem), free0);
	cr_assert_eq(vm_sysctl_set(&h->k, "nr_hugepages", "-1"), -EINVAL);
}

Test(huge, map_hugetlb_without_pool_is_enomem)
{
	cr_assert_eq(kh_mmap(h, 0, HP, KH_PROT_RW, MAP_HUGETLB_), -ENOMEM);
	set_pool("1");
	cr_assert_eq(kh_mmap(h, 0, 2 * HP, KH_PROT_RW, MAP_HUGETLB_), -ENOMEM);
	cr_assert_eq(h->k.mem.hugepages_rsvd, 0);
}

Test(huge, hugetlb_reserve_fault_unmap)
{
	uint32_t v;

	set_pool("4");
	/* the length is rounded up to the huge page size */
	long a = kh_mmap(h, 0, HP + 4096, KH_PROT_RW, MAP_HUGETLB_);
	cr_assert_gt(a, 0);
	cr_assert_eq(a & (HP - 1), 0, "huge-page aligned");
	cr_assert_eq(h->k.mem.hugepages_rsvd, 2);
	cr_assert_eq(h->k.mem.hugepages_free, 4);
	cr_assert_eq(kh_store32(h, (gva_t)a + 0x1234, 77), 0);
	cr_assert(huge_leaf_at((gva_t)a));
	cr_assert_eq(h->k.mem.hugepages_rsvd, 1);
	cr_assert_eq(h->k.mem.hugepages_free, 3);
	cr_assert_eq(kh_mm(h)->hugetlb_pages, 512);
	/* any page of the huge page reads the fresh zeroes, one TLB entry */
	unsigned long miss0 = h->k.mmu.dtlb.st.misses;
	for (gva_t off = 0; off < HP; off += 4096) {
		cr_assert_eq(kh_load32(h, (gva_t)a + off, &v), 0);
		cr_assert_eq(v, off == 0x1000 ? 0 : v);
	}
	cr_assert_leq(h->k.mmu.dtlb.st.misses - miss0, 1);
	cr_assert_eq(kh_load32(h, (gva_t)a + 0x1234, &v), 0);
	cr_assert_eq(v, 77);
	/* munmap and mprotect of hugetlb ranges: huge-page aligned only */
	cr_assert_eq(sys_munmap(&h->k, (gva_t)a + 4096, HP), -EINVAL);
	cr_assert_eq(sys_munmap(&h->k, (gva_t)a, 4096), -EINVAL);
	cr_assert_eq(sys_mprotect(&h->k, (gva_t)a, 4096, KH_PROT_READ),
		     -EINVAL);
	cr_assert_eq(sys_mprotect(&h->k, (gva_t)a, HP, KH_PROT_READ), 0);
	cr_assert_neq(kh_store32(h, (gva_t)a, 1), 0, "read-only now");
	cr_assert_eq(sys_munmap(&h->k, (gva_t)a, 2 * HP), 0);
	cr_assert_eq(h->k.mem.hugepages_rsvd, 0);
	cr_assert_eq(h->k.mem.hugepages_free, 4);
	cr_assert_eq(kh_mm(h)->hugetlb_pages, 0);
}

Test(huge, hugetlb_private_cow_after_fork)
{
	struct task *parent = h->k.current, *child;
	uint32_t v;

	set_pool("3");
	long a = kh_mmap(h, 0, HP, KH_PROT_RW, MAP_HUGETLB_);
	cr_assert_gt(a, 0);
	cr_assert_eq(kh_store32(h, (gva_t)a + 8, 1), 0);
	child = kh_fork(h);
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, (gva_t)a + 8, &v), 0);
	cr_assert_eq(v, 1, "the child sees the parent's data");
	cr_assert_eq(h->k.mem.hugepages_free, 2);
	cr_assert_eq(kh_store32(h, (gva_t)a + 8, 2), 0);
	cr_assert_eq(h->k.mem.hugepages_free, 1, "a huge copy on write");
	kh_switch_to(h, parent);
	cr_assert_eq(kh_load32(h, (gva_t)a + 8, &v), 0);
	cr_assert_eq(v, 1, "the parent keeps its own");
	/* now alone: the parent's write reuses its page */
	cr_assert_eq(kh_store32(h, (gva_t)a + 8, 3), 0);
	cr_assert_eq(h->k.mem.hugepages_free, 1);
}

Test(huge, hugetlb_shared_is_shared_with_child)
{
	struct task *parent = h->k.current, *child;
	uint32_t v;

	set_pool("2");
	long a = sys_mmap(&h->k, 0, HP, KH_PROT_RW,
			  KH_MAP_SHARED | KH_MAP_ANONYMOUS | MAP_HUGETLB_, -1,
			  0);
	cr_assert_gt(a, 0);
	cr_assert_eq(h->k.mem.hugepages_free, 1, "faulted in at mmap");
	child = kh_fork(h);
	kh_switch_to(h, child);
	cr_assert_eq(kh_store32(h, (gva_t)a + 0x100000, 42), 0);
	kh_switch_to(h, parent);
	cr_assert_eq(kh_load32(h, (gva_t)a + 0x100000, &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(h->k.mem.hugepages_free, 1);
}

Test(huge, hugetlb_prot_none_is_a_leaf_nobody_may_use)
{
	uint32_t v;

	set_pool("1");
	long a = sys_mmap(&h->k, 0, HP, KH_PROT_NONE,
			  KH_MAP_SHARED | KH_MAP_ANONYMOUS | MAP_HUGETLB_, -1,
			  0);
	cr_assert_gt(a, 0);
	pte_t e = 0;
	cr_assert(huge_pmd_mapped(&h->k, kh_mm(h), (gva_t)a, &e));
	cr_assert(pte_leaf(e), "never a table pointer");
	cr_assert_not(e & PTE_U);
	cr_assert_neq(kh_load32(h, (gva_t)a + 64, &v), 0);
	cr_assert_eq(sys_mprotect(&h->k, (gva_t)a, HP, KH_PROT_RW), 0);
	cr_assert_eq(kh_store32(h, (gva_t)a + 64, 3), 0);
	cr_assert_eq(kh_load32(h, (gva_t)a + 64, &v), 0);
	cr_assert_eq(v, 3);
}

Test(huge, hugetlb_map_populate_faults_each_huge_page_once)
{
	set_pool("2");
	unsigned long flt = event(PGFAULT);
	long a = kh_mmap(h, 0, 2 * HP, KH_PROT_RW, MAP_HUGETLB_ | 0x8000);
	cr_assert_gt(a, 0);
	cr_assert_eq(h->k.mem.hugepages_free, 0);
	cr_assert_eq(h->k.mem.hugepages_rsvd, 0);
	cr_assert_eq(event(PGFAULT) - flt, 2);
	cr_assert(huge_leaf_at((gva_t)a + HP));
}

/* A THP-eligible anonymous range: 2 huge pages, aligned. */
static gva_t thp_range(void)
{
	gva_t a = kh_mmap_anon(h, 0, 3 * HP, KH_PROT_RW);
	gva_t al = (a + HP - 1) & ~(HP - 1);

	cr_assert_eq(sys_madvise(&h->k, al, 2 * HP, MADV_HUGEPAGE_), 0);
	return al;
}

Test(huge, thp_fault_maps_a_pmd_leaf)
{
	unsigned long free0 = nr_free_pages(&h->k.mem);
	gva_t a = thp_range();
	uint32_t v;

	cr_assert_eq(kh_store32(h, a + 4, 9), 0);
	cr_assert_eq(event(THP_FAULT_ALLOC), 1);
	cr_assert(huge_leaf_at(a));
	cr_assert_eq(kh_mm(h)->nr_thp, 1);
	cr_assert_eq(global_node_page_state(&h->k.mem, NR_ANON_THPS), 1);
	cr_assert_eq(get_mm_rss(kh_mm(h)), 512);
	cr_assert_eq(kh_load32(h, a + HP - 4, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(sys_munmap(&h->k, a - HP, 4 * HP), 0);
	cr_assert_eq(kh_mm(h)->nr_thp, 0);
	cr_assert_eq(get_mm_rss(kh_mm(h)), 0);
	cr_assert_eq(global_node_page_state(&h->k.mem, NR_ANON_THPS), 0);
	/* the range's page tables stay until exit: compare loosely */
	cr_assert_geq(nr_free_pages(&h->k.mem) + 4, free0);
}

Test(huge, thp_not_without_madvise)
{
	gva_t a = kh_mmap_anon(h, 0, 3 * HP, KH_PROT_RW);

	cr_assert_eq(kh_store32(h, (a + HP - 1) & ~(HP - 1), 1), 0);
	cr_assert_eq(event(THP_FAULT_ALLOC), 0);
	cr_assert_not(huge_leaf_at((a + HP - 1) & ~(HP - 1)));
}

Test(huge, thp_split_on_partial_munmap_keeps_data)
{
	gva_t a = thp_range();
	uint32_t v;

	for (gva_t off = 0; off < HP; off += 4096)
		cr_assert_eq(kh_store32(h, a + off, off ^ 0x5a5a), 0);
	cr_assert_eq(sys_munmap(&h->k, a + 0x10000, 4096), 0);
	cr_assert_eq(event(THP_SPLIT_PMD), 1);
	cr_assert_not(huge_leaf_at(a));
	cr_assert_eq(get_mm_rss(kh_mm(h)), 511);
	for (gva_t off = 0; off < HP; off += 4096) {
		if (off == 0x10000)
			continue;
		cr_assert_eq(kh_load32(h, a + off, &v), 0);
		cr_assert_eq(v, off ^ 0x5a5a);
	}
	cr_assert_neq(kh_load32(h, a + 0x10000, &v), 0, "unmapped");
}

Test(huge, thp_split_on_partial_mprotect_keeps_data)
{
	gva_t a = thp_range();
	uint32_t v;

	cr_assert_eq(kh_store32(h, a + 0x3000, 5), 0);
	cr_assert_eq(kh_store32(h, a + 0x5000, 6), 0);
	cr_assert_eq(sys_mprotect(&h->k, a, 0x4000, KH_PROT_READ), 0);
	cr_assert_eq(event(THP_SPLIT_PMD), 1);
	cr_assert_eq(kh_load32(h, a + 0x3000, &v), 0);
	cr_assert_eq(v, 5);
	cr_assert_neq(kh_store32(h, a + 0x3000, 7), 0, "read-only part");
	cr_assert_eq(kh_store32(h, a + 0x5000, 8), 0, "the rest writable");
	/* a whole-huge-page mprotect keeps the leaf */
	cr_assert_eq(kh_store32(h, a + HP, 1), 0);
	cr_assert(huge_leaf_at(a + HP));
	cr_assert_eq(sys_mprotect(&h->k, a + HP, HP, KH_PROT_READ), 0);
	cr_assert(huge_leaf_at(a + HP));
	cr_assert_neq(kh_store32(h, a + HP, 2), 0);
	cr_assert_eq(event(THP_SPLIT_PMD), 1);
}

Test(huge, thp_fork_splits_and_cows)
{
	struct task *parent = h->k.current, *child;
	gva_t a = thp_range();
	uint32_t v;

	cr_assert_eq(kh_store32(h, a + 0x8000, 11), 0);
	child = kh_fork(h);
	cr_assert_eq(event(THP_SPLIT_PMD), 1);
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a + 0x8000, &v), 0);
	cr_assert_eq(v, 11);
	cr_assert_eq(kh_store32(h, a + 0x8000, 12), 0);
	kh_switch_to(h, parent);
	cr_assert_eq(kh_load32(h, a + 0x8000, &v), 0);
	cr_assert_eq(v, 11);
}

Test(huge, thp_split_on_mremap_keeps_data)
{
	gva_t a = thp_range();
	uint32_t v;

	for (gva_t off = 0; off < HP; off += 4096)
		cr_assert_eq(kh_store32(h, a + off, off + 1), 0);
	long b = sys_mremap(&h->k, a, HP, HP, KH_MREMAP_MAYMOVE | KH_MREMAP_FIXED,
			    a + 8 * HP + 4096);
	cr_assert_eq(b, (long)(a + 8 * HP + 4096));
	cr_assert_eq(event(THP_SPLIT_PMD), 1);
	for (gva_t off = 0; off < HP; off += 4096) {
		cr_assert_eq(kh_load32(h, (gva_t)b + off, &v), 0);
		cr_assert_eq(v, off + 1);
	}
}

Test(huge, thp_dontneed_whole_and_partial)
{
	gva_t a = thp_range();
	uint32_t v;

	cr_assert_eq(kh_store32(h, a, 1), 0);
	cr_assert_eq(kh_store32(h, a + HP, 2), 0);
	cr_assert_eq(sys_madvise(&h->k, a, HP, KH_MADV_DONTNEED), 0);
	cr_assert_eq(event(THP_SPLIT_PMD), 0);
	cr_assert_eq(kh_load32(h, a, &v), 0);
	cr_assert_eq(v, 0, "zero again");
	cr_assert_eq(sys_madvise(&h->k, a + HP, 4096, KH_MADV_DONTNEED), 0);
	cr_assert_eq(event(THP_SPLIT_PMD), 1);
}

Test(huge, everything_comes_back)
{
	struct kh_snapshot s0, s1;

	kh_snapshot(h, &s0);
	set_pool("2");
	long a = kh_mmap(h, 0, HP, KH_PROT_RW, MAP_HUGETLB_);
	cr_assert_gt(a, 0);
	cr_assert_eq(kh_store32(h, (gva_t)a, 1), 0);
	gva_t t = thp_range();
	cr_assert_eq(kh_store32(h, t, 1), 0);
	cr_assert_eq(sys_munmap(&h->k, t, 4096), 0);
	cr_assert_eq(sys_munmap(&h->k, (gva_t)a, HP), 0);
	cr_assert_eq(sys_munmap(&h->k, t - HP, 4 * HP), 0);
	set_pool("0");
	kh_snapshot(h, &s1);
	/* page tables of the ranges stay allocated until exit */
	cr_assert_leq(s0.free_pages - s1.free_pages, 3);
	cr_assert_eq(h->k.mem.hugepages_total, 0);
	cr_assert_eq(h->k.mem.hugepages_rsvd, 0);
}

/* MADV_PAGEOUT splits a THP so that its pages can be reclaimed. */
Test(huge, thp_pageout_splits)
{
	gva_t a = thp_range();
	uint32_t v;

	cr_assert_eq(kh_store32(h, a + 4096, 21), 0);
	cr_assert_eq(sys_madvise(&h->k, a, HP, 21 /* MADV_PAGEOUT */), 0);
	cr_assert_eq(event(THP_SPLIT_PMD), 1);
	cr_assert_not(huge_leaf_at(a));
	cr_assert_eq(kh_load32(h, a + 4096, &v), 0);
	cr_assert_eq(v, 21);
}

/* mlock of a whole THP locks its pages without splitting it. */
Test(huge, thp_mlock_whole)
{
	gva_t a = thp_range();

	cr_assert_eq(kh_store32(h, a, 1), 0);
	cr_assert_eq(sys_mlock(&h->k, a, HP, 0), 0);
	cr_assert_eq(global_zone_page_state(&h->k.mem, NR_MLOCK), 512);
	cr_assert(huge_leaf_at(a));
	cr_assert_eq(sys_munlock(&h->k, a, HP), 0);
	cr_assert_eq(global_zone_page_state(&h->k.mem, NR_MLOCK), 0);
	cr_assert_eq(sys_mlock(&h->k, a, HP, 0), 0);
	cr_assert_eq(sys_munmap(&h->k, a, HP), 0);
	cr_assert_eq(global_zone_page_state(&h->k.mem, NR_MLOCK), 0);
	cr_assert_eq(event(THP_SPLIT_PMD), 0);
}

/* vm.nr_overcommit_hugepages: surplus pages from the buddy, given back. */
Test(huge, surplus_pages_within_the_overcommit)
{
	unsigned long free0 = nr_free_pages(&h->k.mem);

	cr_assert_eq(vm_sysctl_set(&h->k, "nr_overcommit_hugepages", "2"), 0);
	cr_assert_eq(kh_mmap(h, 0, 3 * HP, KH_PROT_RW, MAP_HUGETLB_), -ENOMEM);
	cr_assert_eq(h->k.mem.hugepages_total, 0, "none kept after ENOMEM");
	long a = kh_mmap(h, 0, 2 * HP, KH_PROT_RW, MAP_HUGETLB_);
	cr_assert_gt(a, 0);
	cr_assert_eq(h->k.mem.hugepages_surp, 2);
	cr_assert_eq(h->k.mem.hugepages_rsvd, 2);
	cr_assert_eq(event(HTLB_BUDDY_PGALLOC), 4);
	cr_assert_eq(event(HTLB_BUDDY_PGALLOC_FAIL), 0);
	cr_assert_eq(kh_store32(h, (gva_t)a, 1), 0);
	cr_assert_eq(sys_munmap(&h->k, (gva_t)a, 2 * HP), 0);
	cr_assert_eq(h->k.mem.hugepages_total, 0);
	cr_assert_eq(h->k.mem.hugepages_surp, 0);
	cr_assert_eq(h->k.mem.hugepages_rsvd, 0);
	cr_assert_geq(nr_free_pages(&h->k.mem) + 4, free0);
}

/* MAP_NORESERVE: no reservation at mmap; a fault with no free page is
 * SIGBUS. */
Test(huge, noreserve_faults_without_reservation)
{
	set_pool("1");
	long a = kh_mmap(h, 0, 2 * HP, KH_PROT_RW, MAP_HUGETLB_ | 0x4000);
	cr_assert_gt(a, 0);
	cr_assert_eq(h->k.mem.hugepages_rsvd, 0);
	cr_assert_eq(kh_store32(h, (gva_t)a, 1), 0);
	cr_assert_eq(h->k.mem.hugepages_free, 0);
	cr_assert_neq(kh_store32(h, (gva_t)a + HP, 1), 0);
	cr_assert(h->last.vm_fault & VM_FAULT_SIGBUS);
	cr_assert_eq(sys_munmap(&h->k, (gva_t)a, 2 * HP), 0);
	cr_assert_eq(h->k.mem.hugepages_free, 1);
	cr_assert_eq(h->k.mem.hugepages_rsvd, 0);
}
