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
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/internal.h"

struct inode *inode_get_host(struct kernel *k, int host_fd, const char *path)
{
	struct stat st;
	struct inode *inode;

	if (fstat(host_fd, &st) < 0)
		return NULL;
	list_for_each_entry(inode, &k->inodes, list) {
		if (inode->dev == (uint64_t)st.st_dev &&
		    inode->ino == (uint64_t)st.st_ino) {
			inode->size = (uint64_t)st.st_size;
			return inode_ref(inode);
		}
	}
	inode = kmem_cache_zalloc(k->inode_cachep, GFP_KERNEL);
	if (!inode)
		return NULL;
	inode->host_fd = dup(host_fd);
	if (inode->host_fd < 0) {
		kmem_cache_free(k->inode_cachep, inode);
		return NULL;
	}
	inode->refcount = 1;
	inode->kind = INODE_HOST;
	inode->dev = (uint64_t)st.st_dev;
	inode->ino = (uint64_t)st.st_ino;
	inode->size = (uint64_t)st.st_size;
	strscpy(inode->path, path, sizeof(inode->path));
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
	inode->refcount = 1;
	inode->kind = INODE_MEM;
	inode->host_fd = -1;
	inode->dev = ~0ull; /* never equal to a host (dev, ino) */
	inode->size = size;
	strscpy(inode->path, "/dev/zero (deleted)", sizeof(inode->path));
	list_add_tail(&inode->list, &k->inodes);
	return inode;
}

static void page_cache_delete(struct kernel *k, struct inode *inode,
			      unsigned long index)
{
	struct page *page = inode->pages[index];

	inode->pages[index] = NULL;
	inode->nrpages--;
	mod_node_page_state(&k->mem, page, NR_FILE_PAGES, -1);
	if (inode->kind == INODE_MEM)
		mod_node_page_state(&k->mem, page, NR_SHMEM, -1);
	if (PageDirty(page)) {
		ClearPageDirty(page);
		mod_node_page_state(&k->mem, page, NR_FILE_DIRTY, -1);
	}
	page->mapping = NULL;
	release_page(k, page);
}

void inode_put(struct kernel *k, struct inode *inode)
{
	if (--inode->refcount > 0)
		return;
	for (unsigned long i = 0; i < inode->nr_slots; i++) {
		struct page *page = inode->pages[i];
		if (!page)
			continue;
		if (PageDirty(page) && inode->kind == INODE_HOST)
			(void)filemap_writepage(k, page);
		page_cache_delete(k, inode, i);
	}
	free(inode->pages);
	list_del(&inode->list);
	if (inode->host_fd >= 0)
		close(inode->host_fd);
	kmem_cache_free(k->inode_cachep, inode);
}

void set_page_dirty(struct kernel *k, struct page *page)
{
	if (PageDirty(page))
		return;
	SetPageDirty(page);
	mod_node_page_state(&k->mem, page, NR_FILE_DIRTY, 1);
}

