/*
 * Private to src/mmu/: what watch.c and mmu.c share about the mirrors.
 */
#ifndef MMULAB_MMU_WATCH_H
#define MMULAB_MMU_WATCH_H

#include "mmu/mmu.h"

/*
 * The mirrors the page at @base may have while m->no_mirror is set: a set
 * of MMU_WATCH_READ (fast_r) and MMU_WATCH_WRITE (fast_w).  None with the
 * mirrors off; otherwise all but those of the watches on the page.
 */
unsigned mmu_mirrors_allowed(const struct mmu *m, gva_t base);

/* Drop the mirrors of @va's page in the current address space. */
void mmu_drop_page_mirrors(struct mmu *m, gva_t va);

#endif
