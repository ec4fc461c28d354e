/*
 * The page-table walker: the hardware side of a TLB miss.
 *
 * Tables live in emulated RAM and are read through phys_host(), so a corrupt
 * entry can at worst point outside RAM, which faults like a missing entry.
 *
 *  pae:  satp root --> PGD[va 31:30] --> PMD[va 29:21] --> PTE[va 20:12]
 *                                        (2 MiB leaf)      (4 KiB leaf)
 *  sv32: satp root --> PGD[va 31:22] --> PTE[va 21:12]
 *                      (4 MiB leaf)      (4 KiB leaf)
 */
#include <errno.h>
#include <string.h>

#include "mmu/mmu.h"

/*
 * Check a leaf found at level @lvl against the format rules and the access.
 * Malformed leaves (W without R, a leaf where none may be, a superpage whose
 * PFN is not aligned to its size, a frame outside RAM) are no valid leaf at
 * all: NOT_PRESENT.  A well-formed leaf that forbids the access: PROTECTION.
 */
static inline __attribute__((always_inline)) enum mmu_fault_kind
check_leaf(const struct mmu *m, const struct pt_geometry *g, int lvl,
	   pte_t pte, enum mmu_access acc, pfn_t pfn)
{
	const struct pt_level *l = &g->level[lvl];
	pfn_t span = (pfn_t)1 << (l->shift - PAGE_SHIFT);
	static const uint32_t need[] = {
		[ACC_READ] = PTE_R, [ACC_WRITE] = PTE_W, [ACC_EXEC] = PTE_X,
	};

	if ((pte & PTE_W) && !(pte & PTE_R))
		return MMU_FAULT_NOT_PRESENT;
	if (!l->leaf_ok || (pfn & (span - 1)))
		return MMU_FAULT_NOT_PRESENT;
	if (pfn >= m->phys->nr_frames || span > m->phys->nr_frames - pfn)
		return MMU_FAULT_NOT_PRESENT;
	if (!(pte & PTE_U) || !(pte & need[acc]))
		return MMU_FAULT_PROTECTION;
	return MMU_FAULT_NONE;
}

/* EV_WALK_LEVEL: the walker read @pte at @pte_pa, entry @idx of the level
 * @lvl table at @table, for @va. */
static __cold __noinline void trace_level(struct mmu *m, gva_t va,
					  enum mmu_access acc, int lvl,
					  gpa_t table, unsigned idx,
					  gpa_t pte_pa, pte_t pte)
{
	trace_emit(&m->trace, &(struct trace_event){
		.type = EV_WALK_LEVEL,
		.flags = TEV_WALKER | TEV_PHYS | mmu_access_tev(acc),
		.addr = pte_pa,
		.arg = { (uint64_t)lvl, idx, pte, table, va },
		.str = m->geo->level[lvl].name });
}

/* EV_WALK_DONE: the walk for @va ended with @k, described by @w. */
static __cold __noinline void trace_done(struct mmu *m, gva_t va,
					 enum mmu_access acc,
					 enum mmu_fault_kind k,
					 const struct mmu_walk *w)
{
	trace_emit(&m->trace, &(struct trace_event){
		.type = EV_WALK_DONE,
		.flags = mmu_access_tev(acc),
		.addr = va,
		.arg = { k == MMU_FAULT_NONE ? w->pa : 0, k,
			 (uint64_t)w->level, w->pte, (uint64_t)w->steps } });
}

/*
 * Both geometries again, as objects of this file: walk() is instantiated
 * with one of them, so that every level's shift, width and entry size is a
 * constant and the level loop unrolls.
 */
static const struct pt_geometry walk_pae = PT_GEOMETRY_PAE_INIT;
static const struct pt_geometry walk_sv32 = PT_GEOMETRY_SV32_INIT;

/* Count the @steps entries a walk read: walk_reads, w->steps, the cost. */
static inline __attribute__((always_inline)) void
walk_account(struct mmu *m, struct mmu_walk *w, int steps)
{
	w->steps = steps;
	m->st.walk_reads += (unsigned)steps;
	if (unlikely(m->cost_clock))
		*m->cost_clock += (uint64_t)steps * m->cost_walk_access;
}

