/*
 * The decoded-instruction cache (src/cpu/icache.h): a frame is decoded
 * once; every way its bytes can change -- a guest store, the kernel
 * reusing the frame, a debugger's mmu_phys_write(), FENCE.I -- makes the
 * hart execute the new bytes; breakpoint patches never show in memory and
 * come off leaving the slot as it was.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/icache.h"
#include "vm_harness.h"

#define CODE 0x10000u
#define DATA 0x20000u
#define URX (PTE_V | PTE_R | PTE_X | PTE_U)
#define URWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U)
#define URW (PTE_V | PTE_R | PTE_W | PTE_U)

enum { A0 = 10, A1 = 11, S0 = 8 };

#define ADDI(rd, rs1, imm) \
	(((uint32_t)(imm) & 0xfff) << 20 | (rs1) << 15 | (rd) << 7 | 0x13u)
#define SW(rs2, rs1, imm)                                                  \
	((((uint32_t)(imm) >> 5) & 0x7f) << 25 | (rs2) << 20 | (rs1) << 15 | \
	 2u << 12 | ((uint32_t)(imm) & 0x1f) << 7 | 0x23u)
#define ECALL 0x00000073u
#define FENCE_I 0x0000100fu

static struct vmh h;
static struct cpu c;

static void setup(void)
{
	cr_assert_eq(vmh_init(&h, PAGING_PAE), 0);
	cr_assert_eq(vmh_map(&h, CODE, PAGE_SIZE, URWX), 0);
	cr_assert_eq(vmh_map(&h, DATA, PAGE_SIZE, URW), 0);
	cpu_init(&c, &h.mmu, CODE);
}

static void teardown(void)
{
	vmh_destroy(&h);
}

TestSuite(icache, .init = setup, .fini = teardown);

static void put(gva_t va, uint32_t insn)
{
	memcpy(vmh_host(&h, va), &insn, 4);
}

static pfn_t frame_of(gva_t va)
{
	struct mmu_probe p;

	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, va, ACC_EXEC, &p), 0);
	return p.pa >> PAGE_SHIFT;
}

static struct ic_block *block_of(pfn_t pfn)
{
	struct ic_block *b = icache_of(&h.mmu)->b[pfn % IC_BLOCKS];

	return b && b->pfn == pfn ? b : NULL;
}

/* a0 += 1, a0 += 2, ecall: run from CODE and return a0's gain */
static uint32_t run_from_code(void)
{
	uint32_t before = c.x[A0];

	c.pc = CODE;
	cr_assert_eq(cpu_run(&c, 1000), TRAP_ECALL, "stopped at 0x%x", c.pc);
	return c.x[A0] - before;
}

Test(icache, decodes_a_frame_once)
{
	put(CODE, ADDI(A0, A0, 1));
	put(CODE + 4, ADDI(A0, A0, 2));
	put(CODE + 8, ECALL);
	cr_expect_eq(run_from_code(), 3);
	struct icache *ic = icache_of(&h.mmu);
	pfn_t pfn = frame_of(CODE);
	struct ic_block *b = block_of(pfn);
	cr_assert_not_null(b);
	cr_expect(b->marked);
	cr_expect_eq(h.mmu.code.mark[pfn], 1);
	cr_expect_eq(ic->decoded, 3);
	cr_expect_eq(b->s[0].run, 3);
	cr_expect_eq(b->s[2].run, 2);
	cr_expect_eq(b->s[4].run, 1);
	/* again and again: nothing decoded any more */
	for (int i = 0; i < 5; i++)
		cr_expect_eq(run_from_code(), 3);
	cr_expect_eq(ic->decoded, 3);
	/* a jump into the middle of the run decodes nothing either */
	c.pc = CODE + 4;
	cr_expect_eq(cpu_run(&c, 1000), TRAP_ECALL);
	cr_expect_eq(ic->decoded, 3);
}

Test(icache, a_store_to_the_code_drops_it)
{
	/* the program rewrites its own third instruction, no fence.i */
	c.x[S0] = CODE + 8;
	c.x[A1] = ADDI(A0, A0, 40);
	put(CODE, SW(A1, S0, 0));
	put(CODE + 4, ADDI(A0, A0, 1));
	put(CODE + 8, ADDI(A0, A0, 2));		/* rewritten */
	put(CODE + 12, ECALL);
	cr_expect_eq(run_from_code(), 41);
	/* the store reached the slow path: the frame has no write mirror */
	pfn_t pfn = frame_of(CODE);
	struct icache *ic = icache_of(&h.mmu);
	cr_expect_geq(ic->clears, 1);
	cr_expect_neq(h.mmu.fast_w[(CODE >> PAGE_SHIFT) & h.mmu.dmask].tag,
		      CODE);
	cr_expect_eq(h.mmu.code.mark[pfn], 1);	/* decoded again */
	uint64_t clears = ic->clears;
	/* a data store drops nothing */
	c.x[S0] = DATA;
	cr_expect_eq(run_from_code(), 41);
	cr_expect_eq(ic->clears, clears);
}

