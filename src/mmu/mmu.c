/*
 * The MMU: TLB lookups, walks on a miss, the host-side fast mirrors and the
 * out-of-line load/store/fetch paths (see mmu.h for the fast path).
 *
 * Invariant kept here and in tlb.c: fast_r[s] / fast_w[s] (fast_x[s]) is
 * either MMU_FAST_INVALID or the translation of the MRU entry of D-TLB
 * (I-TLB) set s, for the current address space.  tlb.c calls
 * dtlb_changed()/itlb_changed() whenever a set's MRU entry changes or goes
 * away, and every successful slow path re-installs the mirror of the entry
 * it just used, which the lookup or fill has made its set's MRU entry.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/mmu.h"
#include "mmu/watch.h"

static const struct mmu_fast fast_invalid = { .tag = MMU_FAST_INVALID };

void mmu_default_config(struct mmu_config *c)
{
	memset(c, 0, sizeof(*c));
	c->paging = PAGING_PAE;
	c->itlb_entries = 64;
	c->itlb_ways = 4;
	c->dtlb_entries = 64;
	c->dtlb_ways = 4;
	c->policy = TLB_LRU;
	c->asid = false;
}

static void dtlb_changed(void *arg, unsigned set)
{
	struct mmu *m = arg;

	m->fast_r[set] = fast_invalid;
	m->fast_w[set] = fast_invalid;
	if (unlikely(m->huge_mirrors)) {
		/* mirrors made from a huge entry of @set, in other sets */
		for (uint32_t s = 0; s <= m->dmask; s++) {
			if (m->fast_hsrc[s] == set) {
				m->fast_r[s] = fast_invalid;
				m->fast_w[s] = fast_invalid;
				m->fast_hsrc[s] = MMU_HSRC_NONE;
			}
		}
	}
}

static void itlb_changed(void *arg, unsigned set)
{
	struct mmu *m = arg;

	m->fast_x[set] = fast_invalid;
}

static void clear_mirrors(struct mmu *m)
{
	for (uint32_t s = 0; s <= m->dmask; s++) {
		m->fast_r[s] = fast_invalid;
		m->fast_w[s] = fast_invalid;
		m->fast_hsrc[s] = MMU_HSRC_NONE;
	}
	for (uint32_t s = 0; s <= m->imask; s++)
		m->fast_x[s] = fast_invalid;
	m->huge_mirrors = false;
}

int mmu_init(struct mmu *m, struct phys *phys, const struct mmu_config *c)
{
	int err;

	memset(m, 0, sizeof(*m));
	if (c->paging != PAGING_PAE && c->paging != PAGING_SV32)
		return -EINVAL;
	m->phys = phys;
	m->geo = pt_geometry(c->paging);
	m->use_asid = c->asid;

	err = tlb_init(&m->itlb, "itlb", c->itlb_entries, c->itlb_ways,
		       c->policy);
	if (err)
		return err;
	err = tlb_init(&m->dtlb, "dtlb", c->dtlb_entries, c->dtlb_ways,
		       c->policy);
	if (err)
		goto free_itlb;
	m->dmask = m->dtlb.nr_sets - 1;
	m->imask = m->itlb.nr_sets - 1;
	err = -ENOMEM;
	m->fast_r = malloc(m->dtlb.nr_sets * sizeof(*m->fast_r));
	m->fast_w = malloc(m->dtlb.nr_sets * sizeof(*m->fast_w));
	m->fast_x = malloc(m->itlb.nr_sets * sizeof(*m->fast_x));
	m->fast_hsrc = malloc(m->dtlb.nr_sets * sizeof(*m->fast_hsrc));
	if (!m->fast_r || !m->fast_w || !m->fast_x || !m->fast_hsrc)
		goto free_fast;
	/* huge entries: the pages of a leaf one level above the last */
	m->dtlb.huge_shift = m->itlb.huge_shift = (uint8_t)(
		m->geo->level[m->geo->nr_levels - 2].shift - PAGE_SHIFT);
	clear_mirrors(m);
	m->dtlb.on_change = dtlb_changed;
	m->dtlb.arg = m;
	m->dtlb.trace = &m->trace;
	m->itlb.on_change = itlb_changed;
	m->itlb.arg = m;
	m->itlb.trace = &m->trace;
	m->itlb.trace_flags = TEV_ITLB;
	return 0;

free_fast:
	free(m->fast_hsrc);
	free(m->fast_r);
	free(m->fast_w);
	free(m->fast_x);
	tlb_destroy(&m->dtlb);
free_itlb:
	tlb_destroy(&m->itlb);
	memset(m, 0, sizeof(*m));
	return err;
}