int filemap_writepage(struct kernel *k, struct page *page)
{
	struct inode *inode = page->mapping;
	uint64_t off = (uint64_t)page->index << PAGE_SHIFT;

	if (!PageDirty(page) || inode->kind != INODE_HOST)
		return 0; /* shmem pages have no backing store to write */
	ClearPageDirty(page);
	mod_node_page_state(&k->mem, page, NR_FILE_DIRTY, -1);
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

void filemap_sync_range(struct kernel *k, struct inode *inode,
			unsigned long first, unsigned long last)
{
	for (unsigned long i = first; i <= last && i < inode->nr_slots; i++)
		if (inode->pages[i])
			(void)filemap_writepage(k, inode->pages[i]);
}

void filemap_truncate(struct kernel *k, struct inode *inode, uint64_t size)
{
	unsigned long first = (unsigned long)((size + PAGE_SIZE - 1) >>
					      PAGE_SHIFT);

	inode->size = size;
	for (unsigned long i = first; i < inode->nr_slots; i++) {
		struct page *page = inode->pages[i];
		/* Mapped pages stay until unmapped; accesses past EOF then
		 * raise SIGBUS through the size check in filemap_get_page. */
		if (page && page_mapcount(page) == 0)
			page_cache_delete(k, inode, i);
	}
	/* Zero the tail of a partial last page, as truncate does. */
	if (size & (PAGE_SIZE - 1)) {
		unsigned long i = size >> PAGE_SHIFT;
		if (i < inode->nr_slots && inode->pages[i]) {
			uint8_t *p = page_address(&k->mem, inode->pages[i]);
			memset(p + (size & (PAGE_SIZE - 1)), 0,
			       PAGE_SIZE - (size & (PAGE_SIZE - 1)));
		}
	}
}

static int grow_slots(struct inode *inode, unsigned long index)
{
	unsigned long n = inode->nr_slots ? inode->nr_slots : 16;

	while (n <= index)
		n *= 2;
	struct page **p = realloc(inode->pages, n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	memset(p + inode->nr_slots, 0, (n - inode->nr_slots) * sizeof(*p));
	inode->pages = p;
	inode->nr_slots = n;
	return 0;
}

/* Read page @index of @inode from the host into a new page-cache page. */
static struct page *page_cache_read(struct kernel *k, struct inode *inode,
				    unsigned long index)
{
	struct page *page;
	uint64_t off = (uint64_t)index << PAGE_SHIFT;

	if (index >= inode->nr_slots && grow_slots(inode, index) < 0)
		return NULL;
	page = alloc_pages(&k->mem, GFP_HIGHUSER_MOVABLE, 0);
	if (!page)
		return NULL;
	uint8_t *p = page_address(&k->mem, page);
	if (inode->kind == INODE_MEM) {
		/* A shmem page is born zeroed and never read from disk. */
		memset(p, 0, PAGE_SIZE);
		mod_node_page_state(&k->mem, page, NR_SHMEM, 1);
	} else {
		ssize_t n = pread(inode->host_fd, p, PAGE_SIZE, (off_t)off);
		if (n < 0)
			n = 0;
		memset(p + n, 0, PAGE_SIZE - (size_t)n);
		count_vm_events(&k->mem, PGPGIN, (n + 1023) / 1024);
	}
	page->mapping = inode;
	page->index = index;
	SetPageUptodate(page);
	inode->pages[index] = page;
	inode->nrpages++;
	mod_node_page_state(&k->mem, page, NR_FILE_PAGES, 1);
	lru_add_page(k, page);
	return page;
}

struct page *filemap_get_page(struct kernel *k, struct inode *inode,
			      unsigned long index, bool *major, bool *oom)
{
	struct page *page;

	*major = false;
	*oom = false;
	/* A page wholly beyond EOF: SIGBUS (the size is rounded up). */
	if ((uint64_t)index << PAGE_SHIFT >=
	    ALIGN_UP(inode->size, (uint64_t)PAGE_SIZE))
		return NULL;
	page = index < inode->nr_slots ? inode->pages[index] : NULL;
	if (!page) {
		page = page_cache_read(k, inode, index);
		if (!page) {
			*oom = true;
			return NULL;
		}
		*major = true;
	} else if (!PageActive(page) && PageReferenced(page)) {
		/* Second touch while on the inactive list: activate. */
		lru_del_page(k, page);
		SetPageActive(page);
		lru_add_page(k, page);
		count_vm_event(&k->mem, PGACTIVATE);
	} else {
		SetPageReferenced(page);
	}
	get_page(page);
	return page;
}

/*
 * Copy between a file and a kernel buffer through the page cache when the
 * file has cached pages (coherence with shared mappings), else straight
 * from the host.  Returns bytes moved or -errno.
 */
long filemap_rw(struct kernel *k, struct inode *inode, void *buf, size_t len,
		uint64_t off, bool write)
{
	size_t done = 0;

	if (!write && off >= inode->size)
		return 0;
	if (!write && off + len > inode->size)
		len = inode->size - off;
	if (write) {
		ssize_t n = pwrite(inode->host_fd, buf, len, (off_t)off);
		if (n < 0)
			return -errno;
		len = (size_t)n;
		if (off + len > inode->size)
			inode->size = off + len;
	}
	while (done < len) {
		unsigned long idx = (off + done) >> PAGE_SHIFT;
		size_t in = (off + done) & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - in < len - done ? PAGE_SIZE - in
						       : len - done;
		struct page *page =
			idx < inode->nr_slots ? inode->pages[idx] : NULL;
		uint8_t *b = (uint8_t *)buf + done;

		if (page) {
			uint8_t *p = (uint8_t *)page_address(&k->mem, page) + in;
			if (write)
				memcpy(p, b, n);
			else
				memcpy(b, p, n);
		} else if (!write) {
			ssize_t r = pread(inode->host_fd, b, n,
					  (off_t)(off + done));
			if (r < 0)
				return done ? (long)done : -errno;
			if ((size_t)r < n) {
				done += (size_t)r;
				break;
			}
		}
		done += n;
	}
	return (long)done;
}

void filemap_drop_clean(struct kernel *k, struct inode *inode)
{
	for (unsigned long i = 0; i < inode->nr_slots; i++) {
		struct page *page = inode->pages[i];
		if (page && !PageDirty(page) && page_mapcount(page) == 0 &&
		    page_count(page) == 1)
			page_cache_delete(k, inode, i);
	}
}
