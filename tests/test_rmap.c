/*
 * Unit tests for the reverse map of anonymous pages (src/kernel/mm/rmap.c):
 * anon_vma creation on the first anonymous fault, page->mapping and index,
 * the anon_vma chains fork builds (a child reaches its parent's anon_vma,
 * its own COW copies go to its own), vma splits sharing the anon_vma, and
 * every anon_vma and chain freed when the last user goes.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "kharness.h"

#define P PAGE_SIZE
#define BASE 0x40000000u

static struct kh *h;

static void setup(void)
{
	h = kh_boot(NULL);
}

static void teardown(void)
{
	kh_shutdown(h);
}

TestSuite(rmap, .init = setup, .fini = teardown);

static struct anon_vma *page_av(const struct page *pg)
{
	return (struct anon_vma *)((unsigned long)pg->mapping &
				   ~PAGE_MAPPING_ANON);
}

static int nr_chains(struct vma *vma)
{
	struct anon_vma_chain *avc;
	int n = 0;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		n++;
	return n;
}

static bool vma_reaches(struct vma *vma, struct anon_vma *av)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (avc->anon_vma == av)
			return true;
	return false;
}

Test(rmap, first_anonymous_fault_makes_the_anon_vma)
{
	struct mm *mm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, BASE, 4 * P, KH_PROT_RW);
	struct vma *vma = vma_lookup(mm, a);

	cr_assert_null(vma->anon_vma, "none before the first write");
	cr_assert_eq(kh_store32(h, a + 2 * P, 5), 0);
	cr_assert_not_null(vma->anon_vma);
	cr_assert_eq(vma->anon_vma->root, vma->anon_vma, "a new tree");
	cr_assert_eq(nr_chains(vma), 1);

	struct page *pg = kh_page(h, mm, a + 2 * P);
	cr_assert(PageAnon(pg));
	cr_assert_eq(page_av(pg), vma->anon_vma);
	cr_assert_eq(pg->index, (a + 2 * P) >> PAGE_SHIFT,
		     "index: the linear page offset in the vma");
	cr_assert_eq(page_mapcount(pg), 1);
}

Test(rmap, fork_chains_child_to_parent)
{
	struct mm *pmm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, BASE, 2 * P, KH_PROT_RW);

	cr_assert_eq(kh_store32(h, a, 1), 0);
	struct vma *pv = vma_lookup(pmm, a);
	struct anon_vma *pav = pv->anon_vma;
	struct page *shared = kh_page(h, pmm, a);
	struct task *parent = h->k.current, *child = kh_fork(h);
	struct vma *cv = vma_lookup(child->mm, a);

	cr_assert_neq(cv->anon_vma, pav, "the child gets its own anon_vma");
	cr_assert_eq(cv->anon_vma->parent, pav);
	cr_assert_eq(cv->anon_vma->root, pav->root);
	cr_assert_eq(nr_chains(cv), 2, "its own and its parent's");
	cr_assert(vma_reaches(cv, pav), "the child reaches the shared page");
	cr_assert_eq(page_av(shared), pav, "shared pages stay the parent's");
	cr_assert_eq(page_mapcount(shared), 2);

	/* The child's write copies into a page of its own anon_vma. */
	kh_switch_to(h, child);
	cr_assert_eq(kh_store32(h, a, 2), 0);
	struct page *copy = kh_page(h, child->mm, a);
	cr_assert_neq(copy, shared);
	cr_assert_eq(page_av(copy), cv->anon_vma);
	cr_assert_eq(page_mapcount(shared), 1);
	cr_assert_not(vma_reaches(pv, cv->anon_vma),
		      "the parent cannot reach the child's pages");
	kh_switch_to(h, parent);
}

Test(rmap, split_vmas_share_the_anon_vma)
{
	struct mm *mm = kh_mm(h);
	gva_t a = kh_mmap_anon(h, BASE, 3 * P, KH_PROT_RW);

	cr_assert_eq(kh_store32(h, a, 1), 0);
	struct anon_vma *av = vma_lookup(mm, a)->anon_vma;
	cr_assert_eq(sys_mprotect(&h->k, a + P, P, KH_PROT_READ), 0);
	for (int i = 0; i < 3; i++) {
		struct vma *v = vma_lookup(mm, a + i * P);
		cr_assert_eq(v->vm_start, a + i * P, "split into three");
		cr_assert_eq(v->anon_vma, av, "piece %d", i);
		cr_assert(vma_reaches(v, av));
	}
}

Test(rmap, anon_vmas_freed_with_their_last_user)
{
	struct kh_snapshot before, after;
	gva_t a = kh_mmap_anon(h, BASE, 2 * P, KH_PROT_RW);

	kh_snapshot(h, &before);
	cr_assert_eq(kh_store32(h, a, 1), 0);
	struct task *parent = h->k.current, *child = kh_fork(h);
	kh_switch_to(h, child);
	cr_assert_eq(kh_store32(h, a + P, 3), 0);
	kh_switch_to(h, parent);
	/* The parent unmaps first: the child still holds the root. */
	cr_assert_eq(sys_munmap(&h->k, a, 2 * P), 0);
	kh_switch_to(h, child);
	uint32_t x;
	cr_assert_eq(kh_load32(h, a, &x), 0);
	cr_assert_eq(x, 1, "the child still sees the shared page");
	cr_assert_eq(sys_munmap(&h->k, a, 2 * P), 0);
	kh_switch_to(h, parent);
	kh_snapshot(h, &after);
	for (int i = 0; i < KH_NR_CACHES; i++) {
		if (strcmp(kh_cache_names[i], "anon_vma") &&
		    strcmp(kh_cache_names[i], "anon_vma_chain"))
			continue;
		cr_assert_eq(after.inuse[i], before.inuse[i],
			     "%s objects leaked", kh_cache_names[i]);
	}
}
