/*
 * Every TLB flush point of the kernel, tested so that the test fails when
 * the flush is removed (the issue: "a test that fails when a flush point is
 * removed").
 *
 * Each case loads a translation into the modelled TLB (and the MMU's host
 * fast mirrors) with a user access through mmu_load32/mmu_store32, performs
 * the kernel operation, then accesses the page again *without* any fault
 * handling first (mmu_load32 / mmu_store32 directly): that raw access must
 * see the new state -- fault, or read the new frame's data.  A stale entry
 * would let it complete against the old frame.
 *
 * The line each case guards is named in its comment.  Every case was
 * checked against a build with that line removed (a copy of the source
 * file with the line deleted, compiled and linked ahead of libmmulab.a so
 * that it replaces the library's object), and failed there:
 *
 *   removed flush                         failing cases
 *   pgtable.c zap_pte                     munmap, madvise_dontneed
 *   pgtable.c copy_one_pte                fork_write_protect,
 *                                         cow_fault_needs_one_fault
 *   pgtable.c change_protection           mprotect_downgrade
 *   pgtable.c move_page_tables            mremap_move
 *   fault.c do_wp_page (copy path)        cow_break_zero_page,
 *                                         cow_break_after_fork,
 *                                         cow_fault_needs_one_fault
 *   fault.c do_wp_page (reuse path)       cow_fault_needs_one_fault
 *   mmu.c mmu_set_root tlb_flush_all      context_switch (pae, sv32)
 *   zap_pte + mmap.c exit_mmap's          exit_leaves_no_entries (asid)
 *   mmu_flush_asid (either one alone
 *   suffices)
 *
 * Each case runs in three machines: pae and sv32 without ASIDs
 * (mmu_flush_page on the current mm) and pae with ASIDs
 * (mmu_flush_page_asid).
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "kharness.h"

#define P PAGE_SIZE
#define BASE 0x40000000u

static const struct kh_config configs[] = {
	{ .paging = PAGING_PAE },
	{ .paging = PAGING_SV32 },
	{ .paging = PAGING_PAE, .asid = true },
};

/* Define one Test per machine configuration for body @fn(h). */
#define FLUSH_TEST(name)                                                 \
	static void name(struct kh *h);                                  \
	Test(tlbflush, name##_pae)                                       \
	{                                                                \
		struct kh *h = kh_boot(&configs[0]);                     \
		name(h);                                                 \
		kh_shutdown(h);                                          \
	}                                                                \
	Test(tlbflush, name##_sv32)                                      \
	{                                                                \
		struct kh *h = kh_boot(&configs[1]);                     \
		name(h);                                                 \
		kh_shutdown(h);                                          \
	}                                                                \
	Test(tlbflush, name##_asid)                                      \
	{                                                                \
		struct kh *h = kh_boot(&configs[2]);                     \
		name(h);                                                 \
		kh_shutdown(h);                                          \
	}                                                                \
	static void name(struct kh *h)

/* Is @va's page in the D-TLB for the current address space? */
static bool in_dtlb(struct kh *h, gva_t va)
{
	struct mmu *m = &h->k.mmu;
	struct tlb *t = &m->dtlb;
	uint32_t vpn = va >> PAGE_SHIFT;
	unsigned set = tlb_set_of(t, vpn);
	uint16_t tag = m->use_asid ? m->asid : 0;

	for (unsigned w = 0; w < t->ways; w++) {
		const struct tlb_entry *e = &t->e[set * t->ways + w];
		if (e->valid && e->vpn == vpn && e->asid == tag)
			return true;
	}
	return false;
}

/* Touch @va with a load and a store so that the D-TLB and both fast
 * mirrors hold it, and check that they do. */
static void warm(struct kh *h, gva_t va, uint32_t v)
{
	uint32_t x;

	cr_assert_eq(kh_store32(h, va, v), 0);
	cr_assert_eq(kh_load32(h, va, &x), 0);
	cr_assert_eq(x, v);
	/* Served from the TLB now: no fault, and the entry is there. */
	cr_assert_eq(mmu_load32(&h->k.mmu, va, &x), 0);
	cr_assert_eq(mmu_store32(&h->k.mmu, va, v), 0);
	cr_assert(in_dtlb(h, va), "the translation should be cached");
}

/*
 * munmap.  Guards pgtable.c zap_pte(): "if (pte_present(pte))
 * flush_tlb_page(k, mm, addr);" (reached from do_munmap -> remove_vma ->
 * zap_page_range).  Without it the raw load still reads the freed frame.
 */
FLUSH_TEST(munmap_flushes)
{
	gva_t a = kh_mmap_anon(h, BASE, 2 * P, KH_PROT_RW);
	uint32_t x;

	warm(h, a + P, 0xfeedf00d);
	cr_assert_eq(sys_munmap(&h->k, a, 2 * P), 0);
	cr_assert_not(in_dtlb(h, a + P));
	cr_assert_eq(mmu_load32(&h->k.mmu, a + P, &x), -1,
		     "load after munmap hit a stale TLB entry (read %#x)", x);
	cr_assert_eq(mmu_store32(&h->k.mmu, a + P, 1), -1,
		     "store after munmap hit a stale TLB entry");
	cr_assert_eq(kh_load32(h, a + P, &x), -EFAULT);
	cr_assert_not(h->last.accerr);
}

/*
 * mprotect to read-only.  Guards pgtable.c change_protection(): "if
 * (was_present) flush_tlb_page(k, vma->vm_mm, addr);".  Without it the
 * raw store goes through the cached writable entry.
 */
FLUSH_TEST(mprotect_downgrade_flushes)
{
	gva_t a = kh_mmap_anon(h, BASE, 3 * P, KH_PROT_RW);
	uint32_t x;

	warm(h, a + P, 0x1234);
	cr_assert_eq(sys_mprotect(&h->k, a + P, P, KH_PROT_READ), 0);
	cr_assert_eq(mmu_store32(&h->k.mmu, a + P, 0x5678), -1,
		     "store after mprotect(PROT_READ) went through");
	cr_assert_eq(kh_store32(h, a + P, 0x5678), -EFAULT);
	cr_assert(h->last.accerr);
	cr_assert_eq(kh_load32(h, a + P, &x), 0);
	cr_assert_eq(x, 0x1234, "the page must be unchanged");
	/* PROT_NONE: even loads must fault. */
	cr_assert_eq(sys_mprotect(&h->k, a + P, P, KH_PROT_NONE), 0);
	cr_assert_eq(mmu_load32(&h->k.mmu, a + P, &x), -1,
		     "load after mprotect(PROT_NONE) went through");
}

/*
 * COW break of the zero page by a kernel write (copy_to_user, as read()
 * into a fresh buffer does).  Guards fault.c do_wp_page(), the copy path:
 * "flush_tlb_page(k, vma->vm_mm, vmf->address);" after set_pte_at.  The
 * user's TLB maps the zero page read-only; without the flush its next load
 * still reads zeros instead of what the kernel wrote into the new page.
 */
FLUSH_TEST(cow_break_zero_page_flushes)
{
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	uint32_t v = 0xc0ffee, x;

	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 0);
	cr_assert_eq(pte_pfn(kh_pte(h, kh_mm(h), a)), h->k.zero_pfn);
	cr_assert_eq(mmu_load32(&h->k.mmu, a, &x), 0);
	cr_assert(in_dtlb(h, a));
	cr_assert_eq(copy_to_user(&h->k, a, &v, 4), 0);
	cr_assert_neq(pte_pfn(kh_pte(h, kh_mm(h), a)), h->k.zero_pfn);
	cr_assert_eq(mmu_load32(&h->k.mmu, a, &x), 0);
	cr_assert_eq(x, v, "load after COW read the old frame (%#x)", x);
}

/*
 * COW break after fork, again by a kernel write.  Same guarded line as
 * above (do_wp_page copy path): the parent's TLB maps the shared page
 * read-only; after the break it must read its private copy.
 */
FLUSH_TEST(cow_break_after_fork_flushes)
{
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	uint32_t v = 2, x;

	cr_assert_eq(kh_store32(h, a, 1), 0);
	struct task *child = kh_fork(h);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 1);
	cr_assert(in_dtlb(h, a));
	pfn_t shared = pte_pfn(kh_pte(h, kh_mm(h), a));
	cr_assert_eq(copy_to_user(&h->k, a, &v, 4), 0);
	cr_assert_neq(pte_pfn(kh_pte(h, kh_mm(h), a)), shared);
	cr_assert_eq(mmu_load32(&h->k.mmu, a, &x), 0);
	cr_assert_eq(x, 2, "load after COW read the shared frame (%#x)", x);
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 1, "the child keeps the original");
}