void mmu_destroy(struct mmu *m)
{
	if (m->code.release)
		m->code.release(m->code.cache);
	free(m->code.mark);
	free(m->fast_hsrc);
	free(m->fast_r);
	free(m->fast_w);
	free(m->fast_x);
	tlb_destroy(&m->itlb);
	tlb_destroy(&m->dtlb);
	memset(m, 0, sizeof(*m));
}

/* The tag TLB entries carry: without ASIDs every entry belongs to "the"
 * address space, tagged 0, and a root switch flushes everything. */
static inline uint16_t cur_tag(const struct mmu *m)
{
	return m->use_asid ? m->asid : 0;
}

void mmu_for_each_resident(const struct mmu *m,
			   void (*fn)(void *arg, uint32_t vpn), void *arg)
{
	const struct tlb *tlbs[2] = { &m->itlb, &m->dtlb };
	uint16_t tag = cur_tag(m);

	for (int i = 0; i < 2; i++) {
		const struct tlb *t = tlbs[i];

		for (unsigned j = 0; j < t->nr_entries; j++)
			if (t->e[j].valid && t->e[j].asid == tag)
				fn(arg, t->e[j].vpn);
	}
}

void mmu_set_root(struct mmu *m, gpa_t root, uint16_t asid)
{
	m->root = root;
	m->asid = asid;
	if (!m->use_asid) {
		tlb_flush_all(&m->itlb);
		tlb_flush_all(&m->dtlb);
	}
	clear_mirrors(m);
}

void mmu_set_fast(struct mmu *m, bool on)
{
	m->fast_off = !on;
	m->no_mirror = m->fast_off || m->watch.nr;
	clear_mirrors(m);
}

/* Drop the mirrors of one page (tlb.c has normally done so already). */
void mmu_drop_page_mirrors(struct mmu *m, gva_t va)
{
	gva_t base = va & PAGE_MASK;
	uint32_t ds = (va >> PAGE_SHIFT) & m->dmask;
	uint32_t is = (va >> PAGE_SHIFT) & m->imask;

	if (m->fast_r[ds].tag == base)
		m->fast_r[ds] = fast_invalid;
	if (m->fast_w[ds].tag == base)
		m->fast_w[ds] = fast_invalid;
	if (m->fast_x[is].tag == base)
		m->fast_x[is] = fast_invalid;
}

void mmu_flush_page(struct mmu *m, gva_t va)
{
	tlb_flush_page(&m->itlb, va >> PAGE_SHIFT, cur_tag(m), false);
	tlb_flush_page(&m->dtlb, va >> PAGE_SHIFT, cur_tag(m), false);
	mmu_drop_page_mirrors(m, va);
}

void mmu_flush_page_asid(struct mmu *m, gva_t va, uint16_t asid)
{
	bool all = !m->use_asid;

	tlb_flush_page(&m->itlb, va >> PAGE_SHIFT, all ? 0 : asid, all);
	tlb_flush_page(&m->dtlb, va >> PAGE_SHIFT, all ? 0 : asid, all);
	if (all || asid == m->asid)
		mmu_drop_page_mirrors(m, va);
}

void mmu_flush_asid(struct mmu *m, uint16_t asid)
{
	uint16_t tag = m->use_asid ? asid : 0;

	tlb_flush_asid(&m->itlb, tag);
	tlb_flush_asid(&m->dtlb, tag);
	if (!m->use_asid || asid == m->asid)
		clear_mirrors(m);
}

void mmu_flush_all(struct mmu *m)
{
	tlb_flush_all(&m->itlb);
	tlb_flush_all(&m->dtlb);
	clear_mirrors(m);
}

