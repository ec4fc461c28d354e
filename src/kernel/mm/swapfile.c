/*
 * Swap entries in page tables.
 *
 * No swap device exists in this version (--swap arrives with reclaim), so
 * no PTE ever holds a swap entry: finding one is a kernel bug, reported as
 * such rather than silently ignored.
 */
#include "kernel/lib/bug.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/swap.h"

void swap_free_entry(struct kernel *k, pte_t entry)
{
	kernel_bug(k, "swap entry %#llx without a swap device",
		   (unsigned long long)entry);
}

int swap_duplicate(struct kernel *k, pte_t entry)
{
	kernel_bug(k, "swap entry %#llx without a swap device",
		   (unsigned long long)entry);
}
