/*
 * NUMA memory policies: set_mempolicy, get_mempolicy, mbind, the policy
 * an allocation follows and /proc/PID/numa_maps.  See mempolicy.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"
#include "kernel/fs/fs.h"
#include "kernel/kernel/sched.h"
#include "kernel/lib/seq.h"
#include "kernel/lib/uaccess.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/mempolicy.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/swap.h"

#define NODE_BITS MAX_NUMNODES	/* bits of a kernel node mask */

static uint32_t online_nodes(const struct kernel *k)
{
	return (uint32_t)((1ul << k->mem.nr_nodes) - 1);
}

static int first_node(uint32_t mask)
{
	return mask ? __builtin_ctz(mask) : NUMA_NO_NODE;
}

/* The node of @mask after @prev, wrapping (Linux's next_node_in). */
static int next_node_in(int prev, uint32_t mask)
{
	int n;

	for (n = prev + 1; n < NODE_BITS; n++)
		if (mask & (1u << n))
			return n;
	return first_node(mask);
}

/* The @nth (0-based) node of @mask, nth < weight. */
static int nth_node(uint32_t mask, unsigned nth)
{
	int n = first_node(mask);

	while (nth--)
		n = next_node_in(n, mask);
	return n;
}

/* ---- building a policy ----------------------------------------------------- */

/* Linux's sanitize_mpol_flags: split @mode into mode and mode flags. */
static int sanitize_mpol_flags(int *mode, uint16_t *flags)
{
	*flags = (uint16_t)(*mode & MPOL_MODE_FLAGS);
	*mode &= ~MPOL_MODE_FLAGS;
	if ((unsigned)*mode >= MPOL_MAX)
		return -EINVAL;
	if ((*flags & MPOL_F_STATIC_NODES) && (*flags & MPOL_F_RELATIVE_NODES))
		return -EINVAL;
	if ((*flags & MPOL_F_NUMA_BALANCING) && *mode != MPOL_BIND)
		return -EINVAL;
	return 0;
}

/*
 * Linux's get_nodes: @maxnode bits at @nmask, one less than given (the
 * historic off-by-one every caller, numactl included, compensates for).
 * Bits at or above NODE_BITS must be zero.
 */
static int get_nodes(struct kernel *k, uint32_t *nodes, gva_t nmask,
		     uint32_t maxnode)
{
	uint32_t nwords, i, w;

	*nodes = 0;
	maxnode--;
	if (maxnode == 0 || !nmask)
		return 0;
	if (maxnode > PAGE_SIZE * 8)
		return -EINVAL;
	nwords = (maxnode + 31) / 32;
	for (i = 0; i < nwords; i++) {
		if (copy_from_user(k, &w, nmask + 4 * i, 4))
			return -EFAULT;
		if (i == nwords - 1 && maxnode % 32)
			w &= (1u << (maxnode % 32)) - 1;
		if (i == 0) {
			if (w >> NODE_BITS)
				return -EINVAL;
			*nodes = w;
		} else if (w) {
			return -EINVAL;
		}
	}
	return 0;
}

/* MPOL_F_RELATIVE_NODES: bit i of @user means the (i mod w)-th node of
 * @allowed, w its weight (Linux's mpol_relative_nodemask). */
static uint32_t relative_nodes(uint32_t user, uint32_t allowed)
{
	unsigned w = (unsigned)__builtin_popcount(allowed), i;
	uint32_t out = 0;

	if (!w)
		return 0;
	for (i = 0; i < NODE_BITS; i++)
		if (user & (1u << i))
			out |= 1u << nth_node(allowed, i % w);
	return out;
}

/*
 * Linux's mpol_new + mpol_set_nodemask: the policy @mode/@flags/@nodes
 * (nodes as the user gave them) on this machine.  MPOL_DEFAULT gives a
 * policy of mode MPOL_DEFAULT (none).  Returns 0 or -EINVAL.
 */
