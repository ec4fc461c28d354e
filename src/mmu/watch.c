/*
 * Watchpoints (see mmu.h): a short table of ranges that the slow paths
 * compare each program access with, and that keeps the fast mirrors of
 * the watched pages away so that every such access reaches a slow path.
 *
 * Cost: nothing on the mirror hit path; one test of m->watch.nr per slow
 * access; O(MMU_MAX_WATCH) per slow access while watches exist.
 */
#include <errno.h>
#include <string.h>

#include "mmu/watch.h"

/* Does [a, a + alen) meet [b, b + blen)?  (64-bit: no wrap at 2^32) */
static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* The watch kinds an access of kind @acc matches. */
static unsigned kind_of(enum mmu_access acc)
{
	return acc == ACC_WRITE ? MMU_WATCH_WRITE : MMU_WATCH_READ;
}

unsigned mmu_mirrors_allowed(const struct mmu *m, gva_t base)
{
	unsigned ok = MMU_WATCH_ACCESS;

	if (m->fast_off)
		return 0;
	for (int i = 0; i < m->watch.nr; i++) {
		const struct mmu_watch *w = &m->watch.w[i];

		if (overlap(base, PAGE_SIZE, w->va, w->len))
			ok &= ~(unsigned)w->kind;
	}
	return ok;
}

/* A watch over [va, va + len) exists now: drop the mirrors in its way. */
static void drop_mirrors(struct mmu *m, gva_t va, uint32_t len)
{
	uint64_t end = (uint64_t)va + len;

	for (uint64_t a = va & PAGE_MASK; a < end; a += PAGE_SIZE)
		mmu_drop_page_mirrors(m, (gva_t)a);
}

static int find(const struct mmu *m, gva_t va, uint32_t len,
		enum mmu_watch_kind kind)
{
	for (int i = 0; i < m->watch.nr; i++) {
		const struct mmu_watch *w = &m->watch.w[i];

		if (w->va == va && w->len == len && w->kind == kind)
			return i;
	}
	return -1;
}

int mmu_watch_add(struct mmu *m, gva_t va, uint32_t len,
		  enum mmu_watch_kind kind)
{
	struct mmu_watch *w;

	if (!len || (uint64_t)va + len > (1ull << 32) ||
	    !(kind & MMU_WATCH_ACCESS) || (kind & ~MMU_WATCH_ACCESS))
		return -EINVAL;
	if (find(m, va, len, kind) >= 0)
		return 0;
	if (m->watch.nr == MMU_MAX_WATCH)
		return -ENOSPC;
	w = &m->watch.w[m->watch.nr++];
	w->va = va;
	w->len = len;
	w->kind = kind;
	m->no_mirror = true;
	drop_mirrors(m, va, len);
	return 0;
}

int mmu_watch_del(struct mmu *m, gva_t va, uint32_t len,
		  enum mmu_watch_kind kind)
{
	int i = find(m, va, len, kind);

	if (i < 0)
		return -ENOENT;
	m->watch.w[i] = m->watch.w[--m->watch.nr];
	m->no_mirror = m->fast_off || m->watch.nr;
	/* the pages' mirrors come back at their next slow access */
	return 0;
}

void mmu_watch_clear(struct mmu *m)
{
	m->watch.nr = 0;
	m->watch.hit = false;
	m->no_mirror = m->fast_off;
}

void mmu_watch_access(struct mmu *m, gva_t va, unsigned size,
		      enum mmu_access acc)
{
	unsigned want = kind_of(acc);

	if (m->watch.hit)
		return;	/* the first one is reported */
	for (int i = 0; i < m->watch.nr; i++) {
		const struct mmu_watch *w = &m->watch.w[i];

		if ((w->kind & want) && overlap(va, size, w->va, w->len)) {
			m->watch.hit = true;
			m->watch.hit_index = i;
			m->watch.hit_addr = va > w->va ? va : w->va;
			m->watch.hit_access = acc;
			return;
		}
	}
}
