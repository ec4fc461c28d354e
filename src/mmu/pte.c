/*
 * The two page-table geometries described in pte.h.
 */
#include "mmu/pte.h"

const struct pt_geometry pt_geometry_pae = PT_GEOMETRY_PAE_INIT;
const struct pt_geometry pt_geometry_sv32 = PT_GEOMETRY_SV32_INIT;

const struct pt_geometry *pt_geometry(enum paging_mode mode)
{
	return mode == PAGING_SV32 ? &pt_geometry_sv32 : &pt_geometry_pae;
}
