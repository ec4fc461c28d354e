/*
 * Page replacement policies other than Linux's two lists (replace.h and
 * docs/architecture.md, "Replacement policies").  Host-side state only:
 * struct page lives in guest memory and does not grow, so the default
 * run's memory map is the same byte for byte.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/replace.h"
#include "kernel/mm/swap.h"

struct repl_state {
	int policy;		/* enum repl_policy, never REPL_LRU2 */
	int scope;		/* enum repl_scope */
	uint32_t clock;		/* last load stamp handed out */
	uint32_t tick;		/* lru: scheduler ticks sampled */
	uint64_t rng;		/* random: splitmix64 state from --seed */
	uint32_t *stamp;	/* per pfn: load (fifo) or clock order; 0 =
				 * not on an LRU list since allocated */
	uint32_t *last;		/* per pfn (lru): tick of last reference */
};

static const char *const policy_names[NR_REPL_POLICIES] = {
	[REPL_LRU2] = "lru2", [REPL_CLOCK] = "clock", [REPL_FIFO] = "fifo",
	[REPL_LRU] = "lru", [REPL_RANDOM] = "random",
};

static const char *const scope_names[] = {
	[REPL_GLOBAL] = "global", [REPL_LOCAL_EQUAL] = "local:equal",
	[REPL_LOCAL_PROPORTIONAL] = "local:proportional",
};

const char *repl_policy_name(int policy)
{
	return policy >= 0 && policy < NR_REPL_POLICIES ? policy_names[policy]
							: "?";
}

int repl_policy_parse(const char *name)
{
	for (int i = 0; i < NR_REPL_POLICIES; i++)
		if (!strcmp(name, policy_names[i]))
			return i;
	return -1;
}

const char *repl_scope_name(int scope)
{
	return scope >= 0 && scope < (int)ARRAY_SIZE(scope_names)
		       ? scope_names[scope]
		       : "?";
}

int repl_scope_parse(const char *name)
{
	if (!strcmp(name, "local"))
		return REPL_LOCAL_EQUAL;
	for (int i = 0; i < (int)ARRAY_SIZE(scope_names); i++)
		if (!strcmp(name, scope_names[i]))
			return i;
	return -1;
}

int replace_init(struct kernel *k)
{
	struct repl_state *r;
	size_t n = k->mem.nr_frames;

	if (k->cfg.repl_policy == REPL_LRU2 ||
	    k->cfg.repl_policy >= NR_REPL_POLICIES)
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->policy = k->cfg.repl_policy;
	r->scope = k->cfg.repl_scope;
	r->rng = k->cfg.seed ^ 0x5265706c61636521ull; /* "Replace!" */
	r->stamp = calloc(n, sizeof(*r->stamp));
	r->last = calloc(n, sizeof(*r->last));
	if (!r->stamp || !r->last) {
		free(r->stamp);
		free(r->last);
		free(r);
		return -ENOMEM;
	}
	k->mem.repl = r;
	printk(k->log, "Page replacement: %s, %s\n", policy_names[r->policy],
	       scope_names[r->scope]);
	return 0;
}