static __cold void set_fault(struct mmu *m, gva_t va, enum mmu_access acc,
			     enum mmu_fault_kind kind, pte_t pte, int level)
{
	m->fault.va = va;
	m->fault.access = acc;
	m->fault.kind = kind;
	m->fault.pte = pte;
	m->fault.level = level;
}

/* A write is about to reach frame @pfn: forget its decoded code first. */
static inline void code_written(struct mmu *m, pfn_t pfn)
{
	if (unlikely(m->code.mark && m->code.mark[pfn])) {
		m->code.mark[pfn] = 0;
		m->code.drop(m->code.cache, pfn);
	}
}

int mmu_code_attach(struct mmu *m, void *cache,
		    void (*drop)(void *cache, pfn_t pfn),
		    void (*release)(void *cache))
{
	uint8_t *mark = calloc(m->phys->nr_frames ? m->phys->nr_frames : 1, 1);

	if (!mark)
		return -ENOMEM;
	if (m->code.release)
		m->code.release(m->code.cache);
	free(m->code.mark);
	m->code.cache = cache;
	m->code.drop = drop;
	m->code.release = release;
	m->code.mark = mark;
	return 0;
}

void mmu_code_mark(struct mmu *m, pfn_t pfn)
{
	uintptr_t host = (uintptr_t)phys_frame(m->phys, pfn);

	assert(host && m->code.mark);
	m->code.mark[pfn] = 1;
	for (uint32_t s = 0; s <= m->dmask; s++)
		if (m->fast_w[s].tag != MMU_FAST_INVALID &&
		    m->fast_w[s].addend + m->fast_w[s].tag == host)
			m->fast_w[s] = fast_invalid;
}

void mmu_code_unmark(struct mmu *m, pfn_t pfn)
{
	if (m->code.mark && pfn < m->phys->nr_frames)
		m->code.mark[pfn] = 0;
}

int mmu_phys_read(const struct mmu *m, gpa_t pa, void *buf, size_t len)
{
	const void *host = phys_host(m->phys, pa, len);

	if (!host)
		return -EFAULT;
	memcpy(buf, host, len);
	return 0;
}

int mmu_phys_write(struct mmu *m, gpa_t pa, const void *buf, size_t len)
{
	void *host = phys_host(m->phys, pa, len);

	if (!host)
		return -EFAULT;
	if (len) {
		pfn_t last = (pa + len - 1) >> PAGE_SHIFT;

		for (pfn_t pfn = pa >> PAGE_SHIFT; pfn <= last; pfn++)
			code_written(m, pfn);
	}
	memcpy(host, buf, len);
	return 0;
}

int mmu_translate_nocache(struct mmu *m, gva_t va, enum mmu_access acc,
			  gpa_t *pa)
{
	struct mmu_walk w;
	enum mmu_fault_kind k = mmu_walk(m, va, acc, true, &w);

	if (k != MMU_FAULT_NONE) {
		set_fault(m, va, acc, k, w.pte, w.level);
		return -1;
	}
	if (acc == ACC_WRITE)
		code_written(m, w.pa >> PAGE_SHIFT);
	*pa = w.pa;
	return 0;
}

/*
 * Observation.  Each slow path below is written once with a constant
 * parameter @obs and instantiated twice: obs = false is the path as it is
 * without any debugger or tracer -- no event call, no mirror filter, no
 * watch test -- and obs = true adds them.  The entry points pick one with
 * a single test, observed(), so what watching costs a run that nobody
 * watches is that test on each slow path (none in the interpreter, which
 * tests once per run and calls the __ entries).
 */
static inline bool observed(const struct mmu *m)
{
	return unlikely(mmu_observed(m));
}

/*
 * EV_TLB_HIT, EV_TLB_MISS (@e NULL), EV_TLB_FILL or EV_TLB_EVICT (@e the
 * victim, not yet replaced) of @va in @t for @acc (see docs/events.md).
 */
