/*
 * NUMA memory policies (Linux's mm/mempolicy.c): which nodes the pages of
 * a task or of a range of its address space come from.
 *
 *   mode             pages come from
 *   MPOL_DEFAULT     the vma: the task's policy; the task: local (node 0,
 *                    the node of the one hart)
 *   MPOL_LOCAL       the node of the CPU, falling back by distance
 *   MPOL_PREFERRED   the one node of the mask, falling back by distance
 *   MPOL_BIND        only the nodes of the mask (nearest first)
 *   MPOL_INTERLEAVE  the nodes of the mask in turn: for a vma by page
 *                    offset (vm_pgoff + page index, modulo the node
 *                    count: Linux's interleave_nid), for the task by a
 *                    counter (il_prev)
 *
 * A policy is a small value (mode, flags, node bitmask) kept in struct
 * task and struct vma; fork copies both, exec keeps the task's.  A vma
 * policy set by mbind splits the vma at the range ends and merges equal
 * neighbours, as Linux's mbind_range.  Node masks hold MAX_NUMNODES (8)
 * bits: a mask from the user with a bit at or above 8 set is EINVAL;
 * bits of nodes that do not exist are dropped (as cpuset mems_allowed
 * drops them), and a mask left empty is EINVAL.
 */
#ifndef MMULAB_KERNEL_MEMPOLICY_H
#define MMULAB_KERNEL_MEMPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/mm_types.h"
#include "types.h"

struct kernel;
struct vma;
struct task;
struct seq;
struct page;

/* Modes and flags: include/uapi/linux/mempolicy.h. */
enum {
	MPOL_DEFAULT,
	MPOL_PREFERRED,
	MPOL_BIND,
	MPOL_INTERLEAVE,
	MPOL_LOCAL,
	MPOL_PREFERRED_MANY,
	MPOL_MAX,
};
#define MPOL_F_STATIC_NODES (1 << 15)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_NUMA_BALANCING (1 << 13)
#define MPOL_MODE_FLAGS \
	(MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING)
/* get_mempolicy flags */
#define MPOL_F_NODE (1 << 0)
#define MPOL_F_ADDR (1 << 1)
#define MPOL_F_MEMS_ALLOWED (1 << 2)
/* mbind flags */
#define MPOL_MF_STRICT (1 << 0)
#define MPOL_MF_MOVE (1 << 1)
#define MPOL_MF_MOVE_ALL (1 << 2)
#define MPOL_MF_VALID (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)

struct mempolicy {
	uint16_t mode;		/* MPOL_*; MPOL_DEFAULT: none of its own */
	uint16_t flags;		/* MPOL_F_STATIC_NODES etc. */
	uint32_t nodes;		/* bit n: node n */
	uint32_t user_nodes;	/* the mask as given (static/relative) */
};

static inline bool mpol_equal(const struct mempolicy *a,
			      const struct mempolicy *b)
{
	return a->mode == b->mode && a->flags == b->flags &&
	       a->nodes == b->nodes;
}

/*
 * Parse the --numa-policy argument: "bind:NODES", "interleave:NODES",
 * "preferred:NODE", "local" or "default", NODES a list like "0-1,3"
 * checked against @nr_nodes.  Returns 0, or -EINVAL with a reason in
 * @err.
 */
int mpol_parse_str(const char *str, int nr_nodes, struct mempolicy *pol,
		   char *err, size_t errlen);

/*
 * Linux's mpol_to_str: "default", "bind:0-1", "interleave:0,2",
 * "prefer:1", "local", "prefer=static:1".  Writes at most @len bytes.
 */
void mpol_to_str(char *buf, size_t len, const struct mempolicy *pol);

/*
 * A user page for @addr of @vma (NULL @vma: the task's policy, as for
 * the page cache) under the policy that applies, with the numa counters
 * Linux moves (interleave_hit for interleaved pages).  Returns NULL when
 * no allowed node has memory.
 */
struct page *alloc_page_vma(struct kernel *k, gfp_t gfp, struct vma *vma,
			    gva_t addr) __must_check;

/* /proc/PID/numa_maps. */
void show_numa_maps(struct kernel *k, struct seq *s, struct task *t);

long sys_set_mempolicy(struct kernel *k, int mode, gva_t nmask,
		       uint32_t maxnode);
long sys_get_mempolicy(struct kernel *k, gva_t policy, gva_t nmask,
		       uint32_t maxnode, gva_t addr, uint32_t flags);
long sys_mbind(struct kernel *k, gva_t start, uint32_t len, uint32_t mode,
	       gva_t nmask, uint32_t maxnode, uint32_t flags);

#endif