/*
 * The walk itself.  @g and @traced are constants: mmu_walk() instantiates
 * it per geometry and twice more, so that the walk nobody traces makes no
 * call and pays for events with one test of the mask in mmu_walk().  The
 * walk's bookkeeping (entries read, their cost) is added once at the end:
 * this is the TLB-miss path, and its length is host time per miss.
 */
static inline __attribute__((always_inline)) enum mmu_fault_kind
walk(struct mmu *m, gva_t va, enum mmu_access acc, bool set_ad,
     struct mmu_walk *w, const bool traced, const struct pt_geometry *g)
{
	const pfn_t pfn_mask = ((pfn_t)1 << g->pfn_bits) - 1;
	gpa_t table = m->root;
	enum mmu_fault_kind k = MMU_FAULT_NOT_PRESENT;
	int steps = 0;

	if (!table)
		return MMU_FAULT_NOT_PRESENT;
#pragma GCC unroll 4
	for (int lvl = 0; lvl < g->nr_levels; lvl++) {
		gpa_t pte_pa = table + (gpa_t)pt_index(g, lvl, va) * g->entry_size;
		void *host = phys_host(m->phys, pte_pa, g->entry_size);
		pte_t pte, want;
		pfn_t pfn;

		w->level = lvl;
		w->pte_pa = pte_pa;
		if (!host) {
			w->pte = 0;
			break;
		}
		pte = pt_read(g, host);
		w->pte = pte;
		steps++;
		if (traced && trace_on(&m->trace, EV_WALK_LEVEL))
			trace_level(m, va, acc, lvl, table,
				    pt_index(g, lvl, va), pte_pa, pte);
		if (!(pte & PTE_V))
			break;
		pfn = pte_pfn(pte) & pfn_mask;
		if (!(pte & PTE_RWX)) {
			table = (gpa_t)pfn << PAGE_SHIFT;
			continue;
		}

		k = check_leaf(m, g, lvl, pte, acc, pfn);
		if (k != MMU_FAULT_NONE)
			break;
		want = pte | PTE_A | (acc == ACC_WRITE ? PTE_D : 0);
		if (set_ad && want != pte) {
			pt_write(g, host, want);
			pte = want;
		}
		w->pte = pte;
		/* e.g. a 2 MiB pae leaf with pfn 0x400 and va 0x0012_3456:
		 * pa = 0x40_0000 + (va & 0x1f_ffff) = 0x52_3456 */
		w->pa = ((gpa_t)pfn << PAGE_SHIFT) +
			(va & (((gva_t)1 << g->level[lvl].shift) - 1));
		/* The access that missed comes next: start its cache miss
		 * now, under the TLB fill (check_leaf kept pa inside RAM). */
		__builtin_prefetch(m->phys->ram + w->pa);
		break;
	}
	/* (falling off the loop: a pointer at the last level, no leaf) */
	walk_account(m, w, steps);
	return k;
}

#define WALK_EVENTS (TRACE_BIT(EV_WALK_LEVEL) | TRACE_BIT(EV_WALK_DONE))

static __noinline enum mmu_fault_kind walk_traced(struct mmu *m, gva_t va,
						  enum mmu_access acc,
						  bool set_ad,
						  struct mmu_walk *w)
{
	enum mmu_fault_kind k = m->geo == &pt_geometry_sv32
		? walk(m, va, acc, set_ad, w, true, &walk_sv32)
		: walk(m, va, acc, set_ad, w, true, &walk_pae);

	if (trace_on(&m->trace, EV_WALK_DONE))
		trace_done(m, va, acc, k, w);
	return k;
}

