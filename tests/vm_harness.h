/*
 * A tiny page-table builder for unit tests: 16 MiB of guest RAM, an MMU with
 * the default TLBs, and a bump allocator handing out zeroed frames from
 * 2 MiB up for page tables and mapped pages.  It plays the kernel's part
 * (building tables, flushing after a change) without the kernel.
 */
#ifndef MMULAB_TESTS_VM_HARNESS_H
#define MMULAB_TESTS_VM_HARNESS_H

#include "mmu/mmu.h"

struct vmh {
	struct phys phys;
	struct mmu mmu;
	pfn_t next_free; /* next frame the bump allocator hands out */
};

/* RAM, MMU (default config with @mode) and an empty root table installed
 * with mmu_set_root(root, 0).  Returns 0 or -1. */
int vmh_init(struct vmh *h, enum paging_mode mode);

/* Map [va, va + len) page by page to fresh zeroed frames with @pte_flags
 * (e.g. PTE_V | PTE_R | PTE_W | PTE_U), creating tables as needed, and flush
 * those pages from the TLB.  Returns 0 or -1 (out of frames, or a page is
 * already covered by a huge leaf). */
int vmh_map(struct vmh *h, gva_t va, uint32_t len, uint32_t pte_flags);

/* Host pointer to the byte at @va (no permission check), or NULL. */
void *vmh_host(struct vmh *h, gva_t va);

/* Replace the flags of @va's 4 KiB leaf, keeping its frame, and flush the
 * page.  Returns 0 or -1 when @va is not mapped by a 4 KiB leaf. */
int vmh_protect(struct vmh *h, gva_t va, uint32_t pte_flags);

void vmh_destroy(struct vmh *h);

#endif
