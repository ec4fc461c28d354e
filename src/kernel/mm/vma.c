/*
 * VMAs: the address index, split, merge and unmap.
 *
 * Each mm keeps its vmas twice: in a list sorted by address (for walks:
 * maps, fork, exit) and in a treap keyed by vm_start for O(log n) find_vma.
 * A treap is a binary search tree whose nodes also carry a priority and are
 * heap-ordered by it; with priorities from a hash of the address the tree
 * is balanced in expectation, deterministically, with rotations only.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "config.h"

#include "kernel/kernel/sched.h"
#include "kernel/lib/bug.h"
#include "kernel/mm/huge_mm.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/slab.h"

/* Under --enable-debug-mm, check @mm after each change (an assert). */
#ifdef CONFIG_DEBUG_MM
#define VMA_DEBUG_CHECK(mm) assert(vma_sanity(mm))
#else
#define VMA_DEBUG_CHECK(mm) ((void)0)
#endif

static uint32_t vma_prio(gva_t start)
{
	/* Knuth's multiplicative hash: a deterministic "random" priority. */
	uint32_t x = start ^ (start >> 16);
	return x * 2654435761u;
}

static struct vma *treap_insert(struct vma *root, struct vma *v)
{
	if (!root)
		return v;
	if (v->vm_start < root->vm_start) {
		root->left = treap_insert(root->left, v);
		if (root->left->prio > root->prio) {
			struct vma *l = root->left;
			root->left = l->right;
			l->right = root;
			return l;
		}
	} else {
		root->right = treap_insert(root->right, v);
		if (root->right->prio > root->prio) {
			struct vma *r = root->right;
			root->right = r->left;
			r->left = root;
			return r;
		}
	}
	return root;
}

static struct vma *treap_join(struct vma *a, struct vma *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio > b->prio) {
		a->right = treap_join(a->right, b);
		return a;
	}
	b->left = treap_join(a, b->left);
	return b;
}

static struct vma *treap_remove(struct vma *root, struct vma *v)
{
	if (!root)
		return NULL;
	if (root == v)
		return treap_join(root->left, root->right);
	if (v->vm_start < root->vm_start)
		root->left = treap_remove(root->left, v);
	else
		root->right = treap_remove(root->right, v);
	return root;
}

struct vma *find_vma(struct mm *mm, gva_t addr)
{
	struct vma *n = mm->vma_root, *best = NULL;