static int mpol_new(struct kernel *k, int mode, uint16_t flags,
		    uint32_t nodes, struct mempolicy *pol)
{
	uint32_t allowed = online_nodes(k), eff;

	memset(pol, 0, sizeof(*pol));
	if (mode == MPOL_DEFAULT)
		return nodes ? -EINVAL : 0;
	if (mode == MPOL_PREFERRED) {
		if (!nodes) {
			if (flags & (MPOL_F_STATIC_NODES |
				     MPOL_F_RELATIVE_NODES))
				return -EINVAL;
			mode = MPOL_LOCAL;
		}
	} else if (mode == MPOL_LOCAL) {
		if (nodes || (flags & (MPOL_F_STATIC_NODES |
				       MPOL_F_RELATIVE_NODES)))
			return -EINVAL;
	} else if (!nodes) {
		return -EINVAL;
	}
	pol->mode = (uint16_t)mode;
	pol->flags = flags;
	if (mode == MPOL_LOCAL)
		return 0;
	if (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))
		pol->user_nodes = nodes;
	eff = flags & MPOL_F_RELATIVE_NODES ? relative_nodes(nodes, allowed)
					     : nodes & allowed;
	if (!eff)
		return -EINVAL;
	if (mode == MPOL_PREFERRED)
		eff = 1u << first_node(eff);
	pol->nodes = eff;
	return 0;
}

/* ---- allocation -------------------------------------------------------- */

/* The policy for @vma (or the task's without one), NULL: default. */
static const struct mempolicy *get_vma_policy(struct kernel *k,
					      struct vma *vma)
{
	if (vma && vma->vm_policy.mode != MPOL_DEFAULT)
		return &vma->vm_policy;
	if (k->current && k->current->mempolicy.mode != MPOL_DEFAULT)
		return &k->current->mempolicy;
	return NULL;
}

/* Linux's offset_il_node: the (@off mod weight)-th node of the mask. */
static int offset_il_node(const struct mempolicy *pol, unsigned long off)
{
	unsigned w = (unsigned)__builtin_popcount(pol->nodes);

	return nth_node(pol->nodes, (unsigned)(off % w));
}

struct page *alloc_page_vma(struct kernel *k, gfp_t gfp, struct vma *vma,
			    gva_t addr)
{
	const struct mempolicy *pol = get_vma_policy(k, vma);
	struct page *page;
	int nid;

	if (!pol || pol->mode == MPOL_LOCAL)
		return alloc_pages_node(&k->mem, 0, gfp, 0);
	switch (pol->mode) {
	case MPOL_INTERLEAVE:
		if (!vma || vma->vm_policy.mode == MPOL_DEFAULT) {
			nid = next_node_in(k->current->il_prev, pol->nodes);
			k->current->il_prev = nid;
		} else {
			nid = offset_il_node(pol, vma->vm_pgoff +
					     ((addr - vma->vm_start) >>
					      PAGE_SHIFT));
		}
		page = alloc_pages_node(&k->mem, nid, gfp, 0);
		if (page && page_to_nid(&k->mem, page) == nid)
			page_zone(&k->mem, page)
				->numa_stat[NUMA_INTERLEAVE_HIT]++;
		return page;
	case MPOL_PREFERRED:
		return alloc_pages_node(&k->mem, first_node(pol->nodes), gfp,
					0);
	case MPOL_PREFERRED_MANY:
		/* The mask's nodes first, then any. */
		page = __alloc_pages(&k->mem, gfp | __GFP_NOWARN, 0, 0,
				     pol->nodes);
		return page ? page : alloc_pages_node(&k->mem, 0, gfp, 0);
	case MPOL_BIND:
	default:
		/* Nearest to the CPU's node first (policy_node). */
		nid = pol->nodes & 1u ? 0 : first_node(pol->nodes);
		return __alloc_pages(&k->mem, gfp, 0, nid, pol->nodes);
	}
}