Test(icache, frame_reuse_decodes_the_new_bytes)
{
	put(CODE, ADDI(A0, A0, 1));
	put(CODE + 4, ECALL);
	cr_expect_eq(run_from_code(), 1);
	/* the kernel reuses the frame for other code, writing it directly
	 * (a COW copy, a page-cache read...): no MMU store */
	uint32_t insn = ADDI(A0, A0, 7);
	memcpy(vmh_host(&h, CODE), &insn, 4);
	cr_expect_eq(run_from_code(), 7);
	/* or maps the page to another frame holding other code */
	pfn_t old = frame_of(CODE);
	cr_assert_eq(vmh_map(&h, CODE, PAGE_SIZE, URX), 0);
	cr_assert_neq(frame_of(CODE), old);
	put(CODE, ADDI(A0, A0, 20));
	put(CODE + 4, ECALL);
	cr_expect_eq(run_from_code(), 20);
	cr_expect_not_null(block_of(frame_of(CODE)));
}

Test(icache, a_debugger_write_drops_it)
{
	put(CODE, ADDI(A0, A0, 1));
	put(CODE + 4, ECALL);
	cr_expect_eq(run_from_code(), 1);
	pfn_t pfn = frame_of(CODE);
	struct icache *ic = icache_of(&h.mmu);
	uint64_t clears = ic->clears, decoded = ic->decoded;
	uint32_t insn = ADDI(A0, A0, 5);
	cr_assert_eq(mmu_phys_write(&h.mmu, (gpa_t)pfn << PAGE_SHIFT, &insn,
				    4), 0);
	cr_expect_eq(ic->clears, clears + 1);
	cr_expect_not(block_of(pfn)->marked);
	cr_expect_eq(h.mmu.code.mark[pfn], 0);
	cr_expect_eq(run_from_code(), 5);
	cr_expect_eq(ic->decoded, decoded + 2);
}

Test(icache, fence_i_clears_every_block)
{
	put(CODE, ADDI(A0, A0, 1));
	put(CODE + 4, FENCE_I);
	put(CODE + 8, ECALL);
	struct icache *ic = icache_of(&h.mmu);
	cr_expect_eq(run_from_code(), 1);
	uint64_t decoded = ic->decoded;
	cr_expect_eq(run_from_code(), 1);
	/* the fence.i made the ecall's run decode again, each time */
	cr_expect_gt(ic->decoded, decoded);
}

Test(icache, eviction_of_a_block_unmarks_its_frame)
{
	/* two code frames IC_BLOCKS apart share a block */
	gva_t other = CODE + 0x100000;
	put(CODE, ADDI(A0, A0, 1));
	put(CODE + 4, ECALL);
	pfn_t f = frame_of(CODE);
	cr_assert_eq(run_from_code(), 1);
	/* map @other to frame f + IC_BLOCKS by hand */
	cr_assert_eq(vmh_map(&h, other, PAGE_SIZE, URX), 0);
	struct mmu_probe p;
	cr_assert_eq(mmu_probe(&h.mmu, h.mmu.root, other, ACC_EXEC, &p), 0);
	pt_write(h.mmu.geo, h.phys.ram + p.lv[p.nr_levels - 1].entry_pa,
		 pfn_pte(f + IC_BLOCKS, URX));
	mmu_flush_page(&h.mmu, other);
	uint32_t code2[2] = { ADDI(A0, A0, 9), ECALL };
	cr_assert_eq(mmu_phys_write(&h.mmu, (gpa_t)(f + IC_BLOCKS)
					    << PAGE_SHIFT, code2, 8), 0);
	c.pc = other;
	cr_assert_eq(cpu_run(&c, 100), TRAP_ECALL);
	cr_expect_eq(c.x[A0], 10);
	cr_expect_null(block_of(f));
	cr_expect_eq(h.mmu.code.mark[f], 0);
	cr_expect_eq(h.mmu.code.mark[f + IC_BLOCKS], 1);
	cr_expect_eq(run_from_code(), 1);
}

Test(icache, breakpoint_patches_come_off_clean)
{
	put(CODE, ADDI(A0, A0, 1));
	put(CODE + 4, ADDI(A0, A0, 2));
	put(CODE + 8, ECALL);
	cr_expect_eq(run_from_code(), 3);
	pfn_t pfn = frame_of(CODE);
	struct icache *ic = icache_of(&h.mmu);
	struct ic_block *b = block_of(pfn);
	struct ic_slot before[6];
	memcpy(before, b->s, sizeof(before));
	struct ic_bp bp = { pfn, 4 };
	icache_set_breakpoints(ic, &bp, 1);
	cr_expect_eq(b->s[2].op, XOP_BKPT);
	cr_expect_eq(b->s[2].bp_op, before[2].op);
	cr_expect_eq(b->s[2].run, before[2].run);
	/* memory holds the program's bytes, not a trap */
	uint32_t word;
	memcpy(&word, vmh_host(&h, CODE + 4), 4);
	cr_expect_eq(word, ADDI(A0, A0, 2));
	icache_set_breakpoints(ic, NULL, 0);
	cr_expect_eq(memcmp(before, b->s, sizeof(before)), 0);
	/* a patch set before decoding is applied when decoding */
	memcpy(vmh_host(&h, CODE + 12), &word, 4);	/* changes the frame */
	icache_set_breakpoints(ic, &bp, 1);
	c.pc = CODE;
	cr_expect_eq(cpu_run(&c, 1000), TRAP_BREAKPOINT);
	cr_expect_eq(c.pc, CODE + 4);
	icache_set_breakpoints(ic, NULL, 0);
	cr_expect_eq(b->s[2].op, before[2].op);
}