	while (n) {
		if (n->vm_end > addr) {
			best = n;
			if (n->vm_start <= addr)
				break;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vma *vma_lookup(struct mm *mm, gva_t addr)
{
	struct vma *v = find_vma(mm, addr);

	return v && v->vm_start <= addr ? v : NULL;
}

struct vma *vma_prev(struct mm *mm, struct vma *vma)
{
	return vma->list.prev == &mm->vmas
		       ? NULL
		       : list_entry(vma->list.prev, struct vma, list);
}

struct vma *vma_next(struct mm *mm, struct vma *vma)
{
	return vma->list.next == &mm->vmas
		       ? NULL
		       : list_entry(vma->list.next, struct vma, list);
}

struct vma *find_vma_intersection(struct mm *mm, gva_t start, gva_t end)
{
	struct vma *v = find_vma(mm, start);

	return v && v->vm_start < end ? v : NULL;
}

struct vma *vma_alloc(struct kernel *k, struct mm *mm)
{
	struct vma *v = kmem_cache_zalloc(k->vma_cachep, GFP_KERNEL);

	if (!v)
		return NULL;
	v->vm_mm = mm;
	INIT_LIST_HEAD(&v->anon_vma_chain);
	INIT_LIST_HEAD(&v->list);
	return v;
}

void vma_free(struct kernel *k, struct vma *vma)
{
	if (vma->vm_file)
		inode_put(k, vma->vm_file);
	kmem_cache_free(k->vma_cachep, vma);
}

void vma_link(struct mm *mm, struct vma *vma)
{
	struct vma *next = find_vma(mm, vma->vm_start);

	vma->left = vma->right = NULL;
	vma->prio = vma_prio(vma->vm_start);
	mm->vma_root = treap_insert(mm->vma_root, vma);
	list_add_tail(&vma->list, next ? &next->list : &mm->vmas);
	mm->map_count++;
	VMA_DEBUG_CHECK(mm);
}

void vma_unlink(struct mm *mm, struct vma *vma)
{
	/* A hole may widen: the next search starts from the top again. */
	mm->free_area_cache = 0;
	mm->cached_hole_size = 0;
	mm->vma_root = treap_remove(mm->vma_root, vma);
	list_del_init(&vma->list);
	mm->map_count--;
	VMA_DEBUG_CHECK(mm);
}

/*
 * In-order walk of the treap, matching each node with the next vma of
 * the list (*@cur).  @lo/@hi bound the keys (search-tree order), @prio the
 * priorities (heap order).  Returns NULL or what is broken.
 */
static const char *treap_check(struct mm *mm, const struct vma *n, gva_t lo,
			       uint64_t hi, uint32_t prio,
			       struct list_head **cur, int *count, int depth)
{
	const char *why;

	if (!n)
		return NULL;
	if (depth > mm->map_count + 1 || *count > mm->map_count)
		return "treap has a cycle or more nodes than map_count";
	if (n->vm_start < lo || n->vm_start >= hi)
		return "treap out of search order";
	if (n->prio > prio || n->prio != vma_prio(n->vm_start))
		return "treap out of heap order";
	why = treap_check(mm, n->left, lo, n->vm_start, n->prio, cur, count,
			  depth + 1);
	if (why)
		return why;
	(*count)++;
	*cur = (*cur)->next;
	if (*cur == &mm->vmas || list_entry(*cur, struct vma, list) != n)
		return "treap and list disagree";
	return treap_check(mm, n->right, n->vm_start + 1, hi, n->prio, cur,
			   count, depth + 1);
}

const char *vma_sanity_why(struct mm *mm)
{
	const struct vma *v, *prev = NULL;
	struct list_head *cur = &mm->vmas;
	int n = 0, count = 0;
	const char *why;

	list_for_each_entry(v, &mm->vmas, list) {
		if (++n > mm->map_count)
			return "more vmas on the list than map_count";
		if (v->vm_mm != mm)
			return "vma of another mm";
		if (v->vm_start >= v->vm_end)
			return "empty vma";
		if ((v->vm_start | v->vm_end) & (PAGE_SIZE - 1))
			return "vma not page aligned";
		if (prev && prev->vm_end > v->vm_start)
			return prev->vm_start < v->vm_start ? "vmas overlap"
							   : "list out of order";
		prev = v;
	}
	if (n != mm->map_count)
		return "map_count differs from the list";
	why = treap_check(mm, mm->vma_root, 0, UINT64_MAX, UINT32_MAX, &cur,
			  &count, 0);
	if (why)
		return why;
	if (count != n)
		return "treap holds fewer vmas than the list";
	return NULL;
}

/* Change vm_start of a linked vma (the treap key) safely. */
static void vma_set_start(struct mm *mm, struct vma *vma, gva_t start)
{
	mm->vma_root = treap_remove(mm->vma_root, vma);
	vma->vm_start = start;
	vma->left = vma->right = NULL;
	vma->prio = vma_prio(start);
	mm->vma_root = treap_insert(mm->vma_root, vma);
	VMA_DEBUG_CHECK(mm);
}

int split_vma(struct kernel *k, struct vma *vma, gva_t addr, bool new_below)
{
	struct mm *mm = vma->vm_mm;
	struct vma *n;

	if (addr <= vma->vm_start || addr >= vma->vm_end ||
	    (addr & (PAGE_SIZE - 1)))
		kernel_bug(k, "split_vma at %#x outside %#x-%#x", addr,
			   vma->vm_start, vma->vm_end);
	/* a hugetlb vma splits only at huge-page boundaries */
	if (!hugetlb_split_ok(k, vma, addr))
		return -EINVAL;
	if (mm->map_count >= k->mem.max_map_count)
		return -ENOMEM;
	n = vma_alloc(k, mm);
	if (!n)
		return -ENOMEM;
	n->vm_flags = vma->vm_flags;
	n->vm_policy = vma->vm_policy;
	n->vm_file = vma->vm_file ? inode_ref(vma->vm_file) : NULL;
	if (anon_vma_clone(k, n, vma) < 0) {
		vma_free(k, n);
		return -ENOMEM;
	}
	n->anon_vma = vma->anon_vma;
	if (new_below) {
		n->vm_start = vma->vm_start;
		n->vm_end = addr;
		n->vm_pgoff = vma->vm_pgoff;
		vma->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma_set_start(mm, vma, addr);
	} else {
		n->vm_start = addr;
		n->vm_end = vma->vm_end;
		n->vm_pgoff = vma->vm_pgoff +
			      ((addr - vma->vm_start) >> PAGE_SHIFT);
		vma->vm_end = addr;
	}
	vma_link(mm, n);
	return 0;
}

static bool anon_vma_compatible(const struct vma *a, const struct vma *b)
{
	/* Two anon_vmas can only share a vma if they are the same, or one
	 * of the vmas has none yet (and, like Linux, a single chain). */
	if (!a->anon_vma || !b->anon_vma)
		return true;
	return a->anon_vma == b->anon_vma;
}

/* Can @b directly follow @a as one vma? */
static bool can_merge(const struct vma *a, const struct vma *b)
{
	if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags ||
	    a->vm_file != b->vm_file || !mpol_equal(&a->vm_policy, &b->vm_policy))
		return false;
	if (a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) !=
	    b->vm_pgoff)
		return false;
	if (!anon_vma_compatible(a, b))
		return false;
	/* A vma with chains to several anon_vmas (after fork) cannot take
	 * over another's pages: their rmap would point elsewhere. */
	if ((a->anon_vma && !b->anon_vma && !list_empty(&b->anon_vma_chain)) ||
	    (b->anon_vma && !a->anon_vma && !list_empty(&a->anon_vma_chain)))
		return false;
	return true;
}

/* Fold @b (the upper one) into @a and free @b. */
static void merge_into(struct kernel *k, struct vma *a, struct vma *b)
{
	struct mm *mm = a->vm_mm;

	if (!a->anon_vma && b->anon_vma) {
		/* Take over b's chains: a has none (can_merge checked). */
		list_splice_init(&b->anon_vma_chain, &a->anon_vma_chain);
		struct anon_vma_chain *avc;
		list_for_each_entry(avc, &a->anon_vma_chain, same_vma)
			avc->vma = a;
		a->anon_vma = b->anon_vma;
	}
	a->vm_end = b->vm_end;
	vma_unlink(mm, b);
	unlink_anon_vmas(k, b);
	vma_free(k, b);
}

struct vma *vma_merge_neighbours(struct kernel *k, struct vma *vma)
{
	struct mm *mm = vma->vm_mm;
	struct vma *prev = vma_prev(mm, vma), *next = vma_next(mm, vma);