/* ---- system calls ------------------------------------------------------ */

long sys_set_mempolicy(struct kernel *k, int mode, gva_t nmask,
		       uint32_t maxnode)
{
	struct mempolicy pol;
	uint16_t flags;
	uint32_t nodes;
	int err;

	err = sanitize_mpol_flags(&mode, &flags);
	if (err)
		return err;
	err = get_nodes(k, &nodes, nmask, maxnode);
	if (err)
		return err;
	err = mpol_new(k, mode, flags, nodes, &pol);
	if (err)
		return err;
	k->current->mempolicy = pol;
	if (pol.mode == MPOL_INTERLEAVE)
		k->current->il_prev = NODE_BITS - 1;
	return 0;
}

/* The nodes get_mempolicy reports for @pol (NULL: default). */
static uint32_t policy_nodemask(const struct mempolicy *pol)
{
	if (!pol)
		return 0;
	if (pol->flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))
		return pol->user_nodes;
	return pol->mode == MPOL_LOCAL ? 0 : pol->nodes;
}

/* Linux's lookup_node: fault the page at @addr in (as a read, like
 * get_user_pages) and return its node, or -EFAULT. */
static int lookup_node(struct kernel *k, gva_t addr)
{
	struct mm *mm = k->current->mm;
	pte_slot_t slot = pte_offset(k, mm, addr, false);
	pte_t pte = slot ? ptep_get(k, slot) : 0;
	bool accerr;

	if (!pte_present(pte)) {
		if (handle_mm_fault(k, mm, addr, FAULT_FLAG_REMOTE, &accerr) &
		    VM_FAULT_ERROR)
			return -EFAULT;
		slot = pte_offset(k, mm, addr, false);
		pte = slot ? ptep_get(k, slot) : 0;
		if (!pte_present(pte))
			return -EFAULT;
	}
	return page_to_nid(&k->mem, pfn_to_page(&k->mem, pte_pfn(pte)));
}

/* Linux's copy_nodes_to_user for a 32-bit task. */
static int copy_nodes_to_user(struct kernel *k, gva_t mask, uint32_t maxnode,
			      uint32_t nodes)
{
	uint32_t copy = (uint32_t)(((uint64_t)maxnode - 1 + 63) / 64 * 8);
	uint32_t nbytes = 4; /* BITS_TO_LONGS(nr_node_ids) longs */
	static const char zero[PAGE_SIZE];

	if (!maxnode)
		copy = 0;
	if (copy > nbytes) {
		if (copy > PAGE_SIZE)
			return -EINVAL;
		if (copy_to_user(k, mask + nbytes, zero, copy - nbytes))
			return -EFAULT;
		copy = nbytes;
	}
	return copy && copy_to_user(k, mask, &nodes, copy) ? -EFAULT : 0;
}

long sys_get_mempolicy(struct kernel *k, gva_t policy, gva_t nmask,
		       uint32_t maxnode, gva_t addr, uint32_t flags)
{
	struct task *t = k->current;
	const struct mempolicy *pol = NULL;
	uint32_t nodes = 0;
	int pval = 0;

	if (nmask && maxnode < (uint32_t)k->mem.nr_nodes)
		return -EINVAL;
	if (flags & ~(uint32_t)(MPOL_F_NODE | MPOL_F_ADDR |
				MPOL_F_MEMS_ALLOWED))
		return -EINVAL;
	if (flags & MPOL_F_MEMS_ALLOWED) {
		if (flags & (MPOL_F_NODE | MPOL_F_ADDR))
			return -EINVAL;
		nodes = online_nodes(k);
		goto out;
	}
	if (flags & MPOL_F_ADDR) {
		struct vma *vma = vma_lookup(t->mm, addr);

		if (!vma)
			return -EFAULT;
		if (vma->vm_policy.mode != MPOL_DEFAULT)
			pol = &vma->vm_policy;
	} else if (addr) {
		return -EINVAL;
	} else if (t->mempolicy.mode != MPOL_DEFAULT) {
		pol = &t->mempolicy;
	}
	if (flags & MPOL_F_NODE) {
		if (flags & MPOL_F_ADDR) {
			pval = lookup_node(k, addr);
			if (pval < 0)
				return pval;
		} else if (pol == &t->mempolicy &&
			   pol->mode == MPOL_INTERLEAVE) {
			pval = next_node_in(t->il_prev, pol->nodes);
		} else {
			return -EINVAL;
		}
	} else {
		pval = pol ? pol->mode | (pol->flags & MPOL_MODE_FLAGS)
			   : MPOL_DEFAULT;
	}
	nodes = policy_nodemask(pol);
out:
	if (policy && copy_to_user(k, policy, &pval, 4))
		return -EFAULT;
	if (nmask)
		return copy_nodes_to_user(k, nmask, maxnode, nodes);
	return 0;
}