/*
 * A user write that breaks COW completes with exactly one fault.  Guards
 * the flushes in do_wp_page (copy and reuse paths): without them the retry
 * hits the stale read-only entry and takes a second, spurious fault.
 */
FLUSH_TEST(cow_fault_needs_one_fault)
{
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	uint32_t x;

	cr_assert_eq(kh_store32(h, a, 1), 0);
	struct task *child = kh_fork(h);
	cr_assert_eq(kh_load32(h, a, &x), 0);	/* read-only entry cached */
	cr_assert_eq(kh_store32(h, a, 2), 0);	/* copy */
	cr_assert_eq(h->last.nr_faults, 1);
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 1);
	cr_assert_eq(kh_store32(h, a, 3), 0);	/* reuse */
	cr_assert_eq(h->last.nr_faults, 1);
}

/*
 * fork write-protects the parent's private pages.  Guards pgtable.c
 * copy_one_pte(): "if (pte_present(pte)) flush_tlb_page(k, src, addr);".
 * Without it the parent's next store goes through its cached writable
 * entry into the page the child shares, and the child sees it.
 */
FLUSH_TEST(fork_write_protect_flushes)
{
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	uint32_t x;

	warm(h, a, 1);
	struct task *child = kh_fork(h);
	cr_assert_eq(mmu_store32(&h->k.mmu, a, 2), -1,
		     "parent store after fork went through a stale entry");
	cr_assert_eq(kh_store32(h, a, 2), 0);
	kh_switch_to(h, child);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 1, "the child saw the parent's write");
}