	if (next && can_merge(vma, next))
		merge_into(k, vma, next);
	if (prev && can_merge(prev, vma)) {
		merge_into(k, prev, vma);
		vma = prev;
	}
	return vma;
}

/* Unlink, unmap and free a vma that lies entirely inside the range. */
static void remove_vma(struct kernel *k, struct vma *vma)
{
	struct mm *mm = vma->vm_mm;
	long npages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

	zap_page_range(k, vma, vma->vm_start, vma->vm_end);
	vm_stat_account(mm, vma->vm_flags, -npages);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm -= npages;
	if (vma->vm_flags & VM_ACCOUNT)
		vm_unacct_memory(k, npages);
	vma_unlink(mm, vma);
	unlink_anon_vmas(k, vma);
	vma_free(k, vma);
}

int do_munmap(struct kernel *k, struct mm *mm, gva_t start, uint32_t len)
{
	gva_t end = start + len;
	struct vma *vma = find_vma_intersection(mm, start, end);

	if (!vma)
		return 0;
	/* Split both edges first, so a failure leaves everything mapped. */
	if (vma->vm_start < start) {
		/* Linux refuses when the split would exceed max_map_count. */
		int err = split_vma(k, vma, start, true);
		if (err < 0)
			return err;
	}
	struct vma *last = find_vma(mm, end - 1);
	if (last && last->vm_start < end && last->vm_end > end) {
		int err = split_vma(k, last, end, true);
		if (err < 0)
			return err;
	}
	vma = find_vma(mm, start);
	while (vma && vma->vm_start < end) {
		struct vma *next = vma_next(mm, vma);
		remove_vma(k, vma);
		vma = next;
	}
	return 0;
}

gva_t get_unmapped_area(struct mm *mm, gva_t hint, uint32_t len)
{
	if (!len || len > mm->mmap_base)
		return 0;
	if (hint) {
		hint = ALIGN_UP(hint, PAGE_SIZE);
		struct vma *next = find_vma(mm, hint);
		/* Like Linux's vm_start_gap: the range must also stay clear of
		 * the guard gap below a grows-down vma. */
		uint64_t next_start = next ? next->vm_start : mm->task_size;
		if (next && (next->vm_flags & VM_GROWSDOWN))
			next_start = next_start > STACK_GUARD_GAP
					     ? next_start - STACK_GUARD_GAP
					     : 0;
		/* next is the first vma ending above hint: if it starts at
		 * or below hint, next_start <= hint and the test fails. */
		if (hint >= MMAP_MIN_ADDR && (uint64_t)hint + len <= next_start)
			return hint;
	}
	/* Top-down: the highest gap below mmap_base that fits, skipping the
	 * stack guard gap below a grows-down vma.  Every hole above
	 * free_area_cache is at most cached_hole_size, so a larger request
	 * starts there; the result is the same as a walk from the top. */
	gva_t limit = mm->mmap_base;
	struct vma *v;
	if (mm->free_area_cache && len > mm->cached_hole_size) {
		limit = mm->free_area_cache;
		v = find_vma(mm, limit - 1);
		if (!v)
			v = list_last_entry(&mm->vmas, struct vma, list);
		else if (v->vm_start >= limit)
			v = list_prev_entry(v, list);
	} else {
		mm->cached_hole_size = 0;
		v = list_last_entry(&mm->vmas, struct vma, list);
	}
	for (; &v->list != &mm->vmas; v = list_prev_entry(v, list)) {
		if (v->vm_start >= limit)
			continue;
		gva_t gap_end = limit;
		if (v->vm_end <= gap_end) {
			uint32_t gap = gap_end - v->vm_end;
			if (gap >= len) {
				/* Remember the top of the range: whether the
				 * caller maps it or not, the next walk from
				 * here sees it (as a vma or as a hole). */
				mm->free_area_cache = gap_end;
				return gap_end - len;
			}
			if (gap > mm->cached_hole_size)
				mm->cached_hole_size = gap;
		}
		limit = v->vm_start;
		if (v->vm_flags & VM_GROWSDOWN)
			limit = v->vm_start > STACK_GUARD_GAP
					? v->vm_start - STACK_GUARD_GAP
					: 0;
	}
	if (limit >= MMAP_MIN_ADDR + len) {
		mm->free_area_cache = limit;
		return limit - len;
	}
	return 0;
}

uint32_t vm_page_prot(unsigned long flags)
{
	uint32_t prot = PTE_V | PTE_U;

	/* RISC-V has no write-only pages: PROT_WRITE implies read, as in
	 * Linux's riscv protection_map. */
	if (flags & (VM_READ | VM_WRITE))
		prot |= PTE_R;
	if (flags & VM_WRITE)
		prot |= PTE_W;
	if (flags & VM_EXEC)
		prot |= PTE_X;
	return prot;
}