/* Move the exclusive anonymous page mapped at @slot to a node @pol allows
 * (Linux's migrate_pages for one page).  Returns 0 or -EBUSY/-ENOMEM. */
static int migrate_anon_page(struct kernel *k, struct vma *vma,
			     pte_slot_t slot, gva_t addr)
{
	pte_t pte = ptep_get(k, slot);
	struct page *old = pfn_to_page(&k->mem, pte_pfn(pte)), *new;

	if (!PageAnon(old) || page_mapcount(old) != 1 || PageSwapCache(old) ||
	    PageMlocked(old) || PageLocked(old))
		return -EBUSY;
	get_page(old);
	new = alloc_page_vma(k, GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, vma,
			     addr);
	if (!new) {
		page_ref_dec(old);
		return -ENOMEM;
	}
	memcpy(page_address(&k->mem, new), page_address(&k->mem, old),
	       PAGE_SIZE);
	page_ref_dec(old);
	if (PageDirty(old))
		SetPageDirty(new);
	page_add_new_anon_rmap(k, new, vma, addr);
	lru_add_page(k, new);
	page_remove_rmap(k, old);
	set_pte(k, slot, pfn_pte(page_to_pfn(&k->mem, new),
				 (uint32_t)(pte & PTE_FLAGS_MASK)));
	flush_tlb_page(k, vma->vm_mm, addr);
	release_page(k, old);
	return 0;
}

struct mbind_walk {
	struct vma *vma;
	uint32_t nodes;		/* where pages belong */
	unsigned flags;		/* MPOL_MF_* */
	int misplaced;		/* pages not on those nodes */
	int failed;		/* of those, not moved */
};

static void mbind_check_pte(struct kernel *k, pte_slot_t slot, gva_t addr,
			    pte_t pte, void *arg)
{
	struct mbind_walk *w = arg;
	struct page *page;

	if (!pte_present(pte) || (pte & PTE_SPECIAL))
		return;
	page = pfn_to_page(&k->mem, pte_pfn(pte));
	if (PageReserved(page) ||
	    (w->nodes & (1u << page_to_nid(&k->mem, page))))
		return;
	w->misplaced++;
	if (!(w->flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)))
		return;
	if (!(w->flags & MPOL_MF_MOVE_ALL) && page_mapcount(page) > 1)
		return; /* shared: left in place, not a failure (Linux) */
	if (migrate_anon_page(k, w->vma, slot, addr))
		w->failed++;
}

/* Give [start, end) of the vmas there policy @pol: split at the ends,
 * then merge with equal neighbours (Linux's mbind_range). */
static int mbind_range(struct kernel *k, struct mm *mm, gva_t start,
		       gva_t end, const struct mempolicy *pol)
{
	struct vma *vma = find_vma(mm, start), *next;
	int err;

	for (; vma && vma->vm_start < end; vma = next) {
		if (vma->vm_start < start) {
			err = split_vma(k, vma, start, false);
			if (err)
				return err;
			vma = vma_next(mm, vma);
		}
		if (vma->vm_end > end) {
			err = split_vma(k, vma, end, false);
			if (err)
				return err;
		}
		vma->vm_policy = *pol;
		vma = vma_merge_neighbours(k, vma);
		next = vma_next(mm, vma);
	}
	return 0;
}