/*
 * MADV_DONTNEED drops the pages; the next access must see a fresh zero
 * page.  Guards the same line as munmap (pgtable.c zap_pte's
 * flush_tlb_page), reached from madvise_vma -> zap_page_range.
 */
FLUSH_TEST(madvise_dontneed_flushes)
{
	gva_t a = kh_mmap_anon(h, BASE, 2 * P, KH_PROT_RW);
	uint32_t x = 0xffffffff;

	warm(h, a, 0xabcd);
	cr_assert_eq(sys_madvise(&h->k, a, 2 * P, KH_MADV_DONTNEED), 0);
	cr_assert_eq(kh_pte(h, kh_mm(h), a), 0);
	cr_assert_eq(mmu_load32(&h->k.mmu, a, &x), -1,
		     "load after MADV_DONTNEED hit a stale entry (%#x)", x);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 0, "MADV_DONTNEED memory must read back as zero");
	cr_assert_eq(kh_store32(h, a, 5), 0);
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 5);
}

/*
 * mremap moves the PTEs; the old address must fault.  Guards pgtable.c
 * move_page_tables(): "if (pte_present(pte)) flush_tlb_page(k, mm, old +
 * off);".
 */
FLUSH_TEST(mremap_move_flushes)
{
	gva_t a = kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	gva_t b = BASE + 16 * P;
	uint32_t x;

	warm(h, a, 0x600d);
	cr_assert_eq(sys_mremap(&h->k, a, P, P,
				KH_MREMAP_MAYMOVE | KH_MREMAP_FIXED, b),
		     (long)b);
	cr_assert_eq(mmu_load32(&h->k.mmu, a, &x), -1,
		     "load at the old address after mremap went through");
	cr_assert_eq(kh_load32(h, b, &x), 0);
	cr_assert_eq(x, 0x600d);
}

/*
 * Context switch between two address spaces that map the same virtual
 * page to different frames.  Without ASIDs this guards mmu.c
 * mmu_set_root(): "tlb_flush_all(&m->dtlb);" (switch_mm's satp write);
 * with ASIDs the entries are tagged instead and survive the switch.
 */
FLUSH_TEST(context_switch_flushes)
{
	struct task *a = h->task, *b = kh_task_new(h);
	uint32_t x;

	kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	warm(h, BASE, 0xaaaa);

	kh_switch_to(h, b);
	kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	cr_assert_eq(mmu_load32(&h->k.mmu, BASE, &x), -1,
		     "B read A's memory through a stale entry (%#x)", x);
	cr_assert_eq(kh_store32(h, BASE, 0xbbbb), 0);

	kh_switch_to(h, a);
	struct tlb_stats before = h->k.mmu.dtlb.st;
	cr_assert_eq(mmu_load32(&h->k.mmu, BASE, &x), 0);
	cr_assert_eq(x, 0xaaaa, "A read B's memory through a stale entry");
	if (h->k.mmu.use_asid)
		cr_assert_eq(h->k.mmu.dtlb.st.misses, before.misses,
			     "with ASIDs A's entry survives the switch");
	else
		cr_assert_eq(h->k.mmu.dtlb.st.misses, before.misses + 1,
			     "without ASIDs the switch flushed A's entry");
	kh_switch_to(h, b);
	cr_assert_eq(mmu_load32(&h->k.mmu, BASE, &x), 0);
	cr_assert_eq(x, 0xbbbb);
}

/*
 * An exiting address space leaves no entries behind that a new mm with a
 * recycled ASID could hit.  With ASIDs the exiting mm is not loaded, so
 * this guards zap_pte's flush_tlb_page -> mmu_flush_page_asid and mmap.c
 * exit_mmap(): "mmu_flush_asid(&k->mmu, mm->asid);" (removing both lets
 * the entry survive); without ASIDs the switch away already flushed.
 */
FLUSH_TEST(exit_leaves_no_entries)
{
	struct task *b = kh_task_new(h);

	kh_switch_to(h, b);
	kh_mmap_anon(h, BASE, P, KH_PROT_RW);
	warm(h, BASE, 0x77);
	kh_switch_to(h, h->task);
	task_exit(&h->k, b, 0, 0);
	struct tlb *t = &h->k.mmu.dtlb;
	for (unsigned i = 0; i < t->nr_entries; i++)
		cr_assert_not(t->e[i].valid &&
				      t->e[i].vpn == BASE >> PAGE_SHIFT,
			      "a dead mm's entry is still in the TLB");
}