static __cold __noinline void trace_tlb(struct mmu *m, const struct tlb *t,
					unsigned type, gva_t va,
					enum mmu_access acc,
					const struct tlb_entry *e)
{
	uint32_t vpn = va >> PAGE_SHIFT;
	struct trace_event ev = {
		.type = (uint16_t)type,
		.flags = t->trace_flags | mmu_access_tev(acc),
		.addr = va,
		.str = t->name,
	};
	unsigned i = e ? (unsigned)(e - t->e) : 0;
	gpa_t pa = e ? ((gpa_t)tlb_entry_pfn(e, vpn) << PAGE_SHIFT) |
			       (va & (PAGE_SIZE - 1))
		     : 0;

	if (!trace_on(&m->trace, type))
		return;
	switch (type) {
	case EV_TLB_MISS:
		ev.arg[0] = tlb_set_of(t, vpn);
		ev.arg[1] = cur_tag(m);
		break;
	case EV_TLB_HIT:
		ev.arg[0] = i / t->ways;
		ev.arg[1] = i % t->ways;
		ev.arg[2] = pa;
		ev.arg[3] = e->asid;
		break;
	case EV_TLB_FILL:
		ev.arg[0] = pa;
		ev.arg[1] = i / t->ways;
		ev.arg[2] = i % t->ways;
		ev.arg[3] = e->perm;
		ev.arg[4] = e->level;
		break;
	default: /* EV_TLB_EVICT */
		ev.flags = t->trace_flags;
		ev.addr = (uint64_t)e->vpn << PAGE_SHIFT;
		ev.arg[0] = i / t->ways;
		ev.arg[1] = i % t->ways;
		ev.arg[2] = e->pfn;
		ev.arg[3] = e->asid;
		ev.arg[4] = e->perm;
		break;
	}
	trace_emit(&m->trace, &ev);
}

/*
 * One counted lookup in @t for the page of @va, with the permission check,
 * the hardware A/D update on the first write through a clean entry, and a
 * walk + fill on a miss.  Returns the entry (now its set's MRU) or NULL with
 * m->fault set for @va (the caller counts the fault).
 */
static inline __attribute__((always_inline)) struct tlb_entry *
tlb_translate(struct mmu *m, struct tlb *t, gva_t va, enum mmu_access acc,
	      const bool obs)
{
	static const uint8_t need[] = {
		[ACC_READ] = PTE_R, [ACC_WRITE] = PTE_W, [ACC_EXEC] = PTE_X,
	};
	uint32_t vpn = va >> PAGE_SHIFT;
	struct tlb_entry *e = tlb_lookup(t, vpn, cur_tag(m));
	enum mmu_fault_kind k;
	struct mmu_walk w;
	bool huge;

	if (obs)
		trace_tlb(m, t, e ? EV_TLB_HIT : EV_TLB_MISS, va, acc, e);
	if (e) {
		if (unlikely(!(e->perm & need[acc]))) {
			set_fault(m, va, acc, MMU_FAULT_PROTECTION,
				  pfn_pte(e->pfn, e->perm), e->level);
			return NULL;
		}
		if (acc != ACC_WRITE || (e->perm & PTE_D))
			return e;
		/* first write through a clean entry: the hardware re-walks
		 * to set D in the PTE (and sees any change made to it) */
		k = obs ? mmu_walk(m, va, acc, true, &w)
			: __mmu_walk(m, va, acc, true, &w);
		if (k != MMU_FAULT_NONE)
			goto fault;
		e->perm = (uint8_t)w.pte;
		e->pfn = (uint32_t)(w.pa >> PAGE_SHIFT) -
			 (e->huge ? vpn - e->vpn : 0);
		return e;
	}

	if (unlikely(m->cost_clock))
		*m->cost_clock += m->cost_tlb_miss;
	k = obs ? mmu_walk(m, va, acc, true, &w)
		: __mmu_walk(m, va, acc, true, &w);
	if (k != MMU_FAULT_NONE)
		goto fault;
	huge = w.level < m->geo->nr_levels - 1;
	if (obs) {
		const struct tlb_entry *v = huge ? tlb_victim_huge(t, vpn)
						 : tlb_victim(t, vpn);

		if (v->valid)
			trace_tlb(m, t, EV_TLB_EVICT, va, acc, v);
	}
	if (unlikely(huge))
		e = tlb_fill_huge(t, vpn, cur_tag(m),
				  (uint32_t)(w.pa >> PAGE_SHIFT),
				  (uint8_t)w.pte, (uint8_t)w.level);
	else
		e = tlb_fill(t, vpn, cur_tag(m),
			     (uint32_t)(w.pa >> PAGE_SHIFT), (uint8_t)w.pte,
			     (uint8_t)w.level);
	if (obs)
		trace_tlb(m, t, EV_TLB_FILL, va, acc, e);
	if (unlikely(m->on_fill))
		m->on_fill(m->fill_arg, vpn);
	return e;
fault:
	set_fault(m, va, acc, k, w.pte, w.level);
	return NULL;
}

