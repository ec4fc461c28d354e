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

#endif