long sys_mbind(struct kernel *k, gva_t start, uint32_t len, uint32_t umode,
	       gva_t nmask, uint32_t maxnode, uint32_t flags)
{
	struct mm *mm = k->current->mm;
	struct mempolicy pol;
	int mode = (int)umode;
	uint16_t mflags;
	uint32_t nodes;
	uint64_t end;
	struct vma *vma;
	gva_t prev_end;
	int err, misplaced = 0, failed = 0;

	err = sanitize_mpol_flags(&mode, &mflags);
	if (err)
		return err;
	err = get_nodes(k, &nodes, nmask, maxnode);
	if (err)
		return err;
	if (flags & ~(uint32_t)MPOL_MF_VALID)
		return -EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (mode == MPOL_DEFAULT)
		flags &= ~(uint32_t)MPOL_MF_STRICT;
	end = (uint64_t)start + ALIGN_UP((uint64_t)len, PAGE_SIZE);
	if (end > 0xffffffffull + 1)
		return -EINVAL;
	if (end == start)
		return 0;
	err = mpol_new(k, mode, mflags, nodes, &pol);
	if (err)
		return err;

	/* queue_pages_range: holes are EFAULT unless the new policy is the
	 * default; a range that is all hole always is. */
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return -EFAULT;
	if (pol.mode != MPOL_DEFAULT) {
		if (vma->vm_start > start)
			return -EFAULT;
		prev_end = vma->vm_end;
		for (vma = vma_next(mm, vma); prev_end < end;
		     vma = vma_next(mm, vma)) {
			if (!vma || vma->vm_start != prev_end)
				return -EFAULT;
			prev_end = vma->vm_end;
		}
	}
	if (flags & (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) {
		/* The pages must be on the nodes of the mask as given
		 * (none for the default: everything moves to local). */
		uint32_t want = pol.mode == MPOL_LOCAL ? 1u : pol.nodes;
		bool move = flags & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL);

		if (pol.mode == MPOL_DEFAULT)
			want = 0;
		for (vma = find_vma(mm, start); vma && vma->vm_start < end;
		     vma = vma_next(mm, vma)) {
			struct mbind_walk w = { vma, want,
						move ? 0 : flags, 0, 0 };
			gva_t s = vma->vm_start > start ? vma->vm_start : start;
			gva_t e = (uint64_t)vma->vm_end < end
					  ? vma->vm_end
					  : (gva_t)end;

			for_each_pte(k, mm, s, e, mbind_check_pte, &w);
			misplaced += w.misplaced;
		}
		if (misplaced && !move)
			return -EIO;
	}
	err = mbind_range(k, mm, start, (gva_t)(end - 1) + 1, &pol);
	if (err)
		return err;
	if (misplaced) {
		/* Migrate under the new policy now in place. */
		for (vma = find_vma(mm, start); vma && vma->vm_start < end;
		     vma = vma_next(mm, vma)) {
			uint32_t want = pol.mode == MPOL_DEFAULT ? 0
					: pol.mode == MPOL_LOCAL ? 1u
								 : pol.nodes;
			struct mbind_walk w = { vma, want, flags, 0, 0 };
			gva_t s = vma->vm_start > start ? vma->vm_start : start;
			gva_t e = (uint64_t)vma->vm_end < end
					  ? vma->vm_end
					  : (gva_t)end;

			for_each_pte(k, mm, s, e, mbind_check_pte, &w);
			failed += w.failed;
		}
		if (failed && (flags & MPOL_MF_STRICT))
			return -EIO;
	}
	return 0;
}

/* ---- text forms -------------------------------------------------------- */