void replace_free(struct kernel *k)
{
	struct repl_state *r = k->mem.repl;

	if (!r)
		return;
	free(r->stamp);
	free(r->last);
	free(r);
	k->mem.repl = NULL;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void replace_lru_add(struct kernel *k, struct page *page)
{
	struct repl_state *r = k->mem.repl;
	pfn_t pfn = page_to_pfn(&k->mem, page);

	if (r->stamp[pfn])
		return;		/* back from isolation: keeps its place */
	r->stamp[pfn] = ++r->clock;
	r->last[pfn] = r->tick;
}

void replace_page_alloc(struct memory *mem, pfn_t pfn, unsigned order)
{
	struct repl_state *r = mem->repl;

	for (pfn_t i = 0; i < (1u << order) && pfn + i < mem->nr_frames; i++)
		r->stamp[pfn + i] = 0;
}

/* Used since the last look: an A bit in a PTE mapping it (cleared, and
 * the TLB entry flushed, by page_referenced) or PG_referenced (a read()
 * through the page cache, mark_page_accessed). */
static bool page_used(struct kernel *k, struct page *page)
{
	unsigned long vm_flags;
	bool used = page_referenced(k, page, &vm_flags) > 0;

	return TestClearPageReferenced(page) || used;
}

static const enum lru_list evictable[] = {
	LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
};

void replace_tick(struct kernel *k)
{
	struct repl_state *r = k->mem.repl;
	struct page *page;

	if (r->policy != REPL_LRU)
		return;
	r->tick++;
	for (int n = 0; n < k->mem.nr_nodes; n++) {
		struct pglist_data *pgdat = k->mem.node[n];

		for (size_t l = 0; l < ARRAY_SIZE(evictable); l++)
			list_for_each_entry(page, &pgdat->lru[evictable[l]],
					    lru)
				if (page_used(k, page))
					r->last[page_to_pfn(&k->mem, page)] =
						r->tick;
	}
}

struct cand {
	uint64_t key;
	struct page *page;
};

struct cands {
	struct cand *v;
	size_t n, cap;
	struct pglist_data *pgdat;
	bool anon_ok;
};

static bool cand_ok(struct kernel *k, struct cands *c, struct page *page)
{
	bool anon = PageAnon(page) || PageSwapCache(page);

	if (!PageLRU(page) || PageUnevictable(page))
		return false;
	if (page_pgdat(&k->mem, page) != c->pgdat)
		return false;
	if (PageSwapBacked(page) && !anon)
		return false;	/* shmem: not reclaimed in this version */
	return !anon || c->anon_ok;
}

static int cand_add(struct kernel *k, struct cands *c, struct page *page)
{
	struct repl_state *r = k->mem.repl;
	pfn_t pfn = page_to_pfn(&k->mem, page);
	uint64_t key;

	if (!cand_ok(k, c, page))
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct cand *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	switch (r->policy) {
	case REPL_LRU:
		key = (uint64_t)r->last[pfn] << 32 | r->stamp[pfn];
		break;
	case REPL_RANDOM:
		key = splitmix64(&r->rng);
		break;
	default:
		key = r->stamp[pfn];
		break;
	}
	c->v[c->n++] = (struct cand){ .key = key, .page = page };
	return 0;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* ---- local replacement ------------------------------------------------- */

/* Frames user pages may have: those on the LRU lists and the free ones. */
static unsigned long user_frames(struct kernel *k)
{
	unsigned long n = nr_free_pages(&k->mem);

	for (int i = 0; i < k->mem.nr_nodes; i++)
		for (int l = 0; l < NR_LRU_LISTS; l++)
			n += node_page_state(k->mem.node[i],
					     NR_LRU_BASE + l);
	return n;
}

/* Is @t the first task of its mm (an mm shared by threads counts once)? */
static bool first_of_mm(struct kernel *k, struct task *t)
{
	struct task *o;

	list_for_each_entry(o, &k->tasks, tasks) {
		if (o == t)
			return true;
		if (o->mm == t->mm)
			return false;
	}
	return true;
}

/* The current task's mm when local replacement applies to it now. */
static struct mm *local_mm(struct kernel *k)
{
	struct repl_state *r = k->mem.repl;
	struct task *t = k->current, *o;
	unsigned long nr = 0, vsize = 0, share;

	if (r->scope == REPL_GLOBAL || !t || !t->mm ||
	    t->state == TASK_ZOMBIE)
		return NULL;
	list_for_each_entry(o, &k->tasks, tasks) {
		if (!o->mm || o->state == TASK_ZOMBIE || !first_of_mm(k, o))
			continue;
		nr++;
		vsize += o->mm->total_vm;
	}
	if (!nr)
		return NULL;
	if (r->scope == REPL_LOCAL_PROPORTIONAL && vsize)
		share = (unsigned long)((unsigned long long)user_frames(k) *
					t->mm->total_vm / vsize);
	else
		share = user_frames(k) / nr;
	return get_mm_rss(t->mm) > share ? t->mm : NULL;
}

struct local_arg {
	struct cands *c;
	int err;
};

static void local_pte(struct kernel *k, pte_slot_t slot, gva_t addr,
		      pte_t pte, void *arg)
{
	struct local_arg *la = arg;

	(void)slot;
	(void)addr;
	if (!pte_present(pte) || (pte & PTE_SPECIAL) || la->err)
		return;
	if (pte_pfn(pte) >= k->mem.nr_frames)
		return;
	if (cand_add(k, la->c, pfn_to_page(&k->mem, pte_pfn(pte))) < 0)
		la->err = -1;
}

/* ---- choosing the victims ---------------------------------------------- */

unsigned long replace_isolate(struct kernel *k, struct pglist_data *pgdat,
			      bool anon_ok, unsigned long nr,
			      struct list_head *dst, unsigned long scanned[2])
{
	struct repl_state *r = k->mem.repl;
	struct cands c = { .pgdat = pgdat, .anon_ok = anon_ok };
	struct mm *mm = local_mm(k);
	unsigned long taken = 0;
	struct page *page;

	scanned[0] = scanned[1] = 0;
	if (r->policy == REPL_LRU)
		replace_tick(k);	/* recency as of now */
	if (mm) {
		struct local_arg la = { .c = &c };
		struct vma *vma;

		list_for_each_entry(vma, &mm->vmas, list)
			for_each_pte(k, mm, vma->vm_start, vma->vm_end,
				     local_pte, &la);
		if (la.err)
			goto out;
	}
	if (!c.n) {
		/* Global, or the task has no page here to lose (on another
		 * node, or all unevictable): every page of the node. */
		for (size_t l = 0; l < ARRAY_SIZE(evictable); l++)
			list_for_each_entry(page, &pgdat->lru[evictable[l]],
					    lru)
				if (cand_add(k, &c, page) < 0)
					goto out;
	}
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), cand_cmp);
	/* clock: two turns of the hand at most; the first one clears the A
	 * bits it passes (moving those pages behind the hand). */
	for (int pass = 0; pass < 2 && taken < nr; pass++) {
		for (size_t i = 0; i < c.n && taken < nr; i++) {
			page = c.v[i].page;
			if (!page || !PageLRU(page))
				continue;	/* taken, or mapped twice */
			scanned[PageAnon(page) || PageSwapCache(page)]++;
			if (r->policy == REPL_CLOCK && page_used(k, page)) {
				r->stamp[page_to_pfn(&k->mem, page)] =
					++r->clock;
				continue;
			}
			lru_del_page(k, page);
			list_add_tail(&page->lru, dst);
			c.v[i].page = NULL;
			taken++;
		}
		if (r->policy != REPL_CLOCK)
			break;
	}
out:
	free(c.v);
	return taken;
}
