/*
 * NUMA memory policies (mm/mempolicy.c) and the pressure averages
 * (kernel/psi.c): the text forms, the system calls' results and errors
 * on a two-node kernel, where the pages land, and the fixed-point
 * averaging of Linux's psi.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kharness.h"
#include "kernel/kernel/psi.h"
#include "kernel/mm/mempolicy.h"

#define P PAGE_SIZE

static struct kh *boot2(void)
{
	struct kh_config c = { .numa_nodes = 2 };

	return kh_boot(&c);
}

/* A scratch page of user memory for masks and results. */
static gva_t scratch(struct kh *h)
{
	gva_t a = kh_mmap_anon(h, 0, P, KH_PROT_RW);

	cr_assert_eq(kh_store32(h, a, 0), 0);
	return a;
}

static uint32_t load(struct kh *h, gva_t a)
{
	uint32_t v;

	cr_assert_eq(kh_load32(h, a, &v), 0);
	return v;
}

Test(mempolicy, parse_str)
{
	struct mempolicy pol;
	char err[128];

	cr_assert_eq(mpol_parse_str("bind:0-1", 2, &pol, err, sizeof(err)), 0);
	cr_assert_eq(pol.mode, MPOL_BIND);
	cr_assert_eq(pol.nodes, 3);
	cr_assert_eq(mpol_parse_str("interleave:1,3", 4, &pol, err,
				    sizeof(err)), 0);
	cr_assert_eq(pol.nodes, 0xa);
	cr_assert_eq(mpol_parse_str("preferred:1", 2, &pol, err, sizeof(err)),
		     0);
	cr_assert_eq(pol.mode, MPOL_PREFERRED);
	cr_assert_eq(mpol_parse_str("local", 2, &pol, err, sizeof(err)), 0);
	cr_assert_eq(pol.mode, MPOL_LOCAL);
	cr_assert_eq(mpol_parse_str("bind:2", 2, &pol, err, sizeof(err)),
		     -EINVAL);
	cr_assert(strstr(err, "node 2 does not exist"), "%s", err);
	cr_assert_eq(mpol_parse_str("preferred:0-1", 2, &pol, err,
				    sizeof(err)), -EINVAL);
	cr_assert_eq(mpol_parse_str("local:0", 2, &pol, err, sizeof(err)),
		     -EINVAL);
	cr_assert_eq(mpol_parse_str("bind:1-0", 2, &pol, err, sizeof(err)),
		     -EINVAL);
	cr_assert_eq(mpol_parse_str("bind:", 2, &pol, err, sizeof(err)),
		     -EINVAL);
	cr_assert_eq(mpol_parse_str("often", 2, &pol, err, sizeof(err)),
		     -EINVAL);
}

Test(mempolicy, to_str)
{
	struct mempolicy pol = { 0 };
	char buf[64];

	mpol_to_str(buf, sizeof(buf), &pol);
	cr_assert_str_eq(buf, "default");
	pol = (struct mempolicy){ .mode = MPOL_BIND, .nodes = 0xb };
	mpol_to_str(buf, sizeof(buf), &pol);
	cr_assert_str_eq(buf, "bind:0-1,3");
	pol = (struct mempolicy){ .mode = MPOL_INTERLEAVE, .nodes = 0x3 };
	mpol_to_str(buf, sizeof(buf), &pol);
	cr_assert_str_eq(buf, "interleave:0-1");
	pol = (struct mempolicy){ .mode = MPOL_PREFERRED, .nodes = 0x2,
				  .flags = MPOL_F_STATIC_NODES };
	mpol_to_str(buf, sizeof(buf), &pol);
	cr_assert_str_eq(buf, "prefer=static:1");
	pol = (struct mempolicy){ .mode = MPOL_LOCAL };
	mpol_to_str(buf, sizeof(buf), &pol);
	cr_assert_str_eq(buf, "local");
}

Test(mempolicy, set_get_roundtrip)
{
	struct kh *h = boot2();
	struct kernel *k = &h->k;
	gva_t s = scratch(h);

	cr_assert_eq(kh_store32(h, s, 3), 0);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_INTERLEAVE, s, 3), 0);
	cr_assert_eq(sys_get_mempolicy(k, s + 8, s + 16, 64, 0, 0), 0);
	cr_assert_eq(load(h, s + 8), MPOL_INTERLEAVE);
	cr_assert_eq(load(h, s + 16), 3);
	/* MPOL_F_NODE: the next node interleaving will use. */
	cr_assert_eq(sys_get_mempolicy(k, s + 8, 0, 0, 0, MPOL_F_NODE), 0);
	cr_assert_eq(load(h, s + 8), 0);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_DEFAULT, 0, 0), 0);
	cr_assert_eq(sys_get_mempolicy(k, s + 8, 0, 0, 0, 0), 0);
	cr_assert_eq(load(h, s + 8), MPOL_DEFAULT);
	/* MPOL_F_MEMS_ALLOWED: every node. */
	cr_assert_eq(sys_get_mempolicy(k, s + 8, s + 16, 64, 0,
				       MPOL_F_MEMS_ALLOWED), 0);
	cr_assert_eq(load(h, s + 16), 3);
	kh_shutdown(h);
}