static const char *const policy_modes[] = {
	"default", "prefer", "bind", "interleave", "local", "prefer (many)",
};

/* "0-1,3" (the kernel's %*pbl). */
static void nodelist_str(char *buf, size_t len, uint32_t mask)
{
	size_t n = 0;
	int i = 0;

	buf[0] = '\0';
	while (i < NODE_BITS) {
		int j;

		if (!(mask & (1u << i))) {
			i++;
			continue;
		}
		for (j = i; j + 1 < NODE_BITS && (mask & (1u << (j + 1))); j++)
			;
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%d", n ? ","
									 : "",
					      i);
		if (j > i && n < len)
			n += (size_t)snprintf(buf + n, len - n, "-%d", j);
		i = j + 1;
	}
}

void mpol_to_str(char *buf, size_t len, const struct mempolicy *pol)
{
	uint32_t nodes = 0;
	unsigned mode = MPOL_DEFAULT, flags = 0;
	char list[64];
	size_t n;

	if (pol && !(pol->flags & MPOL_F_NUMA_BALANCING)) {
		mode = pol->mode;
		flags = pol->flags;
	}
	if (mode != MPOL_DEFAULT && mode != MPOL_LOCAL)
		nodes = pol->nodes;
	n = (size_t)snprintf(buf, len, "%s", policy_modes[mode]);
	if ((flags & MPOL_MODE_FLAGS) && n < len)
		n += (size_t)snprintf(buf + n, len - n, "=%s",
				      flags & MPOL_F_STATIC_NODES ? "static"
				      : flags & MPOL_F_RELATIVE_NODES ? "relative"
								       : "");
	if (nodes && n < len) {
		nodelist_str(list, sizeof(list), nodes);
		snprintf(buf + n, len - n, ":%s", list);
	}
}

/* "0-1,3" -> mask; -1 when malformed. */
static long parse_nodelist(const char *s, int nr_nodes)
{
	uint32_t mask = 0;

	if (!*s)
		return -1;
	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b;

		if (end == s || a < 0)
			return -1;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a)
				return -1;
			s = end;
		}
		if (b >= nr_nodes)
			return -2 - b;
		for (; a <= b; a++)
			mask |= 1u << a;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return mask;
}

int mpol_parse_str(const char *str, int nr_nodes, struct mempolicy *pol,
		   char *err, size_t errlen)
{
	static const struct {
		const char *name;
		int mode;
	} modes[] = {
		{ "default", MPOL_DEFAULT }, { "local", MPOL_LOCAL },
		{ "bind", MPOL_BIND }, { "membind", MPOL_BIND },
		{ "interleave", MPOL_INTERLEAVE },
		{ "preferred", MPOL_PREFERRED }, { "prefer", MPOL_PREFERRED },
	};
	const char *colon = strchr(str, ':');
	size_t nlen = colon ? (size_t)(colon - str) : strlen(str);
	long mask = 0;
	unsigned i;

	memset(pol, 0, sizeof(*pol));
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strlen(modes[i].name) == nlen &&
		    !strncmp(str, modes[i].name, nlen))
			break;
	if (i == sizeof(modes) / sizeof(modes[0])) {
		snprintf(err, errlen, "unknown policy '%.*s' (bind, "
			 "interleave, preferred, local, default)", (int)nlen,
			 str);
		return -EINVAL;
	}
	if (modes[i].mode == MPOL_DEFAULT || modes[i].mode == MPOL_LOCAL) {
		if (colon) {
			snprintf(err, errlen, "'%s' takes no nodes", modes[i].name);
			return -EINVAL;
		}
		pol->mode = (uint16_t)modes[i].mode;
		return 0;
	}
	if (!colon || (mask = parse_nodelist(colon + 1, nr_nodes)) < 0) {
		if (mask < -1)
			snprintf(err, errlen, "node %ld does not exist "
				 "(--numa %d)", -2 - mask, nr_nodes);
		else
			snprintf(err, errlen, "'%s' needs nodes, e.g. %s:0%s",
				 modes[i].name, modes[i].name,
				 modes[i].mode == MPOL_PREFERRED ? "" : "-1");
		return -EINVAL;
	}
	if (modes[i].mode == MPOL_PREFERRED &&
	    __builtin_popcount((uint32_t)mask) != 1) {
		snprintf(err, errlen, "preferred takes one node");
		return -EINVAL;
	}
	pol->mode = (uint16_t)modes[i].mode;
	pol->nodes = (uint32_t)mask;
	return 0;
}

