/*
 * Workingset detection (Linux mm/workingset.c), simplified.
 *
 * When reclaim evicts a page it leaves a shadow: the eviction "age" (a
 * counter of evictions and activations, Linux's nonresident_age) and
 * whether the page was in the workingset.  When the same file page or swap
 * slot faults back in, the refault distance (age now - age at eviction)
 * says how much memory it would have needed to stay: when that fits in
 * the active lists the page is activated at once (workingset_activate_*),
 * and counted as a restore if it was part of the workingset before.
 *
 * Linux keeps shadows in the page-cache tree; here they live in a small
 * direct-mapped table on the host, keyed by (device, inode, index) for file
 * pages and (swap type, offset) for anonymous ones: a collision forgets a
 * shadow (a refault then counts as a first fault), never invents one.
 */
#include <stdlib.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/swap.h"

#define WS_BITS 14
#define WS_SIZE (1u << WS_BITS)
#define WS_WORKINGSET (1ull << 63)	/* in age: PG_workingset at eviction */

struct ws_shadow {
	uint64_t key;	/* 0 = empty */
	uint64_t age;	/* eviction age | WS_WORKINGSET */
};

struct workingset {
	uint64_t age;			/* nonresident_age */
	struct ws_shadow table[WS_SIZE];
};

static struct ws_shadow *ws_slot(struct workingset *ws, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;

	return &ws->table[h >> (64 - WS_BITS)];
}

uint64_t workingset_file_key(uint64_t dev, uint64_t ino, unsigned long index)
{
	uint64_t h = (dev * 0xbf58476d1ce4e5b9ull) ^ (ino * 0x94d049bb133111ebull);

	return ((h ^ index) << 1) | 1; /* odd: file */
}

uint64_t workingset_anon_key(pte_t entry)
{
	return (uint64_t)entry << 1; /* even, never 0: swap entries are not */
}

void workingset_age(struct kernel *k)
{
	if (k->workingset)
		k->workingset->age++;
}

void workingset_eviction(struct kernel *k, struct page *page, uint64_t key)
{
	struct workingset *ws = k->workingset;

	if (!ws) {
		ws = k->workingset = calloc(1, sizeof(*ws));
		if (!ws)
			return; /* shadows are an optimisation */
	}
	struct ws_shadow *s = ws_slot(ws, key);
	/* The age counts this eviction first, as Linux's workingset_eviction
	 * does: the last page evicted refaults at distance 0. */
	ws->age++;
	s->key = key;
	s->age = (ws->age & ~WS_WORKINGSET) |
		 (PageWorkingset(page) ? WS_WORKINGSET : 0);
}

void workingset_forget(struct kernel *k, uint64_t key)
{
	struct ws_shadow *s;

	if (k->workingset && (s = ws_slot(k->workingset, key))->key == key)
		s->key = 0;
}

bool workingset_refault(struct kernel *k, struct page *page, uint64_t key,
			bool file)
{
	struct workingset *ws = k->workingset;
	struct pglist_data *pgdat = page_pgdat(&k->mem, page);
	struct ws_shadow *s;
	unsigned long wss;

	if (!ws || (s = ws_slot(ws, key))->key != key)
		return false;
	uint64_t distance = (ws->age - s->age) & ~WS_WORKINGSET;
	bool was_workingset = s->age & WS_WORKINGSET;

	s->key = 0;
	mod_node_page_state(&k->mem, page,
			    file ? WORKINGSET_REFAULT_FILE
				 : WORKINGSET_REFAULT_ANON, 1);
	/* What the page competes with to stay (Linux's workingset_size). */
	wss = node_page_state(pgdat, NR_ACTIVE_FILE);
	if (!file)
		wss += node_page_state(pgdat, NR_INACTIVE_FILE);
	if (nr_free_swap_pages(k) > 0) {
		wss += node_page_state(pgdat, NR_ACTIVE_ANON);
		if (file)
			wss += node_page_state(pgdat, NR_INACTIVE_ANON);
	}
	if (distance > wss)
		return false;
	mod_node_page_state(&k->mem, page,
			    file ? WORKINGSET_ACTIVATE_FILE
				 : WORKINGSET_ACTIVATE_ANON, 1);
	ws->age++;
	SetPageWorkingset(page);
	if (was_workingset)
		mod_node_page_state(&k->mem, page,
				    file ? WORKINGSET_RESTORE_FILE
					 : WORKINGSET_RESTORE_ANON, 1);
	return true;
}

void workingset_shutdown(struct kernel *k)
{
	free(k->workingset);
	k->workingset = NULL;
}