Test(mempolicy, errors)
{
	struct kh *h = boot2();
	struct kernel *k = &h->k;
	gva_t s = scratch(h);

	cr_assert_eq(sys_set_mempolicy(k, MPOL_MAX, 0, 0), -EINVAL);
	cr_assert_eq(sys_set_mempolicy(k, -1, 0, 0), -EINVAL);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_BIND, s, 3), -EINVAL); /* empty */
	cr_assert_eq(sys_set_mempolicy(k, MPOL_BIND, 0x10, 3), -EFAULT);
	cr_assert_eq(kh_store32(h, s, 1u << 9), 0);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_BIND, s, 33), -EINVAL);
	cr_assert_eq(kh_store32(h, s, 1u << 5), 0); /* no such node */
	cr_assert_eq(sys_set_mempolicy(k, MPOL_BIND, s, 33), -EINVAL);
	cr_assert_eq(kh_store32(h, s, 1), 0);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_DEFAULT, s, 3), -EINVAL);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_LOCAL, s, 3), -EINVAL);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_BIND | MPOL_F_STATIC_NODES |
					     MPOL_F_RELATIVE_NODES, s, 3),
		     -EINVAL);
	/* maxnode counts one bit too many: 1 means no mask at all. */
	cr_assert_eq(sys_set_mempolicy(k, MPOL_BIND, s, 1), -EINVAL);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_BIND, s, 2), 0);
	cr_assert_eq(sys_get_mempolicy(k, s, 0, 0, 0, 8), -EINVAL);
	cr_assert_eq(sys_get_mempolicy(k, s, 0, 0, s, 0), -EINVAL);
	cr_assert_eq(sys_get_mempolicy(k, s, 0, 0, 0x1000, MPOL_F_ADDR),
		     -EFAULT);
	cr_assert_eq(sys_get_mempolicy(k, s, s, 1, 0, 0), -EINVAL);
	cr_assert_eq(sys_get_mempolicy(k, 0x10, 0, 0, 0, 0), -EFAULT);
	cr_assert_eq(sys_get_mempolicy(k, s, 0, 0, 0, MPOL_F_MEMS_ALLOWED |
						      MPOL_F_NODE), -EINVAL);
	cr_assert_eq(sys_mbind(k, s + 1, P, MPOL_BIND, s, 2, 0), -EINVAL);
	cr_assert_eq(sys_mbind(k, s, P, MPOL_BIND, s, 2, 8), -EINVAL);
	cr_assert_eq(sys_mbind(k, s, 0, MPOL_BIND, s, 2, 0), 0);
	kh_shutdown(h);
}

Test(mempolicy, vma_interleave_by_offset)
{
	struct kh *h = boot2();
	struct kernel *k = &h->k;
	gva_t s = scratch(h), a = kh_mmap_anon(h, 0, 8 * P, KH_PROT_RW);
	unsigned long before = 0, after = 0;
	int n, i;

	cr_assert_eq(kh_store32(h, s, 3), 0);
	cr_assert_eq(sys_mbind(k, a, 8 * P, MPOL_INTERLEAVE, s, 3, 0), 0);
	for (n = 0; n < 2; n++)
		for (i = 0; i < MAX_NR_ZONES; i++)
			before += k->mem.node[n]->node_zones[i]
					  .numa_stat[NUMA_INTERLEAVE_HIT];
	for (i = 0; i < 8; i++)
		cr_assert_eq(kh_store32(h, a + (gva_t)i * P, 1), 0);
	for (i = 0; i < 8; i++) {
		struct page *pg = kh_page(h, kh_mm(h), a + (gva_t)i * P);
		unsigned long off = (a >> PAGE_SHIFT) + (unsigned long)i;

		cr_assert_eq(page_to_nid(&k->mem, pg), (int)(off % 2),
			     "page %d", i);
	}
	for (n = 0; n < 2; n++)
		for (i = 0; i < MAX_NR_ZONES; i++)
			after += k->mem.node[n]->node_zones[i]
					 .numa_stat[NUMA_INTERLEAVE_HIT];
	cr_assert_eq(after - before, 8);
	kh_shutdown(h);
}

