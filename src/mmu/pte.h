/*
 * Page-table entry format and the two page-table geometries.
 *
 * An entry holds RISC-V style bits in its low byte and the page frame number
 * from bit 10 up:
 *
 *   63 (pae) / 31 (sv32)            10  9   8   7 6 5 4 3 2 1 0
 *  +-----------------------------------+---+---+-+-+-+-+-+-+-+-+
 *  |               PFN                 |SPC|PNO|D|A|G|U|X|W|R|V|
 *  +-----------------------------------+---+---+-+-+-+-+-+-+-+-+
 *
 * All zero is "none".  V=0 with bit 8 set is a PROT_NONE page (below); any
 * other non-zero entry with V=0 is a swap entry: type in bits 1..5, offset
 * in the PFN field.  A valid entry with
 * R=W=X=0 points to the next-level table; with any of R/W/X it is a leaf.
 * SPECIAL and PROT_NONE (PNO) are software bits the walker ignores.  There
 * is no COW bit: as in Linux, a page is copy-on-write when its entry is
 * read-only in a writable private vma (do_wp_page decides).
 *
 * Geometries (32-bit virtual addresses, 4 KiB pages):
 *
 *  pae:   31 30 29        21 20        12 11          0     8-byte entries
 *        +-----+------------+------------+-------------+    leaves at PMD
 *        | PGD |    PMD     |    PTE     |   offset    |    (2 MiB) or PTE
 *        +-----+------------+------------+-------------+
 *         2 bits   9 bits       9 bits       12 bits
 *
 *  sv32:  31            22 21          12 11          0     4-byte entries,
 *        +----------------+--------------+-------------+    PMD folded into
 *        |      PGD       |     PTE      |   offset    |    the PGD; leaves
 *        +----------------+--------------+-------------+    at PGD (4 MiB)
 *             10 bits          10 bits       12 bits         or PTE
 *
 * Example (pae): va 0x4020_3123 -> PGD index 1 (bits 31:30), PMD index 1
 * (bits 29:21 = 0x001), PTE index 3 (bits 20:12 = 0x003), offset 0x123.
 */
#ifndef MMULAB_MMU_PTE_H
#define MMULAB_MMU_PTE_H

#include "types.h"

typedef uint64_t pte_t; /* an entry of either geometry, zero-extended */

#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_G (1u << 5)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define PTE_SPECIAL (1u << 9) /* software: no struct page behind it */
/*
 * With V=0, bit 8 marks a page that is present in memory but that its VMA
 * forbids every access to (PROT_NONE), as Linux's _PAGE_PROT_NONE does: the
 * walker faults on it like on any invalid entry, and the kernel keeps the
 * frame.  Swap entries never have it set.
 */
#define PTE_PROT_NONE (1u << 8)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
#define PTE_FLAGS_MASK 0x3ffu
#define PTE_PFN_SHIFT 10

static inline pfn_t pte_pfn(pte_t pte) { return pte >> PTE_PFN_SHIFT; }
static inline bool pte_none(pte_t pte) { return pte == 0; }
static inline bool pte_present(pte_t pte) { return pte & PTE_V; }
static inline bool pte_leaf(pte_t pte) { return (pte & PTE_V) && (pte & PTE_RWX); }
static inline pte_t pfn_pte(pfn_t pfn, uint32_t flags)
{
	return ((pte_t)pfn << PTE_PFN_SHIFT) | flags;
}

