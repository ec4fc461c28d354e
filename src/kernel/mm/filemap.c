/*
 * Inodes and the page cache.
 *
 * A file of the sandbox that is mmap'ed, exec'ed or read is represented by
 * one inode per host (dev, ino), holding its cached pages by index.  File
 * faults map these pages (filemap_fault); read() and write() go through them
 * too when they exist, so a MAP_SHARED store and a later read() agree, as on
 * Linux.  Dirty pages are written back to the host file on msync(MS_SYNC),
 * truncate and when the last reference to the inode goes.
 *
 * Page-cache pages sit on the file LRU and hold one reference for the
 * cache; each PTE mapping one holds another.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/kernel/sched.h"
#include "kernel/lib/string.h"
#include "kernel/mm/internal.h"
#include "kernel/mm/pagemap.h"
#include "kernel/mm/rmap.h"
#include "kernel/mm/slab.h"
#include "kernel/mm/swap.h"

/* The access mode of host descriptor @fd: O_RDONLY, O_WRONLY, O_RDWR or -1. */
static int host_fd_mode(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fl & O_ACCMODE;
}

/*
 * A descriptor of the same host file that can read and write, when the
 * file allows it: the cache reads whole pages in before a partial write
 * and writes them back later, whatever the guest opened it for.
 */
static int host_fd_rdwr(int fd, bool readonly)
{
	char proc[64];
	int r = -1;

	/* A new open file description: never the guest's O_APPEND or
	 * position.  Never writable under a read-only root (:ro). */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (!readonly)
		r = open(proc, O_RDWR | O_CLOEXEC);
	if (r < 0)
		r = open(proc, O_RDONLY | O_CLOEXEC);
	if (r < 0 && !(fcntl(fd, F_GETFL) & O_APPEND))
		r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return r;
}

static void inode_set_host_fd(struct inode *inode, int fd)
{
	int mode = host_fd_mode(fd);

	inode->host_fd = fd;
	inode->readable = mode == O_RDONLY || mode == O_RDWR;
	inode->writable = mode == O_WRONLY || mode == O_RDWR;
}

struct inode *inode_get_host(struct kernel *k, int host_fd, const char *path)
{
	bool ro = k->cfg.root_readonly;
	struct stat st;
	struct inode *inode;

	if (fstat(host_fd, &st) < 0)
		return NULL;
	list_for_each_entry(inode, &k->inodes, list) {
		if (inode->dev == (uint64_t)st.st_dev &&
		    inode->ino == (uint64_t)st.st_ino) {
			inode->size = (uint64_t)st.st_size;
			if (inode->host_fd < 0) {
				/* Unused, its descriptor given back: this
				 * open lends one again. */
				int fd = host_fd_rdwr(host_fd, ro);
				if (fd < 0)
					return NULL;
				inode_set_host_fd(inode, fd);
			} else if (!inode->readable || !inode->writable) {
				/* This open may allow what the first did
				 * not: take the better descriptor. */
				int fd = host_fd_rdwr(host_fd, ro);
				if (fd >= 0 && host_fd_mode(fd) == O_RDWR) {
					close(inode->host_fd);
					inode_set_host_fd(inode, fd);
				} else if (fd >= 0) {
					close(fd);
				}
			}
			if (inode->idle_fd) {
				inode->idle_fd = false;
				k->nr_idle_fds--;
			}
			return inode_ref(inode);
		}
	}
	inode = kmem_cache_zalloc(k->inode_cachep, GFP_KERNEL);
	if (!inode)
		return NULL;
	int fd = host_fd_rdwr(host_fd, ro);
	if (fd < 0) {
		kmem_cache_free(k->inode_cachep, inode);
		return NULL;
	}
	inode_set_host_fd(inode, fd);
	inode->i_name = name_dup(k, path);
	if (!inode->i_name) {
		close(inode->host_fd);
		kmem_cache_free(k->inode_cachep, inode);
		return NULL;
	}
	inode->refcount = 1;
	inode->kind = INODE_HOST;
	inode->dev = (uint64_t)st.st_dev;
	inode->ino = (uint64_t)st.st_ino;
	inode->size = (uint64_t)st.st_size;
	file_ra_state_init(&inode->ra);
	list_add_tail(&inode->list, &k->inodes);
	return inode;
}

/*
 * The object behind a MAP_SHARED | MAP_ANONYMOUS mapping (Linux's
 * shmem_zero_setup): an inode with no host file whose pages start zeroed
 * and live only in its page cache, @size bytes long (accesses to pages
 * beyond it raise SIGBUS, as on shmem).  Shown in maps as Linux shows it.
 * Returns the inode with one reference, or NULL when memory is short.
 */