/*
 * Translate one page for a data access and install the set's mirrors.
 * Returns the host address of @va or NULL with m->fault set.
 */
static inline __attribute__((always_inline)) uint8_t *
data_translate(struct mmu *m, gva_t va, enum mmu_access acc, const bool obs)
{
	struct tlb_entry *e = tlb_translate(m, &m->dtlb, va, acc, obs);
	uint32_t set = (va >> PAGE_SHIFT) & m->dmask;
	gva_t base = va & PAGE_MASK;
	uint8_t *page;
	unsigned perm;	/* what the mirrors may allow */
	pfn_t pfn;

	if (!e)
		return NULL;
	perm = e->perm;
	pfn = tlb_entry_pfn(e, va >> PAGE_SHIFT);
	page = phys_frame(m->phys, pfn);
	if (unlikely(e->huge)) {
		m->fast_hsrc[set] = (uint16_t)tlb_huge_set_of(&m->dtlb,
							      va >> PAGE_SHIFT);
		m->huge_mirrors = true;
	} else {
		m->fast_hsrc[set] = MMU_HSRC_NONE;
	}
	assert(page); /* the walker only accepts frames inside RAM */
	if (obs && m->no_mirror) {
		unsigned ok = mmu_mirrors_allowed(m, base);

		if (!(ok & MMU_WATCH_READ))
			perm &= ~PTE_R;
		if (!(ok & MMU_WATCH_WRITE))
			perm &= ~PTE_W;
	}
	if (perm & PTE_R) {
		m->fast_r[set].tag = base;
		m->fast_r[set].addend = (uintptr_t)page - base;
	} else {
		m->fast_r[set] = fast_invalid;
	}
	if (acc == ACC_WRITE)
		code_written(m, pfn);
	/* No write mirror into a frame with decoded code, even after a
	 * read: every store there must reach the slow path and drop it. */
	if ((perm & (PTE_W | PTE_D)) == (PTE_W | PTE_D) &&
	    !(m->code.mark && m->code.mark[pfn])) {
		m->fast_w[set].tag = base;
		m->fast_w[set].addend = (uintptr_t)page - base;
	} else {
		m->fast_w[set] = fast_invalid;
	}
	return page + (va & (PAGE_SIZE - 1));
}

/*
 * Common body of the slow load and store: translate every page the access
 * touches before moving a byte, so that a fault on the second page of a
 * crossing store leaves memory untouched.  On return @h[0..1] hold the host
 * addresses of the two parts and *first the length of the first part.
 */
static inline __attribute__((always_inline)) int
data_access(struct mmu *m, gva_t va, unsigned size, enum mmu_access acc,
	    uint8_t *h[2], unsigned *first, const bool obs)
{
	unsigned off = va & (PAGE_SIZE - 1);

	if (va & (size - 1))
		m->st.misaligned++;
	h[0] = data_translate(m, va, acc, obs);
	if (!h[0])
		goto fault;
	if (likely(off + size <= PAGE_SIZE)) {
		*first = size;
	} else {
		*first = PAGE_SIZE - off;
		h[1] = data_translate(m, va + *first, acc, obs);
		if (!h[1])
			goto fault;
	}
	if (obs && m->watch.nr)
		mmu_watch_access(m, va, size, acc);
	return 0;
fault:
	m->st.faults++;
	return -1;
}

static __noinline int data_access_obs(struct mmu *m, gva_t va, unsigned size,
				      enum mmu_access acc, uint8_t *h[2],
				      unsigned *first)
{
	return data_access(m, va, size, acc, h, first, true);
}

