/*
 * Page replacement policies other than Linux's two-list LRU (--policy,
 * --replacement; docs/architecture.md "Replacement policies").
 *
 * Under --policy lru2 (the default) nothing here runs and reclaim is
 * vmscan.c's active/inactive lists.  Under another policy, vmscan's
 * shrink_node asks replace_isolate() for its victims instead; the LRU
 * lists still hold every page (so meminfo and the counters keep their
 * meaning), the policy only orders them:
 *   fifo    by load order (the stamp a page gets when it enters memory);
 *   clock   by a circular order: the hand (oldest stamp) gives a page
 *           whose Accessed bit is set (found and cleared through the
 *           reverse map, as page_referenced does) a second chance by
 *           moving it behind itself (a new stamp);
 *   lru     by the time of last reference as the kernel can see it: each
 *           time slice (scheduler tick) kswapd samples and clears the
 *           A bits of every page, so recency is exact to the slice, ties
 *           broken by load order;
 *   random  uniformly, from a generator seeded by --seed (its own, so
 *           getrandom's stream does not move).
 * --replacement local:equal|local:proportional: a task that faults (direct
 * reclaim) while holding more than its share of the frames user pages can
 * have loses only its own pages.
 */
#ifndef MMULAB_KERNEL_MM_REPLACE_H
#define MMULAB_KERNEL_MM_REPLACE_H

#include <stdbool.h>

#include "kernel/lib/list.h"
#include "types.h"

struct kernel;
struct memory;
struct page;
struct pglist_data;

enum repl_policy {
	REPL_LRU2,	/* Linux's active/inactive lists (default) */
	REPL_CLOCK,
	REPL_FIFO,
	REPL_LRU,
	REPL_RANDOM,
	NR_REPL_POLICIES,
};

enum repl_scope {
	REPL_GLOBAL,		/* default */
	REPL_LOCAL_EQUAL,	/* share: user frames / processes */
	REPL_LOCAL_PROPORTIONAL, /* share: by virtual size */
};

/* "lru2", "clock", ... and back (-1: unknown). */
const char *repl_policy_name(int policy);
int repl_policy_parse(const char *name);
const char *repl_scope_name(int scope);
int repl_scope_parse(const char *name);

/* At boot: the per-frame state of a policy other than lru2. */
int replace_init(struct kernel *k);
void replace_free(struct kernel *k);

/* A page went on an LRU list (swap.c): a new one gets its load stamp. */
void replace_lru_add(struct kernel *k, struct page *page);

/* A block of 2^@order frames at @pfn was allocated: no page there has a
 * load stamp yet (page_alloc.c). */
void replace_page_alloc(struct memory *mem, pfn_t pfn, unsigned order);

/* The scheduler tick (from kswapd_run): lru samples the A bits. */
void replace_tick(struct kernel *k);

/*
 * Take up to @nr victims off @pgdat's LRU lists, in the policy's order,
 * onto @dst (anonymous ones only when @anon_ok).  Under local replacement
 * the victims come from the current task's pages (the one whose
 * allocation reclaims, or that ran the slice that woke kswapd) when it is
 * above its share.  Returns the number isolated; @scanned[0] (file) and
 * @scanned[1] (anon) get the pages looked at, as Linux's pgscan counts
 * them: the victims, and under clock also the pages the hand passed over
 * because they had been used.
 */
unsigned long replace_isolate(struct kernel *k, struct pglist_data *pgdat,
			      bool anon_ok, unsigned long nr,
			      struct list_head *dst, unsigned long scanned[2]);

#endif
