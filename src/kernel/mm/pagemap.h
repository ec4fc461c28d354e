/*
 * The page cache (mm/filemap.c; Linux include/linux/pagemap.h).
 */
#ifndef MMULAB_KERNEL_MM_PAGEMAP_H
#define MMULAB_KERNEL_MM_PAGEMAP_H

#include "kernel/fs/fs.h"
#include "kernel/mm/mm_types.h"

struct kernel;

/* The rss counter of a page-cache @page: RssShmem or RssFile. */
static inline int mm_counter_file(const struct page *page)
{
	const struct inode *inode = page->mapping;

	return inode && inode->kind == INODE_MEM ? MM_SHMEMPAGES
						 : MM_FILEPAGES;
}

/*
 * The page-cache page at @index of @inode, read in when missing (*major
 * set).  Returns the page with a reference the caller owns, or NULL when
 * @index is beyond the end of the file (SIGBUS) or memory is short.
 */
struct page *filemap_get_page(struct kernel *k, struct inode *inode,
			      unsigned long index, bool *major, bool *oom);
void set_page_dirty(struct kernel *k, struct page *page);
/* Drop an unmapped, clean page from its page cache (reclaim): the cache's
 * reference goes, which frees a page nobody else holds. */
void filemap_remove_page(struct kernel *k, struct page *page);
/* Write a dirty page-cache page back to its file. */
int filemap_writepage(struct kernel *k, struct page *page);
/* Write back every dirty page of @inode in [first, last]. */
void filemap_sync_range(struct kernel *k, struct inode *inode,
			unsigned long first, unsigned long last);
/* The cached page at @index of @inode, or NULL (no reference taken). */
struct page *filemap_find_page(struct kernel *k, struct inode *inode,
			       unsigned long index);
/* read/write through the page cache (see filemap.c); bytes or -errno. */
long filemap_rw(struct kernel *k, struct inode *inode, void *buf, size_t len,
		uint64_t off, bool write);
/* msync/fsync: collect dirty bits from shared mappings, write every dirty
 * page back and write-protect the mappings again. */
void filemap_write_and_wait(struct kernel *k, struct inode *inode);
/* Unmap pages at or beyond page @first from every mapping of @inode. */
void unmap_mapping_range(struct kernel *k, struct inode *inode,
			 unsigned long first);
/* Drop the clean, unmapped page-cache pages of @inode (drop_caches). */
void filemap_drop_clean(struct kernel *k, struct inode *inode);
/* Drop cached pages of @inode at or after @index (truncate). */
void filemap_truncate(struct kernel *k, struct inode *inode, uint64_t size);
/* Sync every inode's dirty pages to its host file (sync, shutdown). */
void filemap_sync_all(struct kernel *k);
/* An unused inode gives its host descriptor back unless it has dirty
 * pages (and few other files hold one). */
void inode_idle(struct kernel *k, struct inode *inode);
/* Free @inode if nothing holds it and it caches nothing any more. */
void inode_try_free(struct kernel *k, struct inode *inode);
/* Write back and drop every cached page of every file (shutdown). */
void filemap_shutdown(struct kernel *k);
/* Periodic writeback on the virtual clock (dirty_expire_centisecs). */
void wb_periodic(struct kernel *k);
/* O_DIRECT: write back and drop the cached pages of [off, off + len);
 * @reread (after a direct write): pages still mapped are read again. */
int filemap_invalidate_range(struct kernel *k, struct inode *inode,
			     uint64_t off, uint64_t len, bool reread);
/* Map the cached pages around a read fault (filemap_map_pages); true
 * when the faulting page was among them. */
struct vm_fault;
bool do_fault_around(struct kernel *k, struct vm_fault *vmf);
/* filemap_get_page for a fault in @vma, with mmap readahead. */
struct vma;
struct page *filemap_fault(struct kernel *k, struct vma *vma,
			   unsigned long index, bool *major, bool *oom);
/* filemap_rw with the open file's readahead state @ra (NULL: none). */
long filemap_rw_ra(struct kernel *k, struct inode *inode,
		   struct file_ra_state *ra, void *buf, size_t len,
		   uint64_t off, bool write);

/* Read pages [first, last] of @inode in now (WILLNEED). */
void filemap_willneed(struct kernel *k, struct inode *inode,
		      unsigned long first, unsigned long last);
/* Punch the hole [first, last] (pages) in @inode (MADV_REMOVE). */
int filemap_punch_hole(struct kernel *k, struct inode *inode,
		       unsigned long first, unsigned long last);

/* ---- readahead (readahead.c) ----------------------------------------------- */
#define VM_READAHEAD_PAGES 32	/* read_ahead_kb 128 */
#define MMAP_LOTSAMISS 100

/* Read page @index of @inode into the cache for readahead: NULL when it
 * cannot be had at once (memory short). */
struct page *page_cache_alloc_read(struct kernel *k, struct inode *inode,
				   unsigned long index);

/* The page-cache queries the readahead decision makes. */
struct ra_cache {
	bool (*present)(void *ctx, unsigned long index);
	void *ctx;
};

enum ra_action { RA_NONE, RA_WINDOW, RA_PLAIN };

unsigned long ra_init_size(unsigned long size, unsigned long max);
unsigned long ra_next_size(unsigned long cur, unsigned long max);
/*
 * ondemand_readahead: a read of @req pages at @index (@hit_marker: it
 * reached a PG_readahead page) with windows of at most @max pages.
 * RA_WINDOW: read ra's new window; RA_PLAIN: read the @req pages only.
 */
enum ra_action ra_ondemand(struct file_ra_state *ra, const struct ra_cache *c,
			   unsigned long max, unsigned long index,
			   unsigned long req, bool hit_marker);

struct ra_ctl {
	struct kernel *k;
	struct inode *inode;
	struct file_ra_state *ra;
	unsigned long max;	/* window limit, 0: ra->ra_pages */
};

void file_ra_state_init(struct file_ra_state *ra);
void page_cache_ra_unbounded(struct kernel *k, struct inode *inode,
			     unsigned long index, unsigned long nr,
			     unsigned long lookahead, bool async);
void page_cache_sync_ra(struct ra_ctl *rc, unsigned long index,
			unsigned long req);
void page_cache_async_ra(struct ra_ctl *rc, struct page *page,
			 unsigned long req);
struct vma;
void do_sync_mmap_readahead(struct kernel *k, struct vma *vma,
			    unsigned long pgoff);
void do_async_mmap_readahead(struct kernel *k, struct vma *vma,
			     struct page *page);

#endif
