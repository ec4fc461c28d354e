/*
 * The two page-table geometries described in pte.h.
 */
#include "mmu/pte.h"

const struct pt_geometry pt_geometry_pae = {
	.mode = PAGING_PAE,
	.name = "pae",
	.nr_levels = 3,
	.entry_size = 8,
	.pfn_bits = 24,
	.level = {
		{ .shift = 30, .bits = 2, .leaf_ok = false, .name = "pgd" },
		{ .shift = 21, .bits = 9, .leaf_ok = true, .name = "pmd" },
		{ .shift = 12, .bits = 9, .leaf_ok = true, .name = "pte" },
	},
};

const struct pt_geometry pt_geometry_sv32 = {
	.mode = PAGING_SV32,
	.name = "sv32",
	.nr_levels = 2,
	.entry_size = 4,
	.pfn_bits = 22,
	.level = {
		{ .shift = 22, .bits = 10, .leaf_ok = true, .name = "pgd" },
		{ .shift = 12, .bits = 10, .leaf_ok = true, .name = "pte" },
	},
};

const struct pt_geometry *pt_geometry(enum paging_mode mode)
{
	return mode == PAGING_SV32 ? &pt_geometry_sv32 : &pt_geometry_pae;
}