Test(mempolicy, bind_strict_move)
{
	struct kh *h = boot2();
	struct kernel *k = &h->k;
	gva_t s = scratch(h), a = kh_mmap_anon(h, 0, 4 * P, KH_PROT_RW);
	int i;

	for (i = 0; i < 4; i++)
		cr_assert_eq(kh_store32(h, a + (gva_t)i * P, 100u + i), 0);
	cr_assert_eq(kh_store32(h, s, 2), 0);
	cr_assert_eq(sys_mbind(k, a, 4 * P, MPOL_BIND, s, 3, MPOL_MF_STRICT),
		     -EIO);
	cr_assert_eq(sys_mbind(k, a, 4 * P, MPOL_BIND, s, 3,
			       MPOL_MF_STRICT | MPOL_MF_MOVE), 0);
	for (i = 0; i < 4; i++) {
		uint32_t v;

		cr_assert_eq(page_to_nid(&k->mem, kh_page(h, kh_mm(h),
							  a + (gva_t)i * P)),
			     1);
		cr_assert_eq(kh_load32(h, a + (gva_t)i * P, &v), 0);
		cr_assert_eq(v, 100u + i);
	}
	kh_shutdown(h);
}

Test(mempolicy, mbind_splits_and_merges)
{
	struct kh *h = boot2();
	struct kernel *k = &h->k;
	gva_t s = scratch(h), a = kh_mmap_anon(h, 0, 4 * P, KH_PROT_RW);
	int count = kh_mm(h)->map_count;
	struct vma *v;

	cr_assert_eq(kh_store32(h, s, 2), 0);
	cr_assert_eq(sys_mbind(k, a + P, 2 * P, MPOL_PREFERRED, s, 3, 0), 0);
	cr_assert_eq(kh_mm(h)->map_count, count + 2);
	v = vma_lookup(kh_mm(h), a + P);
	cr_assert_eq(v->vm_start, a + P);
	cr_assert_eq(v->vm_end, a + 3 * P);
	cr_assert_eq(v->vm_policy.mode, MPOL_PREFERRED);
	cr_assert_eq(sys_mbind(k, a, 4 * P, MPOL_DEFAULT, 0, 0, 0), 0);
	cr_assert_eq(kh_mm(h)->map_count, count);
	kh_shutdown(h);
}

Test(mempolicy, fork_inherits)
{
	struct kh *h = boot2();
	struct kernel *k = &h->k;
	gva_t s = scratch(h);
	struct task *c;

	cr_assert_eq(kh_store32(h, s, 2), 0);
	cr_assert_eq(sys_set_mempolicy(k, MPOL_BIND, s, 3), 0);
	c = kh_fork(h);
	cr_assert_eq(c->mempolicy.mode, MPOL_BIND);
	cr_assert_eq(c->mempolicy.nodes, 2);
	kh_shutdown(h);
}

Test(psi, calc_load)
{
	/* One period at 100 %: 1 - exp(-2/10) = 18.13 %, fixed point. */
	unsigned long a = psi_calc_load(0, 1677, 100ul << 11);

	cr_assert_eq(a, 37100);
	cr_assert_eq(a >> 11, 18);
	cr_assert_eq(((a & 2047) * 100) >> 11, 11);
	/* Decay towards zero. */
	cr_assert_lt(psi_calc_load(a, 1677, 0), a);
	cr_assert_eq(psi_calc_load(0, 1677, 0), 0);
}

Test(psi, stalls_split_at_period_ends)
{
	struct kernel *k = calloc(1, sizeof(*k));

	cr_assert(k);
	INIT_LIST_HEAD(&k->runqueue);
	psi_init(&k->psi);
	/* A stall from 1 s to 3 s: half of the first period. */
	k->cpu.cycle = 3000000000ull;
	psi_stall(k, PSI_MEM, 2000000000ull, true);
	cr_assert_eq(k->psi.total[PSI_SOME(PSI_MEM)], 2000000000ull);
	cr_assert_eq(k->psi.total[PSI_FULL(PSI_MEM)], 2000000000ull);
	cr_assert_eq(k->psi.avg[PSI_SOME(PSI_MEM)][0],
		     psi_calc_load(0, 1677, 50ul << 11));
	cr_assert_eq(k->psi.total[PSI_SOME(PSI_IO)], 0);
	/* The second period closes at 4 s with its own half. */
	k->cpu.cycle = 4000000000ull;
	psi_update(k);
	cr_assert_eq(k->psi.avg[PSI_SOME(PSI_MEM)][0],
		     psi_calc_load(psi_calc_load(0, 1677, 50ul << 11), 1677,
				   50ul << 11));
	free(k);
}