/* ---- /proc/PID/numa_maps ----------------------------------------------- */

struct numa_maps {
	unsigned long pages, anon, active, dirty, swapcache, mapcount_max,
		writeback;
	unsigned long node[MAX_NUMNODES];
};

static void numa_maps_pte(struct kernel *k, pte_slot_t slot, gva_t addr,
			  pte_t pte, void *arg)
{
	struct numa_maps *md = arg;
	struct page *page;
	unsigned long count;

	(void)slot;
	(void)addr;
	if (!pte_present(pte) || (pte & PTE_SPECIAL))
		return;
	page = pfn_to_page(&k->mem, pte_pfn(pte));
	if (PageReserved(page))
		return;
	md->pages++;
	if ((pte & PTE_D) || PageDirty(page))
		md->dirty++;
	if (PageSwapCache(page))
		md->swapcache++;
	if (PageActive(page) || PageUnevictable(page))
		md->active++;
	if (PageWriteback(page))
		md->writeback++;
	if (PageAnon(page))
		md->anon++;
	count = (unsigned long)page_mapcount(page);
	if (count > md->mapcount_max)
		md->mapcount_max = count;
	md->node[page_to_nid(&k->mem, page)]++;
}

void show_numa_maps(struct kernel *k, struct seq *s, struct task *t)
{
	struct mm *mm = t->mm;
	struct vma *vma;
	char buf[64];
	int n;

	list_for_each_entry(vma, &mm->vmas, list) {
		struct numa_maps md;

		memset(&md, 0, sizeof(md));
		mpol_to_str(buf, sizeof(buf),
			    vma->vm_policy.mode != MPOL_DEFAULT
				    ? &vma->vm_policy
				    : &t->mempolicy);
		seq_printf(s, "%08x %s", vma->vm_start, buf);
		if (vma->vm_file)
			seq_printf(s, " file=%s", vma->vm_file->i_name);
		else if (vma->vm_start <= mm->brk &&
			 vma->vm_end >= mm->start_brk)
			seq_puts(s, " heap");
		else if (vma->vm_start <= mm->start_stack &&
			 vma->vm_end >= mm->start_stack)
			seq_puts(s, " stack");
		for_each_pte(k, mm, vma->vm_start, vma->vm_end, numa_maps_pte,
			     &md);
		if (md.pages) {
			if (md.anon)
				seq_printf(s, " anon=%lu", md.anon);
			if (md.dirty)
				seq_printf(s, " dirty=%lu", md.dirty);
			if (md.pages != md.anon && md.pages != md.dirty)
				seq_printf(s, " mapped=%lu", md.pages);
			if (md.mapcount_max > 1)
				seq_printf(s, " mapmax=%lu", md.mapcount_max);
			if (md.swapcache)
				seq_printf(s, " swapcache=%lu", md.swapcache);
			if (md.active < md.pages)
				seq_printf(s, " active=%lu", md.active);
			if (md.writeback)
				seq_printf(s, " writeback=%lu", md.writeback);
			for (n = 0; n < k->mem.nr_nodes; n++)
				if (md.node[n])
					seq_printf(s, " N%d=%lu", n,
						   md.node[n]);
			seq_printf(s, " kernelpagesize_kB=%lu",
				   (unsigned long)(PAGE_SIZE >> 10));
		}
		seq_puts(s, "\n");
	}
}