/* Swap entries: V=0, type in bits 1..5, offset in the PFN field (never 0). */
#define SWP_TYPE_SHIFT 1
#define SWP_TYPE_MASK 0x1fu
static inline bool pte_protnone(pte_t pte)
{
	return (pte & (PTE_V | PTE_PROT_NONE)) == PTE_PROT_NONE;
}
static inline bool pte_is_swap(pte_t pte)
{
	return !(pte & (PTE_V | PTE_PROT_NONE)) && pte;
}
static inline pte_t swp_entry_pte(unsigned type, uint64_t offset)
{
	return ((pte_t)offset << PTE_PFN_SHIFT) |
	       ((pte_t)(type & SWP_TYPE_MASK) << SWP_TYPE_SHIFT);
}
static inline unsigned swp_type(pte_t pte)
{
	return (unsigned)(pte >> SWP_TYPE_SHIFT) & SWP_TYPE_MASK;
}
static inline uint64_t swp_offset(pte_t pte) { return pte >> PTE_PFN_SHIFT; }

enum paging_mode { PAGING_PAE, PAGING_SV32 };

#define PT_MAX_LEVELS 3

/*
 * One geometry: levels[0] is the root (PGD).  A level translates
 * va bits [shift + bits - 1 : shift]; a leaf there maps 1 << shift bytes.
 */
struct pt_level {
	uint8_t shift;	   /* lowest va bit this level indexes */
	uint8_t bits;	   /* index width */
	bool leaf_ok;	   /* may hold a leaf (huge page at upper levels) */
	const char *name;  /* "pgd", "pmd", "pte" */
};

struct pt_geometry {
	enum paging_mode mode;
	const char *name;	/* "pae" or "sv32" */
	uint8_t nr_levels;	/* 3 or 2 */
	uint8_t entry_size;	/* 8 or 4 bytes */
	uint8_t pfn_bits;	/* usable PFN width: 24 (pae, 64 GiB) or 22 */
	struct pt_level level[PT_MAX_LEVELS];
};

/*
 * The two geometries' contents, here so that the walker can be built once
 * per geometry with every field a constant (walk.c); pte.c defines the
 * objects from the same initializers.
 */
#define PT_GEOMETRY_PAE_INIT {						\
	.mode = PAGING_PAE,						\
	.name = "pae",							\
	.nr_levels = 3,							\
	.entry_size = 8,						\
	.pfn_bits = 24,							\
	.level = {							\
		{ .shift = 30, .bits = 2, .leaf_ok = false, .name = "pgd" }, \
		{ .shift = 21, .bits = 9, .leaf_ok = true, .name = "pmd" }, \
		{ .shift = 12, .bits = 9, .leaf_ok = true, .name = "pte" }, \
	},								\
}

#define PT_GEOMETRY_SV32_INIT {						\
	.mode = PAGING_SV32,						\
	.name = "sv32",							\
	.nr_levels = 2,							\
	.entry_size = 4,						\
	.pfn_bits = 22,							\
	.level = {							\
		{ .shift = 22, .bits = 10, .leaf_ok = true, .name = "pgd" }, \
		{ .shift = 12, .bits = 10, .leaf_ok = true, .name = "pte" }, \
	},								\
}

extern const struct pt_geometry pt_geometry_pae;
extern const struct pt_geometry pt_geometry_sv32;

/* The geometry for @mode. */
const struct pt_geometry *pt_geometry(enum paging_mode mode);

/* Index of @va at level @lvl of @g. */
static inline unsigned pt_index(const struct pt_geometry *g, int lvl, gva_t va)
{
	return (va >> g->level[lvl].shift) & ((1u << g->level[lvl].bits) - 1);
}

/* Read / write the entry at guest physical address @pa (entry_size wide). */
static inline pte_t pt_read(const struct pt_geometry *g, const void *host)
{
	if (g->entry_size == 8) {
		pte_t v;
		__builtin_memcpy(&v, host, 8);
		return v;
	}
	uint32_t v;
	__builtin_memcpy(&v, host, 4);
	return v;
}

static inline void pt_write(const struct pt_geometry *g, void *host, pte_t v)
{
	if (g->entry_size == 8) {
		__builtin_memcpy(host, &v, 8);
	} else {
		uint32_t w = (uint32_t)v;
		__builtin_memcpy(host, &w, 4);
	}
}

#endif