struct inode *shmem_inode_create(struct kernel *k, uint64_t size)
{
	struct inode *inode = kmem_cache_zalloc(k->inode_cachep, GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->i_name = name_dup(k, "/dev/zero (deleted)");
	if (!inode->i_name) {
		kmem_cache_free(k->inode_cachep, inode);
		return NULL;
	}
	inode->refcount = 1;
	inode->kind = INODE_MEM;
	inode->host_fd = -1;
	inode->dev = ~0ull; /* never equal to a host (dev, ino) */
	inode->size = size;
	list_add_tail(&inode->list, &k->inodes);
	return inode;
}

/* Dirty file pages: the node's NR_FILE_DIRTY and the zone's write-pending
 * count move together, as Linux's folio_account_dirtied does. */
static void account_dirty(struct kernel *k, struct page *page, long delta)
{
	mod_node_page_state(&k->mem, page, NR_FILE_DIRTY, delta);
	mod_zone_page_state(page_zone(&k->mem, page), NR_ZONE_WRITE_PENDING,
			    delta);
}

/*
 * The page cache of an inode is a radix tree over the 32-bit page index:
 * four levels of 256 slots, nodes allocated on demand from kmalloc-2048
 * in emulated RAM (like Linux's xarray nodes, they count as kernel
 * memory).  A sparse file costs nodes only where it has cached pages.
 */
#define PC_BITS 8
#define PC_FANOUT (1u << PC_BITS)
#define PC_LEVELS 4

struct pc_node {
	void *slot[PC_FANOUT];
};

/* The leaf slot for @index; with @create, missing nodes are allocated
 * (NULL when memory is short or @index does not fit 32 bits). */
static struct page **pc_slot(struct kernel *k, struct inode *inode,
			     unsigned long index, bool create)
{
	void **np = &inode->pc_root;

	if (index >> (PC_BITS * PC_LEVELS))
		return NULL;
	for (int lvl = PC_LEVELS - 1; lvl >= 0; lvl--) {
		if (!*np) {
			if (!create)
				return NULL;
			*np = kzalloc(&k->mem, sizeof(struct pc_node),
				      GFP_KERNEL);
			if (!*np)
				return NULL;
		}
		struct pc_node *n = *np;
		np = &n->slot[(index >> (lvl * PC_BITS)) & (PC_FANOUT - 1)];
	}
	return (struct page **)np;
}

struct page *filemap_find_page(struct kernel *k, struct inode *inode,
			       unsigned long index)
{
	struct page **slot = pc_slot(k, inode, index, false);

	return slot ? *slot : NULL;
}

typedef void (*pc_visit_t)(struct kernel *k, struct inode *inode,
			   unsigned long index, struct page *page, void *arg);

/* Visit the cached pages with index >= @first in index order. */
static void pc_walk(struct kernel *k, struct inode *inode, void *node, int lvl,
		    unsigned long base, unsigned long first, pc_visit_t fn,
		    void *arg)
{
	struct pc_node *n = node;
	unsigned long span = 1ul << (lvl * PC_BITS);

	if (!n)
		return;
	for (unsigned i = 0; i < PC_FANOUT; i++) {
		unsigned long idx = base + i * span;
		if (idx + span <= first || !n->slot[i])
			continue;
		if (lvl)
			pc_walk(k, inode, n->slot[i], lvl - 1, idx, first, fn,
				arg);
		else
			fn(k, inode, idx, n->slot[i], arg);
	}
}

static void pc_for_each(struct kernel *k, struct inode *inode,
			unsigned long first, pc_visit_t fn, void *arg)
{
	pc_walk(k, inode, inode->pc_root, PC_LEVELS - 1, 0, first, fn, arg);
}

static void pc_free(struct kernel *k, void *node, int lvl)
{
	struct pc_node *n = node;

	if (!n)
		return;
	if (lvl)
		for (unsigned i = 0; i < PC_FANOUT; i++)
			pc_free(k, n->slot[i], lvl - 1);
	kfree(&k->mem, n);
}

/* filemap:mm_filemap_add_to/delete_from_page_cache */
static void __cold pagecache_event(struct kernel *k, unsigned type,
				   struct inode *inode, struct page *page)
{
	trace_emit(ktrace(k), &(struct trace_event){
		.type = (uint16_t)type, .flags = TEV_PHYS,
		.addr = page_to_phys(&k->mem, page),
		.arg = { page_to_pfn(&k->mem, page), inode->ino, page->index,
			 inode->dev, inode->nrpages },
		.str = inode->i_name });
}

static void page_cache_delete(struct kernel *k, struct inode *inode,
			      unsigned long index)
{
	struct page **slot = pc_slot(k, inode, index, false);
	struct page *page = *slot;

	if (trace_on(ktrace(k), EV_PAGECACHE_DEL))
		pagecache_event(k, EV_PAGECACHE_DEL, inode, page);

	*slot = NULL;
	inode->nrpages--;
	mod_node_page_state(&k->mem, page, NR_FILE_PAGES, -1);
	if (inode->kind == INODE_MEM)
		mod_node_page_state(&k->mem, page, NR_SHMEM, -1);
	if (PageDirty(page)) {
		ClearPageDirty(page);
		account_dirty(k, page, -1);
	}
	page->mapping = NULL;
	release_page(k, page);
}

void filemap_remove_page(struct kernel *k, struct page *page)
{
	struct inode *inode = page->mapping;

	page_cache_delete(k, inode, page->index);
	inode_try_free(k, inode);
}

/* Final eviction: write back what is dirty, then drop it. */
static void evict_page(struct kernel *k, struct inode *inode,
		       unsigned long index, struct page *page, void *arg)
{
	(void)arg;
	if (PageDirty(page) && inode->kind == INODE_HOST)
		(void)filemap_writepage(k, page);
	page_cache_delete(k, inode, index);
}

static void inode_free(struct kernel *k, struct inode *inode)
{
	if (inode->idle_fd)
		k->nr_idle_fds--;
	pc_for_each(k, inode, 0, evict_page, NULL);
	pc_free(k, inode->pc_root, PC_LEVELS - 1);
	list_del(&inode->list);
	if (inode->host_fd >= 0)
		close(inode->host_fd);
	name_free(k, inode->i_name);
	kmem_cache_free(k->inode_cachep, inode);
}

/*
 * The last reference to a host file's inode keeps its page cache (and the
 * inode with it) until reclaim or drop_caches empties it, as Linux keeps
 * an unused inode's pages -- unless the file was unlinked, whose pages
 * nobody can find again.
 */
void inode_put(struct kernel *k, struct inode *inode)
{
	struct stat st;

	if (--inode->refcount > 0)
		return;
	if (inode->kind == INODE_HOST && inode->nrpages &&
	    fstat(inode->host_fd, &st) == 0 && st.st_nlink > 0) {
		inode_idle(k, inode);
		return;
	}
	inode_free(k, inode);
}

void inode_host_unlinked(struct kernel *k, uint64_t dev, uint64_t ino)
{
	struct inode *inode;

	list_for_each_entry(inode, &k->inodes, list) {
		if (inode->kind != INODE_HOST || inode->dev != dev ||
		    inode->ino != ino)
			continue;
		/* in use: the last inode_put() sees st_nlink 0 and frees it */
		if (inode->refcount == 0)
			inode_free(k, inode);
		return;
	}
}

static void count_dirty(struct kernel *k, struct inode *inode,
			unsigned long index, struct page *page, void *arg)
{
	(void)k;
	(void)inode;
	(void)index;
	*(unsigned long *)arg += PageDirty(page) ? 1 : 0;
}

/*
 * An inode nobody uses keeps a host descriptor only while it has dirty
 * pages to write back, and only for MAX_IDLE_FDS files: beyond, its dirty
 * pages are written back now, so the host's descriptor table does not
 * fill with closed files.  The next open lends it a descriptor again.
 */
#define MAX_IDLE_FDS 64

void inode_idle(struct kernel *k, struct inode *inode)
{
	unsigned long dirty = 0;

	if (inode->refcount || inode->host_fd < 0 || inode->idle_fd)
		return;
	pc_for_each(k, inode, 0, count_dirty, &dirty);
	if (dirty && k->nr_idle_fds < MAX_IDLE_FDS) {
		inode->idle_fd = true;
		k->nr_idle_fds++;
		return;
	}
	if (dirty) {
		filemap_sync_range(k, inode, 0, ~0ul);
		inode->dirtied_when = 0;
	}
	close(inode->host_fd);
	inode->host_fd = -1;
	inode->readable = inode->writable = false;
}

void inode_try_free(struct kernel *k, struct inode *inode)
{
	if (inode->refcount == 0 && inode->nrpages == 0)
		inode_free(k, inode);
}

void filemap_shutdown(struct kernel *k)
{
	struct inode *inode, *tmp;

	list_for_each_entry_safe(inode, tmp, &k->inodes, list)
		if (inode->refcount == 0)
			inode_free(k, inode);
}

void set_page_dirty(struct kernel *k, struct page *page)
{
	struct inode *inode = page->mapping;

	if (PageDirty(page))
		return;
	SetPageDirty(page);
	account_dirty(k, page, 1);
	if (inode && inode->kind == INODE_HOST && !inode->dirtied_when)
		inode->dirtied_when = kernel_ns(k) | 1;
}

int filemap_writepage(struct kernel *k, struct page *page)
{
	struct inode *inode = page->mapping;
	uint64_t off = (uint64_t)page->index << PAGE_SHIFT;

	if (!PageDirty(page) || inode->kind != INODE_HOST)
		return 0; /* shmem pages have no backing store to write */
	ClearPageDirty(page);
	account_dirty(k, page, -1);
	if (off >= inode->size)
		return 0;
	size_t n = inode->size - off < PAGE_SIZE ? inode->size - off
						 : PAGE_SIZE;
	if (pwrite(inode->host_fd, page_address(&k->mem, page), n,
		   (off_t)off) != (ssize_t)n)
		return -EIO;
	count_vm_events(&k->mem, PGPGOUT, (long)(n + 1023) / 1024);
	return 0;
}

static void writeback_page(struct kernel *k, struct inode *inode,
			   unsigned long index, struct page *page, void *last)
{
	(void)inode;
	if (index <= *(unsigned long *)last)
		(void)filemap_writepage(k, page);
}

void filemap_sync_range(struct kernel *k, struct inode *inode,
			unsigned long first, unsigned long last)
{
	pc_for_each(k, inode, first, writeback_page, &last);
}

static void drop_unmapped(struct kernel *k, struct inode *inode,
			  unsigned long index, struct page *page, void *arg)
{
	(void)arg;
	if (page_mapcount(page) == 0)
		page_cache_delete(k, inode, index);
}

void filemap_truncate(struct kernel *k, struct inode *inode, uint64_t size)
{
	unsigned long first = (unsigned long)((size + PAGE_SIZE - 1) >>
					      PAGE_SHIFT);

	inode->size = size;
	/* Mappings lose the pages beyond the new end (later accesses there
	 * raise SIGBUS), then the cache drops them. */
	unmap_mapping_range(k, inode, first);
	pc_for_each(k, inode, first, drop_unmapped, NULL);
	/* Zero the tail of a partial last page, as truncate does. */
	if (size & (PAGE_SIZE - 1)) {
		struct page *last = filemap_find_page(k, inode,
						      size >> PAGE_SHIFT);
		if (last) {
			uint8_t *p = page_address(&k->mem, last);
			memset(p + (size & (PAGE_SIZE - 1)), 0,
			       PAGE_SIZE - (size & (PAGE_SIZE - 1)));
		}
	}
}

/* Read page @index of @inode from the host into a new page-cache page
 * (@gfp with __GFP_ZERO: a page a write will cover, or beyond the old end
 * of the file -- zeroed, not read). */
static struct page *page_cache_read(struct kernel *k, struct inode *inode,
				    unsigned long index, gfp_t gfp)
{
	struct page *page;
	uint64_t off = (uint64_t)index << PAGE_SHIFT;
	struct page **slot = pc_slot(k, inode, index, true);

	if (!slot)
		return NULL;
	page = alloc_page_vma(k, gfp, NULL, 0);
	if (!page)
		return NULL;
	uint8_t *p = page_address(&k->mem, page);
	if (inode->kind == INODE_MEM) {
		/* A shmem page is born zeroed and never read from disk; it
		 * is swap-backed, so it lives on the anon LRU. */
		memset(p, 0, PAGE_SIZE);
		SetPageSwapBacked(page);
		mod_node_page_state(&k->mem, page, NR_SHMEM, 1);
	} else if (gfp & __GFP_ZERO) {
		memset(p, 0, PAGE_SIZE);
	} else {
		ssize_t n = inode->readable ? pread(inode->host_fd, p,
						    PAGE_SIZE, (off_t)off)
					    : 0;
		if (n < 0)
			n = 0;
		memset(p + n, 0, PAGE_SIZE - (size_t)n);
		count_vm_events(&k->mem, PGPGIN, (n + 1023) / 1024);
	}
	page->mapping = inode;
	page->index = index;
	SetPageUptodate(page);
	*slot = page;
	inode->nrpages++;
	mod_node_page_state(&k->mem, page, NR_FILE_PAGES, 1);
	/* Evicted recently enough to have stayed: start it active. */
	if (inode->kind == INODE_HOST &&
	    workingset_refault(k, page,
			       workingset_file_key(inode->dev, inode->ino,
						   index),
			       true))
		SetPageActive(page);
	lru_add_page(k, page);
	if (trace_on(ktrace(k), EV_PAGECACHE_ADD))
		pagecache_event(k, EV_PAGECACHE_ADD, inode, page);
	return page;
}

struct page *page_cache_alloc_read(struct kernel *k, struct inode *inode,
				   unsigned long index)
{
	/* Readahead is a hint: it neither stalls for long nor warns. */
	return page_cache_read(k, inode, index,
			       GFP_HIGHUSER_MOVABLE | __GFP_NORETRY |
				       __GFP_NOWARN);
}

/* A use of a cached page: referenced, then activated on a second use
 * while inactive (mark_page_accessed). */
static void mark_page_accessed(struct kernel *k, struct page *page)
{
	if (!PageActive(page) && PageReferenced(page) && PageLRU(page)) {
		lru_del_page(k, page);
		SetPageActive(page);
		ClearPageReferenced(page);
		lru_add_page(k, page);
		count_vm_event(&k->mem, PGACTIVATE);
	} else {
		SetPageReferenced(page);
	}
}

/* Fault path: the page at @index, read in (with readahead) when missing. */
static struct page *__filemap_get_page(struct kernel *k, struct vma *vma,
				       struct inode *inode, unsigned long index,
				       bool *major, bool *oom)
{
	struct page *page;

	*major = false;
	*oom = false;
	/* A page wholly beyond EOF: SIGBUS (the size is rounded up). */
	if ((uint64_t)index << PAGE_SHIFT >=
	    ALIGN_UP(inode->size, (uint64_t)PAGE_SIZE))
		return NULL;
	page = filemap_find_page(k, inode, index);
	if (page && vma) {
		do_async_mmap_readahead(k, vma, page);
	} else if (!page) {
		if (vma)
			do_sync_mmap_readahead(k, vma, index);
		page = filemap_find_page(k, inode, index);
		if (!page)
			page = page_cache_read(k, inode, index,
					       GFP_HIGHUSER_MOVABLE |
						       __GFP_NOWARN);
		if (!page) {
			*oom = true;
			return NULL;
		}
		ClearPageReadahead(page);
		*major = true;
	}
	if (!*major)
		mark_page_accessed(k, page);
	get_page(page);
	return page;
}

struct page *filemap_get_page(struct kernel *k, struct inode *inode,
			      unsigned long index, bool *major, bool *oom)
{
	return __filemap_get_page(k, NULL, inode, index, major, oom);
}

struct page *filemap_fault(struct kernel *k, struct vma *vma,
			   unsigned long index, bool *major, bool *oom)
{
	return __filemap_get_page(k, vma, vma->vm_file, index, major, oom);
}

/*
 * Fault-around (Linux's do_fault_around and filemap_map_pages): a read
 * fault on a file mapping also maps the pages of the aligned
 * fault_around_bytes window that are already cached, inside the vma and
 * not mapped yet; nothing is read or allocated.  Pages marked for
 * readahead are left for a fault of their own, which starts the next
 * window.  The prefaulted PTEs are old (no A bit), as on x86 and arm64.
 * Returns true when the faulting page itself was mapped: a minor fault.
 */
bool do_fault_around(struct kernel *k, struct vm_fault *vmf)
{
	struct vma *vma = vmf->vma;
	struct inode *inode = vma->vm_file;
	unsigned long nr = k->fault_around_bytes >> PAGE_SHIFT;
	bool mapped = false;

	if (nr < 1)
		nr = 1;
	gva_t start = ALIGN_DOWN(vmf->address, (gva_t)(nr << PAGE_SHIFT));
	if (nr == 1)
		start = vmf->address;
	gva_t end = start + (gva_t)(nr << PAGE_SHIFT);
	if (start < vma->vm_start)
		start = vma->vm_start;
	if (end > vma->vm_end || end < start)
		end = vma->vm_end;
	uint64_t eof = ALIGN_UP(inode->size, (uint64_t)PAGE_SIZE) >> PAGE_SHIFT;

	for (gva_t a = start; a < end; a += PAGE_SIZE) {
		unsigned long index = linear_page_index(vma, a);
		pte_slot_t slot = pte_offset(k, vma->vm_mm, a, false);

		if (!slot || index >= eof || !pte_none(ptep_get(k, slot)))
			continue;
		struct page *page = filemap_find_page(k, inode, index);
		if (!page || PageReadahead(page) || !PageUptodate(page))
			continue;
		get_page(page);
		page_add_file_rmap(k, page);
		mm_add_rss(vma->vm_mm, mm_counter_file(page), 1);
		pte_t pte = pfn_pte(page_to_pfn(&k->mem, page),
				    mk_pte_prot(vma->vm_flags, false));
		if (a == vmf->address) {
			pte |= PTE_A;
			mark_page_accessed(k, page);
			mapped = true;
		}
		set_pte(k, slot, pte);
		/* A hit: mmap read-around pays (filemap_map_pages). */
		if (inode->ra.mmap_miss)
			inode->ra.mmap_miss--;
	}
	return mapped;
}

static void ra_read(struct kernel *k, struct inode *inode,
		    struct file_ra_state *ra, unsigned long index,
		    unsigned long last, bool async, struct page *page)
{
	struct ra_ctl rc = { k, inode, ra, 0 };

	if (async)
		page_cache_async_ra(&rc, page, last - index);
	else
		page_cache_sync_ra(&rc, index, last - index);
}

/*
 * read() and write() through the page cache (filemap_read and
 * generic_perform_write).  A read fills missing pages from the host with
 * readahead (@ra, the open file's state; NULL: none), a write copies into
 * cache pages (read in first) and dirties them; writeback comes later.
 * A file that grows is extended on the host at once (a hole), so the
 * host's size -- what fstat and lseek see -- is always the file's.  When
 * a page cannot be had (memory short) the bytes go straight between the
 * host file and @buf: the page is not cached, so nothing is incoherent.
 * Returns bytes moved or -errno.
 */
long filemap_rw(struct kernel *k, struct inode *inode, void *buf, size_t len,
		uint64_t off, bool write)
{
	return filemap_rw_ra(k, inode, NULL, buf, len, off, write);
}

long filemap_rw_ra(struct kernel *k, struct inode *inode,
		   struct file_ra_state *ra, void *buf, size_t len,
		   uint64_t off, bool write)
{
	size_t done = 0;
	uint64_t old_size = inode->size;

	if (!write && off >= inode->size)
		return 0;
	if (!write && off + len > inode->size)
		len = inode->size - off;
	if (write && len && off + len > inode->size) {
		if (ftruncate(inode->host_fd, (off_t)(off + len)) < 0)
			return -errno;
		inode->size = off + len;
	}
	unsigned long last = (unsigned long)((off + len + PAGE_SIZE - 1) >>
					     PAGE_SHIFT);
	while (done < len) {
		unsigned long idx = (off + done) >> PAGE_SHIFT;
		size_t in = (off + done) & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - in < len - done ? PAGE_SIZE - in
						       : len - done;
		struct page *page = filemap_find_page(k, inode, idx);
		uint8_t *b = (uint8_t *)buf + done;

		if (!page && !write && ra) {
			ra_read(k, inode, ra, idx, last, false, NULL);
			page = filemap_find_page(k, inode, idx);
		} else if (page && !write && ra && PageReadahead(page)) {
			ra_read(k, inode, ra, idx, last, true, page);
		}
		/* A write covering the whole page, or one beyond the old
		 * end, has nothing to read first (write_begin). */
		bool fresh = write && (n == PAGE_SIZE ||
				       (uint64_t)idx << PAGE_SHIFT >= old_size);
		if (!page && (inode->readable || inode->kind == INODE_MEM))
			page = page_cache_read(k, inode, idx,
					       GFP_HIGHUSER_MOVABLE |
						       __GFP_NOWARN |
						       (fresh ? __GFP_ZERO : 0));
		if (page) {
			gpa_t pa = page_to_phys(&k->mem, page) + in;
			/* A write drops the frame's decoded instructions. */
			if (write ? mmu_phys_write(&k->mmu, pa, b, n)
				  : mmu_phys_read(&k->mmu, pa, b, n))
				return done ? (long)done : -EFAULT;
			if (write)
				set_page_dirty(k, page);
			mark_page_accessed(k, page);
		} else {
			ssize_t r = write ? pwrite(inode->host_fd, b, n,
						   (off_t)(off + done))
					  : pread(inode->host_fd, b, n,
						  (off_t)(off + done));
			if (r < 0)
				return done ? (long)done : -errno;
			if (!write)
				count_vm_events(&k->mem, PGPGIN,
						(r + 1023) / 1024);
			else
				count_vm_events(&k->mem, PGPGOUT,
						(r + 1023) / 1024);
			if ((size_t)r < n) {
				done += (size_t)r;
				break;
			}
		}
		done += n;
	}
	if (ra && !write)
		ra->prev_pos = off + done;
	return (long)done;
}

static void drop_clean_page(struct kernel *k, struct inode *inode,
			    unsigned long index, struct page *page, void *arg)
{
	(void)arg;
	if (!PageDirty(page) && page_mapcount(page) == 0 &&
	    page_count(page) == 1) {
		page_cache_delete(k, inode, index);
	}
}

void filemap_drop_clean(struct kernel *k, struct inode *inode)
{
	pc_for_each(k, inode, 0, drop_clean_page, NULL);
}

/*
 * Call @fn for every vma of every address space that maps @inode.  There
 * is no i_mmap tree: the tasks' address spaces are searched (an mm shared
 * by several tasks is visited once per task; @fn must be idempotent).
 */
static void for_each_file_vma(struct kernel *k, struct inode *inode,
			      void (*fn)(struct kernel *, struct vma *, void *),
			      void *arg)
{
	struct task *t;
	struct vma *vma;

	list_for_each_entry(t, &k->tasks, tasks) {
		if (!t->mm)
			continue;
		list_for_each_entry(vma, &t->mm->vmas, list)
			if (vma->vm_file == inode)
				fn(k, vma, arg);
	}
}

/* Move the hardware dirty bit of a shared PTE to its page and write
 * protect it again, so the next store is noticed (page_mkclean). */
static void mkclean_pte(struct kernel *k, pte_slot_t slot, gva_t addr,
			pte_t pte, void *vma)
{
	struct vma *v = vma;

	if (!pte_present(pte) || (pte & PTE_SPECIAL) ||
	    !(pte & (PTE_W | PTE_D)))
		return;
	if (pte & PTE_D)
		set_page_dirty(k, pfn_to_page(&k->mem, pte_pfn(pte)));
	set_pte(k, slot, pte & ~(pte_t)(PTE_W | PTE_D));
	flush_tlb_page(k, v->vm_mm, addr);
}

static void mkclean_vma(struct kernel *k, struct vma *vma, void *arg)
{
	(void)arg;
	if (vma->vm_flags & VM_SHARED)
		for_each_pte(k, vma->vm_mm, vma->vm_start, vma->vm_end,
			     mkclean_pte, vma);
}

void filemap_write_and_wait(struct kernel *k, struct inode *inode)
{
	for_each_file_vma(k, inode, mkclean_vma, NULL);
	filemap_sync_range(k, inode, 0, ~0ul);
}

/* Unmap every page at or beyond @first from every mapping of the file
 * (truncate: Linux's unmap_mapping_range, private copies included). */
static void unmap_vma_tail(struct kernel *k, struct vma *vma, void *arg)
{
	unsigned long first = *(unsigned long *)arg;
	unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

	if (vma->vm_pgoff + pages <= first)
		return;
	gva_t start = vma->vm_start;
	if (first > vma->vm_pgoff)
		start += (gva_t)((first - vma->vm_pgoff) << PAGE_SHIFT);
	zap_page_range(k, vma, start, vma->vm_end);
}

void unmap_mapping_range(struct kernel *k, struct inode *inode,
			 unsigned long first)
{
	for_each_file_vma(k, inode, unmap_vma_tail, &first);
}

struct inval_arg {
	unsigned long last;
	int err;
	bool reread;
};

static void inval_page(struct kernel *k, struct inode *inode,
		       unsigned long index, struct page *page, void *arg)
{
	struct inval_arg *ia = arg;

	if (index > ia->last)
		return;
	if (PageDirty(page) && filemap_writepage(k, page) < 0)
		ia->err = -EIO;
	if (!PageDirty(page) && page_mapcount(page) == 0 &&
	    page_count(page) == 1) {
		page_cache_delete(k, inode, index);
	} else if (ia->reread && !PageDirty(page)) {
		/* Still mapped after a direct write: it shows the file. */
		uint8_t buf[PAGE_SIZE];
		ssize_t n = pread(inode->host_fd, buf, PAGE_SIZE,
				  (off_t)((uint64_t)index << PAGE_SHIFT));
		if (n < 0)
			n = 0;
		memset(buf + n, 0, PAGE_SIZE - (size_t)n);
		if (mmu_phys_write(&k->mmu, page_to_phys(&k->mem, page), buf,
				   PAGE_SIZE))
			ia->err = -EIO;
	}
}

/*
 * O_DIRECT around the cache (Linux's kiocb_write_and_wait and
 * kiocb_invalidate_pages): the cached pages of [off, off + len) are
 * written back, then dropped unless mapped, so the direct transfer sees
 * and leaves the file as it is.
 */
int filemap_invalidate_range(struct kernel *k, struct inode *inode,
			     uint64_t off, uint64_t len, bool reread)
{
	struct inval_arg ia = { 0, 0, reread };

	if (!len || !inode->nrpages)
		return 0;
	for_each_file_vma(k, inode, mkclean_vma, NULL);
	ia.last = (unsigned long)((off + len - 1) >> PAGE_SHIFT);
	pc_for_each(k, inode, (unsigned long)(off >> PAGE_SHIFT), inval_page,
		    &ia);
	return ia.err;
}

/* POSIX_FADV_WILLNEED and MADV_WILLNEED on a file (Linux's
 * force_page_cache_ra): read pages [first, last] in now, in chunks of the
 * window size, stopping when memory is short. */
void filemap_willneed(struct kernel *k, struct inode *inode,
		      unsigned long first, unsigned long last)
{
	unsigned long chunk = inode->ra.ra_pages ? inode->ra.ra_pages
						 : VM_READAHEAD_PAGES;

	if (inode->kind != INODE_HOST || !inode->size)
		return;
	unsigned long end = (unsigned long)((inode->size - 1) >> PAGE_SHIFT);
	if (last > end)
		last = end;
	for (unsigned long i = first; i <= last && i >= first; i += chunk) {
		unsigned long n = last - i + 1 < chunk ? last - i + 1 : chunk;
		unsigned long before = inode->nrpages;

		page_cache_ra_unbounded(k, inode, i, n, 0, false);
		/* Nothing came in although pages were missing: no memory. */
		if (inode->nrpages == before) {
			bool missing = false;
			for (unsigned long j = i; j < i + n && !missing; j++)
				missing = !filemap_find_page(k, inode, j);
			if (missing)
				break;
		}
	}
}

struct range_arg {
	unsigned long first, last;
};

static void unmap_vma_range(struct kernel *k, struct vma *vma, void *arg)
{
	struct range_arg *r = arg;
	unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	unsigned long lo = vma->vm_pgoff, hi = vma->vm_pgoff + pages - 1;

	/* Only the shared mappings: private copies stay (even_cows 0). */
	if (!(vma->vm_flags & VM_SHARED) || hi < r->first || lo > r->last)
		return;
	unsigned long a = r->first > lo ? r->first : lo;
	unsigned long b = r->last < hi ? r->last : hi;
	zap_page_range(k, vma, vma->vm_start + (gva_t)((a - lo) << PAGE_SHIFT),
		       vma->vm_start + (gva_t)((b - lo + 1) << PAGE_SHIFT));
}

static void drop_range_page(struct kernel *k, struct inode *inode,
			    unsigned long index, struct page *page, void *arg)
{
	struct range_arg *r = arg;

	if (index > r->last || page_mapcount(page))
		return;
	if (PageDirty(page)) {
		ClearPageDirty(page);
		account_dirty(k, page, -1);
	}
	page_cache_delete(k, inode, index);
}

/*
 * MADV_REMOVE (fallocate PUNCH_HOLE | KEEP_SIZE): pages [first, last] of
 * the file become a hole -- unmapped from the shared mappings, gone from
 * the cache (their dirty data dropped) and deallocated on the host, so
 * they read back as zeros.  Returns 0 or -errno.
 */
int filemap_punch_hole(struct kernel *k, struct inode *inode,
		       unsigned long first, unsigned long last)
{
	struct range_arg r = { first, last };

	for_each_file_vma(k, inode, unmap_vma_range, &r);
	pc_for_each(k, inode, first, drop_range_page, &r);
	if (inode->kind != INODE_HOST)
		return 0;
	uint64_t off = (uint64_t)first << PAGE_SHIFT;
	if (off >= inode->size)
		return 0;
	uint64_t len = ((uint64_t)(last - first) + 1) << PAGE_SHIFT;
	if (fallocate(inode->host_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)off, (off_t)len) < 0)
		return -errno;
	return 0;
}
