/*
 * Reverse mapping (mm/rmap.c): the owner side of a user page.
 */
#ifndef MMULAB_KERNEL_MM_RMAP_H
#define MMULAB_KERNEL_MM_RMAP_H

#include "kernel/mm/mm_types.h"

struct kernel;

/* ---- rmap.c ------------------------------------------------------------- */
/* Drop a reference to a user page; the last one frees it (and, for an
 * anonymous page, its hold on the anon_vma). */
void release_page(struct kernel *k, struct page *page);

#endif