static inline __attribute__((always_inline)) void *
data_ptr(struct mmu *m, gva_t va, unsigned size, enum mmu_access acc,
	 const bool obs)
{
	uint8_t *p;

	if (va & (size - 1))
		m->st.misaligned++;
	p = data_translate(m, va, acc, obs);
	if (unlikely(!p))
		m->st.faults++;
	else if (obs && m->watch.nr)
		mmu_watch_access(m, va, size, acc);
	return p;
}

static __noinline void *data_ptr_obs(struct mmu *m, gva_t va, unsigned size,
				     enum mmu_access acc)
{
	return data_ptr(m, va, size, acc, true);
}

void *mmu_data_ptr(struct mmu *m, gva_t va, unsigned size,
		   enum mmu_access acc)
{
	if (observed(m))
		return data_ptr_obs(m, va, size, acc);
	return data_ptr(m, va, size, acc, false);
}

void *__mmu_data_ptr(struct mmu *m, gva_t va, unsigned size,
		     enum mmu_access acc)
{
	return data_ptr(m, va, size, acc, false);
}

int mmu_load_slow(struct mmu *m, gva_t va, void *out, unsigned size)
{
	uint8_t *h[2];
	unsigned first;
	int r;

	if (observed(m))
		r = data_access_obs(m, va, size, ACC_READ, h, &first);
	else
		r = data_access(m, va, size, ACC_READ, h, &first, false);
	if (r)
		return -1;
	memcpy(out, h[0], first);
	if (first < size)
		memcpy((uint8_t *)out + first, h[1], size - first);
	return 0;
}

int mmu_store_slow(struct mmu *m, gva_t va, const void *in, unsigned size)
{
	uint8_t *h[2];
	unsigned first;
	int r;

	if (observed(m))
		r = data_access_obs(m, va, size, ACC_WRITE, h, &first);
	else
		r = data_access(m, va, size, ACC_WRITE, h, &first, false);
	if (r)
		return -1;
	memcpy(h[0], in, first);
	if (first < size)
		memcpy(h[1], (const uint8_t *)in + first, size - first);
	return 0;
}

int mmu_fetch_page(struct mmu *m, gva_t va, const uint8_t **page)
{
	pfn_t pfn;

	return mmu_fetch_frame(m, va, page, &pfn);
}

static inline __attribute__((always_inline)) int
fetch_frame(struct mmu *m, gva_t va, const uint8_t **page, pfn_t *pfn,
	    const bool obs)
{
	struct tlb_entry *e = tlb_translate(m, &m->itlb, va, ACC_EXEC, obs);
	uint32_t set = (va >> PAGE_SHIFT) & m->imask;
	gva_t base = va & PAGE_MASK;
	uint8_t *host;

	if (!e) {
		m->st.faults++;
		return -1;
	}
	*pfn = tlb_entry_pfn(e, va >> PAGE_SHIFT);
	host = phys_frame(m->phys, *pfn);
	assert(host);
	/* no fetch mirror from a huge entry (it would sit in another set) */
	if ((!obs || !m->fast_off) && !e->huge) {
		m->fast_x[set].tag = base;
		m->fast_x[set].addend = (uintptr_t)host - base;
	} else {
		m->fast_x[set] = fast_invalid;
	}
	*page = host;
	return 0;
}

static __noinline int fetch_frame_obs(struct mmu *m, gva_t va,
				      const uint8_t **page, pfn_t *pfn)
{
	return fetch_frame(m, va, page, pfn, true);
}

int mmu_fetch_frame(struct mmu *m, gva_t va, const uint8_t **page,
		    pfn_t *pfn)
{
	if (observed(m))
		return fetch_frame_obs(m, va, page, pfn);
	return fetch_frame(m, va, page, pfn, false);
}

int __mmu_fetch_frame(struct mmu *m, gva_t va, const uint8_t **page,
		      pfn_t *pfn)
{
	return fetch_frame(m, va, page, pfn, false);
}

void mmu_tlb_stats(const struct mmu *m, bool itlb, struct tlb_stats *out)
{
	*out = itlb ? m->itlb.st : m->dtlb.st;
	out->accesses += itlb ? m->i_fast_hits : m->d_fast_hits;
}
