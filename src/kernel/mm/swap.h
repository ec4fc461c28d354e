/*
 * The LRU lists (mm/swap.c) and swap entries (mm/swapfile.c), as Linux's
 * include/linux/swap.h gathers them.
 */
#ifndef MMULAB_KERNEL_MM_SWAP_H
#define MMULAB_KERNEL_MM_SWAP_H

#include "kernel/mm/mm_types.h"
#include "mmu/pte.h"

struct kernel;

/* ---- lru.c: the LRU lists reclaim will scan ---------------------------- */
/* Put a newly mapped or cached page on its LRU list (inactive first). */
void lru_add_page(struct kernel *k, struct page *page);
/* Take @page off its LRU list (before it is freed). */
void lru_del_page(struct kernel *k, struct page *page);
/* Set or clear PG_unevictable and move @page to the list that calls for. */
void lru_move(struct kernel *k, struct page *page, bool unevictable);

/* ---- swap.c: swap entries (the swap device arrives with reclaim) ------- */
void swap_free_entry(struct kernel *k, pte_t entry);
int swap_duplicate(struct kernel *k, pte_t entry) __must_check;

#endif