/* The untraced walk of the current geometry. */
static inline __attribute__((always_inline)) enum mmu_fault_kind
walk_plain(struct mmu *m, gva_t va, enum mmu_access acc, bool set_ad,
	   struct mmu_walk *w)
{
	if (m->geo == &pt_geometry_sv32)
		return walk(m, va, acc, set_ad, w, false, &walk_sv32);
	return walk(m, va, acc, set_ad, w, false, &walk_pae);
}

enum mmu_fault_kind mmu_walk(struct mmu *m, gva_t va, enum mmu_access acc,
			     bool set_ad, struct mmu_walk *w)
{
	memset(w, 0, sizeof(*w));
	m->st.walks++;
	if (unlikely(m->trace.mask & WALK_EVENTS))
		return walk_traced(m, va, acc, set_ad, w);
	return walk_plain(m, va, acc, set_ad, w);
}

enum mmu_fault_kind __mmu_walk(struct mmu *m, gva_t va, enum mmu_access acc,
			       bool set_ad, struct mmu_walk *w)
{
	memset(w, 0, sizeof(*w));
	m->st.walks++;
	return walk_plain(m, va, acc, set_ad, w);
}

/*
 * The walk of mmu_walk() for a debugger: the same entries read, the same
 * checks, and nothing written or counted (see mmu.h).
 */
int mmu_probe(const struct mmu *m, gpa_t root, gva_t va, enum mmu_access acc,
	      struct mmu_probe *out)
{
	const struct pt_geometry *g = m->geo;
	pfn_t pfn_mask = ((pfn_t)1 << g->pfn_bits) - 1;
	gpa_t table = root;

	memset(out, 0, sizeof(*out));
	out->va = va;
	out->leaf_level = -1;
	out->fault = MMU_FAULT_NOT_PRESENT;
	if (!table)
		return -EFAULT;
	for (int lvl = 0; lvl < g->nr_levels; lvl++) {
		struct mmu_probe_level *l = &out->lv[lvl];
		const void *host;
		enum mmu_fault_kind k;
		pte_t pte;
		pfn_t pfn;

		out->fault_level = lvl;
		l->table_pa = table;
		l->index = pt_index(g, lvl, va);
		l->entry_pa = table + (gpa_t)l->index * g->entry_size;
		host = phys_host(m->phys, l->entry_pa, g->entry_size);
		if (!host)
			return -EFAULT;
		pte = l->entry = pt_read(g, host);
		out->nr_levels = lvl + 1;
		if (!(pte & PTE_V))
			return -EFAULT;
		pfn = pte_pfn(pte) & pfn_mask;
		if (!(pte & PTE_RWX)) {
			table = (gpa_t)pfn << PAGE_SHIFT;
			continue;
		}
		k = check_leaf(m, g, lvl, pte, acc, pfn);
		if (k == MMU_FAULT_NOT_PRESENT)
			return -EFAULT;
		out->leaf = pte;
		out->leaf_level = lvl;
		out->pa = ((gpa_t)pfn << PAGE_SHIFT) +
			  (va & (((gva_t)1 << g->level[lvl].shift) - 1));
		out->fault = k;
		if (k != MMU_FAULT_NONE)
			return -EACCES;
		out->ok = true;
		out->fault_level = -1;
		return 0;
	}
	return -EFAULT;
}

long mmu_probe_read(const struct mmu *m, gpa_t root, gva_t va, void *buf,
		    size_t len)
{
	uint8_t *b = buf;
	size_t done = 0;

	while (done < len) {
		gva_t a = va + (gva_t)done;
		size_t n = PAGE_SIZE - (a & (PAGE_SIZE - 1));
		struct mmu_probe p;
		const void *host;
		int r = mmu_probe(m, root, a, ACC_READ, &p);

		if (r && r != -EACCES)
			break;
		if (n > len - done)
			n = len - done;
		host = phys_host(m->phys, p.pa, n);
		if (!host)	/* a leaf's frame lies inside RAM */
			break;
		memcpy(b + done, host, n);
		done += n;
		if ((uint64_t)va + done > UINT32_MAX)
			break;	/* the top of the address space */
	}
	if (len && !done)
		return -1;
	return (long)done;
}
