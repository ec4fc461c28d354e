/*
 * Reverse mapping of anonymous pages: anon_vma and anon_vma_chain.
 *
 * As in Linux, an anonymous page points (page->mapping, low bit set) at the
 * anon_vma of the vma that first faulted it, and page->index holds its
 * linear page index.  Every vma that may map the page is reachable from
 * that anon_vma through anon_vma_chain links: fork gives the child vma a
 * chain to each of the parent's anon_vmas plus an anon_vma of its own, so
 * reclaim can find every PTE mapping a page:
 *
 *   page -> anon_vma -> chains -> vma -> address = vm_start +
 *                                        ((index - vm_pgoff) << PAGE_SHIFT)
 */
#include <errno.h>

#include "kernel/kernel/sched.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/swap.h"

static struct anon_vma *anon_vma_alloc(struct kernel *k)
{
	struct anon_vma *av = kmem_cache_zalloc(k->anon_vma_cachep, GFP_KERNEL);

	if (!av)
		return NULL;
	av->root = av;
	av->refcount = 1;
	INIT_LIST_HEAD(&av->chains);
	return av;
}

static void put_anon_vma(struct kernel *k, struct anon_vma *av)
{
	if (--av->refcount > 0)
		return;
	struct anon_vma *root = av->root, *parent = av->parent;

	kmem_cache_free(k->anon_vma_cachep, av);
	if (parent)
		parent->degree--;
	if (root != av)
		put_anon_vma(k, root);
}

static int anon_vma_chain_link(struct kernel *k, struct vma *vma,
			       struct anon_vma *av)
{
	struct anon_vma_chain *avc =
		kmem_cache_alloc(k->avc_cachep, GFP_KERNEL);

	if (!avc)
		return -ENOMEM;
	avc->vma = vma;
	avc->anon_vma = av;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->same_anon_vma, &av->chains);
	av->refcount++;
	return 0;
}

int anon_vma_prepare(struct kernel *k, struct vma *vma)
{
	struct anon_vma *av;

	if (vma->anon_vma)
		return 0;
	av = anon_vma_alloc(k);
	if (!av)
		return -ENOMEM;
	if (anon_vma_chain_link(k, vma, av) < 0) {
		put_anon_vma(k, av);
		return -ENOMEM;
	}
	put_anon_vma(k, av); /* the chain holds it now */
	av->degree++;
	vma->anon_vma = av;
	return 0;
}

int anon_vma_clone(struct kernel *k, struct vma *dst, struct vma *src)
{
	struct anon_vma_chain *avc;

	list_for_each_entry_reverse(avc, &src->anon_vma_chain, same_vma) {
		if (anon_vma_chain_link(k, dst, avc->anon_vma) < 0) {
			unlink_anon_vmas(k, dst);
			return -ENOMEM;
		}
	}
	if (dst->anon_vma)
		dst->anon_vma->degree++;
	return 0;
}

int anon_vma_fork(struct kernel *k, struct vma *dst, struct vma *src)
{
	struct anon_vma *av;

	dst->anon_vma = NULL;
	if (!src->anon_vma)
		return 0;
	if (anon_vma_clone(k, dst, src) < 0)
		return -ENOMEM;
	av = anon_vma_alloc(k);
	if (!av)
		goto fail;
	av->root = src->anon_vma->root;
	av->root->refcount++;
	av->parent = src->anon_vma;
	av->parent->degree++;
	if (anon_vma_chain_link(k, dst, av) < 0) {
		put_anon_vma(k, av);
		goto fail;
	}
	put_anon_vma(k, av);
	av->degree++;
	dst->anon_vma = av;
	return 0;
fail:
	unlink_anon_vmas(k, dst);
	return -ENOMEM;
}

void unlink_anon_vmas(struct kernel *k, struct vma *vma)
{
	struct anon_vma_chain *avc, *tmp;

	if (vma->anon_vma)
		vma->anon_vma->degree--;
	list_for_each_entry_safe(avc, tmp, &vma->anon_vma_chain, same_vma) {
		list_del(&avc->same_vma);
		list_del(&avc->same_anon_vma);
		put_anon_vma(k, avc->anon_vma);
		kmem_cache_free(k->avc_cachep, avc);
	}
	vma->anon_vma = NULL;
}

/* A fresh anonymous page of @vma at @addr: first mapping, exclusive. */
void page_add_new_anon_rmap(struct kernel *k, struct page *page,
			    struct vma *vma, gva_t addr)
{
	struct anon_vma *av = vma->anon_vma;

	av->refcount++; /* the page's reference keeps the anon_vma alive */
	page->mapping = (void *)((uintptr_t)av | PAGE_MAPPING_ANON);
	page->index = linear_page_index(vma, addr);
	page->_mapcount = 0;
	SetPageAnonExclusive(page);
	SetPageSwapBacked(page);
	mod_node_page_state(&k->mem, page, NR_ANON_MAPPED, 1);
}

void page_add_anon_rmap(struct kernel *k, struct page *page)
{
	if (page->_mapcount++ == -1)
		mod_node_page_state(&k->mem, page, NR_ANON_MAPPED, 1);
}

void page_add_file_rmap(struct kernel *k, struct page *page)
{
	if (page->_mapcount++ == -1)
		mod_node_page_state(&k->mem, page, NR_FILE_MAPPED, 1);
}

void page_remove_rmap(struct kernel *k, struct page *page)
{
	if (--page->_mapcount != -1)
		return;
	if (PageMlocked(page))
		munlock_page(k, page); /* no mapping keeps it locked now */
	if (PageAnon(page)) {
		mod_node_page_state(&k->mem, page, NR_ANON_MAPPED, -1);
	} else {
		mod_node_page_state(&k->mem, page, NR_FILE_MAPPED, -1);
	}
}

/* Called when an anonymous page is finally freed: drop its anon_vma. */
static void page_anon_release(struct kernel *k, struct page *page)
{
	struct anon_vma *av =
		(struct anon_vma *)((uintptr_t)page->mapping &
				    ~(uintptr_t)PAGE_MAPPING_ANON);

	page->mapping = NULL;
	ClearPageAnonExclusive(page);
	ClearPageSwapBacked(page);
	put_anon_vma(k, av);
}

void release_page(struct kernel *k, struct page *page)
{
	if (page_count(page) > 1) {
		page_ref_dec(page);
		return;
	}
	/* The last reference: undo what the page carries, then let
	 * __free_pages drop the reference and free it. */
	if (PageLRU(page))
		lru_del_page(k, page);
	if (PageAnon(page))
		page_anon_release(k, page);
	__free_pages(&k->mem, page, 0);
}
