/*
 * Unit tests for inodes and the page cache (src/kernel/mm/filemap.c):
 * one inode per host file, pages read in once (major) then found (minor),
 * reads and writes through the cache, dirty pages written back to the
 * host file, truncation, and drop_caches keeping what is dirty or mapped.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kernel/mm/rmap.h"
#include "kharness.h"

#define P PAGE_SIZE

static struct kh *h;
static char path[64];
static struct inode *inode;
static uint8_t data[3 * P + 100];

static void setup(void)
{
	h = kh_boot(NULL);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + (i >> 12));
	kh_make_file(path, data, sizeof(data));
	int fd = kh_open_file(h, path, KH_O_RDWR);
	inode = fget(&h->k, fd)->inode;
}

static void teardown(void)
{
	kh_shutdown(h);
	unlink(path);
}

TestSuite(filemap, .init = setup, .fini = teardown);

static unsigned long cached(void)
{
	return global_node_page_state(&h->k.mem, NR_FILE_PAGES);
}

static void host_bytes(void *buf, size_t len, off_t off)
{
	int fd = open(path, O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(pread(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

Test(filemap, one_inode_per_host_file)
{
	int fd2 = kh_open_file(h, path, KH_O_RDONLY);

	cr_assert_eq(fget(&h->k, fd2)->inode, inode,
		     "two opens of one file share the inode");
	cr_assert_eq(inode->size, sizeof(data));
	cr_assert_eq(inode->nrpages, 0, "nothing is cached before use");
}

Test(filemap, page_read_once_then_found)
{
	bool major = false, oom = false;
	unsigned long before = cached();
	struct page *pg = filemap_get_page(&h->k, inode, 1, &major, &oom);

	cr_assert_not_null(pg);
	cr_assert(major, "the first read comes from the file");
	cr_assert_not(oom);
	cr_assert_eq(memcmp(page_address(&h->k.mem, pg), data + P, P), 0);
	cr_assert_eq(inode->nrpages, 1);
	cr_assert_eq(cached(), before + 1, "Cached: counts it");
	cr_assert_eq(filemap_find_page(&h->k, inode, 1), pg);
	cr_assert_null(filemap_find_page(&h->k, inode, 0));

	major = true;
	struct page *again = filemap_get_page(&h->k, inode, 1, &major, &oom);
	cr_assert_eq(again, pg);
	cr_assert_not(major, "the second is found in the cache");
	release_page(&h->k, again);
	release_page(&h->k, pg);
}

Test(filemap, partial_last_page_is_zero_filled_and_eof_is_null)
{
	bool major, oom = false;
	struct page *pg = filemap_get_page(&h->k, inode, 3, &major, &oom);
	const uint8_t *b;

	cr_assert_not_null(pg);
	b = page_address(&h->k.mem, pg);
	cr_assert_eq(memcmp(b, data + 3 * P, 100), 0);
	for (size_t i = 100; i < P; i++)
		cr_assert_eq(b[i], 0, "byte %zu past EOF not zero", i);
	release_page(&h->k, pg);
	cr_assert_null(filemap_get_page(&h->k, inode, 4, &major, &oom),
		       "a page wholly past EOF does not exist (SIGBUS)");
	cr_assert_not(oom);
}

Test(filemap, read_and_write_through_the_cache)
{
	bool major, oom;
	uint8_t buf[200], back[200];
	struct page *pg = filemap_get_page(&h->k, inode, 0, &major, &oom);

	cr_assert_eq(filemap_rw(&h->k, inode, buf, sizeof(buf), P - 50, false),
		     (long)sizeof(buf));
	cr_assert_eq(memcmp(buf, data + P - 50, sizeof(buf)), 0,
		     "a read across a cached and an uncached page");
	memset(buf, 0xab, sizeof(buf));
	cr_assert_eq(filemap_rw(&h->k, inode, buf, sizeof(buf), 100, true),
		     (long)sizeof(buf));
	cr_assert_eq(memcmp((uint8_t *)page_address(&h->k.mem, pg) + 100, buf,
			    sizeof(buf)), 0, "the cached page sees the write");
	filemap_write_and_wait(&h->k, inode);
	host_bytes(back, sizeof(back), 100);
	cr_assert_eq(memcmp(back, buf, sizeof(buf)), 0, "the host file too");
	cr_assert_eq(filemap_rw(&h->k, inode, buf, 10, inode->size + 5, false),
		     0, "a read at EOF returns 0");
	release_page(&h->k, pg);
}

Test(filemap, write_extends_the_file)
{
	uint8_t buf[16] = "extension-bytes";

	cr_assert_eq(filemap_rw(&h->k, inode, buf, sizeof(buf), sizeof(data),
				true), (long)sizeof(buf));
	cr_assert_eq(inode->size, sizeof(data) + sizeof(buf));
	memset(buf, 0, sizeof(buf));
	cr_assert_eq(filemap_rw(&h->k, inode, buf, sizeof(buf), sizeof(data),
				false), (long)sizeof(buf));
	cr_assert_str_eq((char *)buf, "extension-bytes");
}

Test(filemap, dirty_page_is_written_back)
{
	bool major, oom;
	struct page *pg = filemap_get_page(&h->k, inode, 2, &major, &oom);
	uint8_t back[8];

	memcpy((uint8_t *)page_address(&h->k.mem, pg) + 8, "DIRTYPG", 8);
	set_page_dirty(&h->k, pg);
	cr_assert(PageDirty(pg));
	cr_assert_eq(filemap_writepage(&h->k, pg), 0);
	cr_assert_not(PageDirty(pg), "clean after writeback");
	host_bytes(back, 8, 2 * P + 8);
	cr_assert_eq(memcmp(back, "DIRTYPG", 8), 0);
	release_page(&h->k, pg);
}

Test(filemap, drop_clean_keeps_dirty_pages)
{
	bool major, oom;
	struct page *a = filemap_get_page(&h->k, inode, 0, &major, &oom);
	struct page *b = filemap_get_page(&h->k, inode, 1, &major, &oom);

	set_page_dirty(&h->k, b);
	release_page(&h->k, a);
	release_page(&h->k, b);
	cr_assert_eq(inode->nrpages, 2);
	filemap_drop_clean(&h->k, inode);
	cr_assert_null(filemap_find_page(&h->k, inode, 0), "clean: dropped");
	cr_assert_not_null(filemap_find_page(&h->k, inode, 1),
			   "dirty: kept until written back");
	cr_assert_eq(inode->nrpages, 1);
}

Test(filemap, truncate_drops_pages_past_the_end)
{
	bool major, oom;
	uint8_t tail[P - 10];

	for (unsigned long i = 0; i < 4; i++)
		release_page(&h->k, filemap_get_page(&h->k, inode, i, &major,
						     &oom));
	cr_assert_eq(inode->nrpages, 4);
	filemap_truncate(&h->k, inode, P + 10);
	cr_assert_eq(inode->size, P + 10);
	cr_assert_null(filemap_find_page(&h->k, inode, 2));
	cr_assert_null(filemap_find_page(&h->k, inode, 3));
	struct page *last = filemap_find_page(&h->k, inode, 1);
	cr_assert_not_null(last);
	memcpy(tail, (uint8_t *)page_address(&h->k.mem, last) + 10, sizeof(tail));
	for (size_t i = 0; i < sizeof(tail); i++)
		cr_assert_eq(tail[i], 0, "the tail of the last page is zeroed");
}
