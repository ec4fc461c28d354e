/*
 * The LRU lists: every user page (anonymous or page cache) sits on one of
 * inactive/active anon/file or unevictable, and the node counters
 * (Active(anon), Inactive(file), ... in meminfo) follow the list sizes.
 * New pages start inactive, as Linux's folio_add_lru does; reclaim (a
 * later layer) ages them.
 */
#include "kernel/kernel/sched.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/replace.h"
#include "kernel/mm/swap.h"

static const enum node_stat_item lru_stat[NR_LRU_LISTS] = {
	NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE, NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
};

static enum lru_list page_lru(const struct page *page)
{
	if (PageUnevictable(page))
		return LRU_UNEVICTABLE;
	bool file = !PageSwapBacked(page);
	bool active = PageActive(page);

	return file ? (active ? LRU_ACTIVE_FILE : LRU_INACTIVE_FILE)
		    : (active ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON);
}

/* Node and zone counters of list @l move together, as in Linux. */
static void lru_account(struct kernel *k, struct page *page, enum lru_list l,
			long delta)
{
	mod_node_page_state(&k->mem, page, lru_stat[l], delta);
	mod_zone_page_state(page_zone(&k->mem, page),
			    (enum zone_stat_item)(NR_ZONE_LRU_BASE + l), delta);
}

void lru_add_page(struct kernel *k, struct page *page)
{
	enum lru_list l;

	if (PageLRU(page))
		return;
	l = page_lru(page);
	SetPageLRU(page);
	list_add(&page->lru, &page_pgdat(&k->mem, page)->lru[l]);
	lru_account(k, page, l, 1);
	if (k->mem.repl)
		replace_lru_add(k, page);
	if (trace_on(ktrace(k), EV_LRU_ADD))
		trace_emit(ktrace(k), &(struct trace_event){
			.type = EV_LRU_ADD, .flags = TEV_PHYS,
			.addr = page_to_phys(&k->mem, page),
			.arg = { page_to_pfn(&k->mem, page), l } });
}

void lru_del_page(struct kernel *k, struct page *page)
{
	enum lru_list l = page_lru(page);

	list_del_init(&page->lru);
	ClearPageLRU(page);
	lru_account(k, page, l, -1);
}

/* Move @page to the list its flags now call for. */
void lru_move(struct kernel *k, struct page *page, bool unevictable)
{
	bool on = PageLRU(page);

	if (on)
		lru_del_page(k, page);
	if (unevictable)
		SetPageUnevictable(page);
	else
		ClearPageUnevictable(page);
	if (on)
		lru_add_page(k, page);
}
